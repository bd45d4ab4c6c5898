// Observations: what the sources hand to the model. Plain, serialisable values (a recording is a
// JSON-lines file of them), each stamped with `observedAt` (epoch ms) by the source that saw it.
// The model never reads the clock; it reads these stamps and the times inside the objects.

import type { EventJson, PodJson } from './kube-json.ts';
import type { WorkloadObservation } from './workload-observation.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'file';

export type Observation =
  /** A pod as listed or watched. `verb: 'list'` comes from an initial list or a relist. */
  | {
      readonly kind: 'pod';
      readonly verb: 'list' | 'added' | 'modified' | 'deleted';
      readonly observedAt: number;
      readonly object: PodJson;
    }
  /** A core/v1 (or converted events.k8s.io/v1) Event about a watched pod, or about a watched workload (owner-side events). */
  | {
      readonly kind: 'event';
      readonly verb: 'list' | 'added' | 'modified' | 'deleted';
      readonly observedAt: number;
      readonly object: EventJson;
    }
  /**
   * A Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob or ControllerRevision (the workload
   * source, src/kube/workload-source.ts), and the relist markers of those collections.
   */
  | WorkloadObservation
  /**
   * A relist finished: every pod (and event) that exists was reported with verb 'list' since the
   * matching 'relist-start'. Pods not reported were deleted while we were not watching. `podName`:
   * the relist of a watch of one pod by name (the session also watches the pod that replaced it,
   * by its own name): only pods of that name can be missing from it.
   */
  | { readonly kind: 'relist-start'; readonly resource: 'pods' | 'events'; readonly observedAt: number; readonly podName?: string }
  | { readonly kind: 'relist-done'; readonly resource: 'pods' | 'events'; readonly observedAt: number; readonly podName?: string }
  /** The tail of one container instance's log, fetched when it ended (previous) or on request. */
  | {
      readonly kind: 'logs';
      readonly observedAt: number;
      readonly podUid: string;
      readonly container: string;
      /** The instance the lines belong to: its containerID (e.g. "containerd://abc"), when known. */
      readonly containerID: string | undefined;
      readonly previous: boolean;
      readonly lines: readonly string[];
      /** Why there are no lines (e.g. "logs forbidden by RBAC", "log no longer available"). */
      readonly note: string | undefined;
    }
  /** The state of the connection to the API server. */
  | {
      readonly kind: 'connection';
      readonly observedAt: number;
      readonly state: ConnectionState;
      readonly message: string | undefined;
    }
  /** Something the user should know that is not about a pod: "events: forbidden, watching without them". */
  | {
      readonly kind: 'note';
      readonly observedAt: number;
      readonly level: 'info' | 'warning' | 'error';
      readonly text: string;
    };
