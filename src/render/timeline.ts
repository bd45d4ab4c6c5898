// The timeline block every view shows the same way: one lane per container (and the pod's), the
// time axis with its labels, the cursor line(s) and the legend of what was drawn. Pure: the window
// comes from TimelineState (window.ts), the drawing from lane.ts and axis.ts.

import type { PodView } from '../model/index.ts';
import { renderAxis, type AxisMark } from './axis.ts';
import type { Clock } from './clock.ts';
import { cursorFacts, cursorLine } from './cursor.ts';
import { legendLines } from './glyphs.ts';
import { columnRange, renderLane, type Cell, type TimeWindow } from './lane.ts';
import { clip, pad, type Line, type Seg } from './line.ts';
import { cursorColumn, deadlinesAhead, resolveWindow, type TimelineState } from './window.ts';

export interface TimelineOptions {
  readonly state: TimelineState;
  readonly now: number;
  readonly clock: Clock;
  /** Before each lane, axis and legend line. */
  readonly indent: string;
  /** The name column (pod / container names), clipped to one less. */
  readonly nameWidth: number;
  readonly laneWidth: number;
  /** The total width a line may take (legend wrapping, cursor lines). */
  readonly width: number;
  /** The selected container (its name bold, its cursor line); undefined: none. */
  readonly selected?: number | undefined;
  /** Draw the cursor column inverse (the terminal UI). */
  readonly showCursor: boolean;
  /** Cursor lines for the selected container only, or for each container. */
  readonly cursorFor: 'selected' | 'each';
  /** When this session began watching (undefined for files). */
  readonly watchingSince: number | undefined;
}

export interface TimelineBlock {
  readonly window: TimeWindow;
  readonly lanes: Line[];
  readonly axis: Line[];
  readonly cursor: Line[];
  /** The legend of what was drawn, wrapped to `width`; indented under the lanes unless told. */
  readonly legend: (width: number, indent?: string, short?: boolean) => Line[];
  /** Every glyph key drawn in lanes and axis. */
  readonly used: ReadonlySet<string>;
  readonly cursorColumn: number;
}

/** Cells to segments: runs of the same style become one segment; the glyph keys drawn are added to `used`. */
export function cellSegs(cells: readonly Cell[], cursor: number | undefined, used: Set<string>): Seg[] {
  const out: Seg[] = [];
  for (let i = 0; i < cells.length;) {
    const c = cells[i]!;
    const inv = i === cursor;
    // The run: the cells after this one drawn the same (one character each, none under the cursor).
    let j = i + 1;
    if (!inv && c.ch.length === 1)
      while (j < cells.length && j !== cursor) {
        const d = cells[j]!;
        if (d.ch !== c.ch || d.glyph !== c.glyph || d.tone !== c.tone || d.dim !== c.dim) break;
        j++;
      }
    if (c.glyph) used.add(c.glyph);
    const text = j - i === 1 ? c.ch : c.ch.repeat(j - i);
    out.push(
      c.glyph === undefined
        ? { text, inverse: inv || undefined }
        : { text, tone: c.tone, dim: c.dim || undefined, glyph: c.glyph, inverse: inv || undefined },
    );
    i = j;
  }
  return out;
}

export function timelineBlock(pod: PodView, o: TimelineOptions): TimelineBlock {
  const win = resolveWindow(o.state, pod, o.now, o.laneWidth);
  const end = pod.timeRange.to;
  const col = cursorColumn(o.state, win, end);
  const showCol = o.showCursor ? col : undefined;
  const used = new Set<string>();
  const nameCell = (name: string, bold: boolean): Seg => ({
    text: o.indent + pad(clip(name, o.nameWidth - 1), o.nameWidth),
    bold: bold || undefined,
  });
  const lanes: Line[] = [[nameCell('pod', false), ...cellSegs(renderLane(pod.lane, win, o.now), showCol, used)]];
  pod.containers.forEach((c, i) =>
    lanes.push([nameCell(c.name, i === o.selected), ...cellSegs(renderLane(c.lane, win, o.now), showCol, used)]),
  );
  const marks: AxisMark[] = [];
  if (o.watchingSince !== undefined) marks.push({ at: o.watchingSince, key: 'watch' });
  for (const d of deadlinesAhead(pod, end)) marks.push({ at: d.at, key: d.kind });
  if (!pod.deleted) marks.push({ at: end, key: 'now' });
  const axis = renderAxis(win, { now: end, labels: o.state.labels, clock: o.clock, marks, cursorColumn: showCol });
  for (const k of axis.used) used.add(k);
  const lead: Seg = { text: o.indent + ' '.repeat(o.nameWidth) };
  const axisLines: Line[] = [
    [lead, ...axis.line],
    [lead, ...axis.labels],
  ];
  const range = columnRange(win, col);
  const last = col === win.columns - 1;
  const who = o.cursorFor === 'selected' ? (o.selected !== undefined ? [pod.containers[o.selected]] : []) : pod.containers;
  const cursor: Line[] = [];
  for (const c of who) {
    if (!c) continue;
    const facts = cursorFacts(c, range.from, range.to, Math.min(o.now, end), last);
    cursor.push([{ text: o.indent }, ...cursorLine(facts, { clock: o.clock, now: Math.min(o.now, end) })]);
  }
  return {
    window: win,
    lanes,
    axis: axisLines,
    cursor,
    legend: (width, indent, short) => legendLines(used, width, indent ?? o.indent + ' '.repeat(o.nameWidth), short),
    used,
    cursorColumn: col,
  };
}
