// The rollout model (src/model/rollout.ts) on workloads recorded from the real cluster
// (test/fixtures/rollout): kubectl rollout status as the real kubectl printed it at each moment,
// revisions and their pods, budgets, the progress deadline, the verdict, the --until decisions,
// and variations of the recorded moments for the rules the scenarios do not reach.

import { describe, expect, test } from 'vitest';
import {
  decideUntil,
  kubectlRolloutStatus,
  progressDeadlineText,
  rolloutView,
  verdictLine,
  type RolloutInput,
  type RolloutPod,
  type RolloutView,
  type UntilTarget,
} from '../../src/model/rollout.ts';
import { conditionOf, readWorkload, type WorkloadKind, type WorkloadSnapshot } from '../../src/model/workload.ts';
import {
  findSnapshot,
  loadRolloutFixture,
  rolloutFixtureNames,
  rolloutInputAt,
  workloadsOf,
  type FixtureSnapshot,
} from '../helpers/rollout-fixtures.ts';

type Pick = (s: FixtureSnapshot, input: RolloutInput) => boolean;
interface Moment {
  readonly fixture: string;
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly what: string;
  readonly pick: Pick | 'first' | 'last';
}

const TARGET: Record<string, readonly [WorkloadKind, string]> = {
  deploy: ['Deployment', 'shop'],
  sts: ['StatefulSet', 'db'],
  ds: ['DaemonSet', 'agent'],
};

function inputOf(m: Moment): RolloutInput {
  const fx = loadRolloutFixture(m.fixture);
  if (m.pick === 'first') return rolloutInputAt(fx, 0, m.kind, m.name);
  if (m.pick === 'last') return rolloutInputAt(fx, fx.snapshots.length - 1, m.kind, m.name);
  const pick = m.pick;
  const i = findSnapshot(fx, (s, j) => pick(s, rolloutInputAt(fx, j, m.kind, m.name)), m.what);
  return rolloutInputAt(fx, i, m.kind, m.name);
}

/** Table rows named by their moment. */
function named<T extends readonly [Moment, ...unknown[]]>(rows: readonly T[]): (readonly [string, ...T])[] {
  return rows.map((r) => [`${r[0].fixture} ${r[0].kind}/${r[0].name} (${r[0].what})`, ...r] as const);
}

const kubectlSays =
  (re: RegExp): Pick =>
  (s) =>
    re.test(`${s.rolloutStatus?.stdout ?? ''}${s.rolloutStatus?.stderr ?? ''}`);
const newPod =
  (pred: (p: RolloutPod) => boolean): Pick =>
  (_s, input) =>
    rolloutView(input).revisions.some((g) => g.role === 'new' && g.pods.some(pred));
const waitingIn = (reason: string): Pick => newPod((p) => p.containers.some((c) => c.state === 'waiting' && c.reason === reason));
const moment = (fixture: string, what: string, pick: Moment['pick'], kind?: WorkloadKind, name?: string): Moment => {
  const [k, n] = kind && name ? [kind, name] : TARGET[fixture.split('-')[0]!]!;
  return { fixture, kind: k, name: n, what, pick };
};

describe('kubectl rollout status, ported: the same answer as the real kubectl at every recorded moment', () => {
  const cases = rolloutFixtureNames().flatMap((f) =>
    loadRolloutFixture(f).snapshots.flatMap((s, i) => (s.rolloutStatus ? [[`${f}#${i}`, f, i] as const] : [])),
  );
  test.each(cases)('%s', (_label, f, i) => {
    const s = loadRolloutFixture(f).snapshots[i]!;
    const [kind, name] = TARGET[f.split('-')[0]!]!;
    const w = workloadsOf(s).find((x) => x.kind === kind && x.name === name)!;
    const got = kubectlRolloutStatus(w)!;
    const real = s.rolloutStatus!;
    if (real.code === 0) expect(`${got.message}\n`).toBe(real.stdout);
    else expect(`error: ${got.error}\n`).toBe(real.stderr);
    expect(got.error === undefined).toBe(real.code === 0);
  });

  test('no status viewer for ReplicaSets, Jobs and CronJobs', () => {
    const s = loadRolloutFixture('deploy-ok').snapshots.at(-1)!;
    expect(kubectlRolloutStatus(workloadsOf(s).find((w) => w.kind === 'ReplicaSet')!)).toBeUndefined();
    expect(kubectlRolloutStatus(workloadsOf(loadRolloutFixture('jobs').snapshots.at(-1)!).find((w) => w.kind === 'Job')!)).toBeUndefined();
  });
});

