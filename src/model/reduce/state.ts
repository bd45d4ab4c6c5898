// The model state and its records: what the reducer keeps per pod, container, instance and event.
// Immutable; a reduce call works on a Draft (copy-on-write maps) and freezes it into a new state.

import type { DraftEvent, LifecycleEvent } from '../lifecycle-event.ts';
import type { ConnectionState } from '../observation.ts';
import type { Departure } from '../replacement.ts';
import type { EventFacts, PodSnapshot } from '../snapshot.ts';
import type { ContainerType, Severity } from '../types.ts';
import type { WorkloadEvent, WorkloadSnapshot } from '../workload.ts';
import { ChunkedMap } from './chunked-map.ts';
import { EventLog } from './event-log.ts';

export const LIMITS = {
  log: 20_000,
  instances: 200,
  spans: 400,
  podSpans: 200,
  eventsPerPod: 500,
  ownerEvents: 50,
  pendingEvents: 2_000,
  notes: 50,
  awaitingPerController: 1_000,
  delays: 100,
  occurrences: 200,
  hookSpans: 100,
  workloads: 2_000,
  workloadEvents: 2_000,
} as const;

/** The key of a pod owner's events in ModelState.ownerEvents. */
export function ownerKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

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
  /** 'hook': a postStart hook believed running (label 'postStart'); 'unknown': history the API no longer has. */
  readonly state: 'waiting' | 'ready' | 'terminated' | 'phase' | 'hook' | 'unknown';
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
  /** Instances this session knows were missed (restartCount jumped by more than one). */
  readonly missedInstances: number;
  /** The postStart hook believed running now (inferred: see reduce/hooks.ts), since the Started event. */
  readonly hook: { readonly kind: 'postStart'; readonly since: number } | undefined;
  /** The times postStart hooks were believed running, oldest first (lane segments). */
  readonly hookSpans: readonly Span[];
  /**
   * Each occurrence of the Events that time a container's start and stop (Started, Killing,
   * FailedPostStartHook, FailedPreStopHook) as the session saw them happen: an Event folds repeats
   * into one object with a count, this keeps every time seen. Oldest first, bounded.
   */
  readonly occurrences: readonly Occurrence[];
}

export interface Occurrence {
  readonly reason: string;
  readonly at: number;
  readonly message: string;
}

export interface EventRecord extends EventFacts {
  readonly observedAt: number;
}

export interface PodRecord {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly life: number;
  /** The pod as last observed, normalised (no raw object is kept). */
  readonly snapshot: PodSnapshot;
  readonly firstObservedAt: number;
  readonly lastObservedAt: number;
  readonly deleted: boolean;
  readonly deletedAt: number | undefined;
  readonly deletionSeenAt: number | undefined;
  /** The deletion as first requested: the kubelet later shrinks the grace period to 0 to finish it. */
  readonly deletionRequest: { readonly deadline: number; readonly gracePeriodSeconds: number | undefined } | undefined;
  /** An earlier life: a newer pod took its name. */
  readonly replaced: boolean;
  /** It stopped counting for its controller (deleted, evicted): see replacement.ts. */
  readonly departure: Departure | undefined;
  /** The pod its controller created in its place under a new name. */
  readonly replacement: PodLink | undefined;
  /** The departed pod this one replaces. */
  readonly replaces: PodLink | undefined;
  readonly containers: ReadonlyMap<string, ContainerRecord>;
  readonly podSpans: readonly Span[];
  readonly events: ReadonlyMap<string, EventRecord>;
}

export interface PodLink {
  readonly uid: string;
  readonly name: string;
}

export interface NoteRecord {
  readonly level: Severity;
  readonly text: string;
  readonly at: number;
}

/** A workload object (the owner of a rollout and its ReplicaSets / ControllerRevisions / Jobs) as last seen. */
export interface WorkloadRecord {
  readonly snapshot: WorkloadSnapshot;
  readonly firstObservedAt: number;
  readonly lastObservedAt: number;
  /** workloadSeq when it last changed. */
  readonly seq: number;
}

/** An Event about a workload object (owner-side: ScalingReplicaSet, FailedCreate, ...). */
export interface WorkloadEventRecord extends WorkloadEvent {
  readonly observedAt: number;
  /** workloadSeq when it was added or its count / message changed: printers print those above the last printed. */
  readonly seq: number;
}

