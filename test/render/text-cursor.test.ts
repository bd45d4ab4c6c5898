// --cursor: the cursor of -o text's and --export's timeline, on recordings made against a real
// kubelet. At 80 and 120 columns, for windows chosen as --window chooses them and cursors given as
// --cursor gives them, each container's cursor line in the picture is the line the terminal UI
// prints for the same window and column with that container selected.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { PodView, SessionView } from '../../src/model/index.ts';
import { parseTime } from '../../src/model/time.ts';
import { renderExport } from '../../src/output/export.ts';
import { formatPicture } from '../../src/output/text.ts';
import { UTC_CLOCK } from '../../src/render/clock.ts';
import { columnOf } from '../../src/render/lane.ts';
import { fit, lineText, type Line } from '../../src/render/line.ts';
import { pictureGeometry, renderPicture } from '../../src/render/pod.ts';
import { initialUi, laneGeometry, renderScreen } from '../../src/render/screen.ts';
import {
  parseCursor,
  parseWindowSpec,
  placeCursor,
  resolveWindow,
  stateFromSpec,
  WHOLE_LIFE,
  type TimelineState,
  type TimeRef,
} from '../../src/render/window.ts';
import { finalView } from '../helpers/fixtures.ts';

const noZone = (): number => 0;
const cursorOf = (s: string): TimeRef => parseCursor(s, parseTime) ?? assert.fail(`--cursor ${s}`);
const stateOf = (view: SessionView, window: string | undefined): TimelineState =>
  stateFromSpec(window === undefined ? undefined : parseWindowSpec(window, parseTime), WHOLE_LIFE, view.now, 0);

/** The picture's lines after "at ... (the cursor):": one cursor line per container. */
function pictureCursor(view: SessionView, pod: PodView, width: number, timeline: TimelineState, cursor: TimeRef) {
  const lines = renderPicture(view, pod, { width, clock: UTC_CLOCK, timeline, cursor });
  const i = lines.findIndex((l) => / \(the cursor\):$/.test(lineText(l)));
  assert.ok(i >= 0, lines.map(lineText).join('\n'));
  return { header: lineText(lines[i]!), lines: lines.slice(i + 1, i + 1 + pod.containers.length) };
}

/** A terminal width whose lanes are as wide as the picture's at `width`. */
function tuiWidthFor(pod: PodView, width: number): number {
  const want = pictureGeometry(pod, width).laneWidth;
  for (let w = width - 20; w <= width + 20; w++) if (laneGeometry(pod, w).laneWidth === want) return w;
  return assert.fail(`no terminal width with lanes of ${want}`);
}

const cases: { name: string; window: string | undefined; cursors: string[] }[] = [
  // A zoomed window in the past: inside instance #4, on its restart, in the back-off after it, by age from the window's end.
  { name: 'crashloop', window: '05:44:45..05:45:05', cursors: ['05:44:51', '05:44:50', '2026-11-25T05:45:00Z', '-2s', '-15s'] },
  // The whole life (text's default).
  { name: 'crashloop', window: undefined, cursors: ['-90s', '05:43:30', 'now'] },
  // Following now, the last 20 s: liveness kills.
  { name: 'liveness', window: '20s', cursors: ['-1s', '-7s', '-12s'] },
  // A stop with its grace period: the preStop hook, SIGKILL.
  { name: 'grace', window: undefined, cursors: ['-3s', '-10s'] },
];

describe.each([80, 120])('at %d columns', (width) => {
  test.each(cases)(
    '$name, window $window: each cursor line is the one the terminal UI prints for that column',
    ({ name, window, cursors }) => {
      const view = finalView(name);
      const pod = view.pods[0]!;
      const timeline = stateOf(view, window);
      const tuiWidth = tuiWidthFor(pod, width);
      const laneWidth = pictureGeometry(pod, width).laneWidth;
      for (const c of cursors) {
        const ref = cursorOf(c);
        const placed = placeCursor(timeline, ref, pod, laneWidth, noZone);
        const win = resolveWindow(placed, pod, view.now, laneWidth);
        assert.ok(placed.cursor! >= win.from && placed.cursor! <= win.to, `${c} in the window`);
        const text = pictureCursor(view, pod, width, timeline, ref);
        assert.equal(text.header, `  at ${UTC_CLOCK.time(placed.cursor!)} (the cursor):`);
        assert.equal(text.lines.length, pod.containers.length);
        pod.containers.forEach((container, selected) => {
          const screen = renderScreen(view, { ...initialUi, timeline: placed, selected }, { width: tuiWidth, height: 80 }, name, {
            clock: UTC_CLOCK,
          });
          const tui = screen.map(lineText).filter((l) => l.startsWith('▸ '));
          assert.equal(tui.length, 1, `${c}: one cursor line on the screen`);
          // The picture indents its lines by two and allows them longer; the screen fits them to its width.
          const mine = lineText(fit(trimIndent(text.lines[selected]!), tuiWidth));
          assert.equal(mine, tui[0], `${name} ${c} ${container.name}`);
          assert.ok(mine.includes(` ${container.name}  `), mine);
        });
      }
    },
  );
});

