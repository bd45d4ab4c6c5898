// SIGKILL (exit 137 without OOMKilled): who killed the container, from the cause each instance's
// evidence gives (the view-model's `cause`: a probe's Killing event, the end of a grace period, an
// eviction, a deletion, a failing postStart hook). One rule per cause; `sigkill-unknown` for the rest.

import { describeProbe } from '../spec-describe.ts';
import { clockTime } from '../time.ts';
import type { ContainerView, InstanceView } from '../view.ts';
import { at, endedInstances, eventEvidence, eventsOf, hookOf, logEvidence, probeEvidence, probeOf } from './context.ts';
import { EXIT_SIGKILL } from './exit-codes.ts';
import { postStartFailsTitle } from './hooks.ts';
import type { ContainerRule, DiagnosisInput, PodRule } from './rule.ts';

/** Causes with a rule of their own; 'lost' (ContainerStatusUnknown) has its own finding elsewhere. */
const EXPLAINED_CAUSES: ReadonlySet<string> = new Set([
  'liveness',
  'startup',
  'grace-period',
  'eviction',
  'deletion',
  'postStart',
  'lost',
  'active-deadline',
  'node-shutdown',
  'preemption',
  'taint',
  'pod-gc',
  'job',
  'sidecar',
  'stopped',
]);

function sigkilled(c: ContainerView): InstanceView[] {
  return endedInstances(c).filter((i) => i.exitCode === EXIT_SIGKILL && i.reason !== 'OOMKilled');
}

function causeIs(cause: string): (i: InstanceView) => boolean {
  return (i) => i.cause === cause;
}

function unexplained(i: InstanceView): boolean {
  return i.cause === undefined || !EXPLAINED_CAUSES.has(i.cause);
}

/** The kills of one cause: the last one, and the first line of evidence (how often, when). */
function kills(c: ContainerView, match: (i: InstanceView) => boolean): { last: InstanceView; evidence: string } | undefined {
  const list = sigkilled(c).filter(match);
  const last = list.at(-1);
  if (!last) return undefined;
  const times = list.length > 1 ? ` (${list.length} times)` : '';
  // A container the kubelet lost gets exit 137 from the kubelet itself: no signal is known.
  if (last.reason === 'ContainerStatusUnknown')
    return {
      last,
      evidence: `terminated, reason ContainerStatusUnknown (exit ${EXIT_SIGKILL} set by the kubelet, which lost the container)${times}`,
    };
  return { last, evidence: `terminated exit ${EXIT_SIGKILL} (SIGKILL), reason ${last.reason ?? 'none'}, ${at(last.finishedAt)}${times}` };
}

/** The SIGKILL findings of one container come in the order of each cause's first kill. */
function firstKill(match: (i: InstanceView) => boolean): (c: ContainerView) => number {
  return (c) => sigkilled(c).findIndex(match);
}

function probeKill(kind: 'liveness' | 'startup'): ContainerRule {
  const match = causeIs(kind);
  return {
    id: `${kind}-kill`,
    family: 'sigkill',
    scope: 'container',
    // The probe's failures are listed in this finding.
    suppresses: kind === 'liveness' ? ['liveness-failing'] : ['startup-failing', 'startup-slow'],
    order: firstKill(match),
    run: (pod, c) => {
      const k = kills(c, match);
      if (!k) return undefined;
      const probe = probeOf(c, kind);
      return {
        severity: 'error',
        container: c.name,
        title: `killed by its ${kind} probe${probe ? ` (${probe.handler})` : ''}`,
        evidence: [k.evidence, ...probeEvidence(probe), ...eventsOf(pod, c.name, ['Unhealthy', 'Killing']).map(eventEvidence)],
      };
    },
  };
}

export const livenessKill = probeKill('liveness');
export const startupKill = probeKill('startup');

