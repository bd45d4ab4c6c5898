// The reducer: (state, observations) -> state. Pure and deterministic; pods are keyed by UID, so a
// pod recreated under the same name is a new life. Each container keeps every instance seen (the
// API keeps only the previous one), the spans of its states, and the back-off delays the kubelet
// stated. Histories are bounded. Unchanged inputs return the same state object.

import { diffPod, type DraftEvent } from './diff-pod.ts';
import type { PodJson } from './kube-json.ts';
import type { LifecycleEvent } from './lifecycle-event.ts';
import type { ConnectionState, Observation } from './observation.ts';
import { parseBackoffDelay } from './backoff.ts';
import { podColumns } from './pod-status.ts';
import { containerEntries, eventFacts, podIdentity, podKey, stateFacts, type EventFacts } from './snapshot.ts';
import { parseTime } from './time.ts';
import type { ContainerType, NoteView } from './view.ts';

export const LIMITS = {
  log: 20_000,
  instances: 200,
  spans: 400,
  podSpans: 200,
  eventsPerPod: 500,
  pendingEvents: 2_000,
  notes: 50,
} as const;

export interface InstanceRecord {
  readonly attempt: number;
  readonly containerID: string | undefined;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly exitCode: number | undefined;
  readonly signal: number | undefined;
  readonly reason: string | undefined;
  readonly message: string | undefined;
  readonly running: boolean;
  /** 'observed': this session saw it live; 'api': known only from an object's state/lastState. */
  readonly source: 'observed' | 'api';
  /** When this session first saw the instance end. */
  readonly endObservedAt: number | undefined;
  readonly logTail: readonly string[] | undefined;
  readonly logNote: string | undefined;
}

export interface Span {
  readonly state: 'waiting' | 'ready' | 'terminated' | 'phase';
  readonly label: string;
  readonly from: number;
  readonly to: number | undefined;
  readonly reconstructed: boolean;
}

export interface ContainerRecord {
  readonly name: string;
  readonly type: ContainerType;
  readonly instances: readonly InstanceRecord[];
  readonly spans: readonly Span[];
  /** Back-off delays stated by the kubelet, oldest first, with the observation time. */
  readonly delays: readonly { readonly seconds: number; readonly at: number }[];
  /** restartCount when this session first saw the container (earlier instances are gone from the API). */
  readonly firstRestartCount: number;
  /** Instances this session knows were missed (restartCount jumped by more than one). */
  readonly missedInstances: number;
}

export interface EventRecord extends EventFacts {
  readonly observedAt: number;
}

export interface PodRecord {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly life: number;
  readonly object: PodJson;
  readonly firstObservedAt: number;
  readonly lastObservedAt: number;
  readonly deleted: boolean;
  readonly deletedAt: number | undefined;
  readonly deletionSeenAt: number | undefined;
  /** The deletion as first requested: the kubelet later shrinks the grace period to 0 to finish it. */
  readonly deletionRequest: { readonly deadline: number; readonly gracePeriodSeconds: number | undefined } | undefined;
  readonly replaced: boolean;
  readonly containers: ReadonlyMap<string, ContainerRecord>;
  readonly podSpans: readonly Span[];
  readonly events: ReadonlyMap<string, EventRecord>;
}

export interface ModelState {
  readonly source: 'cluster' | 'file' | 'replay';
  readonly seq: number;
  readonly log: readonly LifecycleEvent[];
  readonly pods: ReadonlyMap<string, PodRecord>;
  /** namespace/name -> UIDs in the order their lives were seen. */
  readonly lives: ReadonlyMap<string, readonly string[]>;
  readonly pendingEvents: ReadonlyMap<string, readonly EventRecord[]>;
  readonly connection: { readonly state: ConnectionState; readonly since: number | undefined; readonly message: string | undefined };
  readonly watchingSince: number | undefined;
  readonly lastObservedAt: number | undefined;
  readonly notes: readonly NoteView[];
  readonly relistPods: ReadonlySet<string> | undefined;
}

export function initialState(options: { source: ModelState['source'] }): ModelState {
  return {
    source: options.source,
    seq: 0,
    log: [],
    pods: new Map(),
    lives: new Map(),
    pendingEvents: new Map(),
    connection: { state: options.source === 'file' ? 'file' : 'connecting', since: undefined, message: undefined },
    watchingSince: undefined,
    lastObservedAt: undefined,
    notes: [],
    relistPods: undefined,
  };
}

