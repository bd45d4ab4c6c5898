// Folds pod observations: each object is read once into a snapshot, compared with the previous
// one by diffPod (the one interpreter of a change), and the events fold into the pod record and
// its containers. Pods are keyed by UID, so a pod recreated under the same name is a new life.

import { diffPod } from '../diff-pod.ts';
import type { DraftEvent } from '../lifecycle-event.ts';
import { podColumns } from '../pod-status.ts';
import { inferHooks, recordOccurrence } from './hooks.ts';
import { podKey, podSnapshot, type PodSnapshot } from '../snapshot.ts';
import { controllerOf, departureOf, isReplacement, REPLACEMENT_WINDOW_MS } from '../replacement.ts';
import { foldContainers } from './containers.ts';
import { eventDraft } from './events.ts';
import { closeSpans, pushSpan } from './spans.ts';
import { LIMITS, type Draft, type EventRecord, type PodRecord, type Span } from './state.ts';

/** Shared by every pod without Events yet (never mutated: folds copy). */
const NO_EVENTS: ReadonlyMap<string, EventRecord> = new Map();

/** The events a person reads, in time order (the fold order is the diff's). */
function logged(events: readonly DraftEvent[]): DraftEvent[] {
  return events.filter((e) => !e.quiet).sort((a, b) => a.at - b.at);
}

function header(pod: PodSnapshot, at: number) {
  return {
    at,
    observedAt: at,
    reconstructed: false,
    podUid: pod.uid,
    namespace: pod.namespace,
    pod: pod.name,
    container: undefined,
    reason: undefined,
    containerID: undefined,
    exitCode: undefined,
  };
}

export function onPod(d: Draft, verb: 'list' | 'added' | 'modified' | 'deleted', object: unknown, observedAt: number): void {
  const snap = podSnapshot(object, observedAt);
  if (d.relistPods && verb === 'list') d.relistPods.add(snap.uid);
  if (d.watchingSince === undefined && d.base.source !== 'file') {
    d.watchingSince = observedAt;
    d.changed = true;
  }
  const existing = d.podMap.get(snap.uid);
  if (existing) {
    if (existing.deleted && verb !== 'deleted') return; // a late event about a deleted pod
    const sameVersion = existing.snapshot.resourceVersion !== undefined && existing.snapshot.resourceVersion === snap.resourceVersion;
    let rec = existing;
    if (!sameVersion) {
      const events = diffPod(existing.snapshot, snap, observedAt);
      d.emit(logged(events));
      rec = updateRecord(existing, snap, events, observedAt);
    }
    if (verb === 'deleted') {
      d.setPod(rec);
      markDeleted(d, rec, observedAt, false);
    } else if (rec !== existing) {
      d.setPod(rec);
      noteDeparture(d, rec, observedAt);
    }
    const now = d.podMap.get(rec.uid);
    if (now && now !== existing) inferHooks(d, now, observedAt);
    return;
  }
  // A new UID: a first sight, possibly a new life of a name seen before.
  const key = podKey(snap.namespace, snap.name);
  const lives = d.livesMap.get(key) ?? [];
  d.setLives(key, [...lives, snap.uid]);
  const life = lives.length + 1;
  const events = diffPod(undefined, snap, observedAt);
  const drafts = logged(events);
  if (lives.length > 0) {
    const prevUid = lives[lives.length - 1]!;
    const prev = d.podMap.get(prevUid);
    if (prev && !prev.replaced) d.setPod({ ...prev, replaced: true });
    drafts.unshift({
      ...header(snap, observedAt),
      at: snap.createdAt ?? observedAt,
      severity: 'warning',
      kind: 'new-life',
      life,
      previousUid: prevUid,
    });
  }
  let rec = updateRecord(undefined, snap, events, observedAt, life);
  // Events that arrived before their pod.
  const pending = d.pendingMap.get(key);
  if (pending) {
    const mine = pending.filter((e) => e.podUid === undefined || e.podUid === snap.uid);
    if (mine.length > 0) {
      const evs = new Map(rec.events);
      for (const e of mine) evs.set(e.key, e);
      rec = { ...rec, events: evs };
      for (const e of mine) drafts.push(eventDraft(rec, e));
    }
    d.setPending(
      key,
      pending.filter((e) => !mine.includes(e)),
    );
  }
  drafts.sort((a, b) => a.at - b.at);
  const cols = podColumns(snap, observedAt);
  drafts.push({
    ...header(snap, observedAt),
    severity: 'info',
    kind: 'pod-seen',
    asSaved: d.base.source === 'file',
    status: cols.status,
    ready: cols.ready,
    restarts: cols.restarts,
    phase: snap.phase,
  });
  // A pod its controller created in place of a departed one: said on the departed pod, before this one's lines.
  const replaced = controllerOf(snap) ? findReplaced(d, snap) : undefined;
  if (replaced) {
    drafts.unshift(replacedDraft(replaced, snap, observedAt));
    rec = { ...rec, replaces: { uid: replaced.uid, name: replaced.name } };
  }
  d.emit(drafts);
  d.setPod(rec);
  if (replaced) link(d, replaced, rec);
  else if (controllerOf(snap)) d.firstSeen.push(rec.uid);
  for (const e of [...rec.events.values()]) recordOccurrence(d, d.podMap.get(rec.uid)!, e, undefined);
  if (verb === 'deleted') markDeleted(d, d.podMap.get(rec.uid)!, observedAt, false);
  else noteDeparture(d, d.podMap.get(rec.uid)!, observedAt);
  inferHooks(d, d.podMap.get(rec.uid)!, observedAt);
}

