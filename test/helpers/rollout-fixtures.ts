// Loading the rollout fixtures (test/fixtures/rollout/*.json, recorded from the real cluster by
// test/fixtures/rollout/record.ts) and turning one recorded moment into a RolloutInput the way the
// integrated model will: workloads through readWorkload, events through readWorkloadEvent, and the
// pods through the real pod model (the snapshots up to that moment fed in order, as polls with
// relist markers), its PodView giving kubectl's columns, the containers and the findings.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initialState, reduce, toSessionView, type Observation, type PodView } from '../../src/model/index.ts';
import type { EventJson, PodJson } from '../../src/model/kube-json.ts';
import type { RolloutContainer, RolloutInput, RolloutPod } from '../../src/model/rollout.ts';
import { parseTime } from '../../src/model/time.ts';
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

function toRolloutContainer(c: PodView['containers'][number]): RolloutContainer | undefined {
  if (c.type === 'ephemeral') return undefined;
  const terminated = c.state === 'terminated';
  return {
    name: c.name,
    type: c.type,
    ready: c.ready,
    restartCount: c.restartCount,
    state: c.state,
    reason: c.reason,
    message: c.message,
    lastExitCode: terminated ? c.exitCode : c.lastTermination?.exitCode,
    lastTerminationReason: terminated ? c.reason : c.lastTermination?.reason,
    backOffSeconds: c.backoff?.kind === 'crash-loop' ? c.backoff.delaySeconds : undefined,
  };
}

export function toRolloutPod(view: PodView, pod: PodJson): RolloutPod {
  const labels = pod.metadata.labels ?? {};
  const refs = pod.metadata.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller) ?? refs[0];
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    name: view.name,
    uid: view.uid,
    owner: ref?.kind && ref.name ? { kind: ref.kind, name: ref.name, uid: ref.uid } : undefined,
    revisionKey: labels['pod-template-hash'] ?? labels['controller-revision-hash'],
    createdAt: view.createdAt,
    node: view.node,
    phase: view.phase,
    status: view.status,
    ready: view.ready,
    restarts: view.restarts,
    lastRestartAt: undefined,
    isReady: ready?.status === 'True',
    deleting: !!pod.metadata.deletionTimestamp,
    deletionAt: parseTime(pod.metadata.deletionTimestamp),
    unschedulable:
      scheduled?.status === 'False' && scheduled.reason === 'Unschedulable'
        ? { message: scheduled.message ?? '', since: parseTime(scheduled.lastTransitionTime) }
        : undefined,
    nominatedNode: pod.status?.nominatedNodeName || undefined,
    restartPolicy: pod.spec?.restartPolicy,
    containers: view.containers.flatMap((c) => {
      const r = toRolloutContainer(c);
      return r ? [r] : [];
    }),
    findings: view.findings.map((f) => f.title),
  };
}

/** Every pod of snapshot `index`, as the pod model sees it after the polls 0..index. */
export function rolloutPodsAt(fx: RolloutFixture, index: number): RolloutPod[] {
  let state = initialState({ source: 'replay' });
  for (let i = 0; i <= index; i++) state = reduce(state, podObservations(fx.snapshots[i]!));
  const s = fx.snapshots[index]!;
  const view = toSessionView(state, s.at);
  const raw = new Map((s.items.filter((o) => o['kind'] === 'Pod') as unknown as PodJson[]).map((p) => [p.metadata.uid, p]));
  return view.pods.flatMap((p) => {
    const pod = raw.get(p.uid);
    return p.current && !p.deleted && pod ? [toRolloutPod(p, pod)] : [];
  });
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