describe('revisions and their pods', () => {
  // Invariants on every recorded moment: every pod in exactly one revision, new first, old by revision down,
  // the new revision's pods carry its hash.
  const all = rolloutFixtureNames().flatMap((f) => {
    const targets: [WorkloadKind, string][] =
      f === 'jobs'
        ? [
            ['Job', 'batch-ok'],
            ['Job', 'batch-fail'],
          ]
        : f === 'cronjob'
          ? [['CronJob', 'nightly']]
          : [[...TARGET[f.split('-')[0]!]!]];
    return loadRolloutFixture(f).snapshots.flatMap((_s, i) => targets.map(([k, n]) => [`${f}#${i} ${k}/${n}`, f, i, k, n] as const));
  });
  test.each(all)('%s', (_label, f, i, kind, name) => {
    const input = rolloutInputAt(loadRolloutFixture(f), i, kind, name);
    const v = rolloutView(input);
    const placed = v.revisions.flatMap((g) => g.pods.map((p) => p.uid));
    expect([...placed].sort()).toEqual(input.pods.map((p) => p.uid).sort());
    const roles = v.revisions.map((g) => g.role);
    if (roles.includes('new')) expect(roles[0]).toBe('new');
    const olds = v.revisions.filter((g) => g.role === 'old' && g.revision !== undefined).map((g) => g.revision!);
    expect(olds).toEqual([...olds].sort((a, b) => b - a));
    const ng = v.revisions.find((g) => g.role === 'new');
    for (const p of ng?.pods ?? []) {
      if (kind === 'Deployment') expect(`shop-${p.revisionKey}`).toBe(ng!.name);
      if (kind === 'StatefulSet') expect(p.revisionKey).toBe(ng!.name);
      if (kind === 'DaemonSet') expect(ng!.name).toBe(`agent-${p.revisionKey}`);
      if (kind === 'Job' || kind === 'CronJob') expect(p.owner?.name).toBe(ng!.name);
    }
    for (const g of v.revisions) expect(g.counts.reduce((n, c) => n + c.count, 0)).toBe(g.pods.length);
  });

  test.each(
    named([
      [moment('deploy-ok', 'the rollout starts', kubectlSays(/1 out of 3 new replicas/)), '1 -> 2', ['new 2: 1', 'old 1: 3 Running']],
      [
        moment('deploy-ok', 'old pods are pending termination', kubectlSays(/old replicas are pending termination/)),
        '1 -> 2',
        ['new 2: 3 Running', 'old 1: '],
      ],
      [moment('deploy-ok', 'done', 'last'), '1 -> 2', ['new 2: 3 Running']],
      [moment('deploy-quota', 'FailedCreate', 'last'), '1 -> 2', ['new 2: no pods', 'old 1: 3 Running']],
      [moment('deploy-crashloop', 'done', 'last'), '1 -> 2', ['new 2: 1 CrashLoopBackOff', 'old 1: 3 Running']],
      [moment('sts-rolling', 'the first pod is replaced', kubectlSays(/1 out of 3 new pods/)), '1 -> 2', ['new 2: 1 Running', 'old 1: ']],
      [moment('sts-rolling', 'done', 'last'), '1 -> 2', ['new 2: 3 Running']],
      [moment('ds-rolling', 'done', 'last'), '1 -> 2', ['new 2: 1 Running']],
      [moment('jobs', 'failed', 'last', 'Job', 'batch-fail'), 'batch-fail', ['new : 2 Error']],
      [moment('cronjob', 'the Job completed', 'last', 'CronJob', 'nightly'), undefined, ['new : 1 Completed']],
    ] as const),
  )('%s: revision %s, groups %j', (_l, m, revision, groups) => {
    const v = rolloutView(inputOf(m));
    if (revision !== undefined) expect(v.revision.text).toBe(revision);
    const got = v.revisions.map((g) => `${g.role} ${g.revision ?? ''}: ${g.countsText}`);
    expect(got.length).toBe(groups.length);
    groups.forEach((want, i) => expect(got[i]!.startsWith(want), `${got[i]} starts with ${want}`).toBe(true));
  });

  test('failing pods sort first, then changing, then healthy', () => {
    const input = inputOf(moment('deploy-crashloop', 'done', 'last'));
    const old = rolloutView(input).revisions.find((g) => g.role === 'old')!;
    // Make one old pod fail and one change: the order follows.
    const [a, b, c] = old.pods;
    const failing: RolloutPod = {
      ...c!,
      containers: c!.containers.map((x) => ({ ...x, state: 'waiting', reason: 'CrashLoopBackOff', ready: false, restartCount: 1 })),
    };
    const changing: RolloutPod = { ...b!, isReady: false };
    const v = rolloutView({ ...input, pods: input.pods.map((p) => (p.uid === c!.uid ? failing : p.uid === b!.uid ? changing : p)) });
    expect(v.revisions.find((g) => g.role === 'old')!.pods.map((p) => p.name)).toEqual([c!.name, b!.name, a!.name]);
  });

  test('findings are aggregated per revision', () => {
    const v = rolloutView(inputOf(moment('deploy-crashloop', 'done', 'last')));
    const ng = v.revisions[0]!;
    expect(ng.findings.length).toBeGreaterThan(0);
    expect(ng.findings[0]).toMatch(/^1 of 1 new pods: crash loop: the process exits with 3/);
  });
});

