// The group view-model (src/model/views/rollout-model.ts) on workloads recorded from the real
// cluster: built from the model state the sources fill (every poll of test/fixtures/rollout fed as
// observations), it must say what rollout.ts says of the same moment; pods of a selector and of one
// pod name; --until on pods; the revision of each pod; which workloads a file shows; the memo.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  decideGroup,
  groupSelector,
  groupView,
  matchesSelector,
  podRevision,
  podRow,
  podsOf,
  progressLine,
  reduce,
  topWorkloads,
  type GroupTarget,
  type ModelState,
} from '../../../src/model/index.ts';
import { rolloutView } from '../../../src/model/rollout.ts';
import type { WorkloadKind } from '../../../src/model/workload.ts';
import { loadRolloutFixture, rolloutInputAt, stateAt } from '../../helpers/rollout-fixtures.ts';

const TARGETS: readonly (readonly [string, WorkloadKind, string])[] = [
  ['deploy-ok', 'Deployment', 'shop'],
  ['deploy-crashloop', 'Deployment', 'shop'],
  ['deploy-quota', 'Deployment', 'shop'],
  ['deploy-image', 'Deployment', 'shop'],
  ['deploy-config', 'Deployment', 'shop'],
  ['deploy-unschedulable', 'Deployment', 'shop'],
  ['sts-rolling', 'StatefulSet', 'db'],
  ['ds-rolling', 'DaemonSet', 'agent'],
  ['jobs', 'Job', 'batch-ok'],
  ['jobs', 'Job', 'batch-fail'],
  ['cronjob', 'CronJob', 'nightly'],
];

function namespaceOf(fixture: string): string {
  const fx = loadRolloutFixture(fixture);
  for (const s of fx.snapshots)
    for (const o of s.items) if (o['kind'] !== 'Event') return (o['metadata'] as { namespace: string }).namespace;
  throw new Error(`${fixture}: no namespace`);
}

function workloadTarget(fixture: string, kind: WorkloadKind, name: string): GroupTarget {
  return { kind: 'workload', workloadKind: kind as Exclude<WorkloadKind, 'ControllerRevision'>, namespace: namespaceOf(fixture), name };
}

describe('the group view of the integrated model says what the rollout model says', () => {
  test.each(TARGETS)('%s %s/%s: at every poll, the same verdict, revisions and pods', (fixture, kind, name) => {
    const fx = loadRolloutFixture(fixture);
    const target = workloadTarget(fixture, kind, name);
    for (let i = 0; i < fx.snapshots.length; i++) {
      const view = groupView(stateAt(fx, i), target, { failRestarts: 2 });
      const want = rolloutView(rolloutInputAt(fx, i, kind, name), { failRestarts: 2 });
      const at = `${fixture} poll ${i}`;
      assert.equal(view.verdict.state, want.verdict.state, at);
      assert.equal(view.verdict.reason, want.verdict.reason, at);
      assert.deepEqual(view.verdict.evidence, want.verdict.evidence, at);
      assert.deepEqual(
        view.groups.map((g) => [g.role, g.revision, g.name, g.pods.map((p) => p.name)]),
        want.revisions.map((g) => [g.role, g.revision, g.name, g.pods.map((p) => p.name)]),
        at,
      );
      assert.equal(view.rollout?.revision.text, want.revision.text, at);
      assert.deepEqual(
        view.events.map((e) => e.key),
        want.events.map((e) => e.key),
        at,
      );
    }
  });
});

