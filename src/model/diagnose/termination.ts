// How the kubelet or the control plane ended containers: the pod-level stops (activeDeadlineSeconds,
// node shutdown, preemption, a taint, the pod garbage collector, a failed Job) with the setting
// behind each, and the stops of single containers that need more than "SIGKILL": a preStop hook
// that used up the grace period, a sidecar stopped after the main containers, a Killing whose reason
// was not seen. The stop's timing is the view-model's (`termination`, `stopping`: see termination.ts).

import { clockTime } from '../time.ts';
import type { ContainerView, InstanceView } from '../view.ts';
import { at, endedInstances, eventEvidence, eventsOf } from './context.ts';
import type { ContainerRule, PodRule } from './rule.ts';

/** Pod-level stop causes that have a rule of their own elsewhere (eviction: final-failure.ts; deletion: sigkill.ts). */
const OWN_POD_RULE: ReadonlySet<string> = new Set(['eviction', 'deletion', 'activeDeadlineSeconds']);

function graceText(g: number | undefined): string {
  return g !== undefined ? ` (grace period ${g}s)` : '';
}

/** The last instance that ended with one of these causes. */
function lastWith(c: ContainerView, causes: readonly string[]): InstanceView | undefined {
  return endedInstances(c)
    .filter((i) => i.cause !== undefined && causes.includes(i.cause))
    .at(-1);
}

function terminationEvidence(i: InstanceView): string {
  return `terminated ${i.reason ?? ''} exit ${i.exitCode ?? '?'}${i.signalName ? ` (${i.signalName})` : ''} ${at(i.finishedAt)}`.replace(
    'terminated  ',
    'terminated ',
  );
}

/** How the stop of a container went, step by step, as evidence. */
function stopEvidence(c: ContainerView): string[] {
  const s = c.stopping;
  if (!s) return [];
  const out: string[] = [];
  if (s.preStop !== undefined) out.push(`preStop hook: ${s.preStop}`);
  if (s.sigtermAt !== undefined) out.push(`SIGTERM at ${clockTime(s.sigtermAt)}`);
  if (s.sigkillAt !== undefined) out.push(`SIGKILL due ${clockTime(s.sigkillAt)}`);
  return out;
}

export const activeDeadline: PodRule = {
  id: 'active-deadline',
  family: 'termination',
  scope: 'pod',
  // The status.reason DeadlineExceeded finding says the same with less.
  suppresses: ['pod-failed'],
  run: (pod) => {
    const t = pod.termination;
    if (t?.cause !== 'activeDeadlineSeconds') return undefined;
    return {
      severity: 'error',
      container: undefined,
      title:
        t.step === 'ended'
          ? `${t.text}: the kubelet stopped the pod${graceText(t.gracePeriodSeconds)}; it failed and is not restarted`
          : `${t.text}: the kubelet is stopping the pod${graceText(t.gracePeriodSeconds)}`,
      evidence: t.evidence,
    };
  },
};

/** A node shutdown, a preemption, a taint, the pod garbage collector, a failed Job. */
export const podStopped: PodRule = {
  id: 'pod-stopped',
  family: 'termination',
  scope: 'pod',
  suppresses: ['pod-failed', 'being-deleted'],
  run: (pod) => {
    const t = pod.termination;
    if (!t || OWN_POD_RULE.has(t.cause)) return undefined;
    return {
      severity: t.cause === 'job' ? 'error' : 'warning',
      container: undefined,
      title:
        t.cause === 'job'
          ? `${t.text}${t.step === 'ended' ? '' : ', stopping its containers'}${graceText(t.gracePeriodSeconds)}`
          : `${t.text}: ${t.step === 'ended' ? 'the pod was stopped' : 'the pod is being stopped'}${graceText(t.gracePeriodSeconds)}`,
      evidence: t.evidence,
    };
  },
};

