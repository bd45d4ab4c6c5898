// The timeline's window as state: the automatic span (a few crash cycles), follow / fixed / whole
// life, zoom around the cursor, pan, the cursor's moves, and --since / --window.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { parseTime, type PodView } from '../../src/model/index.ts';
import {
  autoSpan,
  cursorColumn,
  FOLLOW,
  moveCursor,
  pan,
  parseDuration,
  parseWindowSpec,
  resolveWindow,
  spanText,
  SPANS,
  stateFromSpec,
  WHOLE_LIFE,
  zoom,
  type TimelineState,
} from '../../src/render/window.ts';
import { fileState, finalView, publicFixtures, vary } from '../helpers/fixtures.ts';

const fixture = (name: string) => {
  const f = publicFixtures().find((x) => x.name.startsWith(name))!;
  return fileState(f.name, f.text).view;
};
const S = 1000;
const M = 60 * S;

describe('the automatic span', () => {
  test('a crash loop in a 5m back-off (a public pod, 896 restarts over 3 days): 30m, three cycles of 5m9s', () => {
    const pod = fixture('crashloop-backoff-5m').pods[0]!;
    assert.equal(autoSpan(pod), 30 * M);
    const win = resolveWindow(FOLLOW, pod, pod.timeRange.to, 100);
    // Now sits at the right, with room for the next restart (in 5m) when it is within a quarter of the span.
    assert.ok(win.from < pod.timeRange.to && win.to > pod.timeRange.to);
    assert.equal(
      Math.round(win.to - win.from),
      30 * M + Math.round(pod.containers[0]!.backoff!.nextAttemptAt! - pod.timeRange.to + (30 * M) / 100),
    );
  });

  test('liveness kills every 6-12s: the last 20s', () => {
    assert.equal(autoSpan(finalView('liveness').pods[0]!), 20 * S);
  });

  test.each(['crashloop', 'oom', 'init', 'sidecar', 'grace', 'probes'])(
    '%s: nothing shorter than the life to show, the whole life',
    (name) => {
      const pod = finalView(name).pods[0]!;
      assert.equal(autoSpan(pod), undefined);
      const win = resolveWindow(FOLLOW, pod, finalView(name).now, 100);
      assert.equal(win.from, pod.timeRange.from);
    },
  );

  test('an hour of crash loop at a 5m back-off: 30m rather than the hour', () => {
    const base = finalView('crashloop').pods[0]!;
    const hour = 60 * M;
    const pod: PodView = vary(base, (p) => {
      p.timeRange.from = p.timeRange.to - hour;
      const c = p.containers[0];
      c.backoff = {
        kind: 'crash-loop',
        delaySeconds: 300,
        nextAttemptAt: p.timeRange.to + 60 * S,
        estimated: false,
        attempt: 7,
        message: '',
      };
      c.instances = c.instances.map((i: any, k: number) => ({
        ...i,
        startedAt: p.timeRange.to - (6 - k) * 5 * M,
        finishedAt: p.timeRange.to - (6 - k) * 5 * M + 2 * S,
      }));
    });
    assert.equal(autoSpan(pod), 30 * M);
  });
});

