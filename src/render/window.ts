// Which part of a pod's life a timeline shows: UI state (the terminal UI's keys change it; `--since`
// and `--window` set it for text, export and the first screen), resolved against a pod and a width
// into a TimeWindow by pure functions. The rollout view's strips use the same state and functions,
// resolved against their shared axis (a SharedAxis: the time the group's pods span, the deadlines
// ahead) instead of one pod.
//
//   follow  the right edge is now (a little room is left for a known deadline just ahead) and the
//           window moves with it; its span is chosen so that the latest crash cycle is readable,
//           unless zoomed
//   fixed   a window in the past, [to - span, to]
//   all     the pod's whole life

import type { PodView } from '../model/index.ts';
import { columnOf, columnRange, type TimeWindow } from './lane.ts';

export interface TimelineState {
  readonly mode: 'follow' | 'fixed' | 'all';
  /** follow: undefined = the automatic span; fixed: the span. */
  readonly spanMs: number | undefined;
  /** fixed: the right edge. */
  readonly to: number | undefined;
  /** The moment under the cursor; undefined = the right edge (now, while following). */
  readonly cursor: number | undefined;
  /** Axis labels: clock times, or ages relative to now (-5m). */
  readonly labels: 'clock' | 'age';
}

export const FOLLOW: TimelineState = { mode: 'follow', spanMs: undefined, to: undefined, cursor: undefined, labels: 'clock' };
export const WHOLE_LIFE: TimelineState = { mode: 'all', spanMs: undefined, to: undefined, cursor: undefined, labels: 'clock' };

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
/** The zoom levels: spans that make round ticks. */
export const SPANS: readonly number[] = [
  10 * S,
  20 * S,
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
  4 * D,
  7 * D,
  14 * D,
  30 * D,
  90 * D,
  365 * D,
];

export interface Deadline {
  readonly at: number;
  readonly kind: 'deadline' | 'nextRestart';
  readonly container?: string;
}

/**
 * The strips of a group of pods on one shared axis: the time they span (the oldest pod's start to
 * now), the span of the automatic window and the deadlines they know (the pods' SIGKILL deadlines).
 */
export interface SharedAxis {
  readonly kind: 'shared-axis';
  readonly timeRange: { readonly from: number; readonly to: number };
  /** The automatic window's span; undefined: the whole range. */
  readonly autoSpan: number | undefined;
  readonly deadlines: readonly Deadline[];
}

/** What a window is resolved against: one pod's life, or a group's shared axis. */
export type WindowSubject = PodView | SharedAxis;

const isAxis = (x: WindowSubject): x is SharedAxis => (x as SharedAxis).kind === 'shared-axis';

/** The pod's whole life as the timeline shows it: creation (or the first thing known) to now, or to its deletion. */
export function lifeRange(pod: WindowSubject): { from: number; to: number } {
  return pod.timeRange;
}

/** The span of the automatic window: a few of the latest crash cycles, else undefined (the whole life). */
export function autoSpan(subject: WindowSubject): number | undefined {
  if (isAxis(subject)) return subject.autoSpan;
  const pod = subject;
  const { from, to: end } = lifeRange(pod);
  let cycle = 0;
  let latest = -Infinity;
  for (const c of pod.containers) {
    const starts = c.instances.map((i) => i.startedAt).filter((t): t is number => t !== undefined);
    const last = starts.at(-1);
    if (last === undefined || last < latest) continue;
    // The last period between two starts, or the back-off the container is in now if longer.
    let period = starts.length >= 2 ? last - starts[starts.length - 2]! : 0;
    const b = c.backoff;
    if (b?.kind === 'crash-loop' && b.delaySeconds !== undefined)
      period = Math.max(period, b.delaySeconds * 1000 + (c.lastTermination?.durationMs ?? 0));
    if (period <= 0) continue;
    latest = last;
    cycle = period;
  }
  if (cycle <= 0) return undefined;
  const span = SPANS.find((s) => s >= 3 * cycle) ?? SPANS[SPANS.length - 1]!;
  return span >= end - from ? undefined : span;
}

