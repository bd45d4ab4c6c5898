// Lifecycle events: what changed, one fact each, as structured values. diff-pod.ts derives the
// pod and container ones from two snapshots of the same pod (by UID), the reducer adds the ones
// about observations (first sight, a new life, deletion, Events, log tails). The reducer folds
// them into instances, spans and back-off state; the log keeps those a person reads (the text
// printer prints one line per event, through lifecycleText); the composition root reacts to
// 'container-terminated' by fetching that instance's log tail. No English here.

import type { StateFacts } from './snapshot.ts';
import type { Severity } from './types.ts';

export type LifecycleEventKind = LifecycleDetail['kind'];

/** A lane segment of a container, from evidence: the state it is in, and since when. */
export interface SpanFacts {
  readonly state: 'waiting' | 'ready' | 'terminated';
  /** "ContainerCreating", "CrashLoopBackOff", "ready", "Error 1", ... */
  readonly label: string;
  readonly from: number;
  /** True when `from` comes from an object's timestamp before this session saw the state. */
  readonly reconstructed: boolean;
}

/** What the container-state events carry for the reducer besides the fact itself. */
interface ContainerState {
  /** The first snapshot that shows this container (or the pod): its past is reconstructed. */
  readonly firstSight: boolean;
  /** The lane segment this state opens (none for a container running but not ready). */
  readonly span: SpanFacts | undefined;
}

export type LifecycleDetail =
  /** First observation of a pod, live or from a file: the kubectl columns as they read then. */
  | {
      readonly kind: 'pod-seen';
      readonly asSaved: boolean;
      readonly status: string;
      readonly ready: string;
      readonly restarts: number;
      readonly phase: string | undefined;
    }
  /** metadata.creationTimestamp (reconstructed). */
  | { readonly kind: 'pod-created'; readonly owner: { readonly kind: string; readonly name: string } | undefined }
  /** A pod with a new UID under a namespace/name seen before. */
  | { readonly kind: 'new-life'; readonly life: number; readonly previousUid: string }
  | { readonly kind: 'scheduled'; readonly node: string | undefined }
  | { readonly kind: 'phase'; readonly from: string | undefined; readonly to: string }
  | { readonly kind: 'condition'; readonly conditionType: string; readonly status: string; readonly message: string | undefined }
  /** status.reason appeared or changed (Evicted, OutOfcpu, ...); the reason is the event's reason. */
  | { readonly kind: 'status-reason'; readonly message: string | undefined }
  /** deletionTimestamp set: the SIGKILL deadline and the grace period. */
  | { readonly kind: 'deleting'; readonly deadline: number | undefined; readonly gracePeriodSeconds: number | undefined }
  | { readonly kind: 'deleted'; readonly whileDisconnected: boolean }
  /**
   * On a pod that departed (deleted, evicted): its controller created `replacement` in its place
   * (replacement.ts). `at` is the replacement's creationTimestamp.
   */
  | {
      readonly kind: 'pod-replaced';
      readonly replacement: string;
      readonly replacementUid: string;
      readonly controller: { readonly kind: string; readonly name: string };
      readonly cause: 'deletion' | 'eviction';
    }
  /** The container waits; the reason is the event's reason. */
  | ({ readonly kind: 'container-waiting'; readonly message: string | undefined } & ContainerState)
  /**
   * An instance runs. `current`: the container's current instance (its facts are folded into the
   * instances); otherwise the start of the previous instance, reconstructed from lastState.
   */
  | ({
      readonly kind: 'container-running';
      readonly attempt: number;
      readonly current: boolean;
      /** The runtime's start of the process (the event itself is stamped when the API reported it running). */
      readonly startedAt: number | undefined;
      readonly ready: boolean;
    } & ContainerState)
  /** An instance ended: `current` (state.terminated) or the previous one (lastState.terminated). */
  | ({
      readonly kind: 'container-terminated';
      readonly attempt: number;
      readonly current: boolean;
      readonly termination: StateFacts;
    } & ContainerState)
  /** The status names no state: what the container does is unknown. Never logged. */
  | ({ readonly kind: 'container-unknown' } & ContainerState)
  /** started became true (startup probe passed, or none). */
  | { readonly kind: 'container-started' }
  | { readonly kind: 'container-ready' }
  | { readonly kind: 'container-not-ready' }
  /** A new containerID or a higher restartCount; `missed`: restarts between two observations. */
  | { readonly kind: 'container-restarted'; readonly restartCount: number; readonly missed: number }
  /** The crash-loop back-off delay the kubelet stated, counted from the last instance's finishedAt. */
  | { readonly kind: 'backoff'; readonly delaySeconds: number; readonly lastFinishedAt: number | undefined }
  /** A Kubernetes Event (new, or its count grew); the reason is the event's reason. */
  | {
      readonly kind: 'event';
      readonly eventType: string;
      readonly message: string;
      readonly count: number;
      readonly firstAt: number | undefined;
      readonly lastAt: number | undefined;
    }
  /**
   * What a container went through before this session saw it that the API no longer has (earlier
   * instances ended before watching began): the lane shows it as unknown. Never logged.
   */
  | { readonly kind: 'history-unknown'; readonly from: number; readonly to: number }
  /**
   * A lifecycle hook believed running, inferred (the kubelet does not report hooks): a postStart
   * hook from the Started event while the status still says waiting; a preStop hook from the
   * Killing event. `since` is the event's time; `graceDeadline` (preStop) the latest SIGTERM.
   */
  | {
      readonly kind: 'hook-started';
      readonly hook: 'postStart' | 'preStop';
      readonly handler: string;
      readonly since: number;
      readonly graceDeadline: number | undefined;
    }
  /**
   * A postStart hook believed running is over: the container is reported running ('running'), the
   * hook failed (FailedPostStartHook, 'failed'), or the container or pod ended first ('ended').
   */
  | {
      readonly kind: 'hook-finished';
      readonly hook: 'postStart';
      readonly handler: string;
      readonly since: number;
      readonly outcome: 'running' | 'failed' | 'ended';
    }
  /** A log tail was attached to an instance. */
  | { readonly kind: 'logs'; readonly attempt: number; readonly lines: number; readonly note: string | undefined };

export interface LifecycleHeader {
  /** When it happened: an authoritative object time where there is one, else observedAt. */
  readonly at: number;
  readonly observedAt: number;
  /** True when `at` comes from an object's timestamp for something that happened before we watched. */
  readonly reconstructed: boolean;
  readonly podUid: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string | undefined;
  readonly severity: Severity;
  /** The reason, containerID and exit code the event is about, where it has one. */
  readonly reason: string | undefined;
  readonly containerID: string | undefined;
  readonly exitCode: number | undefined;
}

/** An event before it is numbered. `quiet`: a fact for the reducer that says nothing new to a person (not logged). */
export type DraftEvent = LifecycleHeader & LifecycleDetail & { readonly quiet?: boolean };

export type LifecycleEvent = DraftEvent & {
  /** Increasing number within one model state; printers print events with seq above the last printed. */
  readonly seq: number;
};