/**
 * A pod that departed (replacement.ts) waits for its replacement; one its controller already
 * created (earlier in the same list) is linked at once.
 */
function noteDeparture(d: Draft, rec: PodRecord, observedAt: number, deletedAt?: number): void {
  if (rec.departure || rec.replacement) return;
  const departure = departureOf(rec.snapshot, { deletionRequest: rec.deletionRequest, deletedAt, seenAt: observedAt });
  if (!departure) return;
  const cur = { ...rec, departure };
  d.setPod(cur);
  // Created before its predecessor was folded: a list names pods in name order.
  for (const uid of d.firstSeen) {
    const cand = d.podMap.get(uid);
    if (!cand || cand.replaces || !isReplacement(departure, cand.snapshot)) continue;
    d.firstSeen.splice(d.firstSeen.indexOf(uid), 1);
    d.emit([replacedDraft(cur, cand.snapshot, observedAt)]);
    d.setPod({ ...cand, replaces: { uid: cur.uid, name: cur.name } });
    link(d, cur, cand);
    return;
  }
  const key = departure.controller.uid;
  // Departures the window has closed on will not be replaced (a scale-down): dropped.
  const waiting = (d.awaitingMap.get(key) ?? []).filter((uid) => {
    const dep = d.podMap.get(uid)?.departure;
    return dep !== undefined && dep.since + REPLACEMENT_WINDOW_MS >= departure.since;
  });
  d.setAwaiting(key, [...waiting.slice(-LIMITS.awaitingPerController + 1), rec.uid]);
}

/** The departed pod `snap` replaces: the earliest one of its controller that it can replace. */
function findReplaced(d: Draft, snap: PodSnapshot): PodRecord | undefined {
  const controller = controllerOf(snap);
  const waiting = controller ? d.awaitingMap.get(controller.uid) : undefined;
  if (!waiting) return undefined;
  let best: PodRecord | undefined;
  for (const uid of waiting) {
    const rec = d.podMap.get(uid);
    if (!rec?.departure || rec.replacement || !isReplacement(rec.departure, snap)) continue;
    if (!best || rec.departure.since < best.departure!.since) best = rec;
  }
  return best;
}

function link(d: Draft, old: PodRecord, next: PodRecord): void {
  const cur = d.podMap.get(old.uid) ?? old;
  d.setPod({ ...cur, replacement: { uid: next.uid, name: next.name } });
  const key = cur.departure?.controller.uid;
  if (key !== undefined)
    d.setAwaiting(
      key,
      (d.awaitingMap.get(key) ?? []).filter((uid) => uid !== old.uid),
    );
}

function replacedDraft(old: PodRecord, next: PodSnapshot, observedAt: number): DraftEvent {
  const at = next.createdAt ?? observedAt;
  const dep = old.departure!;
  return {
    ...header(old.snapshot, at),
    observedAt,
    reconstructed: at < observedAt - 1000,
    severity: 'info',
    kind: 'pod-replaced',
    replacement: next.name,
    replacementUid: next.uid,
    controller: { kind: dep.controller.kind, name: dep.controller.name },
    cause: dep.cause,
  };
}

/** The pod is gone: deleted (watch or relist) or found missing by a relist after a disconnection. */
export function markDeleted(d: Draft, rec: PodRecord, at: number, whileDisconnected: boolean): void {
  const cur = d.podMap.get(rec.uid) ?? rec;
  if (cur.deleted) return;
  const podSpans = closeSpans(cur.podSpans, at);
  d.setPod({ ...cur, deleted: true, deletedAt: at, podSpans });
  d.emit([{ ...header(rec.snapshot, at), severity: 'warning', kind: 'deleted', whileDisconnected }]);
  noteDeparture(d, d.podMap.get(rec.uid)!, at, at);
}

/** Pods the finished relist did not report were deleted while we were not watching. */
export function onRelistDone(d: Draft, seen: ReadonlySet<string>, at: number, podName?: string): void {
  for (const p of [...d.podMap.values()])
    if (!p.deleted && !p.replaced && !seen.has(p.uid) && (podName === undefined || p.name === podName)) markDeleted(d, p, at, true);
}

