// What the cursor names: for one container, at the cursor's column, the state(s) with their reason,
// the instance (`#4, started 12:03:10, exit 1 after 2s`) and the events that fall in that column.
// Pure facts first (tested), then the line that shows them.

import type { ContainerView, InstanceView, MarkerView, SegmentView } from '../model/index.ts';
import { runLength } from '../model/index.ts';
import type { Clock } from './clock.ts';
import type { Line, Seg } from './line.ts';

export interface CursorFacts {
  readonly from: number;
  readonly to: number;
  readonly container: string;
  /** The states the column covers, oldest first ("waiting CrashLoopBackOff", "running, ready"). */
  readonly states: readonly string[];
  /** The instance running in the column, else the last one before it. */
  readonly instance: InstanceView | undefined;
  /** True when the instance ended before the column began. */
  readonly instanceBefore: boolean;
  /** Events in the column, folded by label ("Killing", "Unhealthy x3", "exit 137"). */
  readonly events: readonly { readonly label: string; readonly tone: MarkerView['tone']; readonly n: number }[];
}

export function segmentText(s: SegmentView): string {
  switch (s.state) {
    case 'waiting':
      return `waiting ${s.label}`;
    case 'ready':
      return 'running, ready';
    case 'running':
      return 'running';
    case 'terminated':
      return `terminated ${s.label}`;
    case 'hook':
      return `${s.label} hook running (inferred)`;
    case 'stopping':
      return 'stopping (SIGTERM sent)';
    case 'unknown':
      return 'unknown';
    default:
      return s.label;
  }
}

const OVERLAY: ReadonlySet<SegmentView['state']> = new Set(['hook', 'stopping']);

/** The segment shown at `t`: of those covering it, a hook or a stop first (drawn over the rest), else the one that began last (as the lane draws it). */
function segmentAt(segments: readonly SegmentView[], t: number, now: number): SegmentView | undefined {
  let best: SegmentView | undefined;
  for (const s of segments) {
    const end = s.to ?? now;
    if (!(s.from <= t && (t < end || (t === end && s.from === end)))) continue;
    const over = OVERLAY.has(s.state);
    const bestOver = best !== undefined && OVERLAY.has(best.state);
    if (!best || (over && !bestOver) || (over === bestOver && s.from >= best.from)) best = s;
  }
  return best;
}

export function cursorFacts(c: ContainerView, from: number, to: number, now: number, last: boolean): CursorFacts {
  // The states at the start of the column and at every segment start inside it.
  const points = [from, ...c.lane.segments.map((s) => s.from).filter((t) => t > from && t < to)].sort((a, b) => a - b);
  const states: string[] = [];
  for (const p of points) {
    if (p > now) break;
    const s = segmentAt(c.lane.segments, p, now);
    const text = s ? segmentText(s) : undefined;
    if (text && states.at(-1) !== text) states.push(text);
  }
  // A column where what is unknown ends and what the API tells begins: name what is known.
  if (states.length > 1 && states[0] === 'unknown') states.shift();
  const end = Math.min(to, now);
  const started = c.instances.filter((i) => i.startedAt !== undefined && i.startedAt < (last ? end + 1 : end));
  const within = [...started].reverse().find((i) => (i.running ? now : (i.finishedAt ?? i.startedAt!)) >= from);
  const instance = within ?? started.at(-1);
  const events = new Map<string, { label: string; tone: MarkerView['tone']; n: number }>();
  for (const m of c.lane.markers) {
    if (m.at < from || (last ? m.at > to : m.at >= to)) continue;
    if (m.kind === 'start' && events.size > 0) continue;
    const e = events.get(m.label);
    if (e) e.n++;
    else events.set(m.label, { label: m.label, tone: m.tone, n: 1 });
  }
  return {
    from,
    to,
    container: c.name,
    states: states.slice(-3),
    instance,
    instanceBefore: !within && instance !== undefined,
    events: [...events.values()],
  };
}

/** `#4, started 12:03:10, exit 1 after 2s` (or `running for 1m`). */
export function instanceText(i: InstanceView, clock: Clock, now: number): string {
  const start = i.startedAt !== undefined ? clock.time(i.startedAt) : '?';
  let end: string;
  if (i.running) end = i.startedAt !== undefined ? `running for ${runLength(now - i.startedAt)}` : 'running';
  else {
    const how = [
      i.reason && i.reason !== 'Error' && i.reason !== 'Completed' ? i.reason : undefined,
      i.exitCode !== undefined ? `exit ${i.exitCode}` : 'ended',
      i.signalName,
    ]
      .filter(Boolean)
      .join(' ');
    end = `${how}${i.durationMs !== undefined ? ` after ${runLength(i.durationMs)}` : ''}`;
    if (i.cause && i.cause !== 'exit') end += ` (${i.cause})`;
  }
  return `#${i.attempt}, started ${start}, ${end}`;
}

/** The cursor line: time (and the column's span when it is more than a second), container, states, instance, events. */
export function cursorLine(f: CursorFacts, o: { clock: Clock; now: number; mark?: string }): Line {
  const wide = f.to - f.from > 1500;
  const last = Math.max(f.from, Math.min(f.to - 1, o.now));
  const at = wide ? `${o.clock.time(f.from)}-${o.clock.time(last)}` : o.clock.time(last);
  const out: Seg[] = [{ text: `${o.mark ?? '▸'} ${at} `, dim: true }, { text: f.container, bold: true }, { text: '  ' }];
  out.push({
    text: f.states.length > 0 ? f.states.join(' → ') : f.from > o.now ? 'not yet' : 'no state known',
    tone: f.states.length ? undefined : 'muted',
  });
  if (f.instance) {
    out.push({ text: '  ·  ', dim: true });
    const i = f.instance;
    out.push({
      text: `${f.instanceBefore ? 'after ' : ''}${instanceText(i, o.clock, o.now)}`,
      tone: i.running ? 'ok' : (i.exitCode ?? 0) === 0 ? 'muted' : 'error',
    });
  }
  if (f.events.length > 0) {
    out.push({ text: '  ·  ', dim: true });
    f.events.slice(0, 6).forEach((e, k) => {
      if (k > 0) out.push({ text: ', ', dim: true });
      out.push({ text: e.n > 1 ? `${e.label} (${e.n})` : e.label, tone: e.tone });
    });
    if (f.events.length > 6) out.push({ text: `, ${f.events.length - 6} more`, dim: true });
  }
  return out;
}
