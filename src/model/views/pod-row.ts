// The light per-pod row of the group views (the rollout screen, the progress lines, the verdict):
// kubectl's STATUS / READY / RESTARTS, node, owner and revision key, the containers as the rollout
// rules read them, the health class and a compact lifecycle strip. Made once per pod record and
// cached on it (a record is a new object only when its pod changed), so a tick of the clock or a
// change of another pod rebuilds nothing. Nothing here depends on `now`: the texts that do (AGE,
// "3 (5m ago)", the SIGKILL countdown) are made at render time by the functions at the end.
//
// The findings (the diagnosis) are the expensive part: they are made only for pods that are
// failing, from the detailed pod view as of the record's last observation, and cached likewise.

import { parseBackoffDelay } from '../backoff.ts';
import { podColumns } from '../pod-status.ts';
import type { ModelState, PodRecord } from '../reduce/index.ts';
import { podHealth, type PodHealth, type RolloutContainer, type RolloutPod } from '../rollout.ts';
import { phaseTone, podViewOf, spanSegment } from '../session-view.ts';
import { FAILING_WAIT_REASONS } from '../types.ts';
import { humanDuration } from '../time.ts';
import type { LaneView, MarkerView, SegmentView, Tone } from '../view.ts';

export interface PodRow extends RolloutPod {
  readonly namespace: string;
  /** 1 for the first life of a name, 2 for the next pod with the same name (a StatefulSet's recreated pod). */
  readonly life: number;
  readonly statusTone: Tone;
  readonly health: PodHealth;
  /** The controller ownerReference's uid. */
  readonly ownerUid: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** The pod's compact lifecycle: kubectl STATUS over time, restarts, exits, deletion, SIGKILL deadline. */
  readonly strip: LaneView;
  /** Where the strip starts: the pod's creation (or first sight). */
  readonly since: number;
  /** The observation this row was made from. */
  readonly observedAt: number;
}

const rows = new WeakMap<PodRecord, PodRow>();
const findingsCache = new WeakMap<PodRecord, readonly string[]>();

/** The row of one pod, made once per record. */
export function podRow(rec: PodRecord, state: ModelState): PodRow {
  const hit = rows.get(rec);
  if (hit) return hit;
  const row = makeRow(rec, state);
  rows.set(rec, row);
  return row;
}

function container(entry: PodRecord['snapshot']['containers'][number], rec: PodRecord): RolloutContainer | undefined {
  if (entry.type === 'ephemeral') return undefined;
  const s = entry.status;
  const cur = s?.state;
  const last = s?.lastState?.state === 'terminated' ? s.lastState : undefined;
  const terminated = cur?.state === 'terminated' ? cur : undefined;
  const waitingMessage = cur?.state === 'waiting' ? cur.message : undefined;
  return {
    name: entry.name,
    type: entry.type,
    ready: s?.ready ?? false,
    restartCount: s?.restartCount ?? 0,
    state: cur?.state ?? 'unknown',
    reason: cur?.reason,
    message: cur?.message,
    lastExitCode: terminated ? terminated.exitCode : last?.exitCode,
    lastTerminationReason: terminated ? terminated.reason : last?.reason,
    // The back-off the kubelet states now, else the last one it stated (before the restart that runs now).
    backOffSeconds:
      (cur?.state === 'waiting' && cur.reason === 'CrashLoopBackOff' ? parseBackoffDelay(waitingMessage) : undefined) ??
      ((s?.restartCount ?? 0) > 0 ? rec.containers.get(entry.name)?.delays.at(-1)?.seconds : undefined),
  };
}

function strip(rec: PodRecord): { lane: LaneView; since: number } {
  const snap = rec.snapshot;
  const segments: SegmentView[] = rec.podSpans.map((s) => ({
    from: s.from,
    to: s.to,
    state: s.state,
    label: s.label,
    tone: phaseTone(s.label),
    reconstructed: s.reconstructed,
  }));
  // Over the pod's phase, the times a container waited for a reason that fails (CrashLoopBackOff,
  // ImagePullBackOff, ...): what kubectl's STATUS says then, so that a crash loop does not read as running.
  for (const c of rec.containers.values())
    for (const s of c.spans) if (s.state === 'waiting' && FAILING_WAIT_REASONS.has(s.label)) segments.push(spanSegment(s));
  const markers: MarkerView[] = [];
  for (const c of rec.containers.values()) {
    if (c.type === 'init') continue;
    for (const i of c.instances) {
      if (i.startedAt !== undefined && i.attempt > 0)
        markers.push({ at: i.startedAt, kind: 'restart', label: `restart ${i.attempt}`, tone: 'warn' });
      if (!i.running && i.finishedAt !== undefined && (i.exitCode ?? 0) !== 0) {
        const oom = i.reason === 'OOMKilled';
        markers.push({
          at: i.finishedAt,
          kind: oom ? 'oom' : 'exit',
          label: `${oom ? 'OOMKilled' : 'exit'} ${i.exitCode ?? '?'}`,
          tone: 'error',
        });
      }
    }
  }
  const deadline = rec.deletionRequest?.deadline ?? snap.deletion?.deadline;
  if (rec.deletionSeenAt !== undefined) markers.push({ at: rec.deletionSeenAt, kind: 'delete', label: 'delete', tone: 'warn' });
  if (deadline !== undefined) markers.push({ at: deadline, kind: 'deadline', label: 'SIGKILL deadline', tone: 'error' });
  markers.sort((a, b) => a.at - b.at);
  let since = snap.createdAt ?? rec.firstObservedAt;
  for (const s of segments) since = Math.min(since, s.from);
  return { lane: { segments, markers }, since };
}