/** Deadlines ahead of `now` that the picture knows: the SIGKILL deadline, each container's next restart. */
export function deadlinesAhead(subject: WindowSubject, now: number): Deadline[] {
  if (isAxis(subject)) return subject.deadlines.filter((d) => d.at > now);
  const pod = subject;
  const out: Deadline[] = [];
  if (pod.deletion && !pod.deleted && pod.deletion.deadline > now) out.push({ at: pod.deletion.deadline, kind: 'deadline' });
  if (!pod.deleted)
    for (const c of pod.containers) {
      const t = c.backoff?.nextAttemptAt;
      if (c.backoff?.kind === 'crash-loop' && t !== undefined && t > now) out.push({ at: t, kind: 'nextRestart', container: c.name });
    }
  return out;
}

/** The window a state shows for a pod at `now`, `columns` wide. */
export function resolveWindow(t: TimelineState, pod: WindowSubject, now: number, columns: number): TimeWindow {
  const life = lifeRange(pod);
  const end = life.to;
  if (t.mode === 'fixed' && t.to !== undefined) return { from: t.spanMs !== undefined ? t.to - t.spanMs : life.from, to: t.to, columns };
  const auto = t.mode === 'all' ? undefined : (t.spanMs ?? autoSpan(pod));
  const span = auto === undefined || auto >= end - life.from ? end - life.from : auto;
  // Room for the nearest deadline ahead when it is within a quarter of the span, plus a column to draw it in.
  const ahead = deadlinesAhead(pod, end)
    .map((d) => d.at - end)
    .filter((ms) => ms <= span / 4);
  const margin = ahead.length > 0 ? Math.max(...ahead) + span / Math.max(1, columns) : 0;
  return { from: end - span, to: end + margin, columns };
}

/** The column of the cursor in a window (the last column when the cursor is at the right edge). */
export function cursorColumn(t: TimelineState, win: TimeWindow, end: number): number {
  const at = t.cursor ?? Math.min(end, win.to);
  return columnOf(win, Math.min(at, win.to));
}

/** How a window reads in a title: "whole life", "following now, last 5m", "05:40:00 .. 05:45:00". */
export function windowTitle(t: TimelineState, win: TimeWindow, pod: WindowSubject, fmt: (ms: number) => string): string {
  const life = lifeRange(pod);
  if (t.mode === 'all' || (win.from <= life.from && win.to >= life.to && t.mode !== 'fixed')) return 'whole life';
  // The span up to now (the window may reach a little past it, to a deadline).
  if (t.mode === 'follow') return `following now, last ${spanText(Math.min(win.to, life.to) - win.from)}`;
  return `${fmt(win.from)} .. ${fmt(win.to)}`;
}

