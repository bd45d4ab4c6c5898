// Final failures, when no restart is coming: the pod failed (evicted, out of resources, deadline...),
// an init container fails, a process failed under restartPolicy Never/OnFailure, or the kubelet lost
// the container.

import { runLength } from '../time.ts';
import type { ContainerView, InstanceView } from '../view.ts';
import { at, eventEvidence, eventsOf, lastEnded, logEvidence, terminationMessageEvidence } from './context.ts';
import { hasOwnRule } from './exit-codes.ts';
import type { ContainerRule, DiagnosisInput, PodRule } from './rule.ts';

/** status.reason of a pod the kubelet or the control plane failed (besides Evicted). */
export const POD_FAILURE_REASONS: readonly string[] = [
  'OutOfcpu',
  'OutOfmemory',
  'UnexpectedAdmissionError',
  'NodeAffinity',
  'NodeLost',
  'Shutdown',
  'DeadlineExceeded',
  'Preempting',
];

function statusMessageEvidence(pod: DiagnosisInput): string[] {
  return pod.statusMessage ? [`status.message: ${pod.statusMessage}`] : [];
}

export const evicted: PodRule = {
  id: 'evicted',
  family: 'final-failure',
  scope: 'pod',
  run: (pod) => {
    if (pod.statusReason !== 'Evicted') return undefined;
    return {
      severity: 'error',
      container: undefined,
      title: `evicted by the kubelet${pod.statusMessage ? `: ${pod.statusMessage}` : ''}`,
      evidence: [`status.reason=Evicted`, ...statusMessageEvidence(pod), ...eventsOf(pod, undefined, ['Evicted']).map(eventEvidence)],
    };
  },
};

export const podFailed: PodRule = {
  id: 'pod-failed',
  family: 'final-failure',
  scope: 'pod',
  run: (pod) => {
    if (!pod.statusReason || !POD_FAILURE_REASONS.includes(pod.statusReason)) return undefined;
    return {
      severity: 'error',
      container: undefined,
      title: `${pod.statusReason}${pod.statusMessage ? `: ${pod.statusMessage}` : ''}`,
      evidence: [`status.reason=${pod.statusReason}`, ...statusMessageEvidence(pod)],
    };
  },
};

interface FinalFailure {
  readonly exit: number | undefined;
  /** " after 1s": how long the failed instance ran. */
  readonly ranFor: string;
  readonly evidence: readonly string[];
}

/** A failure that is not followed by a restart, unless another rule explains the exit (OOM, SIGKILL, start failures). */
function finalFailure(pod: DiagnosisInput, c: ContainerView): FinalFailure | undefined {
  const last = lastEnded(c);
  // An init container in CrashLoopBackOff after a failure (restartPolicy Always/OnFailure).
  const initLooping = c.type === 'init' && c.reason === 'CrashLoopBackOff' && last !== undefined;
  const failed =
    c.state === 'terminated' && (c.exitCode ?? 0) !== 0 && !hasOwnRule(c.exitCode, c.reason) && c.reason !== 'ContainerStatusUnknown';
  if (!initLooping && !failed) return undefined;
  const cur = c.instances.at(-1);
  const ended: InstanceView | undefined = initLooping ? last : cur;
  const exit = ended?.exitCode ?? c.exitCode;
  const ranFor = ended?.durationMs !== undefined ? ` after ${runLength(ended.durationMs)}` : ran(cur);
  const evidence = [
    ...logEvidence(ended),
    `${initLooping ? 'last termination' : 'state.terminated'}: ${ended?.reason ?? c.reason ?? 'no reason'}, ` +
      `exit ${exit} ${at(ended?.finishedAt ?? c.finishedAt)}`,
    `restartPolicy=${pod.restartPolicy}`,
    ...(c.restartCount > 0 ? [`restartCount=${c.restartCount}`] : []),
    ...terminationMessageEvidence(ended),
  ];
  return { exit, ranFor, evidence };
}

function ran(i: InstanceView | undefined): string {
  return i?.durationMs !== undefined ? ` after ${runLength(i.durationMs)}` : '';
}

export const initFailed: ContainerRule = {
  id: 'init-failed',
  family: 'final-failure',
  scope: 'container',
  run: (pod, c) => {
    const f = c.type === 'init' ? finalFailure(pod, c) : undefined;
    if (!f) return undefined;
    return {
      severity: 'error',
      container: c.name,
      title:
        pod.restartPolicy === 'Never'
          ? `init container failed with exit ${f.exit}${f.ranFor}; the containers after it do not start and the pod fails`
          : `init container fails with exit ${f.exit}${f.ranFor}; it is retried with back-off and the containers after it wait`,
      evidence: f.evidence,
    };
  },
};

export const processFailed: ContainerRule = {
  id: 'process-failed',
  family: 'final-failure',
  scope: 'container',
  run: (pod, c) => {
    const f = c.type !== 'init' && pod.restartPolicy !== 'Always' ? finalFailure(pod, c) : undefined;
    if (!f) return undefined;
    return {
      severity: 'error',
      container: c.name,
      title: `the process failed with exit ${c.exitCode ?? '?'}${ran(c.instances.at(-1))}; not restarted (restartPolicy ${pod.restartPolicy})`,
      evidence: f.evidence,
    };
  },
};

export const statusUnknown: ContainerRule = {
  id: 'status-unknown',
  family: 'final-failure',
  scope: 'container',
  run: (_pod, c) => {
    if (c.state !== 'terminated' || c.reason !== 'ContainerStatusUnknown') return undefined;
    return {
      severity: 'warning',
      container: c.name,
      title: 'the kubelet lost track of the container (ContainerStatusUnknown); its real exit is unknown',
      evidence: [`state.terminated.reason=ContainerStatusUnknown${c.message ? `: ${c.message}` : ''}`],
    };
  },
};