function makeRow(rec: PodRecord, state: ModelState): PodRow {
  const snap = rec.snapshot;
  const cols = podColumns(snap, rec.lastObservedAt);
  const scheduled = snap.conditions.find((c) => c.type === 'PodScheduled');
  const ready = snap.conditions.find((c) => c.type === 'Ready');
  const { lane, since } = strip(rec);
  const containers = snap.containers.flatMap((e) => {
    const c = container(e, rec);
    return c ? [c] : [];
  });
  const base: RolloutPod = {
    name: rec.name,
    uid: rec.uid,
    owner: snap.owner ? { kind: snap.owner.kind, name: snap.owner.name, uid: snap.ownerUid } : undefined,
    revisionKey: snap.labels['pod-template-hash'] ?? snap.labels['controller-revision-hash'],
    createdAt: snap.createdAt,
    node: snap.nodeName,
    phase: snap.phase,
    status: cols.status,
    ready: cols.ready,
    restarts: cols.restarts,
    lastRestartAt: cols.lastRestartAt,
    isReady: ready?.status === 'True',
    deleting: snap.deletion !== undefined,
    deletionAt: rec.deletionRequest?.deadline ?? snap.deletion?.deadline,
    unschedulable:
      scheduled?.status === 'False' && scheduled.reason === 'Unschedulable'
        ? { message: scheduled.message ?? '', since: scheduled.lastTransitionTime }
        : undefined,
    nominatedNode: snap.nominatedNode,
    restartPolicy: snap.restartPolicy,
    containers,
    findings: [],
  };
  const health = podHealth(base);
  return {
    ...base,
    findings: health === 'failing' ? findingsOf(rec, state) : [],
    namespace: rec.namespace,
    life: rec.life,
    statusTone: phaseTone(cols.status),
    health,
    ownerUid: snap.ownerUid,
    labels: snap.labels,
    strip: lane,
    since,
    observedAt: rec.lastObservedAt,
  };
}

/** The titles of a pod's findings as of its last observation (its container named when it has several). */
function findingsOf(rec: PodRecord, state: ModelState): readonly string[] {
  const hit = findingsCache.get(rec);
  if (hit) return hit;
  const view = podViewOf(state, rec, rec.lastObservedAt, false);
  const several = view.containers.filter((c) => c.type !== 'init' && c.type !== 'ephemeral').length > 1;
  const out = view.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => (several && f.container ? `${f.container}: ${f.title}` : f.title));
  findingsCache.set(rec, out);
  return out;
}

// ---- render-time text ------------------------------------------------------------------------

/** kubectl's AGE column. */
export function ageText(row: Pick<PodRow, 'createdAt'>, now: number): string {
  return row.createdAt === undefined ? '<unknown>' : humanDuration(now - row.createdAt);
}

/** kubectl's RESTARTS column: "3 (5m ago)". */
export function restartsText(row: Pick<PodRow, 'restarts' | 'lastRestartAt'>, now: number): string {
  return row.restarts !== 0 && row.lastRestartAt !== undefined
    ? `${row.restarts} (${humanDuration(now - row.lastRestartAt)} ago)`
    : String(row.restarts);
}

/** "SIGKILL in 12s" while a terminating pod's grace period runs; "SIGKILL due 3s ago" after it. */
export function sigkillText(row: Pick<PodRow, 'deleting' | 'deletionAt'>, now: number): string | undefined {
  if (!row.deleting || row.deletionAt === undefined) return undefined;
  const s = Math.ceil((row.deletionAt - now) / 1000);
  return s >= 0 ? `SIGKILL in ${s}s` : `SIGKILL due ${-s}s ago`;
}
