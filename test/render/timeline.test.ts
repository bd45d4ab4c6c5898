// The timeline block on recordings made against a real kubelet, at 80 and 120 columns: follow-now, a
// zoomed window in the past, the whole life; events shorter than a column; the cursor line; the
// axis's ticks and labels; and that every glyph drawn is in the legend shown with it.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { PodView, SessionView } from '../../src/model/index.ts';
import { UTC_CLOCK } from '../../src/render/clock.ts';
import { glyphOf, MARKER_GLYPHS, type GlyphKey } from '../../src/render/glyphs.ts';
import { columnOf, columnRange } from '../../src/render/lane.ts';
import { columns, lineText, type Line } from '../../src/render/line.ts';
import { renderPicture } from '../../src/render/pod.ts';
import { initialUi, laneGeometry, renderScreen } from '../../src/render/screen.ts';
import { timelineBlock } from '../../src/render/timeline.ts';
import { FOLLOW, resolveWindow, WHOLE_LIFE, zoom, type TimelineState } from '../../src/render/window.ts';
import { fileState, finalView, publicFixtures, recordingNames } from '../helpers/fixtures.ts';

const at = (s: string): number => Date.parse(`2026-11-25T${s}Z`);
const WIDTHS = [80, 120] as const;

function block(view: SessionView, pod: PodView, state: TimelineState, width: number, selected = 0) {
  const geo = laneGeometry(pod, width);
  return timelineBlock(pod, {
    state,
    now: view.now,
    clock: UTC_CLOCK,
    indent: '',
    nameWidth: geo.nameWidth,
    laneWidth: geo.laneWidth,
    width,
    selected,
    showCursor: true,
    cursorFor: 'selected',
    watchingSince: pod.observedFrom,
  });
}
const lane = (b: ReturnType<typeof block>, row: number): string => lineText(b.lanes[row]!).slice(b.lanes[row]![0]!.text.length);
const axisRow = (b: ReturnType<typeof block>, row: 0 | 1): string => lineText(b.axis[row]!).slice(b.axis[row]![0]!.text.length);

/** Every label on the label row sits under a tick of the axis row (left-aligned, or right-aligned at the far right). */
function assertLabelsOnTicks(axis: string, labels: string): void {
  for (const m of labels.matchAll(/\S+/g)) {
    if (m[0] === 'UTC') continue;
    const start = m.index;
    const end = start + m[0].length - 1;
    assert.ok(
      /[┴▲◆»D]/.test(axis[start] ?? '') || /[┴▲◆»D]/.test(axis[end] ?? ''),
      `label ${m[0]} at ${start} has no tick:\n${axis}\n${labels}`,
    );
  }
}

