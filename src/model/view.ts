// The view-model: what every view draws (the Ink UI, the text and JSON printers, future exporters).
// Derived from the model state by `toSessionView(state, now)`; plain data, no functions, no React.
// All times are epoch milliseconds; `undefined` means unknown (never invented).

import type { ConnectionState } from './observation.ts';
import type { ContainerStateName, ContainerType, EventCore, Severity } from './types.ts';

export type { ContainerStateName, ContainerType, Severity };
export type Tone = 'ok' | 'progress' | 'warn' | 'error' | 'muted';

export interface SessionView {
  readonly now: number;
  readonly source: 'cluster' | 'file' | 'replay';
  readonly connection: { readonly state: ConnectionState; readonly since: number | undefined; readonly message: string | undefined };
  /** When this session started observing (first observation); undefined for files. */
  readonly watchingSince: number | undefined;
  /**
   * Pods in display order: current lives first (by namespace/name; a pod that replaces one still
   * there right after it), then earlier lives of the same names and pods that are gone.
   */
  readonly pods: readonly PodView[];
  readonly notes: readonly NoteView[];
  /** Events about pods that were not seen (an events-only file, or a pod not listed yet). */
  readonly unattachedEvents: readonly { readonly namespace: string; readonly pod: string; readonly events: readonly EventView[] }[];
}

export interface NoteView {
  readonly level: Severity;
  readonly text: string;
  readonly at: number;
}

export interface PodView {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  /** 1 for the first life seen under this namespace/name, 2 for the next pod with the same name, ... */
  readonly life: number;
  /** False for an earlier life (deleted, then recreated under the same name) or a deleted pod. */
  readonly current: boolean;
  readonly deleted: boolean;
  readonly deletedAt: number | undefined;

  readonly phase: string;
  /** kubectl's STATUS column, exactly as `kubectl get pod` prints it. */
  readonly status: string;
  /** How STATUS reads at a glance (the views colour it). */
  readonly statusTone: Tone;
  /** kubectl's READY column, e.g. "1/2". */
  readonly ready: string;
  /** kubectl's RESTARTS column as a number (regular containers plus sidecars). */
  readonly restarts: number;
  /** kubectl's RESTARTS column as printed, e.g. "3 (5m ago)". */
  readonly restartsText: string;
  readonly statusReason: string | undefined;
  readonly statusMessage: string | undefined;
  readonly node: string | undefined;
  readonly podIP: string | undefined;
  readonly qosClass: string | undefined;
  readonly createdAt: number | undefined;
  readonly startedAt: number | undefined;
  readonly owner: { readonly kind: string; readonly name: string } | undefined;
  /** The pod its controller created in place of this one (deleted or evicted), under a new name. */
  readonly replacedBy: { readonly uid: string; readonly name: string } | undefined;
  /** The pod this one replaces (its controller created this one when that one was deleted or evicted). */
  readonly replaces: { readonly uid: string; readonly name: string } | undefined;
  readonly restartPolicy: string;
  /** Set while the pod is being deleted: the end of the grace period (deletionTimestamp) and the grace period. */
  readonly deletion: { readonly deadline: number; readonly gracePeriodSeconds: number | undefined } | undefined;
  /**
   * The pod's own clock: `now`, frozen at the deletion of a deleted life (its age, the ages of its
   * conditions and its countdowns stop there).
   */
  readonly clock: number;
  /** Set once the pod is being stopped as a whole (deleted, deadline, evicted, ...): why, and where the stop is. */
  readonly termination: PodTerminationView | undefined;

  readonly conditions: readonly ConditionView[];
  readonly containers: readonly ContainerView[];
  /** Kubernetes events about this pod (and its containers), oldest first, folded (count/series). */
  readonly events: readonly EventView[];
  /** The pod-level lane: phase and conditions over time. */
  readonly lane: LaneView;
  readonly findings: readonly FindingView[];
  /** The shared time axis of this pod's timelines. */
  readonly timeRange: { readonly from: number; readonly to: number };
  /** Observed live from this time on; before it, history was reconstructed from object timestamps. */
  readonly observedFrom: number | undefined;
  /** What the API no longer has, said rather than invented ("2 earlier restarts were not observed"). */
  readonly gaps: readonly string[];
}

/**
 * Why a whole pod is being stopped (or was): 'deletion' (the API), 'activeDeadlineSeconds',
 * 'eviction' (the kubelet under node pressure or a local storage limit, or the Eviction API),
 * 'node-shutdown', 'preemption', 'taint' (a NoExecute taint), 'pod-gc', 'job' (its Job failed and
 * the Job controller deleted it).
 */
export type PodStopCause = 'deletion' | 'activeDeadlineSeconds' | 'eviction' | 'node-shutdown' | 'preemption' | 'taint' | 'pod-gc' | 'job';

