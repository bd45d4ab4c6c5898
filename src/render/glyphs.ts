// The one glyph table of the timeline: every glyph a lane or the time axis can draw, with its tone
// and the words of the legend. Lanes, the axis, the legend and the exporters read it from here; a
// test checks that every glyph drawn is in the legend that is shown with it.

import type { MarkerView, SegmentView, Tone } from '../model/index.ts';
import type { Line, Seg } from './line.ts';

export interface Glyph {
  readonly ch: string;
  /** The tone it is drawn in when the drawing has none of its own (axis marks). */
  readonly tone: Tone;
  readonly legend: string;
  /** The legend's word where room is short (the terminal UI). */
  readonly short: string;
  /** How an exporter may draw it: a filled cell (opacity), or the character. */
  readonly fill?: number;
}

/**
 * States: what a lane shows between events. The hooks and the stop are what the kubelet is doing
 * over the state it reports (drawn over it); `unknown` is history the API no longer has.
 */
export const STATE_GLYPHS = {
  ready: { ch: '█', tone: 'ok', legend: 'ready', short: 'ready', fill: 1 },
  running: { ch: '▒', tone: 'progress', legend: 'running, not ready', short: 'running', fill: 0.55 },
  postStart: { ch: 'h', tone: 'progress', legend: 'postStart hook (inferred)', short: 'postStart' },
  preStop: { ch: 's', tone: 'warn', legend: 'preStop hook (inferred)', short: 'preStop' },
  stopping: { ch: '~', tone: 'warn', legend: 'stopping (SIGTERM sent; pod: terminating)', short: 'stopping' },
  waiting: { ch: '░', tone: 'warn', legend: 'waiting (back-off, errors)', short: 'waiting', fill: 0.28 },
  creating: { ch: '·', tone: 'progress', legend: 'pending, creating', short: 'pending' },
  failed: { ch: 'x', tone: 'error', legend: 'terminated with error, failed', short: 'failed' },
  completed: { ch: '_', tone: 'muted', legend: 'completed', short: 'completed' },
  unknown: { ch: '?', tone: 'muted', legend: 'unknown (before watching; not in the API)', short: 'unknown' },
} as const satisfies Record<string, Glyph>;

/** Events: drawn over the states, one column each, whatever the zoom. */
export const MARKER_GLYPHS = {
  oom: { ch: 'M', tone: 'error', legend: 'OOM kill', short: 'OOM' },
  kill: { ch: 'K', tone: 'error', legend: 'SIGKILL', short: 'SIGKILL' },
  exit: { ch: '!', tone: 'error', legend: 'exit', short: 'exit' },
  restart: { ch: '^', tone: 'warn', legend: 'restart', short: 'restart' },
  deadline: { ch: 'D', tone: 'error', legend: 'grace period ends', short: 'grace ends' },
  delete: { ch: 'd', tone: 'warn', legend: 'delete requested', short: 'delete' },
  postStart: { ch: 'H', tone: 'error', legend: 'hook failed', short: 'hook failed' },
  preStop: { ch: 'H', tone: 'error', legend: 'hook failed', short: 'hook failed' },
  probe: { ch: 'p', tone: 'warn', legend: 'probe failure', short: 'probe' },
  start: { ch: '>', tone: 'ok', legend: 'started', short: 'start' },
  schedule: { ch: 'S', tone: 'ok', legend: 'scheduled', short: 'sched' },
  pull: { ch: 'i', tone: 'progress', legend: 'image', short: 'image' },
  event: { ch: '.', tone: 'muted', legend: 'other event', short: 'event' },
} as const satisfies Record<MarkerView['kind'], Glyph>;

/** Several events of one kind in one column: their number (2-9, then +). */
export const COUNT_GLYPH = {
  ch: '2-9+',
  tone: 'error',
  legend: 'that many in one column',
  short: 'in one column',
} as const satisfies Glyph;

/** Marks on the time axis (the ticks and the line itself need no legend). */
export const AXIS_GLYPHS = {
  now: { ch: '▲', tone: 'progress', legend: 'now', short: 'now' },
  watch: { ch: '◆', tone: 'muted', legend: 'watching began (before it: reconstructed)', short: 'watching' },
  nextRestart: { ch: '»', tone: 'warn', legend: 'next restart', short: 'next restart' },
  deadline: { ch: 'D', tone: 'error', legend: 'grace period ends', short: 'grace ends' },
} as const satisfies Record<string, Glyph>;
export const AXIS_LINE = '─';
export const AXIS_TICK = '┴';

export type StateKey = keyof typeof STATE_GLYPHS;
export type MarkerKey = keyof typeof MARKER_GLYPHS;
export type AxisKey = keyof typeof AXIS_GLYPHS;
/** Glyph keys as segments carry them: "state:ready", "marker:oom", "count", "axis:now". */
export type GlyphKey = `state:${StateKey}` | `marker:${MarkerKey}` | 'count' | `axis:${AxisKey}`;

