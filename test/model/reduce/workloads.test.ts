// The reducer's workloads (src/model/reduce/workloads.ts) on objects recorded from the real cluster
// (test/fixtures/rollout): workloads kept by uid as snapshots, unchanged objects and events leave
// the state as it was, deletions and relists remove what is gone, owner-side events go to the
// workloads (never waiting for a pod), the histories are bounded.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { initialState, reduce, type ModelState, type Observation } from '../../../src/model/index.ts';
import { LIMITS } from '../../../src/model/reduce/state.ts';
import { loadRolloutFixture, observationsAt, rolloutFixtureNames, stateAt } from '../../helpers/rollout-fixtures.ts';

const kinds = (s: ModelState): string[] => [...s.workloads.values()].map((w) => `${w.snapshot.kind}/${w.snapshot.name}`).sort();

describe('workloads from every recorded poll', () => {
  test.each(rolloutFixtureNames())('%s: the state holds exactly the workloads of the last poll, as snapshots', (name) => {
    const fx = loadRolloutFixture(name);
    const last = fx.snapshots.length - 1;
    const state = stateAt(fx, last);
    const want = fx.snapshots[last]!.items.filter((o) =>
      ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ControllerRevision'].includes(o['kind'] as string),
    );
    assert.deepEqual(kinds(state), want.map((o) => `${o['kind']}/${(o['metadata'] as { name: string }).name}`).sort());
    for (const w of state.workloads.values()) {
      assert.equal(typeof w.snapshot.uid, 'string');
      // No wire object is kept: a snapshot has no spec/status/metadata fields of the API's.
      assert.ok(!('metadata' in w.snapshot) && !('spec' in w.snapshot), 'a snapshot, not the object');
    }
  });

  test.each(rolloutFixtureNames())("%s: owner-side events are the workloads', none waits for a pod", (name) => {
    const fx = loadRolloutFixture(name);
    const state = stateAt(fx, fx.snapshots.length - 1);
    const owner = fx.snapshots
      .flatMap((s) => s.items)
      .filter((o) => o['kind'] === 'Event' && (o['involvedObject'] as { kind: string }).kind !== 'Pod');
    const keys = new Set(owner.map((o) => (o['metadata'] as { uid: string }).uid));
    assert.equal(state.workloadEvents.size, keys.size);
    for (const [, evs] of state.pendingEvents) for (const e of evs) assert.ok(!keys.has(e.key), `owner event ${e.reason} waits for a pod`);
  });
});

describe('changes', () => {
  const fx = loadRolloutFixture('deploy-ok');
  const first = observationsAt(fx.snapshots[0]!);
  const start = reduce(initialState({ source: 'replay' }), first);

  test('the same poll again changes nothing: the same state object', () => {
    assert.equal(
      reduce(
        start,
        observationsAt(fx.snapshots[0]!).filter((o) => o.kind === 'workload' || o.kind === 'event'),
      ),
      start,
    );
  });

  test('a modified object replaces its snapshot and advances workloadSeq; the others keep theirs', () => {
    const deploy = first.find(
      (o): o is Extract<Observation, { kind: 'workload' }> => o.kind === 'workload' && o.object.kind === 'Deployment',
    )!;
    const changed = {
      ...deploy.object,
      metadata: { ...deploy.object.metadata, resourceVersion: '999999', annotations: { 'deployment.kubernetes.io/revision': '7' } },
    };
    const next = reduce(start, [{ kind: 'workload', verb: 'modified', observedAt: deploy.observedAt + 1000, object: changed }]);
    assert.notEqual(next, start);
    assert.equal(next.workloadSeq, start.workloadSeq + 1);
    const rec = [...next.workloads.values()].find((w) => w.snapshot.kind === 'Deployment')!;
    assert.equal(rec.snapshot.revision, 7);
    assert.equal(rec.seq, next.workloadSeq);
    for (const [uid, w] of start.workloads) if (w.snapshot.kind !== 'Deployment') assert.equal(next.workloads.get(uid), w);
  });

  test('deleted removes it; a relist removes what it did not report, of its own kind only', () => {
    const rs = first.find((o): o is Extract<Observation, { kind: 'workload' }> => o.kind === 'workload' && o.object.kind === 'ReplicaSet')!;
    const t = rs.observedAt + 1000;
    const gone = reduce(start, [{ kind: 'workload', verb: 'deleted', observedAt: t, object: rs.object }]);
    assert.ok(!kinds(gone).includes(`ReplicaSet/${rs.object.metadata!.name}`));
    const relisted = reduce(start, [
      { kind: 'relist-start', resource: 'replicasets', observedAt: t },
      { kind: 'relist-done', resource: 'replicasets', observedAt: t },
    ]);
    assert.deepEqual(
      kinds(relisted),
      kinds(start).filter((k) => !k.startsWith('ReplicaSet/')),
    );
    assert.equal(relisted.relistWorkloads, undefined);
  });

  test('an event seen again with a higher count is updated in place, keeping when it was first observed', () => {
    const ev = first.find(
      (o): o is Extract<Observation, { kind: 'event' }> => o.kind === 'event' && o.object.involvedObject?.kind === 'ReplicaSet',
    )!;
    const again = { ...ev.object, count: (ev.object.count ?? 1) + 4, lastTimestamp: '2027-01-01T00:00:00Z' };
    const next = reduce(start, [{ kind: 'event', verb: 'modified', observedAt: ev.observedAt + 5000, object: again }]);
    const rec = [...next.workloadEvents.values()].find(
      (e) => e.reason === ev.object.reason && e.involvedName === ev.object.involvedObject?.name,
    )!;
    assert.equal(rec.count, (ev.object.count ?? 1) + 4);
    assert.equal(rec.observedAt, ev.observedAt);
    assert.equal(next.workloadEvents.size, start.workloadEvents.size);
  });

  test(`owner-side events are bounded at ${LIMITS.workloadEvents}, the oldest dropped`, () => {
    const ev = first.find(
      (o): o is Extract<Observation, { kind: 'event' }> => o.kind === 'event' && o.object.involvedObject?.kind === 'ReplicaSet',
    )!;
    const many: Observation[] = Array.from({ length: LIMITS.workloadEvents + 10 }, (_, i) => ({
      kind: 'event',
      verb: 'added',
      observedAt: ev.observedAt + i,
      object: {
        ...ev.object,
        metadata: { ...ev.object.metadata, uid: `e-${i}`, name: `e-${i}` },
        lastTimestamp: new Date(Date.parse('2027-01-01T00:00:00Z') + i * 1000).toISOString(),
      },
    }));
    const next = reduce(start, many);
    assert.equal(next.workloadEvents.size, LIMITS.workloadEvents);
    assert.ok(next.workloadEvents.has(`e-${LIMITS.workloadEvents + 9}`));
  });

  test('anything the API or a user can write: never an exception', () => {
    const junk: unknown[] = [
      null,
      3,
      'x',
      [],
      {},
      { kind: 'Deployment' },
      { kind: 'Deployment', metadata: { name: 5 } },
      { kind: 'Job', metadata: { name: 'j' }, spec: 'no', status: [] },
    ];
    let s = start;
    for (const object of junk) s = reduce(s, [{ kind: 'workload', verb: 'added', observedAt: 1, object: object as never }]);
    assert.ok(kinds(s).includes('Job/j'));
    for (const object of [{ involvedObject: { kind: 'Deployment' } }, { involvedObject: { kind: 'ReplicaSet', name: 7 }, count: 'x' }])
      s = reduce(s, [{ kind: 'event', verb: 'added', observedAt: 2, object: object as never }]);
  });
});