export interface ModelState {
  readonly source: 'cluster' | 'file' | 'replay';
  readonly seq: number;
  /** The lifecycle events in seq order, the newest LIMITS.log at least (event-log.ts). */
  readonly log: EventLog;
  readonly pods: ReadonlyMap<string, PodRecord>;
  /** namespace/name -> UIDs in the order their lives were seen. */
  readonly lives: ReadonlyMap<string, readonly string[]>;
  readonly pendingEvents: ReadonlyMap<string, readonly EventRecord[]>;
  /**
   * Events about the objects that own pods ("namespace/Job/name" -> its events): a Job's Warning
   * BackoffLimitExceeded / DeadlineExceeded / PodFailurePolicy is why its controller deletes the pods.
   */
  readonly ownerEvents: ReadonlyMap<string, readonly EventRecord[]>;
  readonly connection: { readonly state: ConnectionState; readonly since: number | undefined; readonly message: string | undefined };
  readonly watchingSince: number | undefined;
  readonly lastObservedAt: number | undefined;
  readonly notes: readonly NoteRecord[];
  readonly relistPods: ReadonlySet<string> | undefined;
  /** The name a pods relist in progress covers (a watch of one pod by name), undefined: every pod. */
  readonly relistPodName: string | undefined;
  /** Departed pods whose replacement has not been seen, by their controller's uid. */
  readonly awaitingReplacement: ReadonlyMap<string, readonly string[]>;
  /** Workload objects by uid (reduce/workloads.ts). */
  readonly workloads: ReadonlyMap<string, WorkloadRecord>;
  /** Owner-side Events by key, bounded. */
  readonly workloadEvents: ReadonlyMap<string, WorkloadEventRecord>;
  /** Increases whenever a workload or an owner-side event changes. */
  readonly workloadSeq: number;
  /** Workload collections being relisted: the uids reported so far, per collection. */
  readonly relistWorkloads: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  /** The workload kinds whose collection was listed (or an object of which was seen): a workload missing from a listed kind is gone, not on its way. */
  readonly workloadKindsListed: ReadonlySet<string>;
}

export function initialState(options: { source: ModelState['source'] }): ModelState {
  return {
    source: options.source,
    seq: 0,
    log: EventLog.empty,
    pods: ChunkedMap.empty(),
    lives: ChunkedMap.empty(),
    pendingEvents: new Map(),
    ownerEvents: new Map(),
    connection: { state: options.source === 'file' ? 'file' : 'connecting', since: undefined, message: undefined },
    watchingSince: undefined,
    lastObservedAt: undefined,
    notes: [],
    relistPods: undefined,
    relistPodName: undefined,
    awaitingReplacement: new Map(),
    workloads: new Map(),
    workloadEvents: new Map(),
    workloadSeq: 0,
    relistWorkloads: undefined,
    workloadKindsListed: new Set(),
  };
}

/** A mutable working copy for one reduce call; copied-on-write maps, frozen into a new state at the end. */
export class Draft {
  seq: number;
  /** Events logged by this reduce, appended to the base's log at the end. */
  logged: LifecycleEvent[] | undefined;
  /** Drafts of the base's maps (chunked-map.ts: a change copies one chunk, not the map). */
  pods: ChunkedMap<PodRecord> | undefined;
  lives: ChunkedMap<readonly string[]> | undefined;
  pendingEvents: Map<string, readonly EventRecord[]> | undefined;
  ownerEvents: Map<string, readonly EventRecord[]> | undefined;
  connection: ModelState['connection'];
  watchingSince: number | undefined;
  lastObservedAt: number | undefined;
  notes: NoteRecord[] | undefined;
  relistPods: Set<string> | undefined;
  relistPodName: string | undefined;
  awaitingReplacement: Map<string, readonly string[]> | undefined;
  /** Pods with a controller first seen in this reduce call (a list can name a replacement before the pod it replaces). */
  readonly firstSeen: string[] = [];
  workloads: Map<string, WorkloadRecord> | undefined;
  workloadEvents: Map<string, WorkloadEventRecord> | undefined;
  workloadSeq: number;
  relistWorkloads: Map<string, Set<string>> | undefined;
  workloadKindsListed: Set<string> | undefined;
  changed = false;

