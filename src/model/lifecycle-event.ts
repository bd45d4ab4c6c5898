// Lifecycle events: what changed, one fact each, derived by diff-pod.ts from two snapshots of the
// same pod (by UID) or from an Event. The text printer prints one line per lifecycle event; the
// composition root reacts to 'container-terminated' by fetching that instance's log tail.

import type { Severity } from './view.ts';

export type LifecycleEventKind =
  | 'pod-seen' // first observation of a pod (live or from a file)
  | 'pod-created' // metadata.creationTimestamp (reconstructed)
  | 'new-life' // a pod with a new UID under a namespace/name seen before
  | 'scheduled'
  | 'phase'
  | 'condition'
  | 'status-reason' // status.reason appeared or changed (Evicted, OutOfcpu, ...)
  | 'deleting' // deletionTimestamp set
  | 'deleted'
  | 'container-waiting'
  | 'container-running'
  | 'container-started' // started became true (startup probe passed, or none)
  | 'container-ready'
  | 'container-not-ready'
  | 'container-terminated'
  | 'container-restarted' // a new containerID or a higher restartCount
  | 'backoff' // a new back-off delay reported by the kubelet
  | 'event' // a Kubernetes Event (new, or its count grew)
  | 'logs'; // a log tail was attached to an instance

export interface LifecycleEvent {
  /** Increasing number within one model state; printers print events with seq above the last printed. */
  readonly seq: number;
  /** When it happened: an authoritative object time where there is one, else observedAt. */
  readonly at: number;
  readonly observedAt: number;
  /** True when `at` comes from an object's timestamp for something that happened before we watched. */
  readonly reconstructed: boolean;
  readonly podUid: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string | undefined;
  readonly kind: LifecycleEventKind;
  readonly severity: Severity;
  /** One human line without the pod/container prefix: "terminated: Error, exit 1 (ran 2s)". */
  readonly text: string;
  readonly reason: string | undefined;
  readonly containerID: string | undefined;
  readonly exitCode: number | undefined;
}
