// (previous, next) snapshots of one pod (same UID) -> lifecycle events, one fact each.
// On first sight (no previous), the history the object still carries is reconstructed from its
// timestamps (creation, condition transitions, startedAt/finishedAt) and marked as such.
// A restart is a new containerID or a higher restartCount. An unchanged status emits nothing.

import { parseBackoffDelay } from './backoff.ts';
import type { PodJson } from './kube-json.ts';
import type { LifecycleEvent } from './lifecycle-event.ts';
import { signalName, terminationSignal } from './signals.ts';
import { containerEntries, ownerOf, podIdentity, stateFacts, type ContainerEntry, type StateFacts } from './snapshot.ts';
import { formatGoDuration, parseTime, runLength } from './time.ts';
import type { Severity } from './view.ts';

export type DraftEvent = Omit<LifecycleEvent, 'seq'>;

const BAD_WAITING = new Set([
  'CrashLoopBackOff',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);

export function waitingSeverity(reason: string | undefined): Severity {
  return reason && BAD_WAITING.has(reason) ? 'warning' : 'info';
}

export function terminationText(f: StateFacts): string {
  const sig = terminationSignal(f.exitCode, f.signal);
  const parts = [f.reason ?? 'terminated'];
  if (f.exitCode !== undefined) parts.push(`exit ${f.exitCode}${sig !== undefined ? ` (${signalName(sig) ?? `signal ${sig}`})` : ''}`);
  else if (sig !== undefined) parts.push(signalName(sig) ?? `signal ${sig}`);
  let s = parts.join(', ');
  if (f.startedAt !== undefined && f.finishedAt !== undefined) s += ` after ${runLength(f.finishedAt - f.startedAt)}`;
  return s;
}

function terminationSeverity(f: StateFacts, type: ContainerEntry['type'] | undefined): Severity {
  if ((f.exitCode ?? 0) === 0 && !f.reason?.includes('Error') && f.reason !== 'OOMKilled') return 'info';
  return type === 'sidecar' ? 'warning' : 'error';
}

interface Ctx {
  readonly uid: string;
  readonly namespace: string;
  readonly pod: string;
  readonly observedAt: number;
}

function draft(ctx: Ctx, kind: DraftEvent['kind'], text: string, o: Partial<Omit<DraftEvent, 'kind' | 'text'>> = {}): DraftEvent {
  return {
    at: o.at ?? ctx.observedAt,
    observedAt: ctx.observedAt,
    reconstructed: o.reconstructed ?? false,
    podUid: ctx.uid,
    namespace: ctx.namespace,
    pod: ctx.pod,
    container: o.container,
    kind,
    severity: o.severity ?? 'info',
    text,
    reason: o.reason,
    containerID: o.containerID,
    exitCode: o.exitCode,
  };
}

export function diffPod(prev: PodJson | undefined, next: PodJson, observedAt: number): DraftEvent[] {
  const id = podIdentity(next);
  const ctx: Ctx = { uid: id.uid, namespace: id.namespace, pod: id.name, observedAt };
  const out: DraftEvent[] = [];
  const first = prev === undefined;
  const rec = (at: number | undefined): Partial<DraftEvent> => (first && at !== undefined ? { at, reconstructed: at < observedAt } : {});

  if (first) {
    const created = parseTime(next.metadata.creationTimestamp);
    if (created !== undefined) {
      const owner = ownerOf(next);
      out.push(draft(ctx, 'pod-created', `created${owner ? ` by ${owner.kind}/${owner.name}` : ''}`, rec(created)));
    }
  }

  // Phase, status reason, conditions.
  const phase = next.status?.phase;
  if (phase && phase !== prev?.status?.phase) {
    const severity: Severity = phase === 'Failed' ? 'error' : phase === 'Unknown' ? 'warning' : 'info';
    const at = first
      ? phase === 'Pending'
        ? parseTime(next.metadata.creationTimestamp)
        : phase === 'Running'
          ? parseTime(next.status?.startTime)
          : undefined
      : undefined;
    out.push(draft(ctx, 'phase', `phase ${prev?.status?.phase ? `${prev.status.phase} -> ` : ''}${phase}`, { ...rec(at), severity }));
  }
  const reason = next.status?.reason;
  if (reason && reason !== prev?.status?.reason) {
    out.push(
      draft(ctx, 'status-reason', `${reason}${next.status?.message ? `: ${next.status.message}` : ''}`, { severity: 'warning', reason }),
    );
  }
  const prevConds = new Map((prev?.status?.conditions ?? []).map((c) => [c.type, c] as const));
  for (const c of next.status?.conditions ?? []) {
    const p = prevConds.get(c.type);
    if (p && p.status === c.status && (p.reason ?? '') === (c.reason ?? '')) continue;
    const at = parseTime(c.lastTransitionTime);
    const detail = [c.reason, c.message].filter(Boolean).join(': ');
    const severity: Severity =
      c.status === 'True' || c.type === 'Ready' || c.type === 'ContainersReady' ? 'info' : c.type === 'PodScheduled' ? 'warning' : 'info';
    if (c.type === 'PodScheduled' && c.status === 'True') {
      out.push(
        draft(ctx, 'scheduled', `scheduled${next.spec?.nodeName ? ` to ${next.spec.nodeName}` : ''}`, { ...rec(at), ...(first ? {} : {}) }),
      );
    } else {
      out.push(draft(ctx, 'condition', `${c.type}=${c.status}${detail ? ` (${detail})` : ''}`, { ...rec(at), severity, reason: c.reason }));
    }
  }

  // Deletion.
  const del = next.metadata.deletionTimestamp;
  if (del && !prev?.metadata.deletionTimestamp) {
    const deadline = parseTime(del);
    const grace = next.metadata.deletionGracePeriodSeconds;
    out.push(
      draft(
        ctx,
        'deleting',
        `deleting: grace period ${grace ?? '?'}s, SIGKILL deadline ${deadline !== undefined ? new Date(deadline).toISOString().slice(11, 19) : 'unknown'}`,
        { severity: 'warning' },
      ),
    );
  }

  // Containers.
  const prevEntries = new Map(prev ? containerEntries(prev).map((e) => [e.name, e] as const) : []);
  for (const e of containerEntries(next)) {
    diffContainer(ctx, prevEntries.get(e.name), e, first, out);
  }

  out.sort((a, b) => a.at - b.at);
  return out;
}

function diffContainer(ctx: Ctx, prev: ContainerEntry | undefined, next: ContainerEntry, first: boolean, out: DraftEvent[]): void {
  const s = next.status;
  if (!s) return;
  const c = next.name;
  const cur = stateFacts(s.state);
  const last = stateFacts(s.lastState);
  const p = prev?.status;
  const pcur = stateFacts(p?.state);
  const restartCount = s.restartCount ?? 0;
  const curID = cur?.containerID ?? s.containerID ?? undefined;
  const prevID = pcur?.containerID ?? p?.containerID ?? undefined;

  if (first) {
    // What the object still tells about the past: the previous instance, then the current one.
    if (last?.state === 'terminated') {
      if (last.startedAt !== undefined)
        out.push(
          draft(ctx, 'container-running', `running (instance ${cur?.state === 'waiting' ? restartCount : restartCount - 1})`, {
            container: c,
            at: last.startedAt,
            reconstructed: true,
            containerID: last.containerID,
          }),
        );
      out.push(
        draft(ctx, 'container-terminated', `terminated: ${terminationText(last)}`, {
          container: c,
          at: last.finishedAt ?? ctx.observedAt,
          reconstructed: last.finishedAt !== undefined,
          severity: terminationSeverity(last, next.type),
          reason: last.reason,
          containerID: last.containerID,
          exitCode: last.exitCode,
        }),
      );
    }
  }

  // A restart: a higher restartCount or a new containerID of a running/terminated instance.
  if (p && (restartCount > (p.restartCount ?? 0) || (curID && prevID && curID !== prevID))) {
    // The instance that ended in between, if we did not see it terminate.
    const plast = stateFacts(p.lastState);
    const known = last?.containerID !== undefined && (last.containerID === pcur?.containerID || last.containerID === plast?.containerID);
    if (last?.state === 'terminated' && !known && pcur?.state !== 'terminated') {
      out.push(
        draft(ctx, 'container-terminated', `terminated: ${terminationText(last)}`, {
          container: c,
          at: last.finishedAt ?? ctx.observedAt,
          severity: terminationSeverity(last, next.type),
          reason: last.reason,
          containerID: last.containerID,
          exitCode: last.exitCode,
        }),
      );
    }
    const missed = restartCount - (p.restartCount ?? 0) - 1;
    out.push(
      draft(
        ctx,
        'container-restarted',
        `restarted (restart ${restartCount})${missed > 0 ? `; ${missed} restart(s) in between were not observed` : ''}`,
        {
          container: c,
          severity: 'warning',
          containerID: curID,
          ...(cur?.state === 'running' && cur.startedAt !== undefined && cur.startedAt <= ctx.observedAt ? { at: cur.startedAt - 1 } : {}),
        },
      ),
    );
  }

  if (
    cur &&
    (!pcur ||
      pcur.state !== cur.state ||
      pcur.reason !== cur.reason ||
      (cur.containerID && cur.containerID !== pcur.containerID) ||
      (cur.startedAt !== pcur.startedAt && cur.state === 'running'))
  ) {
    if (cur.state === 'running') {
      out.push(
        draft(ctx, 'container-running', `running${restartCount > 0 ? ` (instance ${restartCount})` : ''}`, {
          container: c,
          at: cur.startedAt ?? ctx.observedAt,
          reconstructed: first && cur.startedAt !== undefined && cur.startedAt < ctx.observedAt,
          containerID: curID,
        }),
      );
    } else if (cur.state === 'terminated') {
      out.push(
        draft(ctx, 'container-terminated', `terminated: ${terminationText(cur)}`, {
          container: c,
          at: first ? (cur.finishedAt ?? ctx.observedAt) : ctx.observedAt,
          reconstructed: first && cur.finishedAt !== undefined,
          severity: terminationSeverity(cur, next.type),
          reason: cur.reason,
          containerID: cur.containerID,
          exitCode: cur.exitCode,
        }),
      );
    } else if (cur.state === 'waiting') {
      // A waiting state that follows a termination we did not see terminated: report that first.
      if (!first && pcur?.state === 'running' && last?.state === 'terminated' && restartCount === (p?.restartCount ?? 0)) {
        out.push(
          draft(ctx, 'container-terminated', `terminated: ${terminationText(last)}`, {
            container: c,
            at: ctx.observedAt,
            severity: terminationSeverity(last, next.type),
            reason: last.reason,
            containerID: last.containerID,
            exitCode: last.exitCode,
          }),
        );
      }
      const msg = cur.message && cur.reason !== 'CrashLoopBackOff' ? `: ${cur.message}` : '';
      out.push(
        draft(ctx, 'container-waiting', `waiting: ${cur.reason ?? 'no reason'}${msg}`, {
          container: c,
          severity: waitingSeverity(cur.reason),
          reason: cur.reason,
        }),
      );
    }
  }

  // The back-off delay the kubelet states (only in the waiting message).
  if (cur?.state === 'waiting' && cur.reason === 'CrashLoopBackOff') {
    const d = parseBackoffDelay(cur.message);
    const pd = pcur?.state === 'waiting' ? parseBackoffDelay(pcur.message) : undefined;
    if (d !== undefined && (d !== pd || !pcur || pcur.state !== 'waiting')) {
      const next =
        last?.finishedAt !== undefined ? ` (next attempt at ${new Date(last.finishedAt + d * 1000).toISOString().slice(11, 19)})` : '';
      out.push(
        draft(ctx, 'backoff', `back-off ${formatGoDuration(d)}${next}`, { container: c, severity: 'warning', reason: 'CrashLoopBackOff' }),
      );
    }
  }

  if (s.started === true && p?.started !== true && p !== undefined)
    out.push(draft(ctx, 'container-started', 'started (startup probe passed or none)', { container: c }));
  if (p !== undefined && (s.ready ?? false) !== (p.ready ?? false)) {
    out.push(
      draft(ctx, s.ready ? 'container-ready' : 'container-not-ready', s.ready ? 'ready' : 'not ready', {
        container: c,
        severity: s.ready ? 'info' : cur?.state === 'running' ? 'warning' : 'info',
      }),
    );
  }
}
