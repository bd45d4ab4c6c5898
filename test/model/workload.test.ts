// The workload reader (src/model/workload.ts) on objects recorded from the real cluster
// (test/fixtures/rollout, see its README), variations of them for the budget rules, and mutated
// copies: it must never throw.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  conditionOf,
  isControlledBy,
  parseIntOrPercent,
  readWorkload,
  readWorkloadEvent,
  resolveDaemonSetBudget,
  resolveDeploymentBudget,
  resolveStatefulSetMaxUnavailable,
  type WorkloadKind,
  type WorkloadSnapshot,
} from '../../src/model/workload.ts';
import { kubectlRolloutStatus, rolloutView } from '../../src/model/rollout.ts';
import { findSnapshot, loadRolloutFixture, rolloutFixtureNames, workloadsOf, type FixtureSnapshot } from '../helpers/rollout-fixtures.ts';

const last = (name: string): FixtureSnapshot => loadRolloutFixture(name).snapshots.at(-1)!;
const find = (s: FixtureSnapshot, kind: WorkloadKind, pred: (w: WorkloadSnapshot) => boolean = () => true): WorkloadSnapshot => {
  const w = workloadsOf(s).find((x) => x.kind === kind && pred(x));
  if (!w) throw new Error(`no ${kind} in the snapshot`);
  return w;
};
const raw = (s: FixtureSnapshot, kind: string, name?: string): Record<string, unknown> => {
  const o = s.items.find((i) => i['kind'] === kind && (name === undefined || (i['metadata'] as { name?: string }).name === name));
  if (!o) throw new Error(`no ${kind} ${name ?? ''} in the snapshot`);
  return structuredClone(o);
};

describe('every recorded workload object is read', () => {
  const cases = rolloutFixtureNames().flatMap((name) =>
    loadRolloutFixture(name).snapshots.flatMap((s, i) =>
      s.items
        .filter((o) =>
          ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ControllerRevision'].includes(o['kind'] as string),
        )
        .map((o) => [`${name}#${i} ${String(o['kind'])}/${(o['metadata'] as { name: string }).name}`, o] as const),
    ),
  );
  test.each(cases)('%s', (_label, o) => {
    const w = readWorkload(o);
    expect(w).toBeDefined();
    const meta = o['metadata'] as { uid: string; name: string; namespace: string };
    expect([w!.kind, w!.name, w!.namespace, w!.uid]).toEqual([o['kind'], meta.name, meta.namespace, meta.uid]);
    // List items lack `kind`: the hint names it.
    const { kind: _k, ...bare } = o;
    expect(readWorkload(bare, w!.kind)?.uid).toBe(meta.uid);
    expect(readWorkload(bare)).toBeUndefined();
  });
});

