// The kubectl STATUS / READY / RESTARTS columns (printPod in kubernetes/pkg/printers/internalversion
// /printers.go). Objects come from recordings of the real test cluster; variations of them cover the
// printer's branches the scenarios do not reach. The e2e suite compares with the real kubectl live.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { podColumns as columns } from '../../src/model/pod-status.ts';
import { podSnapshot } from '../../src/model/snapshot.ts';
import type { PodJson } from '../../src/model/kube-json.ts';
import { podSnapshots, recording, vary } from '../helpers/fixtures.ts';

/** The columns of a wire object, read as the model reads it (observed "now": no time is in the future). */
const podColumns = (p: PodJson, now: number) => columns(podSnapshot(p, Number.MAX_SAFE_INTEGER), now);

/** The STATUS/READY sequence each pod of a recording went through (by pod name). */
const statuses = (name: string): Map<string, string[]> => {
  const byPod = new Map<string, string[]>();
  for (const p of podSnapshots(recording(name))) {
    const c = podColumns(p, Date.now());
    const seen = byPod.get(p.metadata.name!) ?? [];
    if (seen.at(-1) !== `${c.status} ${c.ready}`) seen.push(`${c.status} ${c.ready}`);
    byPod.set(p.metadata.name!, seen);
  }
  return byPod;
};
const last = (name: string, pred: (p: PodJson) => boolean = () => true): PodJson => {
  const p = podSnapshots(recording(name)).filter(pred).at(-1);
  assert.ok(p, `a snapshot in ${name}`);
  return p;
};

// Recording -> pod name prefix -> the statuses it must show, in this order (others may come between).
const sequences: Record<string, Record<string, string[]>> = {
  crashloop: {
    crashloop: [
      'ContainerCreating 0/1',
      'Running 1/1',
      'Error 0/1',
      'Running 1/1',
      'Error 0/1',
      'CrashLoopBackOff 0/1',
      'Running 1/1',
      'CrashLoopBackOff 0/1',
    ],
  },
  init: { init: ['Init:0/2 0/1', 'Init:1/2 0/1', 'Init:Error 0/1'] },
  oom: { oom: ['OOMKilled 0/1'] },
  'config-error': { 'config-error': ['CreateContainerConfigError 0/1'] },
  unschedulable: { unschedulable: ['Pending 0/1'] },
  sidecar: { sidecar: ['Running 2/2'] },
  'missing-image': { 'missing-image': ['ContainerCreating 0/1', 'ErrImagePull 0/1', 'ImagePullBackOff 0/1', 'ErrImagePull 0/1'] },
  poststart: { poststart: ['ContainerCreating 0/1', 'PostStartHookError 0/1', 'CrashLoopBackOff 0/1'] },
  grace: { grace: ['Running 1/1', 'Terminating 1/1', 'Error 0/1'] },
  liveness: { liveness: ['Running 2/2', 'CrashLoopBackOff 1/2', 'Running 2/2'] },
  jobs: { 'job-ok-': ['Running 1/1', 'Completed 0/1'], 'job-fail-': ['Running 1/1', 'Error 0/1'] },
  ephemeral: { plain: ['Running 1/1'] },
  rollout: { 'shop-': ['Running 1/1'] },
  'rollout-web': { 'web-': ['Running 1/1'] },
  eviction: { eviction: ['Running 1/1', 'Error 0/1'] },
};

test.each(Object.entries(sequences))('the sequence of STATUS/READY the real scenario %s went through', (name, pods) => {
  const seen = statuses(name);
  for (const [prefix, want] of Object.entries(pods)) {
    const matches = [...seen.entries()].filter(([pod]) => pod.startsWith(prefix));
    assert.ok(matches.length > 0, `${name}: a pod named ${prefix}*`);
    for (const [pod, got] of matches) {
      let i = 0;
      for (const st of got) if (st === want[i]) i++;
      if (name.startsWith('rollout') && i < want.length) continue; // the new pod of the rollout never became ready
      assert.equal(i, want.length, `${name}/${pod}: wanted ${want.join(' -> ')} in order, saw ${got.join(' -> ')}`);
    }
  }
});

test('rollout: the new ReplicaSet crash-loops while the old pod keeps running', () => {
  const rollout = [...statuses('rollout').values()];
  assert.ok(rollout.some((s) => s.includes('CrashLoopBackOff 0/1')) && rollout.some((s) => s.join() === 'Running 1/1'));
});

test('sidecars count in READY and RESTARTS, plain init containers do not', () => {
  const p = last('sidecar', (x) => podColumns(x, 0).status === 'Running' && podColumns(x, 0).ready === '2/2');
  const withRestarts = vary(p, (d) => {
    d.status.initContainerStatuses.find((s: { name: string }) => s.name === 'log-shipper').restartCount = 2;
    d.status.initContainerStatuses.find((s: { name: string }) => s.name === 'setup').restartCount = 5;
    d.status.containerStatuses[0].restartCount = 1;
  });
  assert.equal(podColumns(withRestarts, 0).restarts, 3, 'sidecar 2 + app 1; the finished init container is not counted');
  const sidecarNotStarted = vary(p, (d) => {
    const s = d.status.initContainerStatuses.find((x: { name: string }) => x.name === 'log-shipper');
    s.started = false;
    s.ready = false;
    s.state = { waiting: { reason: 'ContainerCreating' } };
    d.status.conditions = d.status.conditions.map((c: { type: string; status: string }) =>
      c.type === 'Initialized' ? { ...c, status: 'False' } : c,
    );
  });
  assert.equal(podColumns(sidecarNotStarted, 0).status, 'Init:ContainerCreating');
  assert.equal(podColumns(sidecarNotStarted, 0).ready, '0/2');
});