describe('pods of a selector, one pod by name, and --until on them', () => {
  const crash = loadRolloutFixture('deploy-crashloop');
  const ok = loadRolloutFixture('deploy-ok');
  const ns = namespaceOf('deploy-crashloop');

  test('-l: the pods by owner; a crash-looping pod makes the group stuck, and --until ready fails naming it', () => {
    const state = stateAt(crash, crash.snapshots.length - 1);
    const view = groupView(state, { kind: 'pods', label: '-l app=shop', namespace: ns }, { failRestarts: 2 });
    assert.deepEqual(
      view.groups.map((g) => g.title),
      // The group with the failing pod first.
      view.groups
        .map((g) => g.title)
        .sort((a, b) => (view.groups.find((g) => g.title === a)!.countsText.includes('CrashLoopBackOff') ? -1 : b ? 1 : 0)),
    );
    assert.equal(view.groups[0]!.role, 'owner');
    assert.match(view.groups[0]!.title, /^ReplicaSet shop-/);
    assert.equal(view.verdict.state, 'stuck');
    assert.match(view.verdict.reason, /^1 of 4 pods cannot become ready$/);
    const d = decideGroup(view, 'ready', crash.snapshots.at(-1)!.at);
    assert.equal(d.outcome, 'failed');
    assert.equal(d.pods.length, 1);
    assert.match(d.pods[0]!, /^shop-77ff6474c-/);
    assert.equal(decideGroup(view, 'deleted', 0).outcome, 'waiting');
    assert.equal(decideGroup(view, 'deleted', 10, 5).outcome, 'timed-out');
  });

  test('-l: every pod ready is reached; a pod by name: ready, then deleted once it is gone', () => {
    const state = stateAt(ok, ok.snapshots.length - 1);
    const view = groupView(state, { kind: 'pods', label: '-l app=shop', namespace: ns }, { failRestarts: 2 });
    assert.equal(decideGroup(view, 'ready', 0).outcome, 'reached');
    assert.equal(view.verdict.state, 'complete');
    const name = podsOf(view)[0]!.name;
    const one = groupView(state, { kind: 'pod', namespace: namespaceOf('deploy-ok'), name }, { failRestarts: 2 });
    assert.deepEqual(
      podsOf(one).map((p) => p.name),
      [name],
    );
    assert.equal(decideGroup(one, 'ready', 0).outcome, 'reached');
    assert.equal(decideGroup(one, 'complete', 0).outcome, 'waiting');
    const rec = [...state.pods.values()].find((p) => p.name === name)!;
    const gone = reduce(state, [
      {
        kind: 'pod',
        verb: 'deleted',
        observedAt: (state.lastObservedAt ?? 0) + 1,
        object: { metadata: { name, namespace: rec.namespace, uid: rec.uid } } as never,
      },
    ]);
    assert.equal(decideGroup(groupView(gone, one.target, { failRestarts: 2 }), 'deleted', 0).outcome, 'reached');
  });

  test('a Job pod: complete once Succeeded; a failed one fails --until complete', () => {
    const jobs = loadRolloutFixture('jobs');
    const state = stateAt(jobs, jobs.snapshots.length - 1);
    const jns = namespaceOf('jobs');
    const pods = [...state.pods.values()].filter((p) => !p.deleted);
    const okPod = pods.find((p) => p.name.startsWith('batch-ok-'))!;
    const failPod = pods.find((p) => p.name.startsWith('batch-fail-'))!;
    assert.equal(
      decideGroup(groupView(state, { kind: 'pod', namespace: jns, name: okPod.name }, { failRestarts: 2 }), 'complete', 0).outcome,
      'reached',
    );
    const d = decideGroup(groupView(state, { kind: 'pod', namespace: jns, name: failPod.name }, { failRestarts: 2 }), 'complete', 0);
    assert.equal(d.outcome, 'failed');
    assert.match(d.reason, /cannot become ready/);
    // Ready on a completed pod can never be: failed, naming it.
    const r = decideGroup(groupView(state, { kind: 'pod', namespace: jns, name: okPod.name }, { failRestarts: 2 }), 'ready', 0);
    assert.equal(r.outcome, 'failed');
    assert.match(r.reason, /completed \(phase Succeeded\) and will never be ready/);
  });

  test('--fail-restarts: a higher threshold lets the same crash loop wait', () => {
    const state = stateAt(crash, crash.snapshots.length - 1);
    const t = workloadTarget('deploy-crashloop', 'Deployment', 'shop');
    const strict = groupView(state, t, { failRestarts: 2 });
    const lax = groupView(stateAt(crash, 6), t, { failRestarts: 5 });
    assert.equal(
      strict.verdict.blockers.some((b) => b.rule === 'crash-loop'),
      true,
    );
    assert.equal(
      lax.verdict.blockers.some((b) => b.rule === 'crash-loop'),
      false,
    );
  });
});

describe('the revision of each pod', () => {
  test.each([
    ['deploy-ok', 'Deployment'],
    ['sts-rolling', 'StatefulSet'],
    ['ds-rolling', 'DaemonSet'],
  ] as const)('%s: every pod of the new revision says 2, of the old one 1', (fixture, kind) => {
    const fx = loadRolloutFixture(fixture);
    // A moment with pods of both revisions, and the last one.
    for (const i of [Math.floor(fx.snapshots.length / 2), fx.snapshots.length - 1]) {
      const state = stateAt(fx, i);
      const view = groupView(
        state,
        workloadTarget(fixture, kind, kind === 'Deployment' ? 'shop' : kind === 'StatefulSet' ? 'db' : 'agent'),
        {
          failRestarts: 2,
        },
      );
      for (const g of view.groups)
        for (const p of g.pods) {
          const rec = state.pods.get(p.uid)!;
          assert.equal(podRevision(state, podRow(rec, state)), g.revision, `${fixture} poll ${i} ${p.name}`);
        }
    }
  });

  test('a pod of no workload: undefined', () => {
    const state = stateAt(loadRolloutFixture('jobs'), 0);
    for (const rec of state.pods.values()) assert.equal(podRevision(state, podRow(rec, state)), undefined);
  });
});

