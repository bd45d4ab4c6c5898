// Loading the rollout fixtures (test/fixtures/rollout/*.json, recorded from the real cluster by
// test/fixtures/rollout/record.ts) and turning one recorded moment into a RolloutInput as the
// integrated model does: workloads through readWorkload, events through readWorkloadEvent, and the
// pods through the real pod model (the snapshots up to that moment fed in order, as polls with
// relist markers) and its rows (src/model/views/pod-row.ts: kubectl's columns, the containers, the
// findings of failing pods).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initialState, podRow, reduce, type ModelState, type Observation } from '../../src/model/index.ts';
import type { WorkloadResource } from '../../src/model/workload-observation.ts';
import type { EventJson, PodJson } from '../../src/model/kube-json.ts';
import type { RolloutInput, RolloutPod } from '../../src/model/rollout.ts';
import { readWorkload, readWorkloadEvent, type WorkloadKind, type WorkloadSnapshot } from '../../src/model/workload.ts';

export const rolloutFixturesDir = join(import.meta.dirname, '..', 'fixtures', 'rollout');

export interface FixtureSnapshot {
  /** When the poll started (epoch ms). */
  readonly at: number;
  readonly step: string;
  readonly rolloutStatus: { readonly stdout: string; readonly stderr: string; readonly code: number } | null;
  readonly items: readonly Record<string, unknown>[];
}

export interface RolloutFixture {
  readonly scenario: string;
  readonly describe: string;
  readonly snapshots: readonly FixtureSnapshot[];
}

interface FixtureFile {
  readonly scenario: string;
  readonly describe: string;
  readonly snapshots: readonly { at: string; step: string; rolloutStatus: FixtureSnapshot['rolloutStatus']; items: string[] }[];
  readonly objects: Readonly<Record<string, Record<string, unknown>>>;
}

const cache = new Map<string, RolloutFixture>();