export function lastSeq(state: ModelState): number {
  return state.seq;
}

/** Lifecycle events with seq greater than `seq`, oldest first. */
export function eventsSince(state: ModelState, seq: number): readonly LifecycleEvent[] {
  const log = state.log;
  if (log.length === 0 || log[log.length - 1]!.seq <= seq) return [];
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return log.slice(lo);
}

/** A mutable working copy for one reduce call; copied-on-write maps, frozen into a new state at the end. */
class Draft {
  seq: number;
  log: LifecycleEvent[] | undefined;
  pods: Map<string, PodRecord> | undefined;
  lives: Map<string, readonly string[]> | undefined;
  pendingEvents: Map<string, readonly EventRecord[]> | undefined;
  connection: ModelState['connection'];
  watchingSince: number | undefined;
  lastObservedAt: number | undefined;
  notes: NoteView[] | undefined;
  relistPods: Set<string> | undefined;
  relistChanged = false;
  changed = false;

  constructor(readonly base: ModelState) {
    this.seq = base.seq;
    this.connection = base.connection;
    this.watchingSince = base.watchingSince;
    this.lastObservedAt = base.lastObservedAt;
    this.relistPods = base.relistPods ? new Set(base.relistPods) : undefined;
  }
  get podMap(): ReadonlyMap<string, PodRecord> {
    return this.pods ?? this.base.pods;
  }
  setPod(p: PodRecord): void {
    this.pods ??= new Map(this.base.pods);
    this.pods.set(p.uid, p);
    this.changed = true;
  }
  emit(events: readonly DraftEvent[]): void {
    if (events.length === 0) return;
    this.log ??= [...this.base.log];
    for (const e of events) this.log.push({ ...e, seq: ++this.seq });
    this.changed = true;
  }
  finish(): ModelState {
    if (!this.changed) return this.base;
    let log = this.log ?? this.base.log;
    if (log.length > LIMITS.log) log = log.slice(log.length - LIMITS.log);
    return {
      source: this.base.source,
      seq: this.seq,
      log,
      pods: this.pods ?? this.base.pods,
      lives: this.lives ?? this.base.lives,
      pendingEvents: this.pendingEvents ?? this.base.pendingEvents,
      connection: this.connection,
      watchingSince: this.watchingSince,
      lastObservedAt: this.lastObservedAt,
      notes: this.notes ?? this.base.notes,
      relistPods: this.relistPods,
    };
  }
}

export function reduce(state: ModelState, observations: readonly Observation[]): ModelState {
  const d = new Draft(state);
  for (const o of observations) {
    if (d.lastObservedAt === undefined || o.observedAt > d.lastObservedAt) {
      d.lastObservedAt = o.observedAt;
    }
    switch (o.kind) {
      case 'pod':
        onPod(d, o.verb, o.object, o.observedAt);
        break;
      case 'event':
        if (o.verb !== 'deleted') onEvent(d, o.object, o.observedAt);
        break;
      case 'relist-start':
        if (o.resource === 'pods') {
          d.relistPods = new Set();
          d.changed = true;
        }
        break;
      case 'relist-done':
        if (o.resource === 'pods' && d.relistPods) {
          const seen = d.relistPods;
          d.relistPods = undefined;
          d.changed = true;
          for (const p of [...d.podMap.values()]) {
            if (!p.deleted && !p.replaced && !seen.has(p.uid)) markDeleted(d, p, o.observedAt, 'deleted while the watch was disconnected');
          }
        }
        break;
      case 'logs':
        onLogs(d, o);
        break;
      case 'connection':
        if (o.state !== d.connection.state || o.message !== d.connection.message) {
          d.connection = { state: o.state, since: o.state !== d.connection.state ? o.observedAt : d.connection.since, message: o.message };
          d.changed = true;
        }
        break;
      case 'note':
        d.notes ??= [...state.notes];
        if (!d.notes.some((n) => n.text === o.text)) {
          d.notes.push({
            level: o.level === 'error' ? 'error' : o.level === 'warning' ? 'warning' : 'info',
            text: o.text,
            at: o.observedAt,
          });
          if (d.notes.length > LIMITS.notes) d.notes.shift();
          d.changed = true;
        }
        break;
    }
  }
  // The model's "observed since" point: the first live observation of a pod.
  return d.finish();
}