describe('budgets', () => {
  test.each(
    named([
      [moment('deploy-ok', 'done', 'last'), 'maxSurge 1 -> at most 4 pods; maxUnavailable 0 -> at least 3 available'],
      [moment('sts-rolling', 'done', 'last'), 'one pod at a time (OrderedReady); partition 0'],
      [moment('ds-rolling', 'done', 'last'), 'maxSurge 0; maxUnavailable 1 -> at most 1 of 1 nodes without an available pod'],
      [moment('jobs', 'done', 'last', 'Job', 'batch-fail'), 'parallelism 1, completions 1, backoffLimit 1'],
      [moment('cronjob', 'done', 'last', 'CronJob', 'nightly'), 'schedule "* * * * *", concurrencyPolicy Forbid'],
    ] as const),
  )('%s: %s', (_l, m, text) => {
    expect(rolloutView(inputOf(m)).budget?.text).toBe(text);
  });

  test.each([
    [
      { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      'maxSurge 25% (1) -> at most 4 pods; maxUnavailable 25% (0) -> at least 3 available',
    ],
    [
      { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '50%' } },
      'maxSurge 0 -> at most 3 pods; maxUnavailable 50% (1) -> at least 2 available',
    ],
    [{ type: 'Recreate' }, 'Recreate: every old pod stops before the new ones start'],
  ])('the recorded Deployment with strategy %j: %s', (strategy, text) => {
    const input = inputOf(moment('deploy-ok', 'done', 'last'));
    const w = vary(input.workload!, (o) => ((o['spec'] as Record<string, unknown>)['strategy'] = strategy));
    expect(rolloutView({ ...input, workload: w }).budget?.text).toBe(text);
  });
});

/** A variation of a recorded workload: its wire object changed, read again. */
function vary(w: WorkloadSnapshot, change: (o: Record<string, unknown>) => void): WorkloadSnapshot {
  const fx = rolloutFixtureNames()
    .map(loadRolloutFixture)
    .flatMap((f) => f.snapshots)
    .flatMap((s) => s.items)
    .find(
      (o) =>
        (o['metadata'] as { uid?: string }).uid === w.uid &&
        (o['metadata'] as { resourceVersion?: string }).resourceVersion === w.resourceVersion,
    );
  const o = structuredClone(fx!);
  change(o);
  return readWorkload(o)!;
}