test('while initializing, RESTARTS counts every init container; afterwards only sidecars and regular ones', () => {
  const p = last('init', (x) => podColumns(x, 0).status === 'Init:1/2');
  const r = vary(p, (d) => (d.status.initContainerStatuses[0].restartCount = 4));
  assert.equal(podColumns(r, 0).restarts, 4);
  assert.equal(podColumns(r, 0).status, 'Init:1/2');
});

test('init failures: reason, else signal, else exit code', () => {
  const p = last('init', (x) => podColumns(x, 0).status === 'Init:Error');
  const failed = (t: object) =>
    vary(
      p,
      (d) =>
        (d.status.initContainerStatuses[1].state = {
          terminated: { ...d.status.initContainerStatuses[1].state.terminated, reason: undefined, ...t },
        }),
    );
  assert.equal(podColumns(failed({ signal: 9, exitCode: 137 }), 0).status, 'Init:Signal:9');
  assert.equal(podColumns(failed({ exitCode: 3 }), 0).status, 'Init:ExitCode:3');
  const crashing = vary(
    p,
    (d) =>
      (d.status.initContainerStatuses[1].state = {
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=migrate pod=init_x(y)' },
      }),
  );
  assert.equal(podColumns(crashing, 0).status, 'Init:CrashLoopBackOff');
});

test('regular containers: the first in spec order with a reason wins; bare exits print Signal:/ExitCode:', () => {
  const p = last('liveness', (x) => (x.status?.containerStatuses ?? []).length === 2);
  const both = vary(p, (d) => {
    d.status.containerStatuses[0].state = { waiting: { reason: 'CrashLoopBackOff' } };
    d.status.containerStatuses[1].state = { waiting: { reason: 'ErrImagePull' } };
  });
  assert.equal(podColumns(both, 0).status, 'CrashLoopBackOff');
  const bare = vary(p, (d) => {
    d.status.containerStatuses[0].state = { terminated: { exitCode: 2 } };
    d.status.containerStatuses[1].state = { terminated: { exitCode: 137, signal: 9 } };
  });
  assert.equal(podColumns(bare, 0).status, 'ExitCode:2');
});

test('Completed with a container still running reads Running when Ready, else NotReady', () => {
  const p = last(
    'liveness',
    (x) => (x.status?.containerStatuses ?? []).length === 2 && x.status?.containerStatuses?.[1]?.state?.running != null,
  );
  const mixed = (ready: string) =>
    vary(p, (d) => {
      d.status.containerStatuses[0].state = {
        terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-11-25T05:40:00Z', finishedAt: '2026-11-25T05:40:01Z' },
      };
      d.status.containerStatuses[1].ready = true;
      d.status.containerStatuses[1].state = { running: { startedAt: '2026-11-25T05:40:00Z' } };
      d.status.conditions = d.status.conditions.map((c: { type: string }) => (c.type === 'Ready' ? { ...c, status: ready } : c));
    });
  assert.equal(podColumns(mixed('True'), 0).status, 'Running');
  assert.equal(podColumns(mixed('False'), 0).status, 'NotReady');
});

test('deletion: Terminating unless the phase is terminal; Unknown for NodeLost', () => {
  const running = last('sidecar', (x) => podColumns(x, 0).status === 'Running');
  const del = (d: any) => (d.metadata.deletionTimestamp = '2026-11-25T06:00:00Z');
  assert.equal(podColumns(vary(running, del), 0).status, 'Terminating');
  assert.equal(
    podColumns(
      vary(running, (d) => {
        del(d);
        d.status.reason = 'NodeLost';
      }),
      0,
    ).status,
    'Unknown',
  );
  const oom = last('oom');
  assert.equal(podColumns(vary(oom, del), 0).status, 'OOMKilled', 'phase Failed: no Terminating');
  assert.equal(
    podColumns(
      vary(running, (d) => {
        d.status.reason = 'Evicted';
        d.status.phase = 'Failed';
        d.status.containerStatuses = [];
        d.status.initContainerStatuses = [];
      }),
      0,
    ).status,
    'Evicted',
  );
});

test('SchedulingGated and a pod-level reason replace the phase', () => {
  const p = last('unschedulable');
  const gated = vary(
    p,
    (d) =>
      (d.status.conditions = [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'SchedulingGated',
          message: 'Scheduling is blocked due to non-empty scheduling gates',
        },
      ]),
  );
  assert.equal(podColumns(gated, 0).status, 'SchedulingGated');
});

test('RESTARTS prints "N (age ago)" from the newest lastState.terminated.finishedAt', () => {
  const p = last('liveness', (x) => (x.status?.containerStatuses ?? []).some((s) => (s.restartCount ?? 0) > 0 && s.lastState?.terminated));
  const cols = podColumns(p, 0);
  const newest = Math.max(...(p.status?.containerStatuses ?? []).map((s) => Date.parse(s.lastState?.terminated?.finishedAt ?? '') || 0));
  assert.equal(podColumns(p, newest + 65_000).restartsText, `${cols.restarts} (65s ago)`);
  assert.equal(podColumns(p, newest + 5 * 60_000 + 3_000).restartsText, `${cols.restarts} (5m3s ago)`);
  assert.equal(podColumns(p, newest + 3 * 3600_000).restartsText, `${cols.restarts} (3h)`.replace('(3h)', '(3h ago)'));
});
