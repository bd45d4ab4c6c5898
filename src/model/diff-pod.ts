// (previous, next) snapshots of one pod (same UID) -> lifecycle events: the one interpreter of a
// change. On first sight (no previous), the history the object still carries is reconstructed from
// its timestamps (creation, condition transitions, startedAt/finishedAt) and marked as such.
// A restart is a new containerID or a higher restartCount; an instance is identified by its
// containerID (else its attempt number). Events the reducer needs but a person would not read again
// (the current state restated, a previous instance already reported) are `quiet`.

import { parseBackoffDelay } from './backoff.ts';
import type { DraftEvent, LifecycleDetail, SpanFacts } from './lifecycle-event.ts';
import type { ContainerEntry, PodSnapshot, StateFacts } from './snapshot.ts';
import { FAILING_WAIT_REASONS, type ContainerType, type Severity } from './types.ts';

export function waitingSeverity(reason: string | undefined): Severity {
  return reason && FAILING_WAIT_REASONS.has(reason) ? 'warning' : 'info';
}

function terminationSeverity(f: StateFacts, type: ContainerType): Severity {
  if ((f.exitCode ?? 0) === 0 && !f.reason?.includes('Error') && f.reason !== 'OOMKilled') return 'info';
  return type === 'sidecar' ? 'warning' : 'error';
}

type Header = Partial<Omit<DraftEvent, keyof LifecycleDetail>>;

class Out {
  readonly events: DraftEvent[] = [];
  constructor(
    private readonly pod: PodSnapshot,
    readonly observedAt: number,
  ) {}
  add(detail: LifecycleDetail, h: Header = {}): void {
    this.events.push({
      at: h.at ?? this.observedAt,
      observedAt: this.observedAt,
      reconstructed: h.reconstructed ?? false,
      podUid: this.pod.uid,
      namespace: this.pod.namespace,
      pod: this.pod.name,
      container: h.container,
      severity: h.severity ?? 'info',
      reason: h.reason,
      containerID: h.containerID,
      exitCode: h.exitCode,
      ...(h.quiet ? { quiet: true } : {}),
      ...detail,
    } as DraftEvent);
  }
}

/**
 * The events between two snapshots of one pod, in the order the reducer folds them (the log sorts
 * the ones it keeps by time). An unchanged status gives only quiet events.
 */
export function diffPod(prev: PodSnapshot | undefined, next: PodSnapshot, observedAt: number): DraftEvent[] {
  const out = new Out(next, observedAt);
  const first = prev === undefined;
  const rec = (at: number | undefined): Header => (first && at !== undefined ? { at, reconstructed: at < observedAt } : {});

  if (first && next.createdAt !== undefined) out.add({ kind: 'pod-created', owner: next.owner }, rec(next.createdAt));

  // Phase, status reason, conditions.
  const phase = next.phase;
  if (phase && phase !== prev?.phase) {
    const severity: Severity = phase === 'Failed' ? 'error' : phase === 'Unknown' ? 'warning' : 'info';
    const at = first ? (phase === 'Pending' ? next.createdAt : phase === 'Running' ? next.startTime : undefined) : undefined;
    out.add({ kind: 'phase', from: prev?.phase, to: phase }, { ...rec(at), severity });
  }
  if (next.reason && next.reason !== prev?.reason)
    out.add({ kind: 'status-reason', message: next.message }, { severity: 'warning', reason: next.reason });
  const prevConds = new Map((prev?.conditions ?? []).map((c) => [c.type, c] as const));
  for (const c of next.conditions) {
    const p = prevConds.get(c.type);
    if (p && p.status === c.status && (p.reason ?? '') === (c.reason ?? '')) continue;
    const at = c.lastTransitionTime;
    if (c.type === 'PodScheduled' && c.status === 'True') {
      out.add({ kind: 'scheduled', node: next.nodeName }, rec(at));
    } else {
      const severity: Severity =
        c.status === 'True' || c.type === 'Ready' || c.type === 'ContainersReady' ? 'info' : c.type === 'PodScheduled' ? 'warning' : 'info';
      out.add(
        { kind: 'condition', conditionType: c.type, status: c.status, message: c.message },
        { ...rec(at), severity, reason: c.reason },
      );
    }
  }

  // Deletion.
  if (next.deletion && !prev?.deletion)
    out.add(
      { kind: 'deleting', deadline: next.deletion.deadline, gracePeriodSeconds: next.deletion.gracePeriodSeconds },
      { severity: 'warning' },
    );

  // Containers.
  const prevEntries = new Map((prev?.containers ?? []).map((e) => [e.name, e] as const));
  const containersReadyAt = next.conditions.find((c) => c.type === 'ContainersReady' && c.status === 'True')?.lastTransitionTime;
  for (const e of next.containers) diffContainer(out, next, prevEntries.get(e.name), e, first, containersReadyAt);
  return out.events;
}