describe('the progress deadline', () => {
  const counting = (): RolloutInput => inputOf(moment('deploy-crashloop', 'the rollout starts', kubectlSays(/1 out of 3 new replicas/)));

  test('counts from the Progressing condition lastUpdateTime + progressDeadlineSeconds', () => {
    const input = counting();
    const v = rolloutView(input);
    const cond = conditionOf(input.workload!, 'Progressing')!;
    expect(v.progressDeadline).toEqual({ seconds: 40, at: cond.lastUpdateTime! + 40_000, exceeded: false, marked: false });
    expect(progressDeadlineText(v.progressDeadline, input.now)).toBe(
      `progress deadline in ${Math.round((cond.lastUpdateTime! + 40_000 - input.now) / 1000)}s`,
    );
    // Past it, before the controller marks it.
    const later = rolloutView({ ...input, now: cond.lastUpdateTime! + 45_000 });
    expect(later.progressDeadline).toMatchObject({ exceeded: true, marked: false });
    expect(progressDeadlineText(later.progressDeadline, cond.lastUpdateTime! + 45_000)).toBe(
      'progress deadline passed 5s ago (the controller has not marked it yet)',
    );
    expect(later.verdict.blockers.map((b) => b.rule)).not.toContain('progress-deadline');
  });

  test.each(['deploy-crashloop', 'deploy-quota'])(
    '%s: the real controller marked it at or soon after the deadline computed from the last counting moment',
    (f) => {
      const fx = loadRolloutFixture(f);
      const views = fx.snapshots.map((s, i) => [s, rolloutView(rolloutInputAt(fx, i, 'Deployment', 'shop'))] as const);
      const beforeMark = views.filter(([, v]) => v.progressDeadline?.at !== undefined && !v.progressDeadline.marked).at(-1)![1];
      const marked = views.find(([, v]) => v.progressDeadline?.marked)![1];
      const lag = marked.progressDeadline!.at! - beforeMark.progressDeadline!.at!;
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(10_000);
      expect(progressDeadlineText(marked.progressDeadline, marked.progressDeadline!.at! + 12_000)).toBe(
        'progress deadline exceeded 12s ago',
      );
    },
  );

  test.each([
    ['complete (NewReplicaSetAvailable)', moment('deploy-ok', 'done', 'last'), (o: Record<string, unknown>): void => void o],
    [
      'paused',
      moment('deploy-crashloop', 'the rollout starts', kubectlSays(/1 out of 3 new replicas/)),
      (o: Record<string, unknown>): void => void ((o['spec'] as Record<string, unknown>)['paused'] = true),
    ],
    [
      'no deadline (MaxInt32)',
      moment('deploy-crashloop', 'the rollout starts', kubectlSays(/1 out of 3 new replicas/)),
      (o: Record<string, unknown>): void => void ((o['spec'] as Record<string, unknown>)['progressDeadlineSeconds'] = 2147483647),
    ],
  ])('nothing counts when %s', (_what, m, change) => {
    const input = inputOf(m);
    const v = rolloutView({ ...input, workload: vary(input.workload!, change) });
    expect(v.progressDeadline?.at).toBeUndefined();
    expect(progressDeadlineText(v.progressDeadline, input.now)).toBeUndefined();
  });
});