export const gracePeriodKill: ContainerRule = {
  id: 'grace-period-kill',
  family: 'sigkill',
  scope: 'container',
  order: firstKill(causeIs('grace-period')),
  run: (pod, c) => {
    const k = kills(c, causeIs('grace-period'));
    if (!k) return undefined;
    const pre = hookOf(c, 'preStop');
    const grace = pod.deletion?.gracePeriodSeconds;
    return {
      severity: 'warning',
      container: c.name,
      title: `did not stop within the grace period${grace !== undefined ? ` of ${grace}s` : ''}: killed with SIGKILL`,
      evidence: [
        k.evidence,
        `deletionTimestamp (the end of the grace period) ${at(pod.deletion?.deadline)}`,
        ...(pre
          ? [
              `preStop hook (counts against the grace period): ${pre.handler}${c.stopping?.preStop !== undefined && !c.stopping.minimumAfterPreStop ? '; it returned within the grace period, SIGKILL came at its end' : ''}`,
            ]
          : []),
        ...eventsOf(pod, c.name, ['Killing', 'ExceededGracePeriod']).map(eventEvidence),
      ],
    };
  },
};

export const evictionKill: ContainerRule = {
  id: 'eviction-kill',
  family: 'sigkill',
  scope: 'container',
  order: firstKill(causeIs('eviction')),
  run: (pod, c) => {
    const k = kills(c, causeIs('eviction'));
    if (!k) return undefined;
    const t = pod.termination?.cause === 'eviction' ? pod.termination : undefined;
    return {
      severity: 'error',
      container: c.name,
      // "killed by an eviction by the kubelet: emptyDir volume "scratch" over its 8Mi limit"
      title: `killed by an eviction${t ? t.text.replace(/^evicted/, '') : ''}`,
      evidence: [
        k.evidence,
        ...(pod.statusReason === 'Evicted' ? [`status.reason=Evicted: ${pod.statusMessage ?? ''}`] : []),
        ...eventsOf(pod, c.name, ['Killing']).map(eventEvidence),
        ...(k.last.causeText ? [k.last.causeText] : []),
      ],
    };
  },
};

export const deletionKill: ContainerRule = {
  id: 'deletion-kill',
  family: 'sigkill',
  scope: 'container',
  order: firstKill(causeIs('deletion')),
  run: (_pod, c) => {
    const k = kills(c, causeIs('deletion'));
    return k && { severity: 'info', container: c.name, title: 'killed while the pod was being deleted', evidence: [k.evidence] };
  },
};

/** A kill after a failing postStart hook, when the hook's own failure is not seen (poststart-hook-failed suppresses it). */
export const postStartKill: ContainerRule = {
  id: 'poststart-kill',
  family: 'sigkill',
  scope: 'container',
  order: firstKill(causeIs('postStart')),
  run: (_pod, c) => {
    const k = kills(c, causeIs('postStart'));
    if (!k) return undefined;
    return {
      severity: 'error',
      container: c.name,
      title: postStartFailsTitle(c),
      evidence: [k.evidence, ...(k.last.causeText ? [k.last.causeText] : [])],
    };
  },
};

export const sigkillUnknown: ContainerRule = {
  id: 'sigkill-unknown',
  family: 'sigkill',
  scope: 'container',
  order: firstKill(unexplained),
  run: (_pod, c) => {
    const k = kills(c, unexplained);
    if (!k) return undefined;
    const live = c.spec.probes.find((p) => p.kind === 'liveness' || p.kind === 'startup');
    const hint = live
      ? [
          `a ${live.kind} probe is defined (${describeProbe(live)}); ` +
            'its Unhealthy/Killing events, which would show a probe kill, are not available',
        ]
      : [];
    return {
      severity: 'error',
      container: c.name,
      title: 'killed by SIGKILL (exit 137); cause unknown: not OOMKilled, no liveness kill, no deletion or eviction seen',
      evidence: [k.evidence, ...hint, ...logEvidence(k.last)],
    };
  },
};

/** The pod is being deleted: when SIGKILL comes for what is still running. */
export const beingDeleted: PodRule = {
  id: 'being-deleted',
  family: 'sigkill',
  scope: 'pod',
  run: (pod: DiagnosisInput) => {
    if (!pod.deletion || !pod.current) return undefined;
    const grace = pod.deletion.gracePeriodSeconds;
    return {
      severity: 'info',
      container: undefined,
      // Nothing says "deleted" before the pod is gone.
      title: `deletion requested: the grace period${grace !== undefined ? ` of ${grace}s` : ''} ends ${clockTime(pod.deletion.deadline)}`,
      evidence: [`metadata.deletionTimestamp=${new Date(pod.deletion.deadline).toISOString()}`],
    };
  },
};