function onPod(d: Draft, verb: 'list' | 'added' | 'modified' | 'deleted', object: PodJson, observedAt: number): void {
  const id = podIdentity(object);
  if (d.relistPods && verb === 'list') d.relistPods.add(id.uid);
  if (d.watchingSince === undefined && d.base.source !== 'file') {
    d.watchingSince = observedAt;
    d.changed = true;
  }
  const existing = d.podMap.get(id.uid);
  if (existing) {
    if (existing.deleted && verb !== 'deleted') return; // a late event about a deleted pod
    const sameVersion =
      existing.object.metadata.resourceVersion !== undefined &&
      existing.object.metadata.resourceVersion === object.metadata.resourceVersion;
    let rec = existing;
    if (!sameVersion) {
      const events = diffPod(existing.object, object, observedAt);
      d.emit(events);
      rec = updateRecord(existing, object, observedAt, false);
    }
    if (verb === 'deleted') {
      d.setPod(rec);
      markDeleted(d, rec, observedAt, 'deleted');
    } else if (rec !== existing) d.setPod(rec);
    return;
  }
  // A new UID: a first sight, possibly a new life of a name seen before.
  const key = podKey(id.namespace, id.name);
  const lives = (d.lives ?? d.base.lives).get(key) ?? [];
  d.lives ??= new Map(d.base.lives);
  d.lives.set(key, [...lives, id.uid]);
  const life = lives.length + 1;
  const drafts = diffPod(undefined, object, observedAt);
  if (lives.length > 0) {
    const prevUid = lives[lives.length - 1]!;
    const prev = d.podMap.get(prevUid);
    if (prev && !prev.replaced) d.setPod({ ...prev, replaced: true });
    drafts.unshift({
      at: parseTime(object.metadata.creationTimestamp) ?? observedAt,
      observedAt,
      reconstructed: false,
      podUid: id.uid,
      namespace: id.namespace,
      pod: id.name,
      container: undefined,
      kind: 'new-life',
      severity: 'warning',
      text: `new pod under the same name (life ${life}, uid ${id.uid}); the previous life was uid ${prevUid}`,
      reason: undefined,
      containerID: undefined,
      exitCode: undefined,
    });
  }
  let rec = updateRecord(undefined, object, observedAt, true, life);
  // Events that arrived before their pod.
  const pending = (d.pendingEvents ?? d.base.pendingEvents).get(key);
  if (pending) {
    const mine = pending.filter((e) => e.podUid === undefined || e.podUid === id.uid);
    if (mine.length > 0) {
      const events = new Map(rec.events);
      for (const e of mine) events.set(e.key, e);
      rec = { ...rec, events };
      for (const e of mine) drafts.push(eventDraft(rec, e));
    }
    d.pendingEvents ??= new Map(d.base.pendingEvents);
    const rest = pending.filter((e) => !mine.includes(e));
    if (rest.length > 0) d.pendingEvents.set(key, rest);
    else d.pendingEvents.delete(key);
  }
  drafts.sort((a, b) => a.at - b.at);
  const cols = podColumns(object, observedAt);
  drafts.push({
    at: observedAt,
    observedAt,
    reconstructed: false,
    podUid: id.uid,
    namespace: id.namespace,
    pod: id.name,
    container: undefined,
    kind: 'pod-seen',
    severity: 'info',
    text: `${d.base.source === 'file' ? 'as saved' : 'watching'}: STATUS ${cols.status}, READY ${cols.ready}, RESTARTS ${cols.restarts}, phase ${object.status?.phase ?? 'unknown'}`,
    reason: undefined,
    containerID: undefined,
    exitCode: undefined,
  });
  d.emit(drafts);
  d.setPod(rec);
  if (verb === 'deleted') markDeleted(d, rec, observedAt, 'deleted');
}

function markDeleted(d: Draft, rec: PodRecord, at: number, text: string): void {
  const cur = d.podMap.get(rec.uid) ?? rec;
  if (cur.deleted) return;
  const podSpans = closeSpans(cur.podSpans, at);
  d.setPod({ ...cur, deleted: true, deletedAt: at, podSpans });
  d.emit([
    {
      at,
      observedAt: at,
      reconstructed: false,
      podUid: rec.uid,
      namespace: rec.namespace,
      pod: rec.name,
      container: undefined,
      kind: 'deleted',
      severity: 'warning',
      text,
      reason: undefined,
      containerID: undefined,
      exitCode: undefined,
    },
  ]);
}