/** Which marker wins a column: the first of these. */
export const MARKER_RANK: readonly MarkerKey[] = [
  'oom',
  'kill',
  'exit',
  'restart',
  'deadline',
  'delete',
  'postStart',
  'preStop',
  'probe',
  'start',
  'schedule',
  'pull',
  'event',
];
const RANK = new Map(MARKER_RANK.map((k, i) => [k, i]));
export const markerRank = (k: MarkerKey): number => RANK.get(k) ?? MARKER_RANK.length;

/** Kinds counted when several fall in one column (the ones a reader must not miss). */
export const COUNTED: ReadonlySet<MarkerKey> = new Set(['oom', 'kill', 'exit', 'restart', 'probe', 'postStart', 'preStop']);

/** The pod lane's states (the labels of its 'phase' segments: model/reduce/pods.ts podLaneState). */
const POD_STATES: Readonly<Record<string, StateKey>> = {
  Pending: 'creating',
  Running: 'running',
  Ready: 'ready',
  Terminating: 'stopping',
  Succeeded: 'completed',
  Failed: 'failed',
  Unknown: 'unknown',
};

export function stateKey(s: SegmentView): StateKey {
  switch (s.state) {
    case 'ready':
      return 'ready';
    case 'running':
      return 'running';
    case 'hook':
      return s.label === 'preStop' ? 'preStop' : 'postStart';
    case 'stopping':
      return 'stopping';
    case 'unknown':
      return 'unknown';
    case 'waiting':
      return s.tone === 'progress' ? 'creating' : 'waiting';
    case 'terminated':
      return s.tone === 'error' ? 'failed' : 'completed';
    default:
      if (s.state === 'phase' && POD_STATES[s.label]) return POD_STATES[s.label]!;
      return s.tone === 'ok'
        ? 'ready'
        : s.tone === 'progress'
          ? 'running'
          : s.tone === 'muted'
            ? 'completed'
            : s.tone === 'warn'
              ? 'waiting'
              : 'failed';
  }
}

export function glyphOf(key: GlyphKey): Glyph {
  if (key === 'count') return COUNT_GLYPH;
  const [kind, name] = key.split(':') as [string, string];
  const table: Record<string, Glyph> = kind === 'state' ? STATE_GLYPHS : kind === 'marker' ? MARKER_GLYPHS : AXIS_GLYPHS;
  return table[name]!;
}

/** Every key in table order (states, events, count, axis marks): the order of the legend. */
export const ALL_GLYPH_KEYS: readonly GlyphKey[] = [
  ...(Object.keys(STATE_GLYPHS) as StateKey[]).map((k) => `state:${k}` as const),
  ...(Object.keys(MARKER_GLYPHS) as MarkerKey[]).map((k) => `marker:${k}` as const),
  'count',
  ...(Object.keys(AXIS_GLYPHS) as AxisKey[]).map((k) => `axis:${k}` as const),
];

/**
 * The legend of the given glyphs (all of them when none are given), in table order, as
 * segments: each glyph in its tone, its words dim. A glyph drawn in two roles with the same words
 * (the SIGKILL deadline on a lane and on the axis) is explained once.
 */
export function legendSegs(used?: Iterable<string>, short = false): Seg[] {
  const want = used ? new Set(used) : undefined;
  const out: Seg[] = [];
  const said = new Set<string>();
  for (const key of ALL_GLYPH_KEYS) {
    if (want && !want.has(key)) continue;
    const g = glyphOf(key);
    const words = short ? g.short : g.legend;
    if (said.has(`${g.ch} ${words}`)) continue;
    said.add(`${g.ch} ${words}`);
    if (out.length > 0) out.push({ text: short ? ' ' : '  ', dim: true });
    out.push({ text: g.ch, tone: g.tone, glyph: key === 'count' ? undefined : key });
    out.push({ text: ` ${words}`, dim: true });
  }
  return out;
}

/** The legend as lines of at most `width` columns (never cutting an entry unless one alone is wider). */
export function legendLines(used: Iterable<string> | undefined, width: number, indent: string, short = false): Line[] {
  const segs = legendSegs(used, short);
  const gap = short ? ' ' : '  ';
  const lines: Seg[][] = [];
  let cur: Seg[] = [];
  let w = indent.length;
  for (let i = 0; i < segs.length;) {
    // An entry is [sep?] glyph words.
    const sep = segs[i]!.text === gap ? segs[i++] : undefined;
    const entry: [Seg, Seg] = [segs[i]!, segs[i + 1]!];
    i += 2;
    const ew = entry[0].text.length + entry[1].text.length;
    if (cur.length > 0 && w + gap.length + ew > width) {
      lines.push(cur);
      cur = [];
      w = indent.length;
    }
    if (cur.length === 0) cur.push({ text: indent, dim: true });
    else if (sep) {
      cur.push(sep);
      w += gap.length;
    }
    cur.push(...entry);
    w += ew;
  }
  if (cur.length > 0) lines.push(cur);
  return lines;
}

/** The whole legend as one string (help screens, docs). */
export const LEGEND = legendSegs()
  .map((s) => s.text)
  .join('');
