// The reducer: (state, observations) -> state. Pure and deterministic. Pods fold in pods.ts (their
// containers and instances in containers.ts, from the events of diff-pod.ts), Kubernetes Events in
// events.ts, log tails in logs.ts. Histories are bounded. Unchanged inputs return the same state.

import type { LifecycleEvent } from '../lifecycle-event.ts';
import type { Observation } from '../observation.ts';
import { onEvent } from './events.ts';
import { onLogs } from './logs.ts';
import { onPod, onRelistDone } from './pods.ts';
import { Draft, LIMITS, type ModelState } from './state.ts';
import {
  isWorkloadEvent,
  isWorkloadResource,
  onWorkload,
  onWorkloadEvent,
  onWorkloadRelistDone,
  onWorkloadRelistStart,
} from './workloads.ts';

export { initialState, LIMITS } from './state.ts';
export type {
  ContainerRecord,
  EventRecord,
  InstanceRecord,
  ModelState,
  NoteRecord,
  PodLink,
  PodRecord,
  Span,
  WorkloadEventRecord,
  WorkloadRecord,
} from './state.ts';

export function lastSeq(state: ModelState): number {
  return state.seq;
}

/** Lifecycle events with seq greater than `seq`, oldest first. */
export function eventsSince(state: ModelState, seq: number): readonly LifecycleEvent[] {
  return state.log.since(seq);
}

export function reduce(state: ModelState, observations: readonly Observation[]): ModelState {
  const d = new Draft(state);
  for (const o of observations) {
    if (d.lastObservedAt === undefined || o.observedAt > d.lastObservedAt) d.lastObservedAt = o.observedAt;
    switch (o.kind) {
      case 'pod':
        onPod(d, o.verb, o.object, o.observedAt);
        break;
      case 'event':
        // Events about workloads (owner-side) go to the workloads; about pods, to the pods.
        if (o.verb === 'deleted') break;
        // A Job's events also explain its pods' ends (backoffLimit, podFailurePolicy): onEvent keeps
        // those as the pods' owner events and ignores other owner-side events.
        if (isWorkloadEvent(o.object)) onWorkloadEvent(d, o.object, o.observedAt);
        onEvent(d, o.object, o.observedAt);
        break;
      case 'workload':
        onWorkload(d, o.verb, o.object, o.observedAt);
        break;
      case 'relist-start':
        if (o.resource === 'pods') {
          d.relistPods = new Set();
          d.relistPodName = 'podName' in o ? o.podName : undefined;
          d.changed = true;
        } else if (isWorkloadResource(o.resource)) onWorkloadRelistStart(d, o.resource);
        break;
      case 'relist-done':
        if (isWorkloadResource(o.resource)) onWorkloadRelistDone(d, o.resource);
        else if (o.resource === 'pods' && d.relistPods) {
          const seen = d.relistPods;
          const name = d.relistPodName;
          d.relistPods = undefined;
          d.relistPodName = undefined;
          d.changed = true;
          onRelistDone(d, seen, o.observedAt, name);
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
  return d.finish();
}