/** A span as people say it: 30s, 5m, 1h30m, 2d. */
export function spanText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s / 60}m`;
  if (s < 86400) {
    const m = Math.round(s / 60);
    return m % 60 ? `${Math.floor(m / 60)}h${m % 60}m` : `${m / 60}h`;
  }
  const h = Math.round(s / 3600);
  return h % 24 ? `${Math.floor(h / 24)}d${h % 24}h` : `${h / 24}d`;
}

// ---- What the keys do. Each takes the state, the pod, now and the lane width; returns the new state.

export interface WindowContext {
  /** The pod, or the rollout view's shared axis. */
  readonly pod: WindowSubject;
  readonly now: number;
  readonly columns: number;
}

/** A window as state: following when its right edge reaches the end of the life, else fixed. */
function place(t: TimelineState, from: number, span: number, ctx: WindowContext): TimelineState {
  const life = lifeRange(ctx.pod);
  if (span >= life.to - life.from && from <= life.from) return { ...t, mode: 'all', spanMs: undefined, to: undefined };
  if (from + span >= life.to) return { ...t, mode: 'follow', spanMs: span, to: undefined };
  return { ...t, mode: 'fixed', spanMs: span, to: from + span };
}

/**
 * The span a window shows, as its title names it: a window that follows now may be drawn past now,
 * to a restart due within a quarter of its span, and that room is not part of the span (zooming in
 * from "last 1m" drawn 15 s past now goes to 30s, not to 1m again; panning keeps 1m).
 */
function namedSpan(t: TimelineState, win: TimeWindow, life: { to: number }): number {
  return (t.mode === 'fixed' ? win.to : Math.min(win.to, life.to)) - win.from;
}

/** + / -: the next zoom level, keeping the cursor's moment in its place. */
export function zoom(t: TimelineState, dir: 'in' | 'out', ctx: WindowContext): TimelineState {
  const win = resolveWindow(t, ctx.pod, ctx.now, ctx.columns);
  const life = lifeRange(ctx.pod);
  const named = namedSpan(t, win, life);
  const span = win.to - win.from;
  const next =
    dir === 'in' ? ([...SPANS].reverse().find((s) => s < named - 1) ?? SPANS[0]!) : (SPANS.find((s) => s > named + 1) ?? named * 2);
  if (dir === 'in' && named <= SPANS[0]!) return t;
  if (dir === 'out' && next >= life.to - life.from) return { ...t, mode: 'all', spanMs: undefined, to: undefined };
  const end = life.to;
  const at = t.cursor ?? Math.min(end, win.to);
  // Following with the cursor on now: stay on now.
  if (t.mode !== 'fixed' && t.cursor === undefined) return { ...t, mode: 'follow', spanMs: next, to: undefined };
  const frac = (at - win.from) / span;
  return place(t, at - frac * next, next, ctx);
}

/** [ / ]: a quarter of the window back or forward. */
export function pan(t: TimelineState, dir: -1 | 1, ctx: WindowContext): TimelineState {
  const win = resolveWindow(t, ctx.pod, ctx.now, ctx.columns);
  const life = lifeRange(ctx.pod);
  const span = namedSpan(t, win, life);
  if (dir > 0 && win.to >= life.to) return t;
  const from = Math.max(Math.min(win.from + (dir * span) / 4, life.to - span), Math.min(life.from, life.to - span));
  const next = place(t, from, span, ctx);
  return next.mode === 'all' ? { ...next, mode: 'fixed', spanMs: span, to: from + span } : next;
}

/** h / l: the cursor one column left or right; the window follows it past an edge. */
export function moveCursor(t: TimelineState, dir: -1 | 1, ctx: WindowContext): TimelineState {
  const win = resolveWindow(t, ctx.pod, ctx.now, ctx.columns);
  const end = lifeRange(ctx.pod).to;
  const col = cursorColumn(t, win, end);
  const per = (win.to - win.from) / Math.max(1, win.columns);
  const nextCol = col + dir;
  if (nextCol >= 0 && nextCol < win.columns) {
    const { from, to } = columnRange(win, nextCol);
    // Back on the column of now: the cursor follows now again.
    if (from <= end && end < to + 1) return { ...t, cursor: undefined };
    if (from > end) return t;
    return { ...t, cursor: (from + to) / 2 };
  }
  // Past an edge: pan by one column, the cursor stays at the edge.
  const cur = t.cursor ?? Math.min(end, win.to);
  if (dir > 0 && win.to >= end) return { ...t, cursor: undefined };
  const moved = place(t, win.from + dir * per, win.to - win.from, ctx);
  return { ...moved, cursor: cur + dir * per };
}

export const followNow = (t: TimelineState): TimelineState => ({ ...FOLLOW, labels: t.labels });
export const wholeLife = (t: TimelineState): TimelineState => ({ ...WHOLE_LIFE, labels: t.labels, cursor: t.cursor });
export const toggleLabels = (t: TimelineState): TimelineState => ({ ...t, labels: t.labels === 'clock' ? 'age' : 'clock' });

// ---- --since DURATION and --window SPEC.

/** What the user asked for; made into a TimelineState once `now` and the clock are known. */
export type WindowSpec =
  | { readonly kind: 'all' }
  | { readonly kind: 'auto' }
  | { readonly kind: 'since'; readonly ms: number }
  | { readonly kind: 'range'; readonly from: TimeRef | undefined; readonly to: TimeRef | undefined };

/** A moment: an age before now (-5m), now, a time of day (in the clock's zone), or an RFC 3339 time. */
export type TimeRef =
  | { readonly kind: 'age'; readonly ms: number }
  | { readonly kind: 'time-of-day'; readonly ms: number }
  | { readonly kind: 'at'; readonly ms: number };

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** 90s, 5m, 1h30m, 2d -> ms; undefined when not a duration (or zero). */
export function parseDuration(s: string): number | undefined {
  const m = DURATION.exec(s.trim());
  if (!m || s.trim() === '') return undefined;
  const ms = ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 * 60 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * 1000;
  return ms > 0 && ms <= 3650 * D ? ms : undefined;
}

function parseRef(s: string, parseTime: (s: string) => number | undefined): TimeRef | undefined {
  if (s === 'now') return { kind: 'age', ms: 0 };
  if (s.startsWith('-')) {
    const ms = parseDuration(s.slice(1));
    return ms === undefined ? undefined : { kind: 'age', ms };
  }
  const tod = /^(\d\d?):(\d\d)(?::(\d\d))?$/.exec(s);
  if (tod) {
    const [h, m, sec] = [Number(tod[1]), Number(tod[2]), Number(tod[3] ?? 0)];
    if (h > 23 || m > 59 || sec > 59) return undefined;
    return { kind: 'time-of-day', ms: ((h * 60 + m) * 60 + sec) * 1000 };
  }
  const at = parseTime(s);
  return at === undefined ? undefined : { kind: 'at', ms: at };
}

/** --window: all | auto | FROM..TO (either side may be empty: the life's start, now). Undefined: not valid. */
export function parseWindowSpec(s: string, parseTime: (s: string) => number | undefined): WindowSpec | undefined {
  const v = s.trim();
  if (v === 'all') return { kind: 'all' };
  if (v === 'auto') return { kind: 'auto' };
  const since = parseDuration(v);
  if (since !== undefined) return { kind: 'since', ms: since };
  const i = v.indexOf('..');
  if (i < 0) return undefined;
  const [a, b] = [v.slice(0, i).trim(), v.slice(i + 2).trim()];
  const from = a === '' ? undefined : parseRef(a, parseTime);
  const to = b === '' ? undefined : parseRef(b, parseTime);
  if ((a !== '' && !from) || (b !== '' && !to)) return undefined;
  return { kind: 'range', from, to };
}

/** A moment of a TimeRef at `now`; a time of day is the latest such moment not after now, in the zone offset given. */
export function refTime(r: TimeRef, now: number, zoneOffsetMs = 0): number {
  if (r.kind === 'age') return now - r.ms;
  if (r.kind === 'at') return r.ms;
  const local = now + zoneOffsetMs;
  const day = Math.floor(local / D) * D;
  let t = day + r.ms - zoneOffsetMs;
  if (t > now) t -= D;
  return t;
}

/** The state a spec asks for, at `now`, for a pod whose life is [lifeFrom, end]. */
export function stateFromSpec(spec: WindowSpec | undefined, fallback: TimelineState, now: number, zoneOffsetMs = 0): TimelineState {
  if (!spec) return fallback;
  const labels = fallback.labels;
  switch (spec.kind) {
    case 'all':
      return { ...WHOLE_LIFE, labels };
    case 'auto':
      return { ...FOLLOW, labels };
    case 'since':
      return { ...FOLLOW, spanMs: spec.ms, labels };
    case 'range': {
      const to = spec.to ? refTime(spec.to, now, zoneOffsetMs) : now;
      if (!spec.from) return { ...FOLLOW, mode: 'fixed', spanMs: undefined, to, labels };
      const from = refTime(spec.from, now, zoneOffsetMs);
      const span = Math.max(1000, to - from);
      if (to >= now) return { ...FOLLOW, spanMs: span, labels };
      return { mode: 'fixed', spanMs: span, to: from + span, cursor: undefined, labels };
    }
  }
}

// ---- --cursor TIME: where the cursor of a text or exported timeline is.

/** --cursor: now, an age before the window's end (-90s), a time of day (in the clock's zone) or an RFC 3339 time. Undefined: not valid. */
export function parseCursor(s: string, parseTime: (s: string) => number | undefined): TimeRef | undefined {
  return parseRef(s.trim(), parseTime);
}

/**
 * The state with its cursor at a --cursor moment, for a subject drawn `columns` wide: an age counts
 * back from the window's end (where the cursor sits by default: now, or the end of a window in the
 * past), a time of day is the latest such moment not after it (in the zone whose offset is given).
 */
export function placeCursor(
  t: TimelineState,
  ref: TimeRef,
  subject: WindowSubject,
  columns: number,
  zoneOffsetMs: (at: number) => number,
): TimelineState {
  const life = lifeRange(subject);
  const win = resolveWindow(t, subject, life.to, columns);
  const end = Math.min(life.to, win.to);
  return { ...t, cursor: refTime(ref, end, zoneOffsetMs(end)) };
}