describe('zoom, pan and the cursor', () => {
  const view = finalView('crashloop');
  const pod = view.pods[0]!;
  const ctx = { pod, now: view.now, columns: 100 };
  const end = pod.timeRange.to;
  const span = (t: TimelineState) => {
    const w = resolveWindow(t, pod, view.now, 100);
    return w.to - w.from;
  };

  test('+ from the whole life (3m16s) steps down the levels to 10s, following now; - steps back up to the whole life', () => {
    let t: TimelineState = FOLLOW;
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      t = zoom(t, 'in', ctx);
      seen.push(span(t));
    }
    assert.deepEqual(seen, [2 * M, M, 30 * S, 20 * S, 10 * S, 10 * S, 10 * S, 10 * S]);
    assert.equal(t.mode, 'follow');
    assert.equal(resolveWindow(t, pod, view.now, 100).to, end, 'the right edge stays now');
    for (let i = 0; i < 5; i++) t = zoom(t, 'out', ctx);
    assert.equal(t.mode, 'all');
    assert.deepEqual(resolveWindow(t, pod, view.now, 100), { from: pod.timeRange.from, to: end, columns: 100 });
  });

  test('zooming keeps the moment under a moved cursor in its column', () => {
    let t: TimelineState = { ...FOLLOW };
    for (let i = 0; i < 40; i++) t = moveCursor(t, -1, ctx);
    const before = resolveWindow(t, pod, view.now, 100);
    const at = t.cursor!;
    const frac = (at - before.from) / (before.to - before.from);
    t = zoom(t, 'in', ctx);
    const after = resolveWindow(t, pod, view.now, 100);
    assert.equal(t.mode, 'fixed');
    assert.ok(Math.abs((at - after.from) / (after.to - after.from) - frac) < 1e-9);
    assert.equal(after.to - after.from, 2 * M);
  });

  test('[ pans a quarter back into a fixed window; ] pans forward until it follows now again', () => {
    let t: TimelineState = { ...FOLLOW, spanMs: M };
    t = pan(t, -1, ctx);
    assert.equal(t.mode, 'fixed');
    assert.equal(resolveWindow(t, pod, view.now, 100).to, end - 15 * S);
    t = pan(t, -1, ctx);
    assert.equal(resolveWindow(t, pod, view.now, 100).to, end - 30 * S);
    t = pan(t, 1, ctx);
    t = pan(t, 1, ctx);
    assert.equal(t.mode, 'follow');
    assert.equal(pan(t, 1, ctx), t, '] at now does nothing');
    // Never before the life began.
    for (let i = 0; i < 50; i++) t = pan(t, -1, ctx);
    assert.equal(resolveWindow(t, pod, view.now, 100).from, pod.timeRange.from);
  });

  test('drawn past now to the next restart, a window zooms and pans by the span its title names', () => {
    // A public pod in a 5m back-off: the automatic 30m window is drawn past now to its next restart.
    const p = fixture('crashloop-backoff-5m').pods[0]!;
    const c = { pod: p, now: p.timeRange.to, columns: 100 };
    const follow = resolveWindow(FOLLOW, p, p.timeRange.to, 100);
    assert.ok(follow.to > p.timeRange.to, 'room for the next restart');
    assert.equal(p.timeRange.to - follow.from, 30 * M);
    // + goes to the next level below 30m (it stayed at 30m when the room counted as span).
    assert.equal(zoom(FOLLOW, 'in', c).spanMs, 15 * M);
    // [ moves a quarter of 30m back and keeps 30m (it kept 30m and the room).
    const w = resolveWindow(pan(FOLLOW, -1, c), p, p.timeRange.to, 100);
    assert.equal(w.to - w.from, 30 * M);
    assert.equal(w.from, follow.from - 7.5 * M);
  });

  test('h/l move the cursor a column; back on now it follows now again; past the left edge the window pans', () => {
    let t: TimelineState = { ...FOLLOW, spanMs: M };
    const win = resolveWindow(t, pod, view.now, 100);
    assert.equal(cursorColumn(t, win, end), 99);
    t = moveCursor(t, -1, ctx);
    assert.equal(cursorColumn(t, win, end), 98);
    t = moveCursor(t, 1, ctx);
    assert.equal(t.cursor, undefined);
    for (let i = 0; i < 99; i++) t = moveCursor(t, -1, ctx);
    assert.equal(cursorColumn(t, resolveWindow(t, pod, view.now, 100), end), 0);
    t = moveCursor(t, -1, ctx);
    const moved = resolveWindow(t, pod, view.now, 100);
    assert.equal(t.mode, 'fixed');
    assert.ok(Math.abs(moved.from - (win.from - M / 100)) < 1);
    assert.equal(cursorColumn(t, moved, end), 0);
  });
});

describe('--since and --window', () => {
  test.each<[string, number | undefined]>([
    ['90s', 90 * S],
    ['5m', 5 * M],
    ['1h30m', 90 * M],
    ['2d', 2 * 24 * 60 * M],
    ['0s', undefined],
    ['5', undefined],
    ['-5m', undefined],
    ['soon', undefined],
  ])('duration %s', (s, ms) => assert.equal(parseDuration(s), ms));

  const now = Date.parse('2025-06-01T12:00:00Z');
  test.each<[string, TimelineState | undefined]>([
    ['all', WHOLE_LIFE],
    ['auto', FOLLOW],
    ['5m', { ...FOLLOW, spanMs: 5 * M }],
    ['-10m..', { ...FOLLOW, spanMs: 10 * M }],
    ['-10m..-5m', { ...FOLLOW, mode: 'fixed', spanMs: 5 * M, to: now - 5 * M }],
    ['11:00..11:30', { ...FOLLOW, mode: 'fixed', spanMs: 30 * M, to: Date.parse('2025-06-01T11:30:00Z') }],
    ['2025-06-01T10:00:00Z..2025-06-01T10:00:30Z', { ...FOLLOW, mode: 'fixed', spanMs: 30 * S, to: Date.parse('2025-06-01T10:00:30Z') }],
    ['..-1h', { ...FOLLOW, mode: 'fixed', spanMs: undefined, to: now - 60 * M }],
    ['13:00..now', { ...FOLLOW, spanMs: 23 * 60 * M }],
    ['later', undefined],
    ['-5x..', undefined],
    ['25:00..', undefined],
  ])('--window %s', (spec, want) => {
    const parsed = parseWindowSpec(spec, parseTime);
    if (want === undefined) return assert.equal(parsed, undefined);
    assert.deepEqual(stateFromSpec(parsed, FOLLOW, now), want);
  });

  test('spans read as people say them', () => {
    assert.deepEqual(SPANS.slice(0, 6).map(spanText), ['10s', '20s', '30s', '1m', '2m', '5m']);
    assert.equal(spanText(90 * M), '1h30m');
    assert.equal(spanText(36 * 60 * M), '1d12h');
  });
});