describe('which workloads a file shows', () => {
  test.each([
    ['deploy-ok', ['Deployment/shop']],
    ['sts-rolling', ['StatefulSet/db']],
    ['ds-rolling', ['DaemonSet/agent']],
    ['jobs', ['Job/batch-fail', 'Job/batch-ok']],
    ['cronjob', ['CronJob/nightly']],
  ])('%s: %j (not the ReplicaSets, ControllerRevisions or Jobs they control)', (fixture, want) => {
    const fx = loadRolloutFixture(fixture);
    const state = stateAt(fx, fx.snapshots.length - 1, 'file');
    assert.deepEqual(
      topWorkloads(state).map((t) => `${t.workloadKind}/${t.name}`),
      want,
    );
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'fe' };
  test.each([
    [{ matchLabels: { app: 'web' }, matchExpressions: [] }, true],
    [{ matchLabels: { app: 'api' }, matchExpressions: [] }, false],
    [{ matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, true],
    [{ matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'In', values: ['be'] }] }, false],
    [{ matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['be'] }] }, true],
    [{ matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] }, false],
    [{ matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'Exists', values: [] }] }, true],
    [{ matchLabels: {}, matchExpressions: [{ key: 'zone', operator: 'Exists', values: [] }] }, false],
    [{ matchLabels: {}, matchExpressions: [{ key: 'zone', operator: 'DoesNotExist', values: [] }] }, true],
    [{ matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, false],
    // An empty selector selects nothing here (a workload always has one).
    [{ matchLabels: {}, matchExpressions: [] }, false],
  ])('%j: %s', (sel, want) => {
    assert.equal(matchesSelector(labels, sel), want);
  });
});

describe('the memo and the rows', () => {
  const fx = loadRolloutFixture('deploy-crashloop');
  const target = workloadTarget('deploy-crashloop', 'Deployment', 'shop');
  const state = stateAt(fx, fx.snapshots.length - 1);

  test('a connection note or the clock changes nothing: the same view object', () => {
    const select = groupSelector(target, { failRestarts: 2 });
    const a = select(state);
    const noted: ModelState = reduce(state, [
      { kind: 'connection', observedAt: (state.lastObservedAt ?? 0) + 1, state: 'reconnecting', message: 'x' },
    ]);
    assert.notEqual(noted, state);
    assert.equal(select(noted), a);
  });

  test('one pod changed: a new view, and every other pod keeps its row object', () => {
    const select = groupSelector(target, { failRestarts: 2 });
    const a = select(state);
    const rec = [...state.pods.values()].find((p) => !p.deleted && !p.replaced)!;
    const raw = fx.snapshots.at(-1)!.items.find((o) => (o['metadata'] as { uid?: string }).uid === rec.uid)!;
    const changed = { ...raw, metadata: { ...(raw['metadata'] as object), resourceVersion: 'changed', labels: rec.snapshot.labels } };
    const next = reduce(state, [{ kind: 'pod', verb: 'modified', observedAt: (state.lastObservedAt ?? 0) + 1, object: changed as never }]);
    const b = select(next);
    assert.notEqual(b, a);
    const before = new Map(podsOf(a).map((p) => [p.uid, p]));
    for (const p of podsOf(b)) {
      if (p.uid === rec.uid) assert.notEqual(p, before.get(p.uid), 'the changed pod has a new row');
      else assert.equal(p, before.get(p.uid), `${p.name} keeps its row`);
    }
  });
});