describe('facts read from the recorded objects', () => {
  test('Deployment shop after ProgressDeadlineExceeded (deploy-crashloop)', () => {
    const s = last('deploy-crashloop');
    const d = find(s, 'Deployment');
    expect(d.revision).toBe(2);
    expect(d.replicas).toMatchObject({ desired: 3, current: 4, updated: 1, ready: 3, available: 3, unavailable: 1 });
    expect(d.strategy).toMatchObject({
      type: 'RollingUpdate',
      maxSurge: { kind: 'int', value: 1 },
      maxUnavailable: { kind: 'int', value: 0 },
      resolvedMaxSurge: 1,
      resolvedMaxUnavailable: 0,
    });
    expect(d.progressDeadlineSeconds).toBe(40);
    expect(d.paused).toBe(false);
    expect(d.generation).toBe(2);
    expect(d.observedGeneration).toBe(2);
    expect(d.selectorText).toBe('app=shop');
    const p = conditionOf(d, 'Progressing')!;
    expect([p.status, p.reason]).toEqual(['False', 'ProgressDeadlineExceeded']);
    expect(p.lastUpdateTime).toBe(
      Date.parse(
        (raw(s, 'Deployment').status as { conditions: { type: string; lastUpdateTime: string }[] }).conditions.find(
          (c) => c.type === 'Progressing',
        )!.lastUpdateTime,
      ),
    );
    expect(conditionOf(d, 'Available')?.status).toBe('True');
    expect(d.images).toEqual([{ container: 'shop', image: 'docker.io/podlife/busybox:1' }]);
  });

  test('ReplicaSets: revision, pod-template-hash, owner, ReplicaFailure (deploy-quota)', () => {
    const s = last('deploy-quota');
    const d = find(s, 'Deployment');
    const rs = workloadsOf(s).filter((w) => w.kind === 'ReplicaSet');
    expect(rs.map((r) => r.revision).sort()).toEqual([1, 2]);
    for (const r of rs) {
      expect(r.name).toBe(`shop-${r.podTemplateHash}`);
      expect(isControlledBy(r, d)).toBe(true);
      expect(r.controller).toMatchObject({ kind: 'Deployment', name: 'shop', uid: d.uid, controller: true });
    }
    const fresh = rs.find((r) => r.revision === 2)!;
    expect(fresh.replicas).toMatchObject({ desired: 1, current: 0, ready: 0, available: 0 });
    const failure = conditionOf(fresh, 'ReplicaFailure')!;
    expect([failure.status, failure.reason]).toEqual(['True', 'FailedCreate']);
    expect(failure.message).toMatch(/exceeded quota: pods3, requested: pods=1, used: pods=3, limited: pods=3/);
    // The Deployment mirrors the new ReplicaSet's failure.
    expect(conditionOf(d, 'ReplicaFailure')?.reason).toBe('FailedCreate');
  });

  test('StatefulSet and its ControllerRevisions (sts-rolling)', () => {
    const s = last('sts-rolling');
    const sts = find(s, 'StatefulSet');
    expect(sts.strategy).toMatchObject({
      type: 'RollingUpdate',
      partition: 0,
      podManagementPolicy: 'OrderedReady',
      resolvedMaxUnavailable: 1,
    });
    expect(sts.replicas).toMatchObject({ desired: 3, current: 3, updated: 3, ready: 3, available: 3, atCurrentRevision: 3 });
    expect(sts.updateRevision).toBe(sts.currentRevision);
    const crs = workloadsOf(s).filter((w) => w.kind === 'ControllerRevision');
    expect(crs.map((c) => c.revision).sort()).toEqual([1, 2]);
    for (const c of crs) {
      expect(c.name).toBe(`db-${c.controllerRevisionHash}`);
      expect(isControlledBy(c, sts)).toBe(true);
      expect(c.images).toEqual([{ container: 'db', image: 'docker.io/podlife/busybox:1' }]);
    }
    expect(crs.find((c) => c.revision === 2)!.name).toBe(sts.updateRevision);
    // Mid-rollout: the old and the new revision differ.
    const fx = loadRolloutFixture('sts-rolling');
    const mid =
      fx.snapshots[findSnapshot(fx, (x) => /Waiting for partitioned/.test(x.rolloutStatus?.stdout ?? ''), 'the rollout is under way')]!;
    const m = find(mid, 'StatefulSet');
    expect(m.updateRevision).not.toBe(m.currentRevision);
  });

  test('DaemonSet: the counters of desiredNumberScheduled & co., budgets against the nodes (ds-rolling)', () => {
    const ds = find(last('ds-rolling'), 'DaemonSet');
    expect(ds.replicas).toMatchObject({ desired: 1, current: 1, updated: 1, ready: 1, available: 1, unavailable: 0, misscheduled: 0 });
    expect(ds.strategy).toMatchObject({ type: 'RollingUpdate', resolvedMaxSurge: 0, resolvedMaxUnavailable: 1 });
  });

  test('Jobs: counts, limits, conditions (jobs)', () => {
    const s = last('jobs');
    const fail = find(s, 'Job', (j) => j.name === 'batch-fail');
    expect(fail.job).toMatchObject({ backoffLimit: 1, completions: 1, parallelism: 1, failed: 2, succeeded: 0, active: 0, suspend: false });
    expect(conditionOf(fail, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    const ok = find(s, 'Job', (j) => j.name === 'batch-ok');
    expect(ok.job).toMatchObject({ backoffLimit: 2, succeeded: 1, failed: 0, active: 0 });
    expect(ok.job!.completionTime).toBeGreaterThan(ok.job!.startTime!);
    expect(conditionOf(ok, 'Complete')?.status).toBe('True');
    expect(ok.selectorText).toMatch(/^batch\.kubernetes\.io\/controller-uid=/);
  });

  test('CronJob and its Job (cronjob)', () => {
    const fx = loadRolloutFixture('cronjob');
    const running =
      fx.snapshots[
        findSnapshot(fx, (x) => workloadsOf(x).some((w) => w.kind === 'CronJob' && w.cronJob!.active.length > 0), 'a Job is active')
      ]!;
    const cj = find(running, 'CronJob');
    const job = find(running, 'Job');
    expect(cj.cronJob).toMatchObject({ schedule: '* * * * *', concurrencyPolicy: 'Forbid', suspend: false });
    expect(cj.cronJob!.active).toEqual([{ name: job.name, uid: job.uid }]);
    expect(cj.cronJob!.lastScheduleTime).toBeDefined();
    expect(isControlledBy(job, cj)).toBe(true);
    expect(cj.images).toEqual([{ container: 'report', image: 'docker.io/podlife/busybox:1' }]);
  });

  test('events about workloads (deploy-quota)', () => {
    const s = last('deploy-quota');
    const ev = s.items.find((o) => o['kind'] === 'Event' && o['reason'] === 'FailedCreate')!;
    const e = readWorkloadEvent(ev)!;
    expect(e).toMatchObject({ involvedKind: 'ReplicaSet', type: 'Warning', reason: 'FailedCreate' });
    expect(e.message).toMatch(/^Error creating: pods "shop-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota: pods3/);
    expect(e.lastAt).toBeGreaterThanOrEqual(e.firstAt!);
    expect(e.count).toBeGreaterThanOrEqual(1);
  });
});

describe('budgets resolved as the controllers do', () => {
  // Deployment: MaxSurge/MaxUnavailable of pkg/controller/deployment/util (cases of its TestMaxUnavailable
  // and TestResolveFenceposts: 39% of 10 is surge 4 (up), unavailable 3 (down); 0% and 0% gives unavailable 1).
  test.each([
    ['RollingUpdate', 1, 5, 10, 1, 5],
    ['RollingUpdate', 1, 10, 10, 1, 10],
    ['RollingUpdate', 1, 10, 5, 1, 5],
    ['RollingUpdate', 1, 10, 0, 1, 0],
    ['RollingUpdate', 1, '50%', 10, 1, 5],
    ['RollingUpdate', 1, '100%', 10, 1, 10],
    ['RollingUpdate', 1, '100%', 5, 1, 5],
    ['RollingUpdate', '39%', '39%', 10, 4, 3],
    ['RollingUpdate', '0%', '0%', 10, 0, 1],
    ['RollingUpdate', '25%', '25%', 3, 1, 0],
    ['RollingUpdate', '25%', '25%', 1, 1, 0],
    ['Recreate', undefined, undefined, 10, 0, 0],
  ] as const)(
    'Deployment %s maxSurge %s maxUnavailable %s replicas %i -> %i, %i',
    (type, surge, unavailable, replicas, wantSurge, wantUnavailable) => {
      // On the recorded Deployment, with the strategy varied.
      const o = raw(last('deploy-ok'), 'Deployment');
      const spec = o['spec'] as Record<string, unknown>;
      spec['replicas'] = replicas;
      spec['strategy'] = type === 'Recreate' ? { type } : { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } };
      const d = readWorkload(o)!;
      expect([d.strategy!.resolvedMaxSurge, d.strategy!.resolvedMaxUnavailable]).toEqual([wantSurge, wantUnavailable]);
      expect(resolveDeploymentBudget(type, parseIntOrPercent(surge), parseIntOrPercent(unavailable), replicas)).toEqual(
        type === 'Recreate' ? { maxSurge: 0, maxUnavailable: 0 } : { maxSurge: wantSurge, maxUnavailable: wantUnavailable },
      );
    },
  );

  test('a RollingUpdate Deployment written without values gets the server default 25%/25%', () => {
    const o = raw(last('deploy-ok'), 'Deployment');
    (o['spec'] as Record<string, unknown>)['strategy'] = {};
    (o['spec'] as Record<string, unknown>)['replicas'] = 8;
    expect(readWorkload(o)!.strategy).toMatchObject({ type: 'RollingUpdate', resolvedMaxSurge: 2, resolvedMaxUnavailable: 2 });
  });

  test.each([['oops'], ['5'], [1.5], [null], [{}]])('an invalid maxSurge (%j) resolves to unknown, not a guess', (bad) => {
    const o = raw(last('deploy-ok'), 'Deployment');
    (o['spec'] as { strategy: { rollingUpdate: Record<string, unknown> } }).strategy.rollingUpdate['maxSurge'] = bad;
    const s = readWorkload(o)!.strategy!;
    // null reads as absent, which the server defaults to 25%.
    if (bad === null) expect(s.resolvedMaxSurge).toBe(1);
    else expect([s.maxSurge, s.resolvedMaxSurge]).toEqual([undefined, undefined]);
  });

  // DaemonSet: SurgeCount/UnavailableCount round up against desiredNumberScheduled; 0 and 0 gives 1.
  test.each([
    [0, 1, 1, 0, 1],
    [0, '10%', 1, 0, 1],
    [0, '10%', 25, 0, 3],
    ['20%', 0, 12, 3, 0],
    [0, 0, 4, 0, 1],
    [0, 0, 0, 0, 0],
  ] as const)('DaemonSet maxSurge %s maxUnavailable %s on %i nodes -> %i, %i', (surge, unavailable, nodes, wantSurge, wantUnavailable) => {
    const o = raw(last('ds-rolling'), 'DaemonSet');
    (o['spec'] as Record<string, unknown>)['updateStrategy'] = {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable },
    };
    (o['status'] as Record<string, unknown>)['desiredNumberScheduled'] = nodes;
    const ds = readWorkload(o)!;
    expect([ds.strategy!.resolvedMaxSurge, ds.strategy!.resolvedMaxUnavailable]).toEqual([wantSurge, wantUnavailable]);
    expect(resolveDaemonSetBudget('RollingUpdate', parseIntOrPercent(surge), parseIntOrPercent(unavailable), nodes)).toEqual({
      maxSurge: wantSurge,
      maxUnavailable: wantUnavailable,
    });
  });

  // StatefulSet: one at a time without the alpha field; with it, round down with a minimum of 1.
  test.each([
    [undefined, 3, 1],
    [2, 3, 2],
    ['50%', 5, 2],
    ['10%', 5, 1],
  ] as const)('StatefulSet maxUnavailable %s of %i -> %i', (mu, replicas, want) => {
    expect(resolveStatefulSetMaxUnavailable(parseIntOrPercent(mu), replicas)).toBe(want);
  });

  test('a StatefulSet written with type RollingUpdate but no rollingUpdate block has no partition (kubectl then compares revisions)', () => {
    const o = raw(last('sts-rolling'), 'StatefulSet');
    (o['spec'] as Record<string, unknown>)['updateStrategy'] = { type: 'RollingUpdate' };
    const sts = readWorkload(o)!;
    expect(sts.strategy!.partition).toBeUndefined();
    expect(kubectlRolloutStatus(sts)).toEqual({
      message: 'statefulset rolling update complete 3 pods at revision ' + sts.currentRevision + '...',
      done: true,
      error: undefined,
    });
  });
});

describe('the reader is total', () => {
  const samples = rolloutFixtureNames().flatMap((n) => {
    const s = loadRolloutFixture(n).snapshots.at(-1)!;
    return s.items.filter((o) => o['kind'] !== 'Pod' && o['kind'] !== 'Event');
  });

  /** Every path into an object, for the mutations to aim at. */
  function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = [...prefix, Array.isArray(v) ? Number(k) : k];
        out.push(p);
        paths(x, p, out);
      }
    }
    return out;
  }
  function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
    let cur = root as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
    const key = path.at(-1)!;
    if (value === DELETE) delete cur[key];
    else cur[key] = value;
  }
  const DELETE = Symbol('delete');
  const junk = fc.oneof(
    fc.constant(DELETE),
    fc.constant(null),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
    fc.constant([null]),
    fc.constant('25%'),
    fc.constant('-1'),
    fc.constant('0001-01-01T00:00:00Z'),
    fc.constant(Number.MAX_SAFE_INTEGER + 2),
    fc.jsonValue(),
  );

  test('mutated recorded objects give a snapshot or undefined, never an exception, and numbers stay numbers', () => {
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.array(fc.tuple(fc.nat(), junk), { minLength: 1, maxLength: 6 }), (which, mutations) => {
        const o = structuredClone(samples[which]!);
        for (const [at, value] of mutations) {
          const ps = paths(o);
          if (!ps.length) break;
          setAt(o, ps[at % ps.length]!, value);
        }
        const w = readWorkload(o);
        if (!w) return;
        for (const [k, v] of Object.entries(w.replicas)) expect(v === undefined || Number.isSafeInteger(v), k).toBe(true);
        expect(typeof w.name).toBe('string');
        // The consumers of the snapshot are total too.
        kubectlRolloutStatus(w);
        rolloutView({
          target: { kind: w.kind === 'ControllerRevision' ? 'StatefulSet' : w.kind, namespace: w.namespace, name: w.name },
          workload: w.kind === 'ControllerRevision' ? undefined : w,
          children: [],
          events: [],
          pods: [],
          now: 0,
        });
      }),
      { numRuns: 400, seed: 20261201 },
    );
  });

  test.each([
    [undefined],
    [null],
    [42],
    ['Deployment'],
    [[]],
    [{}],
    [{ kind: 'Deployment' }],
    [{ kind: 'Deployment', metadata: 'x' }],
    [{ kind: 'Pod', metadata: { name: 'x' } }],
  ])('readWorkload(%j) is undefined', (v) => {
    expect(readWorkload(v)).toBeUndefined();
  });

  test.each([[undefined], [null], ['x'], [{}], [{ involvedObject: 'x', count: 'many', series: [], metadata: null }]])(
    'readWorkloadEvent(%j) does not throw',
    (v) => {
      const e = readWorkloadEvent(v);
      if (e) expect(e.count).toBeGreaterThanOrEqual(1);
    },
  );
});