const trimIndent = (l: Line): Line => (l[0]?.text === '  ' ? l.slice(1) : l);

test("the cursor by age counts back from the window's end; a time of day is the latest such moment not after it", () => {
  const view = finalView('crashloop');
  const pod = view.pods[0]!;
  const fixed = stateOf(view, '05:44:45..05:45:05');
  assert.equal(placeCursor(fixed, cursorOf('-5s'), pod, 100, noZone).cursor, Date.parse('2026-11-25T05:45:00Z'));
  assert.equal(placeCursor(fixed, cursorOf('now'), pod, 100, noZone).cursor, Date.parse('2026-11-25T05:45:05Z'));
  assert.equal(placeCursor(fixed, cursorOf('05:44:50'), pod, 100, noZone).cursor, Date.parse('2026-11-25T05:44:50Z'));
  // Following: the end is the pod's (now, here the last observation of the recording).
  assert.equal(placeCursor(WHOLE_LIFE, cursorOf('-90s'), pod, 100, noZone).cursor, pod.timeRange.to - 90_000);
  // A zone's offset moves a time of day: 06:44:50 at UTC+1 is 05:44:50 UTC.
  assert.equal(placeCursor(fixed, cursorOf('06:44:50'), pod, 100, () => 3_600_000).cursor, Date.parse('2026-11-25T05:44:50Z'));
});

test('a cursor outside the window is said so, with the fix, instead of facts of another moment', () => {
  const view = finalView('crashloop');
  const pod = view.pods[0]!;
  const text = formatPicture(view, pod, {
    width: 100,
    color: false,
    clock: UTC_CLOCK,
    timeline: stateOf(view, '05:44:45..05:45:05'),
    cursor: cursorOf('05:43:00'),
  });
  assert.match(
    text,
    /the cursor 05:43:00 is outside this window \(05:44:45 \.\. 05:45:05\): choose one that holds it with --window or --since/,
  );
  assert.doesNotMatch(text, /\(the cursor\):/);
  assert.doesNotMatch(text, /^ {2}▸ /m);
});

test('--export draws the same cursor: its line in the Markdown and the SVG, its column inverse', () => {
  const view = finalView('crashloop');
  const pod = view.pods[0]!;
  const timeline = stateOf(view, '05:44:45..05:45:05');
  const cursor = cursorOf('05:44:51');
  const line = lineText(trimIndent(pictureCursor(view, pod, 120, timeline, cursor).lines[0]!));
  assert.match(line, /^▸ 05:44:5\d(-05:44:5\d)? app {2}running, ready {2}· {2}#4, started 05:44:50, exit 1 after 2s$/);
  const md = renderExport(view, { format: 'md', theme: 'light', target: 'crashloop', width: 120, clock: UTC_CLOCK, timeline, cursor });
  assert.ok(md.includes(line), md);
  assert.ok(md.includes('at 05:44:51 (the cursor):'));
  const svg = renderExport(view, { format: 'svg', theme: 'light', target: 'crashloop', width: 120, clock: UTC_CLOCK, timeline, cursor });
  const geo = pictureGeometry(pod, 120);
  const col = columnOf(resolveWindow(timeline, pod, view.now, geo.laneWidth), Date.parse('2026-11-25T05:44:51Z'));
  // The lanes and the axis: the cursor's column drawn inverse in each, as the terminal UI draws it.
  const inverse = renderPicture(view, pod, { width: 120, clock: UTC_CLOCK, timeline, cursor }).filter((l) => l.some((s) => s.inverse));
  assert.equal(inverse.length, pod.containers.length + 2, 'the pod lane, each container lane, the axis');
  for (const l of inverse) {
    const i = l.findIndex((s) => s.inverse);
    const x = lineText(l.slice(0, i)).length - 2 - geo.nameWidth;
    assert.equal(x, col, lineText(l));
    assert.equal(l[i]!.text.length, 1);
  }
  assert.ok(/<rect [^>]*\/>/.test(svg));
  // The SVG writes words one by one: the cursor line's mark and the header's words are there.
  assert.ok(svg.includes('>▸<') && svg.includes('>cursor):<'));
});
