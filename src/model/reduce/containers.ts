// Folds the container events of one change into containers: every instance seen (the API keeps
// only the previous one), the spans of the container's states, the back-off delays the kubelet
// stated, the restarts missed between two observations. Reads events only, never a status.

import type { DraftEvent } from '../lifecycle-event.ts';
import type { ContainerEntry, StateFacts } from '../snapshot.ts';
import { pushSpan } from './spans.ts';
import { LIMITS, type ContainerRecord, type InstanceRecord, type Span } from './state.ts';

/** Merge an instance into the list: the same containerID, or the same attempt where one side has no ID. */
function upsertInstance(list: InstanceRecord[], inst: InstanceRecord): void {
  const i = list.findIndex(
    (x) =>
      (inst.containerID !== undefined && x.containerID === inst.containerID) ||
      (x.attempt === inst.attempt && (x.containerID === undefined || inst.containerID === undefined)),
  );
  if (i < 0) {
    list.push(inst);
    list.sort((a, b) => a.attempt - b.attempt);
    return;
  }
  const old = list[i]!;
  list[i] = {
    ...old,
    ...Object.fromEntries(Object.entries(inst).filter(([, v]) => v !== undefined)),
    source: old.source === 'observed' ? 'observed' : inst.source,
    endObservedAt: old.endObservedAt ?? inst.endObservedAt,
    logTail: old.logTail ?? inst.logTail,
    logNote: old.logNote ?? inst.logNote,
  } as InstanceRecord;
}

function instance(
  f: Pick<StateFacts, 'startedAt' | 'finishedAt' | 'exitCode' | 'signal' | 'reason' | 'message'>,
  attempt: number,
  containerID: string | undefined,
  running: boolean,
  source: InstanceRecord['source'],
  endObservedAt: number | undefined,
): InstanceRecord {
  return {
    attempt,
    containerID,
    startedAt: f.startedAt,
    finishedAt: f.finishedAt,
    exitCode: f.exitCode,
    signal: f.signal,
    reason: f.reason,
    message: f.message,
    running,
    source,
    endObservedAt,
    logTail: undefined,
    logNote: undefined,
  };
}

/** Instances still marked running that are not the current one have ended (we missed how). */
function endOthers(list: InstanceRecord[], current: { containerID: string | undefined; attempt: number } | undefined, at: number): void {
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    if (x.running && (!current || (x.containerID !== current.containerID && x.attempt < current.attempt)))
      list[i] = { ...x, running: false, endObservedAt: x.endObservedAt ?? at };
  }
}

/** The empty list every new container starts with (folds copy before they add: never written). */
const NONE: readonly never[] = Object.freeze([]);

export function emptyContainer(entry: Pick<ContainerEntry, 'name' | 'type'>): ContainerRecord {
  return {
    name: entry.name,
    type: entry.type,
    instances: NONE,
    spans: NONE,
    delays: NONE,
    missedInstances: 0,
    hook: undefined,
    hookSpans: NONE,
    occurrences: NONE,
  };
}

function foldOne(
  old: ContainerRecord | undefined,
  entry: ContainerEntry,
  events: readonly DraftEvent[],
  observedAt: number,
): ContainerRecord {
  const base: ContainerRecord = old ?? emptyContainer(entry);
  const instances = [...base.instances];
  let spans = base.spans;
  let delays = base.delays;
  let missed = base.missedInstances;
  // One state event per change (running, terminated, waiting or unknown) moves the lane.
  const moveLane = (span: Span | undefined, closeAt: number): void => {
    spans = pushSpan(spans, span, span?.from ?? closeAt, LIMITS.spans);
  };
  for (const e of events) {
    switch (e.kind) {
      case 'container-terminated': {
        const t = e.termination;
        if (!e.current) {
          // The previous instance, as lastState tells it.
          if (e.attempt >= 0) {
            const seen = instances.some((x) => x.containerID === t.containerID && x.source === 'observed');
            upsertInstance(
              instances,
              instance(t, e.attempt, t.containerID, false, seen ? 'observed' : 'api', e.firstSight ? undefined : observedAt),
            );
          }
          break;
        }
        upsertInstance(
          instances,
          instance(t, e.attempt, t.containerID, false, e.firstSight ? 'api' : 'observed', e.firstSight ? undefined : observedAt),
        );
        endOthers(instances, undefined, observedAt);
        const s = e.span!;
        const lastFrom = base.spans.at(-1)?.from ?? s.from;
        moveLane({ ...s, to: undefined, from: e.firstSight ? s.from : Math.min(observedAt, Math.max(s.from, lastFrom)) }, observedAt);
        break;
      }
      case 'container-running': {
        if (!e.current) break; // the start of the previous instance: its termination carries its facts
        const facts = {
          startedAt: e.startedAt,
          finishedAt: undefined,
          exitCode: undefined,
          signal: undefined,
          reason: undefined,
          message: undefined,
        };
        upsertInstance(instances, instance(facts, e.attempt, e.containerID, true, e.firstSight ? 'api' : 'observed', undefined));
        endOthers(instances, { containerID: e.containerID, attempt: e.attempt }, observedAt);
        // Running but not ready: the previous state ended when this instance started.
        moveLane(e.span && { ...e.span, to: undefined }, e.startedAt !== undefined && e.startedAt <= observedAt ? e.startedAt : observedAt);
        break;
      }
      case 'container-waiting':
      case 'container-unknown':
        endOthers(instances, undefined, observedAt);
        moveLane(e.span && { ...e.span, to: undefined }, observedAt);
        break;
      case 'history-unknown':
        // Before what the object still tells: the lane says unknown there.
        if (spans.length === 0) spans = [{ state: 'unknown', label: 'unknown', from: e.from, to: e.to, reconstructed: true }];
        break;
      case 'container-restarted':
        missed += e.missed;
        break;
      case 'backoff': {
        const lastD = delays.at(-1);
        if (!lastD || lastD.seconds !== e.delaySeconds || (e.lastFinishedAt !== undefined && lastD.at < e.lastFinishedAt))
          delays = [...delays, { seconds: e.delaySeconds, at: observedAt }].slice(-LIMITS.delays);
        break;
      }
      default:
        break;
    }
  }
  while (instances.length > LIMITS.instances) instances.shift();
  const same =
    old !== undefined &&
    spans === base.spans &&
    delays === base.delays &&
    missed === base.missedInstances &&
    instances.length === base.instances.length &&
    instances.every((x, i) => x === base.instances[i]);
  if (same) return old;
  return { ...base, type: entry.type, instances, spans, delays, missedInstances: missed };
}

/** The containers after one change: a record for every container the snapshot names, each folded with its events. */
export function foldContainers(
  prev: ReadonlyMap<string, ContainerRecord> | undefined,
  entries: readonly ContainerEntry[],
  events: readonly DraftEvent[],
  observedAt: number,
): Map<string, ContainerRecord> {
  const byContainer = new Map<string, DraftEvent[]>();
  for (const e of events) {
    if (e.container === undefined) continue;
    const list = byContainer.get(e.container);
    if (list) list.push(e);
    else byContainer.set(e.container, [e]);
  }
  const containers = new Map(prev ?? []);
  for (const entry of entries) {
    const old = containers.get(entry.name);
    const next = foldOne(old, entry, byContainer.get(entry.name) ?? [], observedAt);
    if (next !== old) containers.set(entry.name, next);
  }
  return containers;
}