function closeSpans(spans: readonly Span[], at: number): readonly Span[] {
  const last = spans.at(-1);
  if (!last || last.to !== undefined) return spans;
  return [...spans.slice(0, -1), { ...last, to: Math.max(at, last.from) }];
}

/** Push a span if it differs from the open one; closing the open one. */
function pushSpan(spans: readonly Span[], next: Span | undefined, at: number, limit: number): readonly Span[] {
  const open = spans.at(-1);
  if (next && open && open.to === undefined && open.state === next.state && open.label === next.label) return spans;
  if (!next && (!open || open.to !== undefined)) return spans;
  let out =
    open && open.to === undefined
      ? [...spans.slice(0, -1), { ...open, to: Math.max(open.from, Math.min(at, next?.from ?? at)) }]
      : [...spans];
  if (next) out.push({ ...next, from: open && next.from < open.from ? Math.max(open.from, next.from) : next.from });
  if (out.length > limit) out = out.slice(out.length - limit);
  return out;
}

function updateRecord(prev: PodRecord | undefined, object: PodJson, observedAt: number, first: boolean, life = 1): PodRecord {
  const id = podIdentity(object);
  const containers = new Map(prev?.containers ?? []);
  for (const e of containerEntries(object)) {
    const old = containers.get(e.name);
    const next = updateContainer(old, e.name, e.type, e.status, object, observedAt, first || old === undefined);
    if (next !== old) containers.set(e.name, next);
  }
  const status = podColumns(object, observedAt).status;
  const created = parseTime(object.metadata.creationTimestamp);
  let podSpans: readonly Span[] = prev?.podSpans ?? [];
  if (first && created !== undefined && created < observedAt) {
    // Before the first observation only the phase history is known: Pending from creation until
    // the pod started (status.startTime), then the phase it is in now.
    const phase = object.status?.phase ?? 'Pending';
    const started = parseTime(object.status?.startTime);
    const pendingUntil = phase === 'Pending' ? observedAt : Math.min(started ?? created, observedAt);
    const rebuilt: Span[] = [{ state: 'phase', label: 'Pending', from: created, to: pendingUntil, reconstructed: true }];
    if (phase !== 'Pending' && pendingUntil < observedAt)
      rebuilt.push({ state: 'phase', label: phase, from: pendingUntil, to: observedAt, reconstructed: true });
    podSpans = rebuilt;
  }
  const span: Span = { state: 'phase', label: status, from: observedAt, to: undefined, reconstructed: false };
  podSpans = pushSpan(podSpans, span, observedAt, LIMITS.podSpans);
  return {
    uid: id.uid,
    namespace: id.namespace,
    name: id.name,
    life: prev?.life ?? life,
    object,
    firstObservedAt: prev?.firstObservedAt ?? observedAt,
    lastObservedAt: observedAt,
    deleted: prev?.deleted ?? false,
    deletedAt: prev?.deletedAt,
    deletionSeenAt: prev?.deletionSeenAt ?? (object.metadata.deletionTimestamp ? observedAt : undefined),
    deletionRequest:
      prev?.deletionRequest ??
      (object.metadata.deletionTimestamp && parseTime(object.metadata.deletionTimestamp) !== undefined
        ? {
            deadline: parseTime(object.metadata.deletionTimestamp)!,
            gracePeriodSeconds: object.metadata.deletionGracePeriodSeconds ?? undefined,
          }
        : undefined),
    replaced: prev?.replaced ?? false,
    containers,
    podSpans,
    events: prev?.events ?? new Map(),
  };
}

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