describe('a pods view patched from the previous one', () => {
  // The selector hands its previous view to groupView, which puts the changed rows in place when
  // nothing the groups, counts, findings or verdict read changed: the result must equal a rebuild.
  const target: GroupTarget = { kind: 'pods', label: '-l app=shop', namespace: namespaceOf('deploy-crashloop') };
  const o = { failRestarts: 2 };
  const tick = (
    state: ModelState,
    uid: string,
    message: string,
    edit: (status: Record<string, unknown>) => void = () => {},
  ): ModelState => {
    const fx = loadRolloutFixture('deploy-crashloop');
    const raw = fx.snapshots
      .flatMap((s) => s.items)
      .filter((x) => (x['metadata'] as { uid?: string }).uid === uid)
      .at(-1)!;
    const status = { ...(raw['status'] as Record<string, unknown>) };
    status['conditions'] = [
      ...((status['conditions'] as unknown[] | undefined) ?? []),
      { type: 'podlife.test/Tick', status: 'True', reason: 'Tick', message },
    ];
    edit(status);
    const object = { ...raw, metadata: { ...(raw['metadata'] as object), resourceVersion: `tick-${message}` }, status };
    return reduce(state, [{ kind: 'pod', verb: 'modified', observedAt: (state.lastObservedAt ?? 0) + 1000, object: object as never }]);
  };

  test('at every poll of every fixture, the selector says what a fresh groupView says', () => {
    for (const [fixture] of TARGETS) {
      const fx = loadRolloutFixture(fixture);
      const t: GroupTarget = { kind: 'pods', label: '-l x', namespace: namespaceOf(fixture) };
      const select = groupSelector(t, o);
      for (let i = 0; i < fx.snapshots.length; i++) {
        const state = stateAt(fx, i);
        assert.deepEqual(select(state), groupView(state, t, o), `${fixture} poll ${i}`);
      }
    }
  });

  test('a change that moves nothing is patched in (the verdict object is kept) and equals a rebuild', () => {
    const fx = loadRolloutFixture('deploy-crashloop');
    let state = stateAt(fx, fx.snapshots.length - 1);
    const select = groupSelector(target, o);
    const first = select(state);
    const pods = podsOf(first).filter((p) => !p.deleting);
    assert.ok(pods.length >= 3);
    let previous = first;
    for (let i = 0; i < 12; i++) {
      const pod = pods[i % pods.length]!;
      state = tick(state, pod.uid, `tick ${i}`);
      const view = select(state);
      assert.notEqual(view, previous);
      assert.equal(view.verdict, previous.verdict, 'patched: the verdict is the one already made');
      assert.deepEqual(view, groupView(state, target, o));
      assert.notEqual(
        podsOf(view).find((p) => p.uid === pod.uid),
        podsOf(previous).find((p) => p.uid === pod.uid),
      );
      previous = view;
    }
  });

  test('a change that moves a pod (its STATUS, readiness or deletion) is rebuilt, and equals a rebuild', () => {
    const fx = loadRolloutFixture('deploy-crashloop');
    let state = stateAt(fx, fx.snapshots.length - 1);
    const select = groupSelector(target, o);
    const before = select(state);
    const pod = podsOf(before).find((p) => !p.deleting && p.status === 'Running')!;
    // status.reason alone: kubectl's STATUS column says it, the phase stays.
    const renamed = tick(state, pod.uid, 'renamed', (status) => {
      status['reason'] = 'PodlifeTest';
    });
    const view = select(renamed);
    assert.equal(podsOf(view).find((p) => p.uid === pod.uid)!.status, 'PodlifeTest');
    assert.deepEqual(view, groupView(renamed, target, o));
    state = tick(renamed, pod.uid, 'failed', (status) => {
      status['phase'] = 'Failed';
      status['reason'] = 'Evicted';
    });
    const after = select(state);
    assert.notEqual(after.verdict, before.verdict);
    assert.deepEqual(after, groupView(state, target, o));
    // Readiness: another ready pod's Ready condition turns False, then the pod the one after it ticks.
    const other = podsOf(after).find((p) => p.uid !== pod.uid && !p.deleting && p.isReady)!;
    assert.ok(other, 'a ready pod to flip');
    state = tick(state, other.uid, 'unready', (status) => {
      status['conditions'] = (status['conditions'] as { type: string }[]).map((c) =>
        c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False' } : c,
      );
    });
    const unready = select(state);
    assert.equal(podsOf(unready).find((p) => p.uid === other.uid)!.isReady, false);
    assert.deepEqual(unready, groupView(state, target, o));
    state = tick(state, other.uid, 'again');
    assert.deepEqual(select(state), groupView(state, target, o));
  });
});

describe('progress lines', () => {
  test.each([
    [
      'deploy-ok',
      'Deployment',
      'shop',
      /^deployment\/shop revision 1 -> 2: 3 of 3 updated, 3 ready, 3 available; new: 3 Running; complete: deployment "shop" successfully rolled out$/,
    ],
    [
      'deploy-crashloop',
      'Deployment',
      'shop',
      /^deployment\/shop revision 1 -> 2: 1 of 3 updated, 3 ready, 3 available; new: 1 CrashLoopBackOff; old 1: 3 Running; stuck: new revision 2 cannot become available$/,
    ],
    ['jobs', 'Job', 'batch-fail', /^job\/batch-fail; job batch-fail: 2 Error; failed: job\/batch-fail failed: BackoffLimitExceeded/],
    ['cronjob', 'CronJob', 'nightly', /^cronjob\/nightly; newest job nightly-\d+: 1 Completed; complete: job\/nightly-\d+ completed/],
  ] as const)('%s %s/%s', (fixture, kind, name, want) => {
    const fx = loadRolloutFixture(fixture);
    const view = groupView(stateAt(fx, fx.snapshots.length - 1), workloadTarget(fixture, kind, name), { failRestarts: 2 });
    assert.match(progressLine(view), want);
  });
});
