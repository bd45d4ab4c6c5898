// The observations the workload source (src/kube/workload-source.ts) hands to the model: the owner
// object (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) and its children
// (ReplicaSets, ControllerRevisions, Jobs) as listed or watched, plus the relist markers of those
// collections. Plain, serialisable values stamped with `observedAt` (epoch ms) by the source, like
// every other Observation.
//
// Part of the `Observation` union (observation.ts); folded by src/model/reduce/workloads.ts.
// The owner-side Events (ScalingReplicaSet, FailedCreate, ...) travel as ordinary
// `{ kind: 'event' }` observations; their relists are marked with resource 'workload-events' so that
// they never end the relist of the pod events (resource 'events').

import type { WorkloadJson } from './workload.ts';

/** The collections the workload source lists and watches, named as the API names them. */
export type WorkloadResource =
  | 'deployments'
  | 'replicasets'
  | 'statefulsets'
  | 'daemonsets'
  | 'jobs'
  | 'cronjobs'
  | 'controllerrevisions'
  /** The owner-side Events: about the owner and its ReplicaSets / ControllerRevisions / Jobs. */
  | 'workload-events';

export type WorkloadObservation =
  /** A workload object as listed or watched. `verb: 'list'` comes from an initial list or a relist. */
  | {
      readonly kind: 'workload';
      readonly verb: 'list' | 'added' | 'modified' | 'deleted';
      readonly observedAt: number;
      /** The wire object, with `kind` and `apiVersion` set (list items lack them on the wire; the source stamps them). */
      readonly object: WorkloadJson;
    }
  /**
   * A relist of one collection: every object of it that exists was reported with verb 'list'
   * between 'relist-start' and 'relist-done'; objects not reported were deleted meanwhile.
   * Same shape as the pod/event relist markers, with a wider `resource`.
   */
  | { readonly kind: 'relist-start'; readonly resource: WorkloadResource; readonly observedAt: number }
  | { readonly kind: 'relist-done'; readonly resource: WorkloadResource; readonly observedAt: number };