/** Where a stop is: the preStop hook runs, SIGTERM was sent, SIGKILL is due, or every container of it ended. */
export type StopStep = 'preStop' | 'sigterm' | 'sigkill' | 'ended';

export interface PodTerminationView {
  readonly cause: PodStopCause;
  /** The cause with its setting, one phrase: "activeDeadlineSeconds (15s) exceeded", "deleted", "evicted: ...". */
  readonly text: string;
  /** Each fact the cause rests on, as a short sentence naming where it came from. */
  readonly evidence: readonly string[];
  /** When it was decided: the deletion request, the DeadlineExceeded or Evicted event, ... */
  readonly decidedAt: number | undefined;
  /** The grace period the kubelet gives each container; undefined when this session cannot know it. */
  readonly gracePeriodSeconds: number | undefined;
  /** The first Killing event of the stop (else when it was decided). */
  readonly startedAt: number | undefined;
  readonly step: StopStep;
  /** When SIGTERM is (was) sent; with a preStop hook running, the latest it can be. */
  readonly sigtermAt: number | undefined;
  /** When SIGKILL is (was) due; undefined while a preStop hook runs (it depends on when the hook returns). */
  readonly sigkillAt: number | undefined;
}

/** A container being stopped by the kubelet (or stopped), from its Killing event: killContainer's steps. */
export interface StoppingView {
  /** The Killing event's message: "Stopping container app", "Container app failed liveness probe, will be restarted", ... */
  readonly message: string;
  readonly startedAt: number;
  readonly gracePeriodSeconds: number | undefined;
  /** The preStop hook's handler when one runs first. */
  readonly preStop: string | undefined;
  /** When the preStop hook is known to have ended before the grace period did (FailedPreStopHook). */
  readonly preStopEndedAt: number | undefined;
  readonly step: StopStep;
  readonly sigtermAt: number | undefined;
  readonly sigkillAt: number | undefined;
  /** SIGKILL comes the kubelet's minimum 2 s after SIGTERM because the preStop hook used the grace period. */
  readonly minimumAfterPreStop: boolean;
  /** The end of the instance, when it ended. */
  readonly endedAt: number | undefined;
}

/** A lifecycle hook believed running now (the kubelet does not report hooks: always inferred). */
export interface HookStateView {
  readonly kind: 'postStart' | 'preStop';
  readonly handler: string;
  readonly running: boolean;
  readonly inferred: true;
  readonly since: number;
}

export interface ConditionView {
  readonly type: string;
  readonly status: string; // True | False | Unknown
  readonly reason: string | undefined;
  readonly message: string | undefined;
  readonly lastTransitionTime: number | undefined;
}

export interface TerminationView {
  readonly reason: string | undefined;
  readonly exitCode: number | undefined;
  readonly signal: number | undefined;
  /** "SIGKILL" for exit 137 or signal 9, ... */
  readonly signalName: string | undefined;
  readonly message: string | undefined;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly durationMs: number | undefined;
  readonly containerID: string | undefined;
}

export interface ContainerView {
  readonly name: string;
  readonly type: ContainerType;
  readonly image: string | undefined;
  readonly state: ContainerStateName;
  /** How the current state reads at a glance (the views colour it). */
  readonly tone: Tone;
  readonly reason: string | undefined;
  readonly message: string | undefined;
  /** running.startedAt or terminated.startedAt of the current instance. */
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly exitCode: number | undefined;
  readonly signal: number | undefined;
  readonly signalName: string | undefined;
  readonly ready: boolean;
  readonly started: boolean | undefined;
  readonly restartCount: number;
  readonly containerID: string | undefined;
  readonly lastTermination: TerminationView | undefined;
  /** Every instance seen or reconstructed, oldest first; the last one is the current instance. */
  readonly instances: readonly InstanceView[];
  readonly backoff: BackoffView | undefined;
  /** A hook believed running now (postStart before the container is reported running, preStop while it is stopped). */
  readonly hook: HookStateView | undefined;
  /** The stop of the current instance, from its Killing event, while it runs and once it ended. */
  readonly stopping: StoppingView | undefined;
  readonly lane: LaneView;
  readonly spec: ContainerSpecView;
}

export interface ContainerSpecView {
  readonly command: readonly string[] | undefined;
  readonly limits: { readonly cpu: string | undefined; readonly memory: string | undefined };
  readonly requests: { readonly cpu: string | undefined; readonly memory: string | undefined };
  readonly probes: readonly ProbeView[];
  readonly hooks: readonly HookView[];
}

