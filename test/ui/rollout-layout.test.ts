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
  patchOf,
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
import { windowKey } from '../../src/ui/keys.ts';
import { renderLane } from '../../src/render/lane.ts';
import { glyphOf, type GlyphKey } from '../../src/render/glyphs.ts';
import { resolveWindow } from '../../src/render/window.ts';
import { loadRolloutFixture, stateAt } from '../helpers/rollout-fixtures.ts';

const screenOf = (view: GroupView, state: ModelState, ui: RolloutUi, width: number, height: number, now: number) =>
  rolloutLayout(
    { view, connection: state.connection, notes: state.notes, label: 'deploy/shop -n x', targets: 1 },
    ui,
    { width, height },
    now,
  );
const text = (lines: readonly Line[]): string => lines.map(lineText).join('\n');
const sizes = [
  [120, 40],
  [80, 24],
] as const;

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
    assert.match(
      s,
      width >= 100 ? /q quit {2}↑↓ pod {2}enter open {2}\/ filter {2}\+\/- zoom/ : /q quit {2}↑↓ pod {2}⏎ open {2}\/ filter {2}\+- zoom/,
    );
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

describe("the strips: one window for all rows, steered with the pod view's keys", () => {
  const target = (state: ModelState): GroupTarget => {
    const w = [...state.workloads.values()].map((r) => r.snapshot).find((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')!;
    return { kind: 'workload', workloadKind: w.kind as 'Deployment', namespace: w.namespace, name: w.name };
  };
  const at = (name: string, index?: number) => {
    const fx = loadRolloutFixture(name);
    const i = index ?? fx.snapshots.length - 1;
    const state = stateAt(fx, i);
    return { state, view: groupView(state, target(state), { failRestarts: 2 }), now: fx.snapshots[i]!.at };
  };
  const frameOf = (f: ReturnType<typeof at>, ui: RolloutUi, width: number, height: number) =>
    rolloutLayout(
      { view: f.view, connection: f.state.connection, notes: f.state.notes, label: 'x', targets: 1, watchingSince: f.state.watchingSince },
      ui,
      { width, height },
      f.now,
    );
  /** The states a user reaches from the first screen with the keys: + +, then [, then a, then 0. */
  function steps(f: ReturnType<typeof at>, width: number, height: number) {
    const out: { keys: string; ui: RolloutUi }[] = [{ keys: '', ui: initialRolloutUi }];
    let ui = initialRolloutUi;
    for (const k of ['+', '+', '[', 'a', '0']) {
      const frame = frameOf(f, ui, width, height);
      const next = windowKey(ui.timeline, k, {}, { pod: frame.axis.subject, now: f.now, columns: frame.axis.columns });
      assert.ok(next, k);
      ui = { ...ui, timeline: next };
      out.push({ keys: out.at(-1)!.keys + k, ui });
    }
    return out;
  }
  const title = (lines: readonly string[]): string => {
    const m = /(following now, last \S+|\d\d:\d\d:\d\d \.\. \d\d:\d\d:\d\d|whole life)/.exec(lines.join('\n'));
    return m ? m[1]! : '(no title)';
  };

  test.each(['deploy-crashloop', 'sts-rolling'].flatMap((name) => sizes.map((size) => [name, ...size] as const)))(
    '%s at %i x %i: follow now, zoomed, a window in the past, whole life; every row drawn for the one window',
    (name, width, height) => {
      const f = at(name);
      const oldest = Math.min(...f.view.groups.flatMap((g) => g.pods.map((p) => p.since)));
      const titles: string[] = [];
      for (const { keys, ui } of steps(f, width, height)) {
        const frame = frameOf(f, ui, width, height);
        const lines = frame.lines.map(lineText);
        assert.ok(lines.length <= height, `${keys}: ${lines.length} lines`);
        for (const l of lines) assert.ok([...l].length <= width, `${keys}: ${l}`);
        titles.push(title(lines));
        // One window for all the rows on screen, each strip that pod's lane drawn for it, ending at the right edge.
        const n = frame.axis.columns;
        assert.ok(n > 0, `${keys}: strips at ${width} columns`);
        const win = resolveWindow(ui.timeline, frame.axis.subject, f.now, n);
        const rowOf = (name: string): string | undefined => lines.find((l) => l.startsWith(`› ${name} `) || l.startsWith(`  ${name} `));
        const rows = f.view.groups.flatMap((g) => g.pods).filter((p) => rowOf(p.name));
        assert.ok(rows.length >= 2, `${keys}: pods on screen`);
        for (const p of rows) {
          const line = rowOf(p.name)!;
          const want = renderLane(p.strip, win, f.now)
            .map((c) => c.ch)
            .join('');
          assert.equal([...line].slice(-n).join(''), want, `${keys}: ${p.name}`);
        }
        // The axis under the strips: now at its right edge while following, not in a window in the past.
        const axisLine = lines.find((l) => /[┴▲◆]/.test(l) && /[─]/.test(l) && !/^─/.test(l))!;
        assert.ok(axisLine, `${keys}: the axis\n${lines.join('\n')}`);
        if (ui.timeline.mode === 'fixed') assert.ok(!axisLine.endsWith('▲'), axisLine);
        else assert.ok(axisLine.endsWith('▲'), `${keys}: ${axisLine}`);
        if (ui.timeline.mode === 'fixed') assert.ok(win.to < f.now && win.from > oldest, `${keys}: in the past`);
        if (ui.timeline.mode === 'all') assert.equal(win.from, oldest);
      }
      // The words of the pod view's timeline title: the pods are younger than the default 15 minutes, so the first screen
      // shows all of their time; + + zooms in (deploy-crashloop's 49 s: to the last 30 s, then 20 s; the limit is 10 s),
      // [ goes a quarter back, a and 0 come back to all.
      if (name === 'deploy-crashloop')
        assert.deepEqual(titles.slice(0, 3), ['whole life', 'following now, last 30s', 'following now, last 20s']);
      else {
        assert.equal(titles[0], 'whole life');
        assert.match(titles[1]!, /^following now, last \d+s$/);
        assert.match(titles[2]!, /^following now, last \d+s$/);
      }
      assert.match(titles[3]!, /^\d\d:\d\d:\d\d \.\. \d\d:\d\d:\d\d$/);
      assert.deepEqual(titles.slice(4), ['whole life', 'whole life']);
    },
  );

  test('older pods: following now shows the last 15 minutes, whole life all of them', () => {
    const f = at('deploy-crashloop');
    const later = { ...f, now: f.now + 40 * 60_000 };
    const follow = frameOf(later, initialRolloutUi, 120, 40);
    assert.match(follow.lines.map(lineText).join('\n'), /following now, last 15m/);
    const all = frameOf(later, { ...initialRolloutUi, timeline: { ...initialRolloutUi.timeline, mode: 'all' } }, 120, 40);
    assert.match(all.lines.map(lineText).join('\n'), /whole life/);
  });

  test('a pod being deleted: its SIGKILL countdown over the oldest columns, the deadline ahead on the axis, the others aligned', () => {
    const f = at('deploy-ok', 3);
    const frame = frameOf(f, initialRolloutUi, 120, 40);
    const lines = frame.lines.map(lineText);
    const n = frame.axis.columns;
    const win = resolveWindow(initialRolloutUi.timeline, frame.axis.subject, f.now, n);
    assert.ok(win.to > f.now, 'the window reaches the deadline ahead');
    const dying = f.view.groups.flatMap((g) => g.pods).find((p) => p.deleting)!;
    const line = lines.find((l) => l.includes(`  ${dying.name} `))!;
    const strip = [...line].slice(-n).join('');
    const m = /^SIGKILL in \ds /.exec(strip);
    assert.ok(m, strip);
    const cells = renderLane(dying.strip, win, f.now).map((c) => c.ch);
    assert.equal(strip.slice(m[0].length), cells.slice(m[0].length).join(''));
    assert.ok(cells.includes('D') && cells.includes('d'), cells.join(''));
    const axisLine = lines.find((l) => /▲/.test(l))!;
    assert.match(axisLine, /▲─*D$/);
    assert.match(lines.join('\n'), /D grace ends/);
  });

  test('the legend beside the axis names every glyph the strips and the axis draw', () => {
    const cases: [string, number | undefined][] = [
      ['deploy-crashloop', undefined],
      ['deploy-ok', 3],
      ['sts-rolling', undefined],
      ['deploy-image', undefined],
      ['deploy-unschedulable', undefined],
    ];
    for (const [name, index] of cases)
      for (const [width, height] of sizes) {
        const f = at(name, index);
        for (const { keys, ui } of steps(f, width, height)) {
          const lines = frameOf(f, ui, width, height).lines;
          const used = new Set(lines.flatMap((l) => l.flatMap((x) => (x.glyph ? [x.glyph] : []))));
          // The legend's entries: a glyph followed by its words (dim); a glyph drawn in two roles with the same words is explained once.
          const legend = new Set<string>();
          lines.forEach((l) =>
            l.forEach(
              (x, k) =>
                (x.glyph || x.text === '2-9+') && l[k + 1]?.dim && /^ \S/.test(l[k + 1]!.text) && legend.add(x.text + l[k + 1]!.text),
            ),
          );
          assert.ok(used.size > 0);
          for (const g of used) {
            const { ch, short } = glyphOf(g as GlyphKey);
            assert.ok(legend.has(`${ch} ${short}`), `${name} ${width} ${keys}: ${g} drawn but not in the legend`);
          }
        }
      }
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

  test('the strips of 5,000 pods zoomed and panned: one window, the screenful only', () => {
    let ui: RolloutUi = { ...initialRolloutUi, selected: 'uid-2500' };
    const now = t0 + 60_000;
    const titles: string[] = [];
    for (const k of ['', '+', '[', '0']) {
      if (k) {
        const f = screenOf(view, state, ui, 100, 30, now);
        ui = { ...ui, timeline: windowKey(ui.timeline, k, {}, { pod: f.axis.subject, now, columns: f.axis.columns })! };
      }
      const f = screenOf(view, state, ui, 100, 30, now);
      const s = text(f.lines);
      assert.ok(f.lines.length <= 30);
      assert.match(s, /› many-2500 /);
      titles.push(/(whole life|following now, last \S+|\d\d:\d\d:\d\d \.\. \d\d:\d\d:\d\d)/.exec(s)?.[1] ?? '(none)');
      // Every row on screen: the same strip (all pending since t0), drawn for the one window.
      const strips = f.lines
        .map(lineText)
        .filter((l) => /^[› ] many-\d+ /.test(l))
        .map((l) => l.slice(-f.axis.columns));
      assert.ok(strips.length > 5 && strips.every((x) => x === strips[0]), strips.join('\n'));
    }
    assert.deepEqual(titles, ['whole life', 'following now, last 30s', '10:00:22 .. 10:00:52', 'whole life']);
  });

  test('views patched change by change lay out as views built afresh (the list and the strips’ axis are patched too)', () => {
    const target: GroupTarget = { kind: 'pods', label: '-l app=many', namespace: 'b' };
    const o = { failRestarts: 2 };
    const edits: [number, (p: Record<string, unknown>) => void][] = [
      [3, () => {}],
      [4990, () => {}],
      [3, (p) => ((p['metadata'] as Record<string, unknown>)['deletionTimestamp'] = '2026-12-01T10:00:40Z')],
      [7, (p) => ((p['status'] as Record<string, unknown>)['phase'] = 'Running')],
      [2500, () => {}],
      [8, (p) => ((p['metadata'] as Record<string, unknown>)['creationTimestamp'] = '2026-12-01T09:00:00Z')],
      [2501, () => {}],
      // kubectl's STATUS says the reason: the group's counts change, nothing moves.
      [9, (p) => ((p['status'] as Record<string, unknown>)['reason'] = 'PodlifeTest')],
      [10, (p) => ((p['status'] as Record<string, unknown>)['reason'] = 'PodlifeTest')], // on screen (many-10 sorts fifth)
      [2500, (p) => ((p['status'] as Record<string, unknown>)['reason'] = 'PodlifeTest')], // on the filtered screen
    ];
    // Each screen keeps its filter from frame to frame: one chain of views per screen.
    const screens: RolloutUi[] = [
      initialRolloutUi,
      { ...initialRolloutUi, selected: 'uid-2500' },
      { ...initialRolloutUi, filter: 'many-25' },
    ];
    let patched = 0;
    let st = state;
    for (const ui of screens) {
      const select = groupSelector(target, o);
      st = state;
      screenOf(select(st), st, ui, 100, 30, t0 + 60_000);
      for (const [k, [i, edit]] of edits.entries()) {
        const object = structuredClone((pod(i) as unknown as { object: Record<string, unknown> }).object);
        (object['metadata'] as Record<string, unknown>)['resourceVersion'] = `edit-${k}`;
        ((object['status'] as Record<string, unknown>)['conditions'] as unknown[]).push({
          type: 'podlife.test/Tick',
          status: 'True',
          message: `tick ${k}`,
        });
        edit(object);
        st = reduce(st, [{ kind: 'pod', verb: 'modified', observedAt: t0 + 1000 * (k + 1), object: object as never }]);
        const view = select(st);
        if (patchOf(view)) patched++;
        const fresh = groupView(st, target, o);
        for (const now of [t0 + 60_000, t0 + 3_600_000]) {
          const x = screenOf(view, st, ui, 100, 30, now);
          const y = screenOf(fresh, st, ui, 100, 30, now);
          assert.equal(text(x.lines), text(y.lines), `edit ${k}, filter "${ui.filter}"`);
          assert.deepEqual(x.order, y.order);
        }
      }
    }
    assert.ok(patched >= 9, `${patched} of the views were patched`);
    assert.match(text(screenOf(groupView(st, target, o), st, initialRolloutUi, 100, 30, t0 + 60_000).lines), /3 PodlifeTest/);
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

  test('the clock: a second later the screen is the one drawn afresh at that time', async () => {
    const fx = loadRolloutFixture('deploy-crashloop');
    const state = stateAt(fx, fx.snapshots.length - 1);
    const ns = [...state.workloads.values()][0]!.snapshot.namespace;
    const select = groupSelector({ kind: 'workload', workloadKind: 'Deployment', namespace: ns, name: 'shop' }, { failRestarts: 2 });
    const mount = (now: () => number) =>
      render(
        createElement(RolloutApp, {
          store: createStore({ source: 'replay', notifyIntervalMs: 0 }, state),
          screens: [{ label: 'deploy/shop', select }],
          now,
          requestLogs: () => undefined,
          color: false,
        }),
      );
    let t = fx.snapshots.at(-1)!.at;
    const ticking = mount(() => t);
    const later = t + 61_000;
    const afresh = mount(() => later);
    try {
      const first = await until(ticking.lastFrame, (s) => /shop-77ff6474c-dk65h/.test(s));
      const expected = await until(afresh.lastFrame, (s) => /shop-77ff6474c-dk65h/.test(s));
      assert.notEqual(first, expected, 'a minute later, ages differ');
      t = later;
      // The clock's check runs once a second; its frame is the one drawn.
      for (let i = 0; i < 150 && plain(ticking.lastFrame()) !== expected; i++) await delay(20);
      assert.equal(plain(ticking.lastFrame()), expected);
    } finally {
      for (const app of [ticking, afresh]) {
        app.unmount();
        app.cleanup();
      }
    }
  });

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

  test("+ - [ ] 0 a move the strips' window, the title says which; typed into the filter they are text; ? lists them", async () => {
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
    const strips = (s: string): string[] => s.split('\n').filter((l) => /^[› ] shop-\S+ +\d\/1 /.test(l));
    try {
      const first = await until(app.lastFrame, (s) => /NAME .* whole life/.test(s));
      assert.equal(strips(first).length, 4);
      app.stdin.write('+');
      const zoomed = await until(app.lastFrame, (s) => /following now, last 30s/.test(s));
      app.stdin.write('-');
      await until(app.lastFrame, (s) => /NAME .* whole life/.test(s));
      app.stdin.write('+');
      await until(app.lastFrame, (s) => /following now, last 30s/.test(s));
      app.stdin.write('[');
      const past = await until(app.lastFrame, (s) => /\d\d:\d\d:\d\d \.\. \d\d:\d\d:\d\d/.test(s));
      assert.notDeepEqual(strips(past), strips(zoomed));
      assert.equal(strips(past).length, 4, 'every pod keeps its strip');
      app.stdin.write(']');
      await until(app.lastFrame, (s) => /following now, last 30s/.test(s));
      app.stdin.write('0');
      await until(app.lastFrame, (s) => /NAME .* whole life/.test(s));
      app.stdin.write('+');
      await until(app.lastFrame, (s) => /following now, last 30s/.test(s));
      app.stdin.write('a');
      const all = await until(app.lastFrame, (s) => /NAME .* whole life/.test(s));
      assert.deepEqual(strips(all), strips(first));
      // In the filter, the same keys are text.
      app.stdin.write('/');
      await delay();
      app.stdin.write('a+');
      await until(app.lastFrame, (s) => /\/a\+▏ {2}0 of 4 pods/.test(s) && /whole life|no pod name/.test(s));
      app.stdin.write('\x1b');
      await until(app.lastFrame, (s) => !/\/a\+/.test(s));
      app.stdin.write('?');
      const help = await until(app.lastFrame, (s) => /zoom the strips/.test(s));
      assert.match(help, /\[ \], ← → +pan the strips/);
      assert.match(help, /0 +follow now/);
      assert.match(help, /a +the whole time the pods span/);
    } finally {
      app.unmount();
      app.cleanup();
    }
  });
});
