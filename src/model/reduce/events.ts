// Folds Kubernetes Events into the pods they are about (by UID, else the current life of the
// name). Events that arrive before their pod wait, bounded, until it appears.

import type { DraftEvent } from '../lifecycle-event.ts';
import { eventFacts, podKey } from '../snapshot.ts';
import { inferHooks, recordOccurrence } from './hooks.ts';
import { LIMITS, ownerKey, type Draft, type EventRecord, type PodRecord } from './state.ts';

export function eventDraft(pod: PodRecord, e: EventRecord): DraftEvent {
  return {
    at: e.lastAt ?? e.observedAt,
    observedAt: e.observedAt,
    reconstructed: (e.lastAt ?? e.observedAt) < pod.firstObservedAt,
    podUid: pod.uid,
    namespace: pod.namespace,
    pod: pod.name,
    container: e.container,
    severity: e.type === 'Warning' ? 'warning' : 'info',
    reason: e.reason,
    containerID: undefined,
    exitCode: undefined,
    kind: 'event',
    eventType: e.type,
    message: e.message,
    count: e.count,
    firstAt: e.firstAt,
    lastAt: e.lastAt,
  };
}

export function onEvent(d: Draft, object: unknown, observedAt: number): void {
  const f = eventFacts(object, observedAt);
  if (f.about?.kind === 'Job') return onOwnerEvent(d, { ...f, observedAt }, ownerKey(f.namespace, f.about.kind, f.about.name));
  if (f.podName === undefined) return;
  const rec: EventRecord = { ...f, observedAt };
  const key = podKey(f.namespace, f.podName);
  const lives = d.livesMap.get(key) ?? [];
  let pod: PodRecord | undefined;
  if (f.podUid) pod = d.podMap.get(f.podUid);
  if (!pod && !f.podUid && lives.length > 0) pod = d.podMap.get(lives[lives.length - 1]!);
  if (!pod) {
    // Not seen yet (or a life we never saw): keep it in case the pod appears.
    const list = [...(d.pendingMap.get(key) ?? []).filter((x) => x.key !== rec.key), rec];
    d.setPending(key, list.slice(-LIMITS.eventsPerPod));
    return;
  }
  const old = pod.events.get(rec.key);
  if (old && old.count === rec.count && old.lastAt === rec.lastAt && old.message === rec.message) return;
  const events = new Map(pod.events);
  events.set(rec.key, old ? { ...rec, observedAt: old.observedAt } : rec);
  if (events.size > LIMITS.eventsPerPod) {
    const oldest = [...events.values()].sort((a, b) => (a.lastAt ?? 0) - (b.lastAt ?? 0))[0];
    if (oldest) events.delete(oldest.key);
  }
  const next = { ...pod, events };
  d.setPod(next);
  d.emit([eventDraft(next, rec)]);
  recordOccurrence(d, next, events.get(rec.key)!, old);
  inferHooks(d, d.podMap.get(next.uid)!, observedAt);
}

/** An event about a pod's owner (a Job), kept for the pods it owns: bounded, the newest version of each. */
function onOwnerEvent(d: Draft, rec: EventRecord, key: string): void {
  const list = d.ownerEventsMap.get(key) ?? [];
  const old = list.find((x) => x.key === rec.key);
  if (old && old.count === rec.count && old.lastAt === rec.lastAt && old.message === rec.message) return;
  d.setOwnerEvents(key, [...list.filter((x) => x.key !== rec.key), rec].slice(-LIMITS.ownerEvents));
}