export const deadlineKill: ContainerRule = {
  id: 'deadline-kill',
  family: 'termination',
  scope: 'container',
  suppresses: ['sigkill-unknown', 'crash-loop', 'process-failed'],
  run: (pod, c) => {
    const i = lastWith(c, ['active-deadline']);
    const t = pod.termination;
    if (!i || t?.cause !== 'activeDeadlineSeconds') return undefined;
    const g = c.stopping?.gracePeriodSeconds ?? t.gracePeriodSeconds;
    const how =
      i.exitCode === 137
        ? c.stopping?.minimumAfterPreStop
          ? `its preStop hook (${c.stopping.preStop}) used up the ${g}s grace period; SIGKILL 2s later (exit 137)`
          : `SIGKILL after the ${g}s grace period (exit 137)`
        : i.exitCode === 143
          ? 'it exited on SIGTERM (exit 143)'
          : `it exited with ${i.exitCode ?? '?'} when asked to stop`;
    return {
      severity: 'error',
      container: c.name,
      title: `${i.exitCode === 137 ? 'killed' : 'stopped'} by the kubelet: ${t.text}; ${how}`,
      evidence: [terminationEvidence(i), ...eventsOf(pod, c.name, ['Killing']).map(eventEvidence), ...stopEvidence(c)],
    };
  },
};

/**
 * A preStop hook still running when the grace period ended: the kubelet stopped waiting for it, sent
 * SIGTERM, and SIGKILL its minimum 2 s later (the hook dies with the container: FailedPreStopHook).
 */
export const preStopOutlivedGrace: ContainerRule = {
  id: 'prestop-outlived-grace',
  family: 'termination',
  scope: 'container',
  // The hook did not fail on its own, and the SIGKILL has this cause.
  suppresses: ['prestop-hook-failed', 'grace-period-kill', 'deletion-kill', 'sigkill-unknown'],
  run: (pod, c) => {
    const s = c.stopping;
    const i = endedInstances(c).at(-1);
    if (!s?.minimumAfterPreStop || s.preStop === undefined || !i || i.exitCode !== 137 || s.sigtermAt === undefined) return undefined;
    const g = s.gracePeriodSeconds;
    const killing = eventsOf(pod, c.name, ['Killing']).at(-1);
    const failed = eventsOf(pod, c.name, ['FailedPreStopHook']).at(-1);
    return {
      severity: 'warning',
      container: c.name,
      title: `the preStop hook (${s.preStop}) was still running when the ${g}s grace period ended: killed with SIGKILL`,
      evidence: [
        ...(killing ? [`${eventEvidence(killing)} (preStop hook started)`] : []),
        `SIGTERM at ${clockTime(s.sigtermAt)} when the grace period ended, SIGKILL 2s later (the kubelet's minimum after an unfinished preStop)`,
        ...(failed ? [`${eventEvidence(failed)} (the hook died with the container)`] : []),
        terminationEvidence(i),
        ...(pod.deletion ? [`grace period ${g}s (metadata.deletionGracePeriodSeconds)`] : [`grace period ${g}s`]),
      ],
    };
  },
};

/** A sidecar's exit when the kubelet stopped it after the main containers: part of the shutdown, not a failure. */
export const sidecarStopped: ContainerRule = {
  id: 'sidecar-stopped',
  family: 'termination',
  scope: 'container',
  suppresses: ['sigkill-unknown', 'crash-loop'],
  run: (_pod, c) => {
    const i = lastWith(c, ['sidecar']);
    if (!i || c.type !== 'sidecar') return undefined;
    return {
      severity: 'info',
      container: c.name,
      title: `stopped after the main containers ended (exit ${i.exitCode ?? '?'}): part of the pod's shutdown, not a failure`,
      evidence: [terminationEvidence(i), ...(i.causeText ? [i.causeText] : [])],
    };
  },
};

/** Stopped by the kubelet (a Killing event) for a reason this session did not see. */
export const kubeletStopped: ContainerRule = {
  id: 'kubelet-stopped',
  family: 'termination',
  scope: 'container',
  suppresses: ['sigkill-unknown'],
  run: (pod, c) => {
    const i = lastWith(c, ['stopped']);
    if (!i) return undefined;
    return {
      severity: 'warning',
      container: c.name,
      title: `stopped by the kubelet (exit ${i.exitCode ?? '?'}); why it stopped it is not in what was seen`,
      evidence: [terminationEvidence(i), ...eventsOf(pod, c.name, ['Killing']).map(eventEvidence), ...stopEvidence(c)],
    };
  },
};
