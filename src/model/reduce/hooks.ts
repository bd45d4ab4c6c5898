// What the kubelet does without reporting it while it does it, inferred from its Events beside the
// container's status and spec (docs/lifecycle-facts.md §1-§2):
//
// - A postStart hook runs after the process started (event Started) and before the kubelet writes
//   any new status: the container still reads `waiting` (ContainerCreating on a first start) until
//   the hook returns (kuberuntime_container.go startContainer; kubelet.go SyncPod computes the API
//   status before the runtime's SyncPod, which is busy in the hook). So a Started event the status
//   does not account for, with a postStart hook in the spec, is a hook running.
// - A preStop hook runs first when the kubelet stops a container (event Killing, killContainer).
//
// Each change of belief becomes a lifecycle event (hook-started / hook-finished) and a lane span.
// The Events' occurrences (Started, Killing, Failed*Hook) are kept per container with their times:
// an Event object folds repeats into a count and keeps only its first and last time.

import type { DraftEvent } from '../lifecycle-event.ts';
import type { ContainerEntry } from '../snapshot.ts';
import { handlerText } from '../spec-describe.ts';
import { deletionRequestedAt, gracePeriodFor, podStopOf } from '../termination.ts';
import { closeSpans } from './spans.ts';
import {
  LIMITS,
  ownerKey,
  type ContainerRecord,
  type Draft,
  type EventRecord,
  type Occurrence,
  type PodRecord,
  type Span,
} from './state.ts';

/** The Events whose every occurrence the timeline needs. */
export const TIMED_REASONS: ReadonlySet<string> = new Set(['Started', 'Killing', 'FailedPostStartHook', 'FailedPreStopHook']);

function countOf(events: Iterable<EventRecord>, container: string, reason: string): { count: number; lastAt: number | undefined } {
  let count = 0;
  let lastAt: number | undefined;
  for (const e of events) {
    if (e.container !== container || e.reason !== reason) continue;
    count += e.count;
    if (e.lastAt !== undefined && (lastAt === undefined || e.lastAt > lastAt)) lastAt = e.lastAt;
  }
  return { count, lastAt };
}

/**
 * Since when a postStart hook is running, or undefined. Counting decides: the status accounts for
 * restartCount + 1 started instances once it shows one; a Started event counted beyond those (and
 * beyond the hook failures) is an instance started since, whose hook has not returned yet.
 */
export function postStartRunningSince(entry: ContainerEntry, events: Iterable<EventRecord>, deleted: boolean): number | undefined {
  if (deleted || !entry.spec?.hooks.some((h) => h.kind === 'postStart')) return undefined;
  const s = entry.status;
  if (s?.state !== undefined && s.state.state !== 'waiting') return undefined;
  const started = countOf(events, entry.name, 'Started');
  if (started.count === 0 || started.lastAt === undefined) return undefined;
  const shown = s && (s.lastState?.state === 'terminated' || s.containerID !== undefined) ? s.restartCount + 1 : 0;
  const failed = countOf(events, entry.name, 'FailedPostStartHook').count;
  return started.count > Math.max(shown, failed) ? started.lastAt : undefined;
}

function header(pod: PodRecord, container: string, at: number, observedAt: number) {
  return {
    at,
    observedAt,
    reconstructed: at < pod.firstObservedAt,
    podUid: pod.uid,
    namespace: pod.namespace,
    pod: pod.name,
    container,
    severity: 'info' as const,
    reason: undefined,
    containerID: undefined,
    exitCode: undefined,
  };
}

