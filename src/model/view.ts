// The view-model: what every view draws (the Ink UI, the text and JSON printers, future exporters).
// Derived from the model state by `toSessionView(state, now)`; plain data, no functions, no React.
// All times are epoch milliseconds; `undefined` means unknown (never invented).

import type { ConnectionState } from './observation.ts';
import type { ContainerStateName, ContainerType, Severity } from './types.ts';

export type { ContainerStateName, ContainerType, Severity };
export type Tone = 'ok' | 'progress' | 'warn' | 'error' | 'muted';

export interface SessionView {
  readonly now: number;
  readonly source: 'cluster' | 'file' | 'replay';
  readonly connection: { readonly state: ConnectionState; readonly since: number | undefined; readonly message: string | undefined };
  /** When this session started observing (first observation); undefined for files. */
  readonly watchingSince: number | undefined;
  /** Pods in display order: current lives first (by namespace/name), then earlier lives of the same names. */
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
  readonly restartPolicy: string;
  /** Set while the pod is being deleted: the SIGKILL deadline and the grace period. */
  readonly deletion: { readonly deadline: number; readonly gracePeriodSeconds: number | undefined } | undefined;

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
  /** What ended it, from evidence: 'liveness' (Killing after Unhealthy), 'postStart', 'deletion', 'eviction', 'oom', ... */
  readonly cause: string | undefined;
  readonly causeText: string | undefined;
  readonly logTail: readonly string[] | undefined;
  readonly logNote: string | undefined;
  /** 'observed': seen live; 'api': from state/lastState of an object; 'reconstructed' with missing facts. */
  readonly source: 'observed' | 'api';
  readonly running: boolean;
}

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
  readonly state: 'waiting' | 'running' | 'ready' | 'terminated' | 'phase' | 'condition';
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

export interface EventView {
  /** Stable identity: the Event's uid (or namespace/name). */
  readonly key: string;
  readonly type: string; // Normal | Warning
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly firstAt: number | undefined;
  readonly lastAt: number | undefined;
  /** The container the event is about (from involvedObject.fieldPath), if any. */
  readonly container: string | undefined;
  readonly source: string | undefined;
}

export interface FindingView {
  readonly severity: Severity;
  readonly container: string | undefined;
  readonly title: string;
  /** Each piece of evidence the finding rests on, as a short sentence naming where it came from. */
  readonly evidence: readonly string[];
}