  constructor(readonly base: ModelState) {
    this.seq = base.seq;
    this.connection = base.connection;
    this.watchingSince = base.watchingSince;
    this.lastObservedAt = base.lastObservedAt;
    this.relistPods = base.relistPods ? new Set(base.relistPods) : undefined;
    this.relistPodName = base.relistPodName;
    this.workloadSeq = base.workloadSeq;
    this.relistWorkloads = base.relistWorkloads ? new Map([...base.relistWorkloads].map(([k, v]) => [k, new Set(v)])) : undefined;
  }
  get workloadMap(): ReadonlyMap<string, WorkloadRecord> {
    return this.workloads ?? this.base.workloads;
  }
  get workloadEventMap(): ReadonlyMap<string, WorkloadEventRecord> {
    return this.workloadEvents ?? this.base.workloadEvents;
  }
  listedKind(kind: string): void {
    if ((this.workloadKindsListed ?? this.base.workloadKindsListed).has(kind)) return;
    this.workloadKindsListed ??= new Set(this.base.workloadKindsListed);
    this.workloadKindsListed.add(kind);
    this.changed = true;
  }
  get awaitingMap(): ReadonlyMap<string, readonly string[]> {
    return this.awaitingReplacement ?? this.base.awaitingReplacement;
  }
  setAwaiting(controllerUid: string, podUids: readonly string[]): void {
    this.awaitingReplacement ??= new Map(this.base.awaitingReplacement);
    if (podUids.length > 0) this.awaitingReplacement.set(controllerUid, podUids);
    else this.awaitingReplacement.delete(controllerUid);
    this.changed = true;
  }
  get podMap(): ReadonlyMap<string, PodRecord> {
    return this.pods ?? this.base.pods;
  }
  get livesMap(): ReadonlyMap<string, readonly string[]> {
    return this.lives ?? this.base.lives;
  }
  get pendingMap(): ReadonlyMap<string, readonly EventRecord[]> {
    return this.pendingEvents ?? this.base.pendingEvents;
  }
  get ownerEventsMap(): ReadonlyMap<string, readonly EventRecord[]> {
    return this.ownerEvents ?? this.base.ownerEvents;
  }
  setOwnerEvents(key: string, events: readonly EventRecord[]): void {
    this.ownerEvents ??= new Map(this.base.ownerEvents);
    this.ownerEvents.set(key, events);
    this.changed = true;
  }
  setPod(p: PodRecord): void {
    this.pods ??= ChunkedMap.from(this.base.pods).edit();
    this.pods.set(p.uid, p);
    this.changed = true;
  }
  setLives(key: string, uids: readonly string[]): void {
    this.lives ??= ChunkedMap.from(this.base.lives).edit();
    this.lives.set(key, uids);
    this.changed = true;
  }
  setPending(key: string, events: readonly EventRecord[]): void {
    this.pendingEvents ??= new Map(this.base.pendingEvents);
    if (events.length > 0) this.pendingEvents.set(key, events);
    else this.pendingEvents.delete(key);
    this.changed = true;
  }
  /** Append events to the log (quiet ones are never logged). */
  emit(events: readonly DraftEvent[]): void {
    let any = false;
    for (const e of events) {
      if (e.quiet) continue;
      (this.logged ??= []).push({ ...e, seq: ++this.seq });
      any = true;
    }
    if (any) this.changed = true;
  }
  finish(): ModelState {
    if (!this.changed) return this.base;
    const log = this.logged ? this.base.log.append(this.logged, LIMITS.log) : this.base.log;
    return {
      source: this.base.source,
      seq: this.seq,
      log,
      pods: this.pods?.freeze() ?? this.base.pods,
      lives: this.lives?.freeze() ?? this.base.lives,
      pendingEvents: this.pendingEvents ?? this.base.pendingEvents,
      ownerEvents: this.ownerEvents ?? this.base.ownerEvents,
      connection: this.connection,
      watchingSince: this.watchingSince,
      lastObservedAt: this.lastObservedAt,
      notes: this.notes ?? this.base.notes,
      relistPods: this.relistPods,
      relistPodName: this.relistPodName,
      awaitingReplacement: this.awaitingReplacement ?? this.base.awaitingReplacement,
      workloads: this.workloads ?? this.base.workloads,
      workloadEvents: this.workloadEvents ?? this.base.workloadEvents,
      workloadSeq: this.workloadSeq,
      relistWorkloads: this.relistWorkloads,
      workloadKindsListed: this.workloadKindsListed ?? this.base.workloadKindsListed,
    };
  }
}