function updateRecord(
  prev: PodRecord | undefined,
  snap: PodSnapshot,
  events: readonly DraftEvent[],
  observedAt: number,
  life = 1,
): PodRecord {
  const containers = foldContainers(prev?.containers, snap.containers, events, observedAt);
  const state = podLaneState(snap);
  let podSpans: readonly Span[] = prev?.podSpans ?? [];
  if (!prev && snap.createdAt !== undefined && snap.createdAt < observedAt) podSpans = reconstructPodLane(snap, state, observedAt);
  podSpans = pushSpan(
    podSpans,
    { state: 'phase', label: state, from: observedAt, to: undefined, reconstructed: false },
    observedAt,
    LIMITS.podSpans,
  );
  const deleting = events.find((e) => e.kind === 'deleting');
  return {
    uid: snap.uid,
    namespace: snap.namespace,
    name: snap.name,
    life: prev?.life ?? life,
    snapshot: snap,
    firstObservedAt: prev?.firstObservedAt ?? observedAt,
    lastObservedAt: observedAt,
    deleted: prev?.deleted ?? false,
    deletedAt: prev?.deletedAt,
    deletionSeenAt: prev?.deletionSeenAt ?? (deleting ? observedAt : undefined),
    deletionRequest:
      prev?.deletionRequest ??
      (deleting?.kind === 'deleting' && deleting.deadline !== undefined
        ? { deadline: deleting.deadline, gracePeriodSeconds: deleting.gracePeriodSeconds }
        : undefined),
    replaced: prev?.replaced ?? false,
    departure: prev?.departure,
    replacement: prev?.replacement,
    replaces: prev?.replaces,
    containers,
    podSpans,
    events: prev?.events ?? NO_EVENTS,
  };
}

/**
 * The pod lane's state: the phase, with Running split by the Ready condition, and Terminating once
 * the pod is being deleted or the kubelet decided to fail it while containers still run
 * (Ready=False, reason PodFailed: the phase is held back until they stopped). Never Running for a
 * Pending pod.
 */
export function podLaneState(p: PodSnapshot): string {
  if (p.phase === 'Succeeded' || p.phase === 'Failed' || p.phase === 'Unknown') return p.phase;
  const ready = p.conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.reason === 'PodFailed') {
    // The kubelet has failed the pod and holds the phase back until its containers stopped.
    const running = p.containers.some((c) => c.status?.state?.state === 'running');
    return running || p.deletion ? 'Terminating' : 'Failed';
  }
  if (p.deletion) return 'Terminating';
  if (p.phase === 'Running') return ready?.status === 'True' ? 'Ready' : 'Running';
  return 'Pending';
}

/**
 * The pod lane before the first observation, from what the object says: Pending from creation
 * until the kubelet took the pod (status.startTime) and until its first regular container started
 * (init containers run while it is Pending); the current state since the Ready condition's last
 * transition (for a finished pod, since its last container ended, running before that). Before the
 * Ready transition, a pod now ready was not ready; otherwise what it was is gone from the API: the
 * lane says unknown. With restarts, everything between the start and the transition is unknown.
 */
function reconstructPodLane(snap: PodSnapshot, state: string, observedAt: number): Span[] {
  const created = snap.createdAt!;
  const span = (label: string, from: number, to: number): Span => ({ state: 'phase', label, from, to, reconstructed: true });
  const clamp = (t: number, lo: number): number => Math.min(Math.max(t, lo), observedAt);
  const start = snap.startTime !== undefined ? clamp(snap.startTime, created) : undefined;
  if (start === undefined || state === 'Pending') return [span('Pending', created, observedAt)];
  const out: Span[] = [span('Pending', created, start)];
  const push = (label: string, from: number, to: number): void => void (to > from && out.push(span(label, from, to)));
  const readySince = clamp(snap.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime ?? start, start);
  const regular = snap.containers.filter((c) => c.type === 'regular').map((c) => c.status?.state);
  const terminal = state === 'Succeeded' || state === 'Failed';
  const ends = regular.map((s) => s?.finishedAt).filter((t): t is number => t !== undefined);
  const endedAt = terminal && ends.length > 0 ? clamp(Math.max(...ends), readySince) : readySince;
  const restarted = snap.containers.some((c) => (c.status?.restartCount ?? 0) > 0 || c.status?.lastState?.state === 'terminated');
  if (restarted) push('Unknown', start, endedAt);
  else {
    const starts = regular.map((s) => s?.startedAt).filter((t): t is number => t !== undefined);
    const first = starts.length > 0 ? clamp(Math.min(...starts), start) : endedAt;
    push('Pending', start, Math.min(first, endedAt));
    push(state === 'Ready' ? 'Running' : 'Unknown', first, readySince);
    push('Running', Math.max(first, readySince), endedAt);
  }
  push(state, endedAt, observedAt);
  return out;
}
