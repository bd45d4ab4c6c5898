// Folds workload observations (the owner of a rollout and its ReplicaSets, ControllerRevisions and
// Jobs) and the Events about them (owner-side events: ScalingReplicaSet, FailedCreate,
// ProgressDeadlineExceeded, BackoffLimitExceeded, ...). Each object is read once (workload.ts) and
// kept as a small snapshot by uid; a deletion removes it; a relist removes what it did not report.
// Unchanged objects (same resourceVersion) and unchanged events (same count, time and message)
// change nothing, so the state stays the same object.

import type { WorkloadResource } from '../workload-observation.ts';
import { readWorkload, readWorkloadEvent, WORKLOAD_KINDS, type WorkloadKind } from '../workload.ts';
import { LIMITS, type Draft, type WorkloadEventRecord, type WorkloadRecord } from './state.ts';

/** The kind a workload collection holds (undefined for the owner-side events). */
export const RESOURCE_KIND: Readonly<Record<WorkloadResource, WorkloadKind | undefined>> = {
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  controllerrevisions: 'ControllerRevision',
  'workload-events': undefined,
};

export function isWorkloadResource(resource: string): resource is WorkloadResource {
  return resource in RESOURCE_KIND;
}

const KINDS: ReadonlySet<string> = new Set(WORKLOAD_KINDS);

/** Is this Event about a workload object (rather than a pod, a node, ...)? */
export function isWorkloadEvent(object: unknown): boolean {
  const io = (object as { involvedObject?: { kind?: unknown } } | null | undefined)?.involvedObject;
  return typeof io?.kind === 'string' && KINDS.has(io.kind);
}

function setWorkload(d: Draft, uid: string, rec: WorkloadRecord | undefined): void {
  d.workloads ??= new Map(d.base.workloads);
  if (rec) d.workloads.set(uid, rec);
  else d.workloads.delete(uid);
  d.changed = true;
}

export function onWorkload(d: Draft, verb: 'list' | 'added' | 'modified' | 'deleted', object: unknown, observedAt: number): void {
  const w = readWorkload(object);
  if (!w) return;
  d.listedKind(w.kind);
  if (verb === 'list' && d.relistWorkloads) {
    for (const [resource, seen] of d.relistWorkloads) if (RESOURCE_KIND[resource as WorkloadResource] === w.kind) seen.add(w.uid);
  }
  const existing = d.workloadMap.get(w.uid);
  if (verb === 'deleted') {
    if (existing) {
      d.workloadSeq++;
      setWorkload(d, w.uid, undefined);
    }
    return;
  }
  if (existing && existing.snapshot.resourceVersion !== undefined && existing.snapshot.resourceVersion === w.resourceVersion) return;
  d.workloadSeq++;
  setWorkload(d, w.uid, {
    snapshot: w,
    firstObservedAt: existing?.firstObservedAt ?? observedAt,
    lastObservedAt: observedAt,
    seq: d.workloadSeq,
  });
  // Bounded: a namespace with thousands of old ReplicaSets keeps the newest ones.
  const map = d.workloadMap;
  if (map.size > LIMITS.workloads) {
    const oldest = [...map.values()].sort((a, b) => a.lastObservedAt - b.lastObservedAt)[0];
    if (oldest) setWorkload(d, oldest.snapshot.uid, undefined);
  }
}

export function onWorkloadRelistStart(d: Draft, resource: WorkloadResource): void {
  if (RESOURCE_KIND[resource] === undefined) return;
  d.relistWorkloads ??= new Map();
  d.relistWorkloads.set(resource, new Set());
  d.changed = true;
}

/** The relist of one collection ended: objects of its kind that it did not report are gone. */
export function onWorkloadRelistDone(d: Draft, resource: WorkloadResource): void {
  const seen = d.relistWorkloads?.get(resource);
  const kind = RESOURCE_KIND[resource];
  if (!seen || !kind) return;
  d.relistWorkloads!.delete(resource);
  if (d.relistWorkloads!.size === 0) d.relistWorkloads = undefined;
  d.changed = true;
  d.listedKind(kind);
  for (const rec of [...d.workloadMap.values()]) {
    const w = rec.snapshot;
    if (w.kind !== kind || seen.has(w.uid)) continue;
    d.workloadSeq++;
    setWorkload(d, w.uid, undefined);
  }
}

export function onWorkloadEvent(d: Draft, object: unknown, observedAt: number): void {
  const e = readWorkloadEvent(object);
  if (!e) return;
  const old = d.workloadEventMap.get(e.key);
  if (old && old.count === e.count && old.lastAt === e.lastAt && old.message === e.message) return;
  d.workloadSeq++;
  const rec: WorkloadEventRecord = { ...e, observedAt: old?.observedAt ?? observedAt, seq: d.workloadSeq };
  d.workloadEvents ??= new Map(d.base.workloadEvents);
  d.workloadEvents.set(e.key, rec);
  if (d.workloadEvents.size > LIMITS.workloadEvents) {
    let oldest: WorkloadEventRecord | undefined;
    for (const x of d.workloadEvents.values()) if (!oldest || (x.lastAt ?? 0) < (oldest.lastAt ?? 0)) oldest = x;
    if (oldest) d.workloadEvents.delete(oldest.key);
  }
  d.changed = true;
}
