// A lane (segments + markers) drawn into the columns of a time window. Pure. Each column covers
// (to - from) / columns of time; a segment covers the columns of its time (a segment shorter than
// a column still gets its column); events are drawn over the states whatever the zoom, the most
// important one winning its column, and several of that kind in one column show as their number.

import type { LaneView, MarkerView, SegmentView, Tone } from '../model/index.ts';
import { COUNTED, MARKER_GLYPHS, markerRank, STATE_GLYPHS, stateKey, type GlyphKey, type MarkerKey } from './glyphs.ts';

/** The part of time a timeline shows, in how many columns. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
  readonly columns: number;
}

export interface Cell {
  readonly ch: string;
  readonly tone: Tone;
  readonly dim: boolean;
  /** undefined for an empty column. */
  readonly glyph: GlyphKey | undefined;
  /** How many events of the drawn kind fall in this column (0 for a state). */
  readonly count: number;
}

const EMPTY: Cell = { ch: ' ', tone: 'muted', dim: false, glyph: undefined, count: 0 };
const OVERLAY: ReadonlySet<SegmentView['state']> = new Set(['hook', 'stopping']);

/** The column a time falls in (clamped to the window). */
export function columnOf(win: TimeWindow, t: number): number {
  const span = win.to - win.from;
  if (span <= 0 || win.columns <= 0) return 0;
  return Math.min(win.columns - 1, Math.max(0, Math.floor(((t - win.from) / span) * win.columns)));
}

/** The time range [from, to) of a column. */
export function columnRange(win: TimeWindow, col: number): { from: number; to: number } {
  const per = (win.to - win.from) / Math.max(1, win.columns);
  return { from: win.from + col * per, to: win.from + (col + 1) * per };
}

/** Is `t` inside the window (the right edge included)? */
const inside = (win: TimeWindow, t: number): boolean => t >= win.from && t <= win.to;

/** The states drawn first, then the overlays (hooks, stops). */
const PASSES = [false, true] as const;

export function renderLane(lane: LaneView, win: TimeWindow, now: number): Cell[] {
  const width = Math.max(0, Math.floor(win.columns));
  const cells: Cell[] = new Array<Cell>(width).fill(EMPTY);
  if (width === 0 || win.to <= win.from) return cells;
  // A hook or a stop is what the kubelet does over the state it reports: drawn over it, whatever the order.
  for (const overlay of PASSES)
    for (const s of lane.segments) {
      if (OVERLAY.has(s.state) !== overlay) continue;
      const end = s.to ?? now;
      if (end < win.from || s.from > win.to || end < s.from) continue;
      const a = columnOf(win, s.from);
      const b = Math.max(a, columnOf(win, Math.max(s.from, end - 1)));
      const key = stateKey(s);
      const cell: Cell = { ch: STATE_GLYPHS[key].ch, tone: s.tone, dim: s.reconstructed, glyph: `state:${key}`, count: 0 };
      for (let i = a; i <= b; i++) cells[i] = cell;
    }
  if (lane.markers.length === 0) return cells;
  // The winning marker of each column, and how many of its kind fall there.
  const best = new Map<number, { m: MarkerView; n: number }>();
  for (const m of lane.markers) {
    if (!inside(win, m.at)) continue;
    const i = columnOf(win, m.at);
    const cur = best.get(i);
    if (!cur || markerRank(m.kind) < markerRank(cur.m.kind)) best.set(i, { m, n: 1 });
    else if (cur.m.kind === m.kind) cur.n++;
  }
  for (const [i, { m, n }] of best) {
    const counted = n > 1 && COUNTED.has(m.kind as MarkerKey);
    cells[i] = counted
      ? { ch: n > 9 ? '+' : String(n), tone: m.tone, dim: false, glyph: 'count', count: n }
      : { ch: MARKER_GLYPHS[m.kind].ch, tone: m.tone, dim: false, glyph: `marker:${m.kind}`, count: n };
  }
  return cells;
}