describe.each(WIDTHS)('at %d columns', (width) => {
  test('follow now (liveness, kills every 6-12s): the last 20s, now at the right edge, age labels every 2s', () => {
    const view = finalView('liveness');
    const pod = view.pods[0]!;
    const b = block(view, pod, initialUi.timeline, width);
    assert.deepEqual([b.window.from, b.window.to], [pod.timeRange.to - 20_000, pod.timeRange.to]);
    const axis = axisRow(b, 0);
    const labels = axisRow(b, 1);
    assert.equal(columns(axis), laneGeometry(pod, width).laneWidth);
    assert.equal(axis.at(-1), '▲', 'now is the last column');
    assert.match(labels, /-20s .*-10s .*now$/);
    assertLabelsOnTicks(axis, labels);
    // exec was stopped at 05:43:42 (Killing: its liveness probe failed) and killed by SIGKILL at
    // 05:43:44: the stop (~), then K where it exited, both inside the window.
    assert.match(lane(b, 1), /~+K/);
    assert.equal(columns(lane(b, 1)), laneGeometry(pod, width).laneWidth);
  });

  test('a zoomed window in the past (crashloop, 05:44:45-05:45:05): restart 4 and its exit where they happened', () => {
    const view = finalView('crashloop');
    const pod = view.pods[0]!;
    const state: TimelineState = { ...FOLLOW, mode: 'fixed', spanMs: 20_000, to: at('05:45:05'), labels: 'clock' };
    const b = block(view, pod, state, width);
    const win = b.window;
    const app = lane(b, 1);
    // Instance #4 started 05:44:50 and exited 05:44:52 (the recording's instance list says so).
    const i4 = pod.containers[0]!.instances.find((i) => i.attempt === 4)!;
    assert.equal(i4.startedAt, at('05:44:50'));
    assert.equal(app[columnOf(win, i4.startedAt!)], '^');
    assert.equal(app[columnOf(win, i4.finishedAt!)], '!');
    assert.match(app.slice(0, columnOf(win, i4.startedAt!)), /^░+$/, 'back-off before it');
    assert.match(app.slice(columnOf(win, i4.finishedAt!) + 1), /^░+$/, 'back-off after it');
    const labels = axisRow(b, 1);
    // Round times, 5 s apart at 80 columns, 2 s at 120; the restart's second among them.
    assert.match(labels, width === 80 ? /^05:44:45 +05:44:50 +05:44:55 +05:45:00/ : /^ +05:44:46 +05:44:48 +05:44:50 +05:44:52 /);
    assertLabelsOnTicks(axisRow(b, 0), labels);
    assert.doesNotMatch(axisRow(b, 0), /▲/, 'now is not in a window in the past');
  });

  test('whole life (crashloop, 3m16s): clock ticks every 30s, the start of watching and now marked', () => {
    const view = finalView('crashloop');
    const pod = view.pods[0]!;
    const b = block(view, pod, WHOLE_LIFE, width);
    assert.deepEqual([b.window.from, b.window.to], [pod.timeRange.from, pod.timeRange.to]);
    const axis = axisRow(b, 0);
    assert.equal(axis[columnOf(b.window, pod.observedFrom!)], '◆');
    assert.equal(axis.at(-1), '▲');
    const labels = axisRow(b, 1);
    assertLabelsOnTicks(axis, labels);
    const times = [...labels.matchAll(/\d\d:\d\d(:\d\d)?/g)].map((m) => m[0]);
    assert.ok(times.length >= 3, labels);
    // Six instances, six restarts or starts: every one of them is drawn (none hidden by the state around it).
    const app = lane(b, 1);
    assert.equal([...app].filter((c) => c === '^' || c === '>' || /\d/.test(c)).length >= 4, true, app);
  });

  test('events shorter than a column: 896 restarts in 3 days (a public pod) still show the last exit, in its column', () => {
    const view = fixture('crashloop-backoff-5m');
    const pod = view.pods[0]!;
    const b = block(view, pod, WHOLE_LIFE, width);
    const per = (b.window.to - b.window.from) / b.window.columns;
    assert.ok(per > 30 * 60_000, `a column is ${per / 60_000} minutes`);
    const i = pod.containers[0]!.instances.at(-1)!;
    assert.equal(i.durationMs, 9000, 'a 9 s run');
    assert.equal(lane(b, 1)[columnOf(b.window, i.finishedAt!)], '!');
    // The next restart in 5 minutes is marked ahead of now.
    assert.match(axisRow(b, 0), /▲»?$/);
  });

  test('several events of a kind in one column show as their number (crashloop, whole life at a few seconds a column)', () => {
    const view = finalView('crashloop');
    const pod = view.pods[0]!;
    const narrow = { ...FOLLOW, mode: 'all' as const };
    const b = block(view, pod, narrow, 40);
    const app = lane(b, 1);
    // Instances 0 and 1 exited at 05:43:08 and 05:43:10: the same column at 40 columns.
    const win = b.window;
    const c = columnOf(win, at('05:43:08'));
    assert.equal(columnOf(win, at('05:43:10')), c);
    assert.equal(app[c], '2');
    assert.ok(b.used.has('count'));
    // And at any width, a counted cell's number is the number of markers of its kind there.
    for (const w of [30, 57, width]) {
      const bb = block(view, pod, narrow, w);
      const cells = lane(bb, 1);
      for (let k = 0; k < cells.length; k++) {
        if (!/[2-9+]/.test(cells[k]!)) continue;
        const { from, to } = columnRange(bb.window, k);
        const exits = pod.containers[0]!.lane.markers.filter((m) => m.kind === 'exit' && m.at >= from && m.at < to).length;
        assert.equal(cells[k], exits > 9 ? '+' : String(exits), `column ${k} at ${w}`);
      }
    }
  });

  test('the cursor line names state, instance and events at the cursor (crashloop, 05:44:51.5, inside instance #4)', () => {
    const view = finalView('crashloop');
    const pod = view.pods[0]!;
    const state: TimelineState = {
      ...FOLLOW,
      mode: 'fixed',
      spanMs: 20_000,
      to: at('05:45:05'),
      cursor: at('05:44:51') + 500,
      labels: 'clock',
    };
    const b = block(view, pod, state, width);
    assert.equal(b.cursor.length, 1);
    assert.equal(lineText(b.cursor[0]!), '▸ 05:44:51 app  running, ready  ·  #4, started 05:44:50, exit 1 after 2s');
    // A column where it became ready: both states, in order.
    const ready = pod.containers[0]!.lane.segments.find((x) => x.state === 'ready' && x.from > at('05:44:50'))!.from;
    assert.match(lineText(block(view, pod, { ...state, cursor: ready }, width).cursor[0]!), /app  running → running, ready  ·/);
    // On the column of the restart: the events in it are named.
    const onRestart = block(view, pod, { ...state, cursor: at('05:44:50') }, width);
    assert.match(lineText(onRestart.cursor[0]!), /#4, started 05:44:50, exit 1 after 2s  ·  restart 4$/);
    // In the back-off after it: the state with its reason, and the instance before.
    const later = block(view, pod, { ...state, cursor: at('05:45:00') }, width);
    assert.equal(lineText(later.cursor[0]!), '▸ 05:45:00 app  waiting CrashLoopBackOff  ·  after #4, started 05:44:50, exit 1 after 2s');
  });
});

const fixture = (name: string) => {
  const f = publicFixtures().find((x) => x.name.startsWith(name))!;
  return fileState(f.name, f.text).view;
};

/** The glyph keys a line draws, and the characters that go with them. */
function drawn(lines: readonly Line[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of lines) for (const s of l) if (s.glyph) out.set(s.glyph, s.text[0]!);
  return out;
}
function legendEntries(lines: readonly Line[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) for (const s of l) if (s.glyph) out.add(s.glyph);
  // The count entry carries no glyph key of its own.
  if (lines.some((l) => lineText(l).includes('2-9+'))) out.add('count');
  return out;
}

describe('every glyph drawn is in the legend shown with it', () => {
  const cases = recordingNames().flatMap((name) => WIDTHS.map((w) => [name, w] as const));
  test.each(cases)('%s at %d columns: the text picture, the screen, in every window', (name, width) => {
    const view = finalView(name);
    for (const pod of view.pods) {
      const states: TimelineState[] = [WHOLE_LIFE, initialUi.timeline, { ...FOLLOW, spanMs: 10_000 }];
      const ctx = { pod, now: view.now, columns: laneGeometry(pod, width).laneWidth };
      states.push(zoom(zoom(FOLLOW, 'in', ctx), 'in', ctx));
      for (const state of states) {
        // The text picture (and so the exports): the whole legend of what it drew.
        const picture = renderPicture(view, pod, { width, timeline: state });
        // Heading, the pod's lane and one per container, the axis and its labels, then the legend.
        const start = picture.findIndex((l) => lineText(l).startsWith('Timeline'));
        const lanesEnd = start + 1 + (1 + pod.containers.length) + 2;
        const used = drawn(picture.slice(start, lanesEnd));
        const legend = legendEntries(
          picture.slice(
            lanesEnd,
            picture.findIndex((l, i) => i > lanesEnd && /^  at /.test(lineText(l))),
          ),
        );
        for (const [key, ch] of used) assert.ok(legend.has(key), `${name}: ${ch} (${key}) drawn but not in the legend`);
        // The screen: its legend lines (at most two) name what its lanes and axis drew.
        const ui = { ...initialUi, timeline: state };
        const screen = renderScreen(view, ui, { width, height: 60 }, name);
        const tl = screen.findIndex((l) => lineText(l).startsWith('─ timeline'));
        const cursorAt = screen.findIndex((l, i) => i > tl && lineText(l).startsWith('▸'));
        const sUsed = drawn(screen.slice(tl, cursorAt));
        const sLegend = legendEntries(screen.slice(cursorAt + 1, cursorAt + 3));
        for (const [key, ch] of sUsed) assert.ok(sLegend.has(key), `${name} screen: ${ch} (${key}) drawn but not in the legend`);
      }
    }
  });

  test('the legend is made from the glyph table: each glyph of a marker kind is explained by its table entry', () => {
    for (const [kind, g] of Object.entries(MARKER_GLYPHS)) assert.equal(glyphOf(`marker:${kind}` as GlyphKey).ch, g.ch);
  });
});

test('the window, the axis and the lanes agree at every width from 20 to 200 columns', () => {
  const view = finalView('liveness');
  const pod = view.pods[0]!;
  for (let w = 20; w <= 200; w += 7) {
    const win = resolveWindow(WHOLE_LIFE, pod, view.now, w);
    const b = timelineBlock(pod, {
      state: WHOLE_LIFE,
      now: view.now,
      clock: UTC_CLOCK,
      indent: '',
      nameWidth: 5,
      laneWidth: w,
      width: w + 5,
      showCursor: false,
      cursorFor: 'each',
      watchingSince: pod.observedFrom,
    });
    assert.deepEqual(b.window, win);
    for (const l of [...b.lanes, b.axis[0]!]) assert.equal(columns(lineText(l)), w + 5, `${w}: ${lineText(l)}`);
    assert.ok(columns(lineText(b.axis[1]!)) <= w + 5);
  }
});