export interface ProbeView {
  readonly kind: 'startup' | 'liveness' | 'readiness';
  /** "httpGet /ready :8080", "exec cat /tmp/healthy", "tcpSocket :8080", "grpc :9000". */
  readonly handler: string;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

export interface HookView {
  readonly kind: 'postStart' | 'preStop';
  /** "exec sh -c sleep 5", "httpGet /shutdown :8080", "sleep 5s". */
  readonly handler: string;
}

export interface InstanceView {
  /** 0 for the first instance, restartCount for the current one. */
  readonly attempt: number;
  readonly containerID: string | undefined;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly durationMs: number | undefined;
  readonly exitCode: number | undefined;
  readonly signal: number | undefined;
  readonly signalName: string | undefined;
  readonly reason: string | undefined;
  readonly message: string | undefined;
  /** What ended it, from evidence (see InstanceCause); undefined when the evidence does not say. */
  readonly cause: InstanceCause | undefined;
  readonly causeText: string | undefined;
  readonly logTail: readonly string[] | undefined;
  readonly logNote: string | undefined;
  /** 'observed': seen live; 'api': from state/lastState of an object; 'reconstructed' with missing facts. */
  readonly source: 'observed' | 'api';
  readonly running: boolean;
}

/**
 * What ended an instance. 'exit': the process exited by itself; 'start-error': the runtime could not
 * start it; 'oom': the kernel's OOM killer; 'liveness' / 'startup': a failing probe; 'postStart': a
 * failing postStart hook; 'deletion': the pod's deletion (it exited on SIGTERM); 'grace-period':
 * SIGKILL at the end of the grace period (it did not exit on SIGTERM, or a preStop hook used it
 * up); 'active-deadline': activeDeadlineSeconds; 'eviction'; 'node-shutdown'; 'preemption';
 * 'taint'; 'pod-gc'; 'job': its Job failed (backoffLimit, activeDeadlineSeconds, podFailurePolicy);
 * 'sidecar': a sidecar stopped after the main containers ended; 'stopped': the kubelet stopped it
 * (event Killing) for a reason not seen; 'lost': the kubelet lost track of it.
 */
export type InstanceCause =
  | 'exit'
  | 'start-error'
  | 'oom'
  | 'liveness'
  | 'startup'
  | 'postStart'
  | 'deletion'
  | 'grace-period'
  | 'active-deadline'
  | 'eviction'
  | 'node-shutdown'
  | 'preemption'
  | 'taint'
  | 'pod-gc'
  | 'job'
  | 'sidecar'
  | 'stopped'
  | 'lost';

export interface BackoffView {
  readonly kind: 'crash-loop' | 'image-pull';
  /** Parsed from the kubelet's waiting message; undefined when not stated. */
  readonly delaySeconds: number | undefined;
  /** Last finishedAt + delay. */
  readonly nextAttemptAt: number | undefined;
  /** True when the delay or the base time had to be inferred. */
  readonly estimated: boolean;
  /** The attempt that comes next (restartCount + 1 for a crash loop). */
  readonly attempt: number | undefined;
  readonly message: string | undefined;
}

export interface LaneView {
  readonly segments: readonly SegmentView[];
  readonly markers: readonly MarkerView[];
}

export interface SegmentView {
  readonly from: number;
  /** undefined while ongoing (draw it up to `now`). */
  readonly to: number | undefined;
  /**
   * 'hook': a lifecycle hook believed running (label 'postStart' or 'preStop', inferred); 'stopping':
   * SIGTERM sent, SIGKILL not yet; 'unknown': history this session cannot know. On the pod lane
   * ('phase'), the label is the pod's state: Pending, Running (not ready), Ready, Terminating,
   * Succeeded, Failed, Unknown.
   */
  readonly state: 'waiting' | 'running' | 'ready' | 'terminated' | 'phase' | 'condition' | 'hook' | 'stopping' | 'unknown';
  /** "ContainerCreating", "CrashLoopBackOff", "running", "ready", "Error 1", "Pending", ... */
  readonly label: string;
  readonly tone: Tone;
  readonly reconstructed: boolean;
}

export interface MarkerView {
  readonly at: number;
  readonly kind:
    | 'restart'
    | 'start'
    | 'exit'
    | 'postStart'
    | 'preStop'
    | 'probe'
    | 'kill'
    | 'deadline'
    | 'oom'
    | 'pull'
    | 'schedule'
    | 'event'
    | 'delete';
  readonly label: string;
  readonly tone: Tone;
}

export interface EventView extends EventCore {
  /** The container the event is about (from involvedObject.fieldPath), if any. */
  readonly container: string | undefined;
}

export interface FindingView {
  readonly severity: Severity;
  readonly container: string | undefined;
  readonly title: string;
  /** Each piece of evidence the finding rests on, as a short sentence naming where it came from. */
  readonly evidence: readonly string[];
}
