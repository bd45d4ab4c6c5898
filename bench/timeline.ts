// The timeline's zoom, pan and cursor against a frame (16 ms): prints numbers, asserts nothing.
//
//   npm run bench:timeline            # or: node --import tsx bench/timeline.ts [--pods 5000]
//
// 1. One pod with a long crash loop at the model's bounds (200 instances, 400 spans, ~17 h of a
//    5-minute back-off), built from the crash loop recorded on the real kubelet: the whole screen
//    (renderScreen at 120x40) after each key of a sequence of zooms, pans and cursor moves.
// 2. A fleet of N such pods (default 5,000) drawn as one strip each on a shared window with its axis,
//    as a rollout view of that many pods would: every strip, and the 40 a screen shows.

import type { LaneView, PodView, SessionView } from '../src/model/index.ts';
import { renderAxis } from '../src/render/axis.ts';
import { UTC_CLOCK } from '../src/render/clock.ts';
import { renderLane } from '../src/render/lane.ts';
import { initialUi, laneGeometry, renderScreen, type UiState } from '../src/render/screen.ts';
import { onKey } from '../src/ui/keys.ts';
import { resolveWindow } from '../src/render/window.ts';
import { finalView } from '../test/helpers/fixtures.ts';

const arg = (name: string): number | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || undefined : undefined;
};
const fleet = arg('--pods') ?? 5000;

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;

/** The recorded crash loop stretched to the model's bounds: 200 instances of 2 s every 5 min. */
function longCrashLoop(): SessionView {
  const view = finalView('crashloop');
  const base = view.pods[0]!;
  const cycle = 5 * 60_000;
  const n = 200;
  const end = view.now;
  const start = end - n * cycle;
  const c0 = base.containers[0]!;
  const proto = c0.instances.at(-1)!;
  const instances = Array.from({ length: n }, (_, k) => ({
    ...proto,
    attempt: k,
    startedAt: start + k * cycle,
    finishedAt: start + k * cycle + 2000,
    durationMs: 2000,
    running: false,
  }));
  const lane: LaneView = {
    segments: instances.flatMap((i) => [
      { from: i.startedAt, to: i.finishedAt, state: 'running' as const, label: 'running', tone: 'progress' as const, reconstructed: false },
      {
        from: i.finishedAt,
        to: i.startedAt + cycle,
        state: 'waiting' as const,
        label: 'CrashLoopBackOff',
        tone: 'warn' as const,
        reconstructed: false,
      },
    ]),
    markers: instances.flatMap((i) => [
      { at: i.startedAt, kind: 'restart' as const, label: `restart ${i.attempt}`, tone: 'warn' as const },
      { at: i.finishedAt, kind: 'exit' as const, label: 'exit 1', tone: 'error' as const },
      { at: i.finishedAt + 500, kind: 'event' as const, label: 'BackOff x9', tone: 'warn' as const },
    ]),
  };
  const pod: PodView = {
    ...base,
    createdAt: start,
    timeRange: { from: start, to: end },
    observedFrom: start,
    lane: { segments: [{ from: start, to: undefined, state: 'phase', label: 'Running', tone: 'ok', reconstructed: false }], markers: [] },
    containers: [
      {
        ...c0,
        instances,
        lane,
        restartCount: n - 1,
        backoff: { kind: 'crash-loop', delaySeconds: 300, nextAttemptAt: end + 60_000, estimated: false, attempt: n, message: undefined },
      },
    ],
  };
  return { ...view, pods: [pod] };
}

function screenBench(): void {
  const view = longCrashLoop();
  const size = { width: 120, height: 40 };
  const keys = [...'----------++++++++++', ...'[[[[[[[[[[]]]]]]]]]]', ...'hhhhhhhhhhhhhhhhhhhhllllllllll', ...'a+++0'];
  // Warm up, then measure each key's new state and its frame.
  let ui: UiState = initialUi;
  for (const k of keys) ui = onKey(ui, k, {}, view, size.width).ui;
  const times: number[] = [];
  ui = initialUi;
  for (let round = 0; round < 5; round++)
    for (const k of keys) {
      const t0 = performance.now();
      ui = onKey(ui, k, {}, view, size.width).ui;
      renderScreen(view, ui, size, 'bench');
      times.push(performance.now() - t0);
    }
  console.log(`one pod, ${view.pods[0]!.containers[0]!.instances.length} instances over 17h, screen 120x40, ${times.length} keys:`);
  console.log(`  key + frame: p50 ${fmt(pct(times, 0.5))}, p95 ${fmt(pct(times, 0.95))}, max ${fmt(Math.max(...times))} (a frame: 16 ms)`);
}

function fleetBench(): void {
  const one = longCrashLoop().pods[0]!;
  const lanes: LaneView[] = Array.from({ length: fleet }, (_, i) => {
    const shift = (i % 300) * 1000;
    const l = one.containers[0]!.lane;
    return {
      segments: l.segments.map((s) => ({ ...s, from: s.from + shift, to: s.to === undefined ? undefined : s.to + shift })),
      markers: l.markers.map((m) => ({ ...m, at: m.at + shift })),
    };
  });
  const columns = laneGeometry(one, 120).laneWidth;
  const spans = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 3 * 3600_000, one.timeRange.to - one.timeRange.from];
  const all: number[] = [];
  const visible: number[] = [];
  for (let round = 0; round < 3; round++)
    for (const span of spans) {
      const win = resolveWindow(
        { mode: 'fixed', spanMs: span, to: one.timeRange.to - span / 3, cursor: undefined, labels: 'clock' },
        one,
        one.timeRange.to,
        columns,
      );
      let t0 = performance.now();
      for (const l of lanes) renderLane(l, win, one.timeRange.to);
      renderAxis(win, { now: one.timeRange.to, labels: 'clock', clock: UTC_CLOCK, marks: [] });
      all.push(performance.now() - t0);
      t0 = performance.now();
      for (const l of lanes.slice(0, 40)) renderLane(l, win, one.timeRange.to);
      renderAxis(win, { now: one.timeRange.to, labels: 'clock', clock: UTC_CLOCK, marks: [] });
      visible.push(performance.now() - t0);
    }
  console.log(
    `fleet of ${fleet} strips (${lanes[0]!.segments.length} segments and ${lanes[0]!.markers.length} markers each), ${columns} columns, per zoom or pan step:`,
  );
  console.log(`  every strip: p50 ${fmt(pct(all, 0.5))}, max ${fmt(Math.max(...all))}`);
  console.log(`  the 40 strips a screen shows: p50 ${fmt(pct(visible, 0.5))}, max ${fmt(Math.max(...visible))}`);
}

screenBench();
fleetBench();