function updateContainer(
  old: ContainerRecord | undefined,
  name: string,
  type: ContainerType,
  s: import('./kube-json.ts').ContainerStatusJson | undefined,
  pod: PodJson,
  observedAt: number,
  first: boolean,
): ContainerRecord {
  const base: ContainerRecord = old ?? {
    name,
    type,
    instances: [],
    spans: [],
    delays: [],
    firstRestartCount: s?.restartCount ?? 0,
    missedInstances: 0,
  };
  if (!s) return old ?? base;
  const cur = stateFacts(s.state);
  const last = stateFacts(s.lastState);
  const rc = s.restartCount ?? 0;
  const source: InstanceRecord['source'] = first ? 'api' : 'observed';
  const instances = [...base.instances];
  const mk = (f: NonNullable<typeof cur>, attempt: number, id: string | undefined, running: boolean): InstanceRecord => ({
    attempt,
    containerID: id,
    startedAt: f.startedAt,
    finishedAt: f.finishedAt,
    exitCode: f.exitCode,
    signal: f.signal,
    reason: f.reason,
    message: f.message,
    running,
    source: running || first ? source : 'observed',
    endObservedAt: running ? undefined : observedAt,
    logTail: undefined,
    logNote: undefined,
  });
  if (last?.state === 'terminated') {
    const attempt = cur?.state === 'waiting' ? rc : rc - 1;
    if (attempt >= 0)
      upsertInstance(instances, {
        ...mk(last, attempt, last.containerID, false),
        source: instances.some((x) => x.containerID === last.containerID && x.source === 'observed') ? 'observed' : 'api',
        endObservedAt: first ? undefined : observedAt,
      });
  }
  if (cur?.state === 'running') upsertInstance(instances, mk(cur, rc, s.containerID || undefined, true));
  if (cur?.state === 'terminated')
    upsertInstance(instances, {
      ...mk(cur, rc, cur.containerID ?? (s.containerID || undefined), false),
      endObservedAt: first ? undefined : observedAt,
    });
  // Instances still marked running that are not the current one have ended (we missed how).
  const currentID = cur?.state === 'running' ? s.containerID || undefined : undefined;
  for (let i = 0; i < instances.length; i++) {
    const x = instances[i]!;
    if (x.running && (cur?.state !== 'running' || (x.containerID !== currentID && x.attempt < rc)))
      instances[i] = { ...x, running: false, endObservedAt: x.endObservedAt ?? observedAt };
  }
  while (instances.length > LIMITS.instances) instances.shift();

  const prevRc = old ? (old.instances.at(-1)?.attempt ?? base.firstRestartCount) : rc;
  const missed = old && rc - prevRc > 1 ? base.missedInstances + (rc - prevRc - 1) : base.missedInstances;

  // The span of the current state.
  let span: Span | undefined;
  if (cur?.state === 'waiting') {
    const afterExit = last?.finishedAt;
    const from = first
      ? (afterExit ?? parseTime(pod.status?.startTime) ?? observedAt)
      : cur.reason === 'CrashLoopBackOff' && afterExit !== undefined && afterExit <= observedAt
        ? afterExit
        : observedAt;
    span = {
      state: 'waiting',
      label: cur.reason ?? 'Waiting',
      from: Math.min(from, observedAt),
      to: undefined,
      reconstructed: first && from < observedAt,
    };
  } else if (cur?.state === 'running' && s.ready) {
    let from = observedAt;
    if (first) {
      const cond = (pod.status?.conditions ?? []).find((c) => c.type === 'ContainersReady' && c.status === 'True');
      from = parseTime(cond?.lastTransitionTime) ?? cur.startedAt ?? observedAt;
      if (cur.startedAt !== undefined && from < cur.startedAt) from = cur.startedAt;
    }
    span = { state: 'ready', label: 'ready', from: Math.min(from, observedAt), to: undefined, reconstructed: first && from < observedAt };
  } else if (cur?.state === 'terminated') {
    const from = cur.finishedAt ?? observedAt;
    span = {
      state: 'terminated',
      label: `${cur.reason ?? 'exit'}${cur.exitCode !== undefined ? ` ${cur.exitCode}` : ''}`,
      from: first ? from : Math.min(observedAt, Math.max(from, base.spans.at(-1)?.from ?? from)),
      to: undefined,
      reconstructed: first,
    };
  }
  const closeAt =
    cur?.state === 'running' && !s.ready
      ? cur.startedAt !== undefined && cur.startedAt <= observedAt
        ? cur.startedAt
        : observedAt
      : observedAt;
  const spans = pushSpan(base.spans, span, span?.from ?? closeAt, LIMITS.spans);

  let delays = base.delays;
  if (cur?.state === 'waiting' && cur.reason === 'CrashLoopBackOff') {
    const dsec = parseBackoffDelay(cur.message);
    const lastD = delays.at(-1);
    if (dsec !== undefined && (!lastD || lastD.seconds !== dsec || (last?.finishedAt !== undefined && lastD.at < last.finishedAt)))
      delays = [...delays, { seconds: dsec, at: observedAt }].slice(-100);
  }
  const same =
    old !== undefined &&
    spans === base.spans &&
    delays === base.delays &&
    missed === base.missedInstances &&
    instances.length === base.instances.length &&
    instances.every((x, i) => x === base.instances[i]);
  if (same) return old;
  return { ...base, type, instances, spans, delays, missedInstances: missed };
}