describe('the verdict', () => {
  test.each(
    named([
      [moment('deploy-ok', 'before the change', 'first'), 'complete', /^deployment "shop" successfully rolled out$/, []],
      [
        moment('deploy-ok', 'the rollout starts', kubectlSays(/1 out of 3 new replicas/)),
        'progressing',
        /1 out of 3 new replicas have been updated$/,
        [],
      ],
      [
        moment('deploy-ok', 'old pods are pending termination', kubectlSays(/old replicas are pending termination/)),
        'progressing',
        /1 old replicas are pending termination$/,
        [],
      ],
      [moment('deploy-ok', 'done', 'last'), 'complete', /successfully rolled out/, []],
      [
        moment(
          'deploy-crashloop',
          'the first crash',
          newPod((p) => p.restarts === 1),
        ),
        'progressing',
        /new replicas have been updated/,
        [],
      ],
      [
        moment(
          'deploy-crashloop',
          'the second restart',
          newPod((p) => p.restarts >= 2),
        ),
        'stuck',
        /^new revision 2 cannot become available$/,
        ['crash-loop'],
      ],
      [
        moment('deploy-crashloop', 'ProgressDeadlineExceeded', 'last'),
        'stuck',
        /^new revision 2 cannot become available$/,
        ['crash-loop', 'progress-deadline'],
      ],
      [
        moment('deploy-quota', 'the first FailedCreate', kubectlSays(/0 out of 3 new replicas/)),
        'stuck',
        /^new revision 2 cannot become available$/,
        ['failed-create'],
      ],
      [
        moment('deploy-quota', 'ProgressDeadlineExceeded', 'last'),
        'stuck',
        /^new revision 2 cannot become available$/,
        ['failed-create', 'progress-deadline'],
      ],
      [moment('deploy-image', 'ErrImagePull', waitingIn('ErrImagePull')), 'progressing', /1 out of 3/, []],
      [moment('deploy-image', 'ImagePullBackOff', waitingIn('ImagePullBackOff')), 'stuck', /cannot become available/, ['image-pull']],
      [
        moment('deploy-config', 'CreateContainerConfigError', waitingIn('CreateContainerConfigError')),
        'stuck',
        /cannot become available/,
        ['config-error'],
      ],
      [
        moment(
          'deploy-unschedulable',
          'Unschedulable',
          newPod((p) => p.unschedulable !== undefined),
        ),
        'stuck',
        /cannot become available/,
        ['unschedulable'],
      ],
      [
        moment('sts-rolling', 'mid-rollout', kubectlSays(/Waiting for 1 pods to be ready/)),
        'progressing',
        /^waiting for 1 pods to be ready$/,
        [],
      ],
      [moment('sts-rolling', 'done', 'last'), 'complete', /^partitioned roll out complete: 3 new pods have been updated\.\.\.$/, []],
      [
        moment('ds-rolling', 'mid-rollout', kubectlSays(/updated pods are available/)),
        'progressing',
        /0 of 1 updated pods are available$/,
        [],
      ],
      [moment('ds-rolling', 'done', 'last'), 'complete', /^daemon set "agent" successfully rolled out$/, []],
      [moment('jobs', 'not created yet', 'first', 'Job', 'batch-ok'), 'failed', /^job\/batch-ok does not exist$/, ['deleted']],
      [
        moment(
          'jobs',
          'running',
          newPod((p) => p.status === 'Running'),
          'Job',
          'batch-ok',
        ),
        'progressing',
        /^job\/batch-ok running: 0 succeeded, 0 failed, 1 active$/,
        [],
      ],
      [moment('jobs', 'done', 'last', 'Job', 'batch-ok'), 'complete', /^job\/batch-ok completed: 1 succeeded, 0 failed, 0 active$/, []],
      [
        moment(
          'jobs',
          'first failure',
          newPod((p) => p.status === 'Error'),
          'Job',
          'batch-fail',
        ),
        'progressing',
        /^job\/batch-fail running/,
        [],
      ],
      [moment('jobs', 'done', 'last', 'Job', 'batch-fail'), 'failed', /^job\/batch-fail failed: BackoffLimitExceeded/, ['job-failed']],
      [
        moment('cronjob', 'no Job yet', (_s, i) => i.workload !== undefined && i.children.length === 0, 'CronJob', 'nightly'),
        'progressing',
        /^no Job yet \(schedule "\* \* \* \* \*"\)$/,
        [],
      ],
      [
        moment(
          'cronjob',
          'the Job runs',
          newPod((p) => p.status === 'Running'),
          'CronJob',
          'nightly',
        ),
        'progressing',
        /^job\/nightly-\d+ running/,
        [],
      ],
      [moment('cronjob', 'done', 'last', 'CronJob', 'nightly'), 'complete', /^job\/nightly-\d+ completed: 1 succeeded/, []],
    ] as const),
  )('%s: %s %s %j', (_l, m, state, reason, rules) => {
    const v = rolloutView(inputOf(m));
    expect(v.verdict.state).toBe(state);
    expect(v.verdict.reason).toMatch(reason);
    expect(v.verdict.blockers.map((b) => b.rule)).toEqual(rules);
    if (state === 'stuck') expect(v.verdict.evidence.length).toBeGreaterThan(0);
  });

  test('the verdict line of the crash loop after the deadline names the pod, the exit code, the back-off and the deadline', () => {
    const input = inputOf(moment('deploy-crashloop', 'ProgressDeadlineExceeded', 'last'));
    const v = rolloutView(input);
    const pod = v.revisions[0]!.pods[0]!;
    const ago = Math.round((input.now - v.progressDeadline!.at!) / 1000);
    expect(verdictLine(v, input.now)).toBe(
      `stuck: new revision 2 cannot become available: pod ${pod.name} CrashLoopBackOff (exit 3, 3 restarts, back-off 40s); progress deadline exceeded ${ago}s ago`,
    );
    expect(v.verdict.pods).toEqual([pod.name]);
    expect(v.verdict.evidence[0]).toMatch(
      /^condition Progressing=False ProgressDeadlineExceeded: ReplicaSet "shop-[a-z0-9]+" has timed out progressing\.$/,
    );
  });

  test('the verdict line of the quota names the ReplicaSet and the quota', () => {
    const input = inputOf(moment('deploy-quota', 'the first FailedCreate', kubectlSays(/0 out of 3 new replicas/)));
    const v = rolloutView(input);
    expect(verdictLine(v, input.now)).toMatch(
      /^stuck: new revision 2 cannot become available: ReplicaSet shop-[a-z0-9]+ cannot create pods: exceeded quota: pods3, requested: pods=1, used: pods=3, limited: pods=3; progress deadline in \d+s$/,
    );
    expect(v.events.some((e) => e.reason === 'FailedCreate' && e.involvedKind === 'ReplicaSet')).toBe(true);
  });

  test('--fail-restarts: below the threshold a crash-looping new pod is not yet a blocker', () => {
    const input = inputOf(
      moment(
        'deploy-crashloop',
        'the second restart',
        newPod((p) => p.restarts === 2),
      ),
    );
    expect(rolloutView(input, { failRestarts: 2 }).verdict.state).toBe('stuck');
    expect(rolloutView(input, { failRestarts: 3 }).verdict.state).toBe('progressing');
    expect(rolloutView(input, { failRestarts: 1 }).verdict.state).toBe('stuck');
  });

  test('an unschedulable new pod is not a blocker while a pod of the workload is terminating (its room may free up)', () => {
    const input = inputOf(
      moment(
        'deploy-unschedulable',
        'Unschedulable',
        newPod((p) => p.unschedulable !== undefined),
      ),
    );
    const old = rolloutView(input).revisions.find((g) => g.role === 'old')!.pods[0]!;
    const v = rolloutView({ ...input, pods: input.pods.map((p) => (p.uid === old.uid ? { ...p, deleting: true } : p)) });
    expect(v.verdict.state).toBe('progressing');
    const nominated = rolloutView({
      ...input,
      pods: input.pods.map((p) => (p.unschedulable ? { ...p, nominatedNode: 'podlife-node' } : p)),
    });
    expect(nominated.verdict.state).toBe('progressing');
  });

  test('FailedCreate is not a blocker while a pod of the workload is terminating, nor once the ReplicaSet has its pods', () => {
    const input = inputOf(moment('deploy-quota', 'the first FailedCreate', kubectlSays(/0 out of 3 new replicas/)));
    const terminating = rolloutView({ ...input, pods: input.pods.map((p, i) => (i === 0 ? { ...p, deleting: true } : p)) });
    expect(terminating.verdict.state).toBe('progressing');
    const rs = input.children.find((c) => conditionOf(c, 'ReplicaFailure'))!;
    const full = vary(rs, (o) => ((o['status'] as Record<string, unknown>)['replicas'] = 1));
    expect(rolloutView({ ...input, children: input.children.map((c) => (c === rs ? full : c)) }).verdict.state).toBe('progressing');
  });

  test('a FailedCreate event older than the last SuccessfulCreate of the same object is history, not a blocker', () => {
    const input = inputOf(moment('sts-rolling', 'mid-rollout', kubectlSays(/Waiting for 1 pods to be ready/)));
    const created = input.events
      .filter((e) => e.reason === 'SuccessfulCreate')
      .sort((a, b) => (a.lastAt ?? 0) - (b.lastAt ?? 0))
      .at(-1)!;
    const sts = vary(input.workload!, (o) => ((o['status'] as Record<string, unknown>)['replicas'] = 2));
    const failed = {
      ...created,
      key: 'x',
      type: 'Warning',
      reason: 'FailedCreate',
      message: 'create Pod db-0 in StatefulSet db failed error: exceeded quota',
    };
    const old = rolloutView({ ...input, workload: sts, events: [...input.events, { ...failed, lastAt: created.lastAt! - 1000 }] });
    expect(old.verdict.blockers).toEqual([]);
    const fresh = rolloutView({ ...input, workload: sts, events: [...input.events, { ...failed, lastAt: created.lastAt! + 1000 }] });
    expect(fresh.verdict.blockers.map((b) => [b.rule, b.text])).toEqual([
      ['failed-create', 'StatefulSet db cannot create pods: create Pod db-0 in StatefulSet db failed error: exceeded quota'],
    ]);
  });

  test.each([
    [
      'spec.paused',
      moment('deploy-crashloop', 'the rollout starts', kubectlSays(/1 out of 3 new replicas/)),
      (o: Record<string, unknown>): void => void ((o['spec'] as Record<string, unknown>)['paused'] = true),
      'paused',
      /is paused/,
    ],
    [
      'OnDelete',
      moment('sts-rolling', 'mid-rollout', kubectlSays(/Waiting for 1 pods to be ready/)),
      (o: Record<string, unknown>): void => void ((o['spec'] as Record<string, unknown>)['updateStrategy'] = { type: 'OnDelete' }),
      'paused',
      /OnDelete/,
    ],
    [
      'deletionTimestamp',
      moment('deploy-ok', 'done', 'last'),
      (o: Record<string, unknown>): void => void ((o['metadata'] as Record<string, unknown>)['deletionTimestamp'] = '2026-12-01T13:03:00Z'),
      'failed',
      /is being deleted/,
    ],
    [
      'a new generation not observed yet',
      moment('deploy-ok', 'done', 'last'),
      (o: Record<string, unknown>): void => void ((o['metadata'] as Record<string, unknown>)['generation'] = 3),
      'progressing',
      /^waiting for deployment spec update to be observed$/,
    ],
  ] as const)('%s', (_what, m, change, state, reason) => {
    const input = inputOf(m);
    const v = rolloutView({ ...input, workload: vary(input.workload!, change) });
    expect(v.verdict.state).toBe(state);
    expect(v.verdict.reason).toMatch(reason);
  });
});

