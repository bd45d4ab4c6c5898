// The rollout screen's layout (src/ui/rollout-layout.ts) at 80 and 120 columns on rollouts recorded
// from the real cluster, and with thousands of pods: what it shows, in which order, within the
// width and height; the selection window; the filter. Then the Ink app (RolloutApp) on a stand-in
// terminal: keys move the selection, enter opens the pod screen, esc comes back, / filters.

import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, test } from 'vitest';
import {
  groupSelector,
  groupView,
  initialState,
  reduce,
  type GroupTarget,
  type GroupView,
  type ModelState,
  type Observation,
} from '../../src/model/index.ts';
import { createStore } from '../../src/store/store.ts';
import { lineText, type Line } from '../../src/ui/layout.ts';
import { RolloutApp } from '../../src/ui/rollout-app.tsx';
import { initialRolloutUi, rolloutLayout, wrap, type RolloutUi } from '../../src/ui/rollout-layout.ts';
import { loadRolloutFixture, stateAt } from '../helpers/rollout-fixtures.ts';

const screenOf = (view: GroupView, state: ModelState, ui: RolloutUi, width: number, height: number, now: number) =>
  rolloutLayout(
    { view, connection: state.connection, notes: state.notes, label: 'deploy/shop -n x', targets: 1 },
    ui,
    { width, height },
    now,
  );
const text = (lines: readonly Line[]): string => lines.map(lineText).join('\n');

function fixture(name: string, kind: 'Deployment' | 'StatefulSet', wname: string) {
  const fx = loadRolloutFixture(name);
  const state = stateAt(fx, fx.snapshots.length - 1);
  const ns = [...state.workloads.values()][0]!.snapshot.namespace;
  const target: GroupTarget = { kind: 'workload', workloadKind: kind, namespace: ns, name: wname };
  return { state, view: groupView(state, target, { failRestarts: 2 }), now: fx.snapshots.at(-1)!.at };
}

describe('the rollout screen at 80 and 120 columns', () => {
  const crash = fixture('deploy-crashloop', 'Deployment', 'shop');

  test.each([
    [120, 40],
    [80, 24],
  ])('%i x %i: the workload, the verdict, the revisions new first, failing pod selected; nothing wider or taller', (width, height) => {
    const f = screenOf(crash.view, crash.state, initialRolloutUi, width, height, crash.now);
    const s = text(f.lines);
    for (const l of f.lines.map(lineText)) assert.ok([...l].length <= width, l);
    assert.ok(f.lines.length <= height);
    assert.match(s, /^podlife deploy\/shop -n x/);
    assert.match(s, /Deployment shop {2}revision 1 -> 2 {2}desired 3 {2}updated 1 {2}ready 3 {2}available 3/);
    // At 80 columns the countdown comes first and the budgets are cut.
    assert.match(
      s,
      width >= 120 ? /maxSurge 1 -> at most 4 pods; maxUnavailable 0 -> at least 3 available/ : /maxSurge 1 -> at most 4 pods/,
    );
    assert.match(s, /progress deadline exceeded \d+s ago/);
    assert.match(s, /stuck: new revision 2 cannot become available: pod shop-77ff6474c-dk65h/);
    assert.ok(s.indexOf('new revision 2') < s.indexOf('old revision 1'), 'new revision first');
    assert.match(s, /› shop-77ff6474c-dk65h +0\/1 +CrashLoopBackOff +3 \(\d+s ago\)/);
    assert.match(s, /✗ 1 of 1 new pods: crash loop: the process exits with 3/);
    assert.match(s, /q quit {2}↑↓ pod {2}enter open {2}\/ filter/);
    if (width >= 120) {
      assert.match(s, /NAME +READY +STATUS +RESTARTS +AGE +NODE/);
      assert.match(s, /─ events ─/);
    }
    assert.equal(f.selected, crash.view.groups[0]!.pods[0]!.uid);
  });

  test('the clock: ages and countdowns move, nothing else is rebuilt', () => {
    const a = screenOf(crash.view, crash.state, initialRolloutUi, 120, 40, crash.now);
    const b = screenOf(crash.view, crash.state, initialRolloutUi, 120, 40, crash.now + 5_000);
    assert.notEqual(text(a.lines), text(b.lines));
    assert.deepEqual(a.order, b.order);
    assert.match(text(b.lines), /progress deadline exceeded \d+s ago/);
  });

  test('a StatefulSet: its pods by revision, its pace and partition', () => {
    const sts = fixture('sts-rolling', 'StatefulSet', 'db');
    const s = text(screenOf(sts.view, sts.state, initialRolloutUi, 120, 40, sts.now).lines);
    assert.match(s, /StatefulSet db {2}revision 1 -> 2/);
    assert.match(s, /one pod at a time \(OrderedReady\); partition 0/);
    assert.match(s, /complete: partitioned roll out complete/);
  });
});