export function rolloutFixtureNames(): string[] {
  return readdirSync(rolloutFixturesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function loadRolloutFixture(name: string): RolloutFixture {
  const hit = cache.get(name);
  if (hit) return hit;
  const file = JSON.parse(readFileSync(join(rolloutFixturesDir, `${name}.json`), 'utf8')) as FixtureFile;
  const fx: RolloutFixture = {
    scenario: file.scenario,
    describe: file.describe,
    snapshots: file.snapshots.map((s) => ({
      at: Date.parse(s.at),
      step: s.step,
      rolloutStatus: s.rolloutStatus,
      items: s.items.map((k) => {
        const o = file.objects[k];
        if (!o) throw new Error(`${name}: snapshot names ${k}, which is not stored`);
        return o;
      }),
    })),
  };
  cache.set(name, fx);
  return fx;
}

/** The first snapshot index where `pred` holds; throws when none does (a fixture that lost its moment must fail loudly). */
export function findSnapshot(fx: RolloutFixture, pred: (s: FixtureSnapshot, i: number) => boolean, what: string): number {
  const i = fx.snapshots.findIndex(pred);
  if (i < 0) throw new Error(`${fx.scenario}: no snapshot where ${what}`);
  return i;
}

export function workloadsOf(s: FixtureSnapshot): WorkloadSnapshot[] {
  return s.items.flatMap((o) => {
    const w = readWorkload(o);
    return w ? [w] : [];
  });
}

function podObservations(s: FixtureSnapshot): Observation[] {
  const pods = s.items.filter((o) => o['kind'] === 'Pod') as unknown as PodJson[];
  const events = s.items.filter(
    (o) => o['kind'] === 'Event' && (o['involvedObject'] as { kind?: string } | undefined)?.kind === 'Pod',
  ) as unknown as EventJson[];
  const t = s.at;
  return [
    { kind: 'relist-start', resource: 'pods', observedAt: t },
    ...pods.map((object): Observation => ({ kind: 'pod', verb: 'list', observedAt: t, object })),
    { kind: 'relist-done', resource: 'pods', observedAt: t },
    { kind: 'relist-start', resource: 'events', observedAt: t },
    ...events.map((object): Observation => ({ kind: 'event', verb: 'list', observedAt: t, object })),
    { kind: 'relist-done', resource: 'events', observedAt: t },
  ];
}

/**
 * Every pod of snapshot `index`, as the pod model sees it after the polls 0..index: the rows the
 * integrated model makes (src/model/views/pod-row.ts) of the pods that exist.
 */
export function rolloutPodsAt(fx: RolloutFixture, index: number): RolloutPod[] {
  let state = initialState({ source: 'replay' });
  for (let i = 0; i <= index; i++) state = reduce(state, podObservations(fx.snapshots[i]!));
  const out: RolloutPod[] = [];
  for (const rec of state.pods.values()) if (!rec.deleted && !rec.replaced) out.push(podRow(rec, state));
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The RolloutInput of snapshot `index` for the workload `kind/name`. */
export function rolloutInputAt(fx: RolloutFixture, index: number, kind: WorkloadKind, name: string): RolloutInput {
  const s = fx.snapshots[index]!;
  const all = workloadsOf(s);
  const workload = all.find((w) => w.kind === kind && w.name === name);
  const namespace = workload?.namespace ?? all[0]?.namespace ?? 'default';
  return {
    target: { kind, namespace, name },
    workload,
    children: all.filter((w) => w !== workload),
    events: s.items.flatMap((o) => {
      if (o['kind'] !== 'Event' || (o['involvedObject'] as { kind?: string } | undefined)?.kind === 'Pod') return [];
      const e = readWorkloadEvent(o);
      return e ? [e] : [];
    }),
    pods: rolloutPodsAt(fx, index).filter((p) => belongs(p, workload, all, s)),
    now: s.at,
  };
}

/** The pods the integrated source would select: by the workload's selector; a CronJob's through its Jobs. */
function belongs(p: RolloutPod, w: WorkloadSnapshot | undefined, all: readonly WorkloadSnapshot[], s: FixtureSnapshot): boolean {
  if (!w) return true;
  if (w.kind === 'CronJob') {
    const jobs = all.filter((j) => j.kind === 'Job' && j.controller?.uid === w.uid);
    return jobs.some((j) => j.uid === p.owner?.uid);
  }
  const pod = s.items.find((o) => o['kind'] === 'Pod' && (o['metadata'] as { uid?: string }).uid === p.uid) as unknown as
    PodJson | undefined;
  const labels = pod?.metadata.labels ?? {};
  const sel = w.selector;
  if (!sel) return false;
  return (
    Object.entries(sel.matchLabels).every(([k, v]) => labels[k] === v) &&
    sel.matchExpressions.every((e) =>
      e.operator === 'In'
        ? e.values.includes(labels[e.key] ?? '\0')
        : e.operator === 'NotIn'
          ? !e.values.includes(labels[e.key] ?? '\0')
          : e.operator === 'Exists'
            ? e.key in labels
            : e.operator === 'DoesNotExist'
              ? !(e.key in labels)
              : false,
    )
  );
}

const RESOURCES: Readonly<Record<string, WorkloadResource>> = {
  Deployment: 'deployments',
  ReplicaSet: 'replicasets',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  ControllerRevision: 'controllerrevisions',
};

/**
 * One poll as the integrated sources would report it: the pods and their events (relisted), every
 * workload collection the poll holds (relisted, so that what is gone is gone) and the owner-side
 * events (relisted as 'workload-events').
 */
export function observationsAt(s: FixtureSnapshot): Observation[] {
  const t = s.at;
  const out = podObservations(s);
  for (const resource of new Set(Object.values(RESOURCES))) {
    out.push({ kind: 'relist-start', resource, observedAt: t });
    for (const o of s.items)
      if (RESOURCES[o['kind'] as string] === resource) out.push({ kind: 'workload', verb: 'list', observedAt: t, object: o });
    out.push({ kind: 'relist-done', resource, observedAt: t });
  }
  out.push({ kind: 'relist-start', resource: 'workload-events', observedAt: t });
  for (const o of s.items)
    if (o['kind'] === 'Event' && (o['involvedObject'] as { kind?: string } | undefined)?.kind !== 'Pod')
      out.push({ kind: 'event', verb: 'list', observedAt: t, object: o as unknown as EventJson });
  out.push({ kind: 'relist-done', resource: 'workload-events', observedAt: t });
  return out;
}

/** The model state after the polls 0..index, fed one poll at a time. */
export function stateAt(fx: RolloutFixture, index: number, source: ModelState['source'] = 'replay'): ModelState {
  let state = initialState({ source });
  for (let i = 0; i <= index; i++) state = reduce(state, observationsAt(fx.snapshots[i]!));
  return state;
}