function diffContainer(
  out: Out,
  pod: PodSnapshot,
  prev: ContainerEntry | undefined,
  next: ContainerEntry,
  podFirst: boolean,
  containersReadyAt: number | undefined,
): void {
  const s = next.status;
  if (!s) return;
  const observedAt = out.observedAt;
  const c = next.name;
  const cur = s.state;
  const last = s.lastState;
  const p = prev?.status;
  const pcur = p?.state;
  const restartCount = s.restartCount;
  const curID = cur?.containerID ?? s.containerID;
  const prevID = pcur?.containerID ?? p?.containerID;
  // The first snapshot showing this container: instances and spans come from its timestamps.
  const firstSight = podFirst || prev === undefined;

  // A restart: a higher restartCount or a new containerID of a running/terminated instance.
  const restarted = p !== undefined && (restartCount > p.restartCount || (curID !== undefined && prevID !== undefined && curID !== prevID));
  const changed =
    cur !== undefined &&
    (!pcur ||
      pcur.state !== cur.state ||
      pcur.reason !== cur.reason ||
      (cur.containerID !== undefined && cur.containerID !== pcur.containerID) ||
      (cur.startedAt !== pcur.startedAt && cur.state === 'running'));

  // On first sight of a container that restarted before: what happened before the oldest instance
  // the object tells about is not in the API (its lane says unknown, not the state it is in now).
  if (firstSight) {
    const oldest = last?.state === 'terminated' ? (cur?.state === 'waiting' ? restartCount : restartCount - 1) : restartCount;
    const from = pod.startTime ?? pod.createdAt;
    const to = (last?.state === 'terminated' ? (last.startedAt ?? last.finishedAt) : cur?.startedAt) ?? observedAt;
    if (oldest > 0 && from !== undefined && to > from)
      out.add(
        { kind: 'history-unknown', from, to: Math.min(to, observedAt) },
        { container: c, at: from, reconstructed: true, quiet: true },
      );
  }

  // The previous instance (lastState): what the object still tells about the past. Reported on
  // first sight, when a restart happened that we did not see it end, or when the container went
  // from running to waiting without us seeing the termination; otherwise already known (quiet).
  if (last?.state === 'terminated') {
    const attempt = cur?.state === 'waiting' ? restartCount : restartCount - 1;
    const known =
      last.containerID !== undefined && (last.containerID === pcur?.containerID || last.containerID === p?.lastState?.containerID);
    const unseenRestart = restarted && !known && pcur?.state !== 'terminated';
    const unseenEnd = !podFirst && changed && cur?.state === 'waiting' && pcur?.state === 'running' && restartCount === p?.restartCount;
    if (podFirst && last.startedAt !== undefined)
      out.add(
        { kind: 'container-running', attempt, current: false, startedAt: last.startedAt, ready: false, firstSight, span: undefined },
        { container: c, at: last.startedAt, reconstructed: true, containerID: last.containerID },
      );
    out.add(
      { kind: 'container-terminated', attempt, current: false, termination: last, firstSight, span: undefined },
      {
        container: c,
        ...(podFirst
          ? { at: last.finishedAt ?? observedAt, reconstructed: last.finishedAt !== undefined }
          : unseenRestart
            ? { at: last.finishedAt ?? observedAt }
            : {}),
        severity: terminationSeverity(last, next.type),
        reason: last.reason,
        containerID: last.containerID,
        exitCode: last.exitCode,
        quiet: !podFirst && !unseenRestart && !unseenEnd,
      },
    );
  }

  if (restarted) {
    out.add(
      { kind: 'container-restarted', restartCount, missed: Math.max(0, restartCount - p.restartCount - 1) },
      { container: c, severity: 'warning', containerID: curID },
    );
  }

  // The current state: reported when it changed, restated (quiet) otherwise for the reducer.
  const quiet = !changed;
  if (cur?.state === 'running') {
    let span: SpanFacts | undefined;
    if (s.ready) {
      let from = observedAt;
      if (firstSight) {
        from = containersReadyAt ?? cur.startedAt ?? observedAt;
        if (cur.startedAt !== undefined && from < cur.startedAt) from = cur.startedAt;
      }
      span = { state: 'ready', label: 'ready', from: Math.min(from, observedAt), reconstructed: firstSight && from < observedAt };
    }
    out.add(
      { kind: 'container-running', attempt: restartCount, current: true, startedAt: cur.startedAt, ready: s.ready, firstSight, span },
      // Seen live, it is stamped when the API said so: the process may have started earlier (a
      // postStart hook runs before the kubelet reports it running), which the text says beside it.
      {
        container: c,
        at: firstSight ? (cur.startedAt ?? observedAt) : observedAt,
        reconstructed: podFirst && cur.startedAt !== undefined && cur.startedAt < observedAt,
        containerID: curID,
        quiet,
      },
    );
  } else if (cur?.state === 'terminated') {
    const termination: StateFacts = { ...cur, containerID: curID };
    // The instance lastState already reported, moved back to state (the kubelet does so when a pod
    // that waits in back-off is deleted): the same termination, not a new one.
    const reported = curID !== undefined && p?.lastState?.state === 'terminated' && p.lastState.containerID === curID;
    out.add(
      {
        kind: 'container-terminated',
        attempt: restartCount,
        current: true,
        termination,
        firstSight,
        span: {
          state: 'terminated',
          label: `${cur.reason ?? 'exit'}${cur.exitCode !== undefined ? ` ${cur.exitCode}` : ''}`,
          // The same instance reported again: it waited for a restart until now, and will not restart.
          from: reported ? observedAt : (cur.finishedAt ?? observedAt),
          reconstructed: firstSight,
        },
      },
      {
        container: c,
        at: podFirst ? (cur.finishedAt ?? observedAt) : observedAt,
        reconstructed: podFirst && cur.finishedAt !== undefined,
        severity: terminationSeverity(cur, next.type),
        reason: cur.reason,
        containerID: curID,
        exitCode: cur.exitCode,
        quiet: quiet || reported,
      },
    );
  } else if (cur?.state === 'waiting') {
    // Waiting since: the end of the last instance for a back-off, else when we saw it (on first
    // sight, since the last exit or the pod's start).
    const afterExit = last?.finishedAt;
    const from = firstSight
      ? (afterExit ?? pod.startTime ?? observedAt)
      : cur.reason === 'CrashLoopBackOff' && afterExit !== undefined && afterExit <= observedAt
        ? afterExit
        : observedAt;
    out.add(
      {
        kind: 'container-waiting',
        message: cur.message,
        firstSight,
        span: {
          state: 'waiting',
          label: cur.reason ?? 'Waiting',
          from: Math.min(from, observedAt),
          reconstructed: firstSight && from < observedAt,
        },
      },
      { container: c, severity: waitingSeverity(cur.reason), reason: cur.reason, quiet },
    );
  } else {
    out.add({ kind: 'container-unknown', firstSight, span: undefined }, { container: c, quiet: true });
  }

  // The back-off delay the kubelet states (only in the waiting message).
  if (cur?.state === 'waiting' && cur.reason === 'CrashLoopBackOff') {
    const d = parseBackoffDelay(cur.message);
    const pd = pcur?.state === 'waiting' ? parseBackoffDelay(pcur.message) : undefined;
    if (d !== undefined)
      out.add(
        { kind: 'backoff', delaySeconds: d, lastFinishedAt: last?.finishedAt },
        { container: c, severity: 'warning', reason: 'CrashLoopBackOff', quiet: d === pd && pcur?.state === 'waiting' },
      );
  }

  if (s.started === true && p !== undefined && p.started !== true) out.add({ kind: 'container-started' }, { container: c });
  if (p !== undefined && s.ready !== p.ready)
    out.add(s.ready ? { kind: 'container-ready' } : { kind: 'container-not-ready' }, {
      container: c,
      severity: s.ready ? 'info' : cur?.state === 'running' ? 'warning' : 'info',
    });
}
