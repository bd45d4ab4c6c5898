// The time axis under the lanes: a line with ticks at round times that fit the span (seconds,
// minutes, hours, days), their labels (clock times in the clock's zone, or ages like -5m), and
// marks for now, the moment watching began and the deadlines ahead (SIGKILL, next restart). Pure.

import { AXIS_GLYPHS, AXIS_LINE, AXIS_TICK, type AxisKey } from './glyphs.ts';
import { columnOf, type TimeWindow } from './lane.ts';
import type { Seg } from './line.ts';
import { zoneOffset, type Clock } from './clock.ts';
import { spanText } from './window.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const STEPS = [
  S,
  2 * S,
  5 * S,
  10 * S,
  15 * S,
  30 * S,
  M,
  2 * M,
  5 * M,
  10 * M,
  15 * M,
  30 * M,
  H,
  2 * H,
  3 * H,
  6 * H,
  12 * H,
  D,
  2 * D,
  7 * D,
  14 * D,
  30 * D,
];

export interface AxisMark {
  readonly at: number;
  readonly key: AxisKey;
}

export interface AxisOptions {
  readonly now: number;
  readonly labels: 'clock' | 'age';
  readonly clock: Clock;
  readonly marks: readonly AxisMark[];
  /** The cursor's column, drawn inverse (terminal UI). */
  readonly cursorColumn?: number | undefined;
}

export interface Axis {
  readonly line: Seg[];
  readonly labels: Seg[];
  /** The glyph keys drawn (for the legend). */
  readonly used: Set<string>;
  readonly stepMs: number;
}

function clockLabel(t: number, step: number, clock: Clock): string {
  if (step >= D) return clock.dateTime(t).slice(5, 10);
  if (step >= M) return clock.time(t).slice(0, 5);
  return clock.time(t);
}

function ageLabel(ms: number): string {
  return ms <= 0 ? 'now' : `-${spanText(ms)}`;
}

/** The smallest step whose labels fit between ticks. */
function chooseStep(win: TimeWindow, labels: 'clock' | 'age'): number {
  const perCol = (win.to - win.from) / Math.max(1, win.columns);
  for (const step of STEPS) {
    const w = labels === 'age' ? ageLabel(Math.ceil((win.to - win.from) / step) * step).length : step >= M ? 5 : 8;
    if (step / perCol >= w + 2) return step;
  }
  return STEPS[STEPS.length - 1]!;
}

export function renderAxis(win: TimeWindow, o: AxisOptions): Axis {
  const n = Math.max(0, win.columns);
  const used = new Set<string>();
  if (n === 0 || win.to <= win.from) return { line: [], labels: [], used, stepMs: 0 };
  const step = chooseStep(win, o.labels);
  const chars: string[] = new Array<string>(n).fill(AXIS_LINE);
  const keys: (AxisKey | undefined)[] = new Array<AxisKey | undefined>(n).fill(undefined);
  // Ticks: at round clock times in the zone, or at whole steps before now.
  const ticks: { col: number; text: string }[] = [];
  if (o.labels === 'clock') {
    const off = zoneOffset(o.clock, win.from);
    for (let t = Math.ceil((win.from + off) / step) * step - off; t <= win.to; t += step)
      ticks.push({ col: columnOf(win, t), text: clockLabel(t, step, o.clock) });
  } else {
    const first = Math.ceil((o.now - win.to) / step);
    for (let k = Math.max(0, first); o.now - k * step >= win.from; k++) {
      const t = o.now - k * step;
      if (t <= win.to) ticks.unshift({ col: columnOf(win, t), text: ageLabel(k * step) });
    }
    for (let k = -1; o.now - k * step <= win.to; k--) ticks.push({ col: columnOf(win, o.now - k * step), text: `+${spanText(-k * step)}` });
  }
  for (const t of ticks) chars[t.col] = AXIS_TICK;
  for (const m of o.marks) {
    if (m.at < win.from || m.at > win.to) continue;
    const c = columnOf(win, m.at);
    // now wins its column over the other marks; a deadline over the start of watching.
    if (keys[c] === 'now') continue;
    chars[c] = AXIS_GLYPHS[m.key].ch;
    keys[c] = m.key;
    used.add(`axis:${m.key}`);
  }
  const line: Seg[] = [];
  for (let c = 0; c < n;) {
    const key = keys[c];
    if (key) {
      line.push({ text: chars[c]!, tone: AXIS_GLYPHS[key].tone, glyph: `axis:${key}`, inverse: c === o.cursorColumn || undefined });
      c++;
      continue;
    }
    if (c === o.cursorColumn) {
      line.push({ text: chars[c]!, dim: true, inverse: true });
      c++;
      continue;
    }
    let e = c;
    while (e < n && !keys[e] && e !== o.cursorColumn) e++;
    line.push({ text: chars.slice(c, e).join(''), dim: true });
    c = e;
  }
  // Labels left-aligned on their tick (right-aligned at the far right), never overlapping.
  const row: string[] = new Array<string>(n).fill(' ');
  let free = 0;
  const zone = o.labels === 'clock' ? ` ${o.clock.label(win.to)}` : '';
  for (const t of ticks) {
    let start = t.col;
    if (start + t.text.length > n) start = t.col - t.text.length + 1;
    if (start < free || start < 0) continue;
    for (let i = 0; i < t.text.length; i++) row[start + i] = t.text[i]!;
    free = start + t.text.length + 1;
  }
  // The zone once, at the right, when there is room.
  if (zone && free <= n - zone.length) for (let i = 0; i < zone.length; i++) row[n - zone.length + i] = zone[i]!;
  return { line, labels: [{ text: row.join('').trimEnd(), dim: true }], used, stepMs: step };
}
