// The kubectl READY / STATUS / RESTARTS columns, implemented from printPod in
// kubernetes/pkg/printers/internalversion/printers.go (v1.34). Subtleties kept on purpose:
// - while an init container has not finished, RESTARTS sums *all* init containers' restarts;
//   once initialized, it sums sidecars' and regular containers' restarts only;
// - regular containers are walked from last to first, so the first one in spec order with a
//   waiting/terminated reason sets STATUS;
// - a pod whose deletionTimestamp is set reads Terminating unless its phase is terminal, or
//   Unknown when the node is unreachable (status.reason NodeLost).

import type { ContainerStatusFacts, PodSnapshot } from './snapshot.ts';
import { humanDuration } from './time.ts';

export interface PodColumns {
  readonly ready: string;
  readonly readyCount: number;
  readonly totalCount: number;
  readonly status: string;
  readonly restarts: number;
  /** Newest lastState.terminated.finishedAt among the counted containers. */
  readonly lastRestartAt: number | undefined;
  readonly restartsText: string;
}

export function podColumns(pod: PodSnapshot, now: number): PodColumns {
  const initSpecs = pod.specs.init;
  const sidecars = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = pod.specs.regular.length + sidecars.size;
  let ready = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const newer = (a: number | undefined, s: ContainerStatusFacts): number | undefined => {
    // Go's zero time marks "no termination"; a termination without finishedAt counts as zero.
    const t = s.lastState?.state === 'terminated' ? s.lastState.finishedAt : undefined;
    if (t === undefined) return a;
    return a === undefined || t > a ? t : a;
  };

  let reason = pod.phase ?? '';
  if (pod.reason) reason = pod.reason;
  for (const c of pod.conditions) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = pod.statuses.init;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount;
    lastRestart = newer(lastRestart, c);
    const isSidecar = sidecars.has(c.name);
    if (isSidecar) {
      sidecarRestarts += c.restartCount;
      lastSidecarRestart = newer(lastSidecarRestart, c);
    }
    const term = c.state?.state === 'terminated' ? c.state : undefined;
    const waiting = c.state?.state === 'waiting' ? c.state : undefined;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (isSidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = pod.conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = pod.statuses.regular;
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount;
      lastRestart = newer(lastRestart, c);
      const waiting = c.state?.state === 'waiting' ? c.state : undefined;
      const term = c.state?.state === 'terminated' ? c.state : undefined;
      if (waiting && waiting.reason) reason = waiting.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term && !term.reason) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (c.ready && c.state?.state === 'running') {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = pod.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.deletion && pod.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.deletion && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') reason = 'Terminating';

  const restartsText =
    restarts !== 0 && lastRestart !== undefined ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  total = Math.max(total, 0);
  return {
    ready: `${ready}/${total}`,
    readyCount: ready,
    totalCount: total,
    status: reason,
    restarts,
    lastRestartAt: lastRestart,
    restartsText,
  };
}