describe('--until', () => {
  const decide = (m: Moment, until: UntilTarget, options?: { failRestarts: number }): ReturnType<typeof decideUntil> => {
    const input = inputOf(m);
    return decideUntil(rolloutView(input, options), until, input.now);
  };

  test.each(
    named([
      [moment('deploy-ok', 'the rollout starts', kubectlSays(/1 out of 3 new replicas/)), 'available', 'waiting'],
      [moment('deploy-ok', 'done', 'last'), 'available', 'reached'],
      [moment('deploy-ok', 'done', 'last'), 'ready', 'reached'],
      [moment('deploy-ok', 'done', 'last'), 'rolled-out', 'reached'],
      [moment('deploy-ok', 'done', 'last'), 'complete', 'reached'],
      [moment('deploy-ok', 'done', 'last'), 'deleted', 'waiting'],
      [
        moment(
          'deploy-crashloop',
          'the first crash',
          newPod((p) => p.restarts === 1),
        ),
        'available',
        'waiting',
      ],
      [
        moment(
          'deploy-crashloop',
          'the second restart',
          newPod((p) => p.restarts >= 2),
        ),
        'available',
        'failed',
      ],
      [
        moment(
          'deploy-crashloop',
          'the second restart',
          newPod((p) => p.restarts >= 2),
        ),
        'deleted',
        'waiting',
      ],
      [moment('deploy-crashloop', 'ProgressDeadlineExceeded', 'last'), 'rolled-out', 'failed'],
      [moment('deploy-quota', 'the first FailedCreate', kubectlSays(/0 out of 3 new replicas/)), 'available', 'failed'],
      [moment('deploy-image', 'ImagePullBackOff', waitingIn('ImagePullBackOff')), 'ready', 'failed'],
      [moment('deploy-config', 'CreateContainerConfigError', waitingIn('CreateContainerConfigError')), 'available', 'failed'],
      [
        moment(
          'deploy-unschedulable',
          'Unschedulable',
          newPod((p) => p.unschedulable !== undefined),
        ),
        'available',
        'failed',
      ],
      [moment('sts-rolling', 'all updated, one not ready', kubectlSays(/Waiting for 1 pods to be ready/)), 'ready', 'waiting'],
      [moment('sts-rolling', 'done', 'last'), 'available', 'reached'],
      [moment('ds-rolling', 'mid-rollout', kubectlSays(/updated pods are available/)), 'available', 'waiting'],
      [moment('ds-rolling', 'done', 'last'), 'rolled-out', 'reached'],
      [
        moment(
          'jobs',
          'running and ready',
          newPod((p) => p.isReady),
          'Job',
          'batch-ok',
        ),
        'ready',
        'reached',
      ],
      [
        moment(
          'jobs',
          'running and ready',
          newPod((p) => p.isReady),
          'Job',
          'batch-ok',
        ),
        'complete',
        'waiting',
      ],
      [moment('jobs', 'done', 'last', 'Job', 'batch-ok'), 'complete', 'reached'],
      [moment('jobs', 'done', 'last', 'Job', 'batch-fail'), 'complete', 'failed'],
      [moment('cronjob', 'done', 'last', 'CronJob', 'nightly'), 'complete', 'reached'],
    ] as const),
  )('%s --until %s: %s', (_l, m, until, outcome) => {
    expect(decide(m, until).outcome).toBe(outcome);
  });

  test('a failure carries the verdict, its evidence and the pods to diagnose', () => {
    const m = moment('deploy-crashloop', 'ProgressDeadlineExceeded', 'last');
    const d = decide(m, 'available');
    expect(d.reason).toBe('stuck: new revision 2 cannot become available');
    expect(d.pods).toHaveLength(1);
    expect(d.evidence.some((e) => e.includes(`pod ${d.pods[0]} CrashLoopBackOff`))).toBe(true);
  });

  test('deleted: reached once the workload and its pods are gone; timed out when the deadline passes first', () => {
    const input = inputOf(moment('deploy-ok', 'done', 'last'));
    const gone: RolloutInput = { ...input, workload: undefined, children: [] };
    expect(decideUntil(rolloutView(gone), 'deleted', input.now).outcome).toBe('waiting');
    expect(decideUntil(rolloutView({ ...gone, pods: [] }), 'deleted', input.now).outcome).toBe('reached');
    const view: RolloutView = rolloutView(input);
    expect(decideUntil(view, 'deleted', input.now, input.now).outcome).toBe('timed-out');
    expect(decideUntil(view, 'deleted', input.now, input.now + 1).outcome).toBe('waiting');
    // A goal already reached is reached, whatever the clock.
    expect(decideUntil(view, 'available', input.now, input.now - 1).outcome).toBe('reached');
  });

  test('--fail-restarts moves the failure', () => {
    const m = moment(
      'deploy-crashloop',
      'the second restart',
      newPod((p) => p.restarts === 2),
    );
    expect(decide(m, 'available', { failRestarts: 2 }).outcome).toBe('failed');
    expect(decide(m, 'available', { failRestarts: 5 }).outcome).toBe('waiting');
  });
});