function eventDraft(pod: PodRecord, e: EventRecord): DraftEvent {
  const count =
    e.count > 1
      ? ` (x${e.count}${e.firstAt !== undefined && e.lastAt !== undefined && e.lastAt > e.firstAt ? ` over ${Math.round((e.lastAt - e.firstAt) / 1000)}s` : ''})`
      : '';
  return {
    at: e.lastAt ?? e.observedAt,
    observedAt: e.observedAt,
    reconstructed: (e.lastAt ?? e.observedAt) < pod.firstObservedAt,
    podUid: pod.uid,
    namespace: pod.namespace,
    pod: pod.name,
    container: e.container,
    kind: 'event',
    severity: e.type === 'Warning' ? 'warning' : 'info',
    text: `${e.type} ${e.reason}: ${e.message}${count}`,
    reason: e.reason,
    containerID: undefined,
    exitCode: undefined,
  };
}

function onEvent(d: Draft, object: import('./kube-json.ts').EventJson, observedAt: number): void {
  const f = eventFacts(object);
  if (f.podName === undefined) return;
  const rec: EventRecord = { ...f, observedAt };
  const key = podKey(f.namespace, f.podName);
  const lives = (d.lives ?? d.base.lives).get(key) ?? [];
  let pod: PodRecord | undefined;
  if (f.podUid) pod = d.podMap.get(f.podUid);
  if (!pod && !f.podUid && lives.length > 0) pod = d.podMap.get(lives[lives.length - 1]!);
  if (!pod) {
    if (f.podUid && lives.length > 0 && !lives.includes(f.podUid)) {
      // About a life we never saw (before the current one): keep it pending in case it appears.
    }
    d.pendingEvents ??= new Map(d.base.pendingEvents);
    const list = [...(d.pendingEvents.get(key) ?? []).filter((x) => x.key !== rec.key), rec];
    d.pendingEvents.set(key, list.slice(-LIMITS.eventsPerPod));
    d.changed = true;
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
}

function onLogs(d: Draft, o: Extract<Observation, { kind: 'logs' }>): void {
  const pod = d.podMap.get(o.podUid);
  const c = pod?.containers.get(o.container);
  if (!pod || !c) return;
  const instances = [...c.instances];
  let i = o.containerID !== undefined ? instances.findIndex((x) => x.containerID === o.containerID) : -1;
  if (i < 0) {
    if (o.previous) {
      for (let j = instances.length - 1; j >= 0; j--)
        if (!instances[j]!.running) {
          i = j;
          break;
        }
    } else i = instances.length - 1;
  }
  const inst = instances[i];
  if (!inst) return;
  if (inst.logTail && inst.logTail.length === o.lines.length && inst.logTail.every((l, k) => l === o.lines[k])) return;
  instances[i] = { ...inst, logTail: o.lines, logNote: o.note };
  const containers = new Map(pod.containers);
  containers.set(c.name, { ...c, instances });
  d.setPod({ ...pod, containers });
  d.emit([
    {
      at: o.observedAt,
      observedAt: o.observedAt,
      reconstructed: false,
      podUid: pod.uid,
      namespace: pod.namespace,
      pod: pod.name,
      container: c.name,
      kind: 'logs',
      severity: 'info',
      text:
        o.lines.length > 0
          ? `log tail of instance ${inst.attempt} (${o.lines.length} line${o.lines.length === 1 ? '' : 's'})`
          : `no log lines for instance ${inst.attempt}${o.note ? `: ${o.note}` : ''}`,
      reason: undefined,
      containerID: inst.containerID,
      exitCode: undefined,
    },
  ]);
}