/** Re-evaluates the postStart beliefs of a pod's containers after a fold; emits and records each change. */
export function inferHooks(d: Draft, pod: PodRecord, observedAt: number): void {
  let containers: Map<string, ContainerRecord> | undefined;
  const drafts: DraftEvent[] = [];
  for (const entry of pod.snapshot.containers) {
    const c = (containers ?? pod.containers).get(entry.name);
    if (!c) continue;
    const since = postStartRunningSince(entry, pod.events.values(), pod.deleted);
    const was = c.hook;
    if (since === was?.since) continue;
    const handler = handlerText(entry.spec?.hooks.find((h) => h.kind === 'postStart')?.handler ?? { kind: 'unknown' });
    let hookSpans = c.hookSpans;
    if (was) {
      const failed = countOf(pod.events.values(), entry.name, 'FailedPostStartHook');
      const state = entry.status?.state?.state;
      const outcome = state === 'running' ? 'running' : failed.count > 0 && (failed.lastAt ?? 0) >= was.since ? 'failed' : 'ended';
      const end = outcome === 'failed' ? Math.min(observedAt, Math.max(was.since, failed.lastAt ?? observedAt)) : observedAt;
      hookSpans = closeSpans(hookSpans, end);
      drafts.push({
        ...header(pod, entry.name, end, observedAt),
        severity: outcome === 'failed' ? 'warning' : 'info',
        kind: 'hook-finished',
        hook: 'postStart',
        handler,
        since: was.since,
        outcome,
      });
    }
    if (since !== undefined) {
      hookSpans = closeSpans(hookSpans, since);
      const open: Span = { state: 'hook', label: 'postStart', from: since, to: undefined, reconstructed: since < pod.firstObservedAt };
      hookSpans = [...hookSpans, open].slice(-LIMITS.hookSpans);
      drafts.push({
        ...header(pod, entry.name, since, observedAt),
        kind: 'hook-started',
        hook: 'postStart',
        handler,
        since,
        graceDeadline: undefined,
      });
    }
    containers ??= new Map(pod.containers);
    containers.set(entry.name, { ...c, hook: since !== undefined ? { kind: 'postStart', since } : undefined, hookSpans });
  }
  if (!containers) return;
  d.setPod({ ...pod, containers });
  d.emit(drafts);
}

/**
 * Keeps the occurrence of a timed Event (new, or its count grew) on its container, and says when a
 * Killing starts a preStop hook. `old`: the same Event as known before.
 */
export function recordOccurrence(d: Draft, pod: PodRecord, e: EventRecord, old: EventRecord | undefined): void {
  if (e.container === undefined || !TIMED_REASONS.has(e.reason) || e.lastAt === undefined) return;
  const c = pod.containers.get(e.container);
  if (!c) return;
  if (old && old.count >= e.count && old.lastAt === e.lastAt) return;
  const times = old === undefined && e.count > 1 && e.firstAt !== undefined && e.firstAt !== e.lastAt ? [e.firstAt, e.lastAt] : [e.lastAt];
  const fresh: Occurrence[] = times
    .filter((at) => !c.occurrences.some((o) => o.reason === e.reason && o.at === at))
    .map((at) => ({ reason: e.reason, at, message: e.message }));
  if (fresh.length === 0) return;
  const occurrences = [...c.occurrences, ...fresh].sort((a, b) => a.at - b.at).slice(-LIMITS.occurrences);
  const containers = new Map(pod.containers);
  containers.set(c.name, { ...c, occurrences });
  d.setPod({ ...pod, containers });
  if (e.reason !== 'Killing') return;
  const entry = pod.snapshot.containers.find((x) => x.name === c.name);
  const preStop = entry?.spec?.hooks.find((h) => h.kind === 'preStop');
  const grace = preStop ? killingGrace(d, pod, e) : undefined;
  if (!preStop || grace === 0) return;
  d.emit([
    {
      ...header(pod, c.name, e.lastAt, e.observedAt),
      kind: 'hook-started',
      hook: 'preStop',
      handler: handlerText(preStop.handler),
      since: e.lastAt,
      graceDeadline: grace !== undefined ? e.lastAt + grace * 1000 : undefined,
    },
  ]);
}

/** The grace period of the stop a Killing event begins (as the view computes it). */
function killingGrace(d: Draft, pod: PodRecord, e: EventRecord): number | undefined {
  const snap = pod.snapshot;
  const owner = snap.owner;
  const stop = podStopOf({
    snapshot: snap,
    deletionRequest: pod.deletionRequest,
    deletionRequestedAt: deletionRequestedAt(pod.deletionRequest, pod.deletionSeenAt),
    events: [...pod.events.values()].sort((a, b) => (a.lastAt ?? a.observedAt) - (b.lastAt ?? b.observedAt)),
    ownerEvents: owner ? (d.ownerEventsMap.get(ownerKey(snap.namespace, owner.kind, owner.name)) ?? []) : [],
  });
  const inStop = stop !== undefined && (stop.decidedAt === undefined || (e.lastAt ?? 0) >= stop.decidedAt - 3000);
  const deletionGrace = pod.deletionRequest?.gracePeriodSeconds ?? snap.deletion?.gracePeriodSeconds;
  return gracePeriodFor(snap, inStop ? stop : undefined, inStop ? deletionGrace : undefined, e.container ?? '', e.message);
}
