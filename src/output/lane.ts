// Draws a lane (segments + markers) into a fixed number of cells on a shared time axis. Pure; used
// by the text printer and the terminal UI alike.

import type { LaneView, MarkerView, SegmentView, Tone } from '../model/index.ts';

export interface Cell {
  readonly ch: string;
  readonly tone: Tone;
  readonly dim: boolean;
}

const MARKER_CH: Readonly<Record<MarkerView['kind'], string>> = {
  oom: 'M',
  kill: 'K',
  exit: '!',
  restart: '^',
  deadline: 'D',
  delete: 'd',
  probe: 'p',
  postStart: 'h',
  preStop: 's',
  pull: 'i',
  schedule: 'S',
  start: '>',
  event: '.',
};
const MARKER_RANK: readonly MarkerView['kind'][] = [
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

export const LEGEND =
  '█ ready  ▒ running  ░ waiting (back-off, errors)  · creating  x terminated with error  _ completed | ' +
  '^ restart  ! exit  M OOM kill  K kill  p probe failure  h postStart  s preStop  d delete  D SIGKILL deadline  i image  S scheduled';

function segmentChar(s: SegmentView): string {
  switch (s.state) {
    case 'ready':
      return '█';
    case 'running':
      return '▒';
    case 'waiting':
      return s.tone === 'progress' ? '·' : '░';
    case 'terminated':
      return s.tone === 'error' ? 'x' : '_';
    default:
      return s.tone === 'ok' ? '█' : s.tone === 'progress' ? '▒' : s.tone === 'muted' ? '_' : s.tone === 'warn' ? '░' : 'x';
  }
}

export function renderLane(lane: LaneView, from: number, to: number, width: number, now: number): Cell[] {
  const cells: Cell[] = Array.from({ length: width }, () => ({ ch: ' ', tone: 'muted' as Tone, dim: false }));
  if (width <= 0 || to <= from) return cells;
  const span = to - from;
  const col = (t: number): number => Math.min(width - 1, Math.max(0, Math.floor(((t - from) / span) * width)));
  for (const s of lane.segments) {
    const end = s.to ?? now;
    if (end < from || s.from > to) continue;
    const a = col(s.from);
    const b = Math.max(a, col(Math.max(s.from, end - 1)));
    const ch = segmentChar(s);
    for (let i = a; i <= b; i++) cells[i] = { ch, tone: s.tone, dim: s.reconstructed };
  }
  const best = new Map<number, MarkerView>();
  for (const m of lane.markers) {
    if (m.at < from || m.at > to) continue;
    const i = col(m.at);
    const cur = best.get(i);
    if (!cur || MARKER_RANK.indexOf(m.kind) < MARKER_RANK.indexOf(cur.kind)) best.set(i, m);
  }
  for (const [i, m] of best) cells[i] = { ch: MARKER_CH[m.kind], tone: m.tone, dim: false };
  return cells;
}