describe('thousands of pods: only what fits is laid out', () => {
  const t0 = Date.parse('2026-12-01T10:00:00Z');
  const pod = (i: number): Observation => ({
    kind: 'pod',
    verb: 'list',
    observedAt: t0,
    object: {
      metadata: {
        name: `many-${i}`,
        namespace: 'b',
        uid: `uid-${i}`,
        resourceVersion: String(i),
        creationTimestamp: '2026-12-01T10:00:00Z',
        labels: { app: 'many' },
      },
      spec: { containers: [{ name: 'app', image: 'busybox' }] },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/1 nodes are available',
            lastTransitionTime: '2026-12-01T10:00:00Z',
          },
        ],
      },
    } as never,
  });
  const state = reduce(
    initialState({ source: 'cluster' }),
    Array.from({ length: 5000 }, (_, i) => pod(i)),
  );
  const view = groupView(state, { kind: 'pods', label: '-l app=many', namespace: 'b' }, { failRestarts: 2 });

  test('a screenful of 5,000 pods: the selection in view, the rest counted', () => {
    const end = screenOf(view, state, { ...initialRolloutUi, selected: 'uid-4999' }, 100, 30, t0 + 60_000);
    const s = text(end.lines);
    assert.equal(end.order.length, 5000);
    assert.ok(end.lines.length <= 30);
    assert.match(s, /› many-4999 /);
    assert.match(s, /… \d+ more lines above \(↑\)/);
    assert.match(s, /stuck: 5000 of 5000 pods cannot become ready: pod many-0 cannot be scheduled: 0\/1 nodes are/);
    assert.match(s, /\.\.\. and 4990 more like these/);
    const top = text(screenOf(view, state, initialRolloutUi, 100, 30, t0 + 60_000).lines);
    assert.match(top, /› many-0 /);
    assert.match(top, /… \d+ more lines below \(↓\)/);
  });

  test('the filter: names containing it, counted', () => {
    const f = screenOf(view, state, { ...initialRolloutUi, filter: 'many-499', filtering: true }, 100, 30, t0);
    assert.deepEqual(f.order.length, 11);
    assert.match(text(f.lines), /\/many-499▏ {2}11 of 5000 pods/);
    const none = screenOf(view, state, { ...initialRolloutUi, filter: 'nope' }, 100, 30, t0);
    assert.match(text(none.lines), /no pod name contains "nope"/);
  });
});

test('wrap: words onto lines, the last one holding the rest', () => {
  assert.deepEqual(wrap('a b c', 80, 3), ['a b c']);
  assert.deepEqual(wrap('aaaa bbbb cccc dddd', 10, 2), ['aaaa bbbb', 'cccc dddd']);
  assert.deepEqual(wrap('aaaa bbbb cccc dddd eeee', 10, 2), ['aaaa bbbb', 'cccc dddd eeee']);
});

describe('the app: keys', () => {
  const delay = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));
  // eslint-disable-next-line no-control-regex
  const plain = (s: string | undefined): string => (s ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  async function until(frame: () => string | undefined, pred: (s: string) => boolean): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const s = plain(frame());
      if (pred(s)) return s;
      await delay(20);
    }
    throw new Error(`frame never matched:\n${frame()}`);
  }

  test('↓ moves the selection, enter opens the pod screen, esc comes back, / filters, q quits', async () => {
    const fx = loadRolloutFixture('deploy-crashloop');
    const state = stateAt(fx, fx.snapshots.length - 1);
    const ns = [...state.workloads.values()][0]!.snapshot.namespace;
    const store = createStore({ source: 'replay', notifyIntervalMs: 0 }, state);
    const select = groupSelector({ kind: 'workload', workloadKind: 'Deployment', namespace: ns, name: 'shop' }, { failRestarts: 2 });
    const at = fx.snapshots.at(-1)!.at;
    const app = render(
      createElement(RolloutApp, {
        store,
        screens: [{ label: 'deploy/shop', select }],
        now: () => at,
        requestLogs: () => undefined,
        color: false,
      }),
    );
    try {
      await until(app.lastFrame, (s) => /› shop-77ff6474c-dk65h/.test(s));
      app.stdin.write('j');
      await until(app.lastFrame, (s) => /› shop-5df6599cfb-9hwqt/.test(s));
      app.stdin.write('\r');
      const pod = await until(app.lastFrame, (s) => /─ containers/.test(s));
      assert.match(pod, /shop-5df6599cfb-9hwqt/);
      assert.match(pod, /\(esc back\)/);
      app.stdin.write('\x1b');
      await until(app.lastFrame, (s) => /stuck: new revision 2/.test(s) && /› shop-5df6599cfb-9hwqt/.test(s));
      app.stdin.write('/');
      await delay();
      app.stdin.write('dnbgj');
      const filtered = await until(app.lastFrame, (s) => /1 of 4 pods/.test(s));
      assert.match(filtered, /› shop-5df6599cfb-dnbgj/);
      assert.doesNotMatch(filtered, /shop-77ff6474c-dk65h +0\/1/);
    } finally {
      app.unmount();
      app.cleanup();
    }
  });
});
