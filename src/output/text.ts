// Plain-text views: one line per lifecycle event while streaming, and the picture of a pod
// (header, conditions, containers with instances and back-off, timelines, events, findings).
// Widths are terminal columns; text from the cluster has its control characters made visible
// before it is painted (the only escape sequences written are the colours added here); clock
// times are in the Clock's zone, named where the picture first shows a time.

import {
  countdownText,
  describeProbe,
  formatGoDuration,
  humanDuration,
  lifecycleText,
  runLength,
  type ContainerView,
  type LifecycleEvent,
  type PodView,
  type SessionView,
  type Severity,
  type Tone,
} from '../model/index.ts';
import { UTC_CLOCK, type Clock } from './clock.ts';
import { LEGEND, renderLane, type Cell } from './lane.ts';
import { clipColumns, columns, padColumns, visible, visibleDeep } from './terminal.ts';

export interface Paint {
  tone(s: string, tone: Tone | Severity): string;
  bold(s: string): string;
  dim(s: string): string;
}

const CODES: Record<string, string> = { ok: '32', progress: '36', warn: '33', warning: '33', error: '31', muted: '90', info: '0' };
export function paint(color: boolean): Paint {
  if (!color) return { tone: (s) => s, bold: (s) => s, dim: (s) => s };
  return {
    tone: (s, t) => (CODES[t] && CODES[t] !== '0' ? `\x1b[${CODES[t]}m${s}\x1b[39m` : s),
    bold: (s) => `\x1b[1m${s}\x1b[22m`,
    dim: (s) => `\x1b[2m${s}\x1b[22m`,
  };
}

/** Clip to a width in terminal columns: ANSI colour codes take none and are kept whole. */
const clip = clipColumns;

export function formatEventLine(e: LifecycleEvent, p: Paint, opts: { showPod: boolean; width: number; clock?: Clock }): string {
  const clock = opts.clock ?? UTC_CLOCK;
  const time = `${clock.time(e.at)}${e.reconstructed ? '~' : ' '}`;
  const who = [
    opts.showPod ? `${visible(e.namespace)}/${visible(e.pod)}` : undefined,
    e.container ? `[${visible(e.container)}]` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const body = clip(`${who ? `${who} ` : ''}${visible(lifecycleText(e))}`, Math.max(20, opts.width - time.length - 1));
  const tone: Severity | Tone = e.severity === 'error' ? 'error' : e.severity === 'warning' ? 'warn' : 'info';
  return `${p.dim(time)} ${p.tone(body, tone)}`;
}

function cellsText(cells: readonly Cell[], p: Paint): string {
  let out = '';
  for (const c of cells) out += c.dim ? p.dim(p.tone(c.ch, c.tone)) : p.tone(c.ch, c.tone);
  return out;
}

function stateText(c: ContainerView): string {
  if (c.state === 'waiting') return `waiting ${c.reason ?? ''}`.trim();
  if (c.state === 'running') return `running${c.ready ? ', ready' : ', not ready'}${c.started === false ? ', not started' : ''}`;
  if (c.state === 'terminated') return `terminated ${c.reason ?? ''}, exit ${c.exitCode ?? '?'}${c.signalName ? ` (${c.signalName})` : ''}`;
  return 'no status yet';
}

export function instanceLine(i: ContainerView['instances'][number], clock: Clock = UTC_CLOCK): string {
  const range = `${i.startedAt !== undefined ? clock.time(i.startedAt) : '?'}-${i.running ? 'now' : i.finishedAt !== undefined ? clock.time(i.finishedAt) : '?'}`;
  const ran = i.durationMs !== undefined ? ` ran ${runLength(i.durationMs)}` : '';
  const end = i.running
    ? 'running'
    : `${i.reason ?? 'ended'}${i.exitCode !== undefined ? ` exit ${i.exitCode}` : ''}${i.signalName ? ` ${i.signalName}` : ''}`;
  return `#${i.attempt} ${range}${ran}  ${end}${i.causeText && i.cause !== 'exit' ? `  <- ${i.causeText}` : ''}${i.source === 'api' ? '  (from the API)' : ''}`;
}

/** Events about a pod whose object is not in the input (e.g. `kubectl get events -o yaml`). */
export function formatEventsOnly(
  events: { namespace: string; pod: string; events: readonly import('../model/index.ts').EventView[] },
  opts: { width: number; color: boolean; clock?: Clock },
): string {
  const u = visibleDeep(events);
  const clock = opts.clock ?? UTC_CLOCK;
  const p = paint(opts.color);
  const w = Math.max(40, opts.width);
  const at = (t: number): string => `${clock.dateTime(t)} ${clock.label(t)}`;
  const lines = [p.bold(`${u.namespace}/${u.pod}`) + p.dim('  (no Pod object given: its events only)')];
  for (const e of u.events) {
    const when =
      e.firstAt !== undefined && e.lastAt !== undefined && e.lastAt !== e.firstAt
        ? `${at(e.firstAt)} .. ${at(e.lastAt)}`
        : e.lastAt !== undefined
          ? at(e.lastAt)
          : '?';
    lines.push(
      p.tone(
        clip(
          `  ${padColumns(e.type, 7)} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''}${e.container ? ` [${e.container}]` : ''}: ${e.message}`,
          w,
        ),
        e.type === 'Warning' ? 'warn' : 'info',
      ),
    );
    lines.push(p.dim(`      ${when}${e.source ? `  from ${e.source}` : ''}`));
  }
  return lines.join('\n') + '\n';
}

export function formatPicture(
  sessionView: SessionView,
  podView: PodView,
  opts: { width: number; color: boolean; history?: readonly LifecycleEvent[]; clock?: Clock },
): string {
  const view = visibleDeep(sessionView);
  const pod = visibleDeep(podView);
  const clock = opts.clock ?? UTC_CLOCK;
  const clockTime = clock.time;
  const p = paint(opts.color);
  const w = Math.max(40, opts.width);
  const now = view.now;
  const L: string[] = [];
  const line = (s: string): void => void L.push(s);
  line(
    p.bold(`${pod.namespace}/${pod.name}`) +
      p.dim(
        `  uid ${pod.uid}${pod.life > 1 ? `  life ${pod.life}` : ''}${pod.deleted ? '  (deleted)' : !pod.current ? '  (replaced)' : ''}`,
      ),
  );
  line(`${p.tone(`STATUS ${pod.status}`, pod.statusTone)}  READY ${pod.ready}  RESTARTS ${pod.restartsText}  phase ${pod.phase}`);
  line(
    clip(
      `node ${pod.node ?? '<none>'}  IP ${pod.podIP ?? '<none>'}  QoS ${pod.qosClass ?? '?'}  age ${pod.createdAt !== undefined ? humanDuration(now - pod.createdAt) : '?'}  owner ${pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : '<none>'}`,
      w,
    ),
  );
  if (pod.statusReason || pod.statusMessage)
    line(clip(`reason ${pod.statusReason ?? ''}${pod.statusMessage ? `: ${pod.statusMessage}` : ''}`, w));
  if (pod.deletion)
    line(
      p.tone(
        `deleting: SIGKILL deadline ${clockTime(pod.deletion.deadline)} (grace period ${pod.deletion.gracePeriodSeconds ?? '?'}s)`,
        'warn',
      ),
    );
  if (view.source === 'cluster' || view.source === 'replay')
    line(
      p.dim(
        `connection ${view.connection.state}${view.connection.message ? `: ${view.connection.message}` : ''}; observed from ${pod.observedFrom !== undefined ? `${clock.dateTime(pod.observedFrom)} ${clock.label(pod.observedFrom)}` : '?'}, earlier history reconstructed from timestamps (~)`,
      ),
    );
  else line(p.dim(`from a file, as of ${clock.dateTime(now)} ${clock.label(now)}; history reconstructed from timestamps (~)`));

  line('');
  line(p.bold('Conditions'));
  for (const c of pod.conditions) {
    const detail = [c.reason, c.message].filter(Boolean).join(': ');
    line(
      clip(
        `  ${padColumns(c.type, 26)} ${p.tone(padColumns(c.status, 5), c.status === 'True' ? 'ok' : 'warn')} ${c.lastTransitionTime !== undefined ? clockTime(c.lastTransitionTime) : '        '}  ${detail}`,
        w + 12,
      ),
    );
  }
  if (pod.conditions.length === 0) line('  (none reported)');

  line('');
  line(p.bold('Containers'));
  for (const c of pod.containers) {
    line(
      clip(`  ${p.bold(c.name)} (${c.type})  ${p.tone(stateText(c), c.tone)}  restarts ${c.restartCount}  image ${c.image ?? '?'}`, w + 20),
    );
    if (c.message && c.state !== 'running') line(clip(`    message: ${c.message}`, w));
    if (c.lastTermination) {
      const t = c.lastTermination;
      line(
        clip(
          `    last termination: ${t.reason ?? '?'}, exit ${t.exitCode ?? '?'}${t.signalName ? ` (${t.signalName})` : ''}${t.durationMs !== undefined ? `, ran ${runLength(t.durationMs)}` : ''}${t.finishedAt !== undefined ? `, finished ${clockTime(t.finishedAt)}` : ''}`,
          w,
        ),
      );
    }
    if (c.backoff) line(p.tone(clip(`    ${countdownText(c.backoff, now, formatGoDuration)}`, w), 'warn'));
    const shown = c.instances.slice(-8);
    if (shown.length > 0) {
      line(`    instances${c.instances.length > shown.length ? ` (last ${shown.length} of ${c.instances.length})` : ''}:`);
      for (const i of shown) {
        line(clip(`      ${instanceLine(i, clock)}`, w));
        if (i.logTail && i.logTail.length > 0) for (const l of i.logTail.slice(-5)) line(p.dim(clip(`        | ${l}`, w)));
        else if (i.logNote) line(p.dim(clip(`        | (${i.logNote})`, w)));
      }
    }
    for (const pr of c.spec.probes) line(p.dim(clip(`    ${describeProbe(pr)}`, w)));
    for (const h of c.spec.hooks) line(p.dim(clip(`    ${h.kind} hook: ${h.handler}`, w)));
  }

  line('');
  const nameW = Math.min(16, Math.max(4, ...pod.containers.map((c) => columns(c.name) + 1)));
  const laneW = Math.max(10, w - nameW - 2);
  const { from, to } = pod.timeRange;
  line(p.bold(`Timeline ${clockTime(from)} .. ${clockTime(to)} ${clock.label(to)} (${runLength(to - from)})`));
  line(`  ${'pod'.padEnd(nameW)}${cellsText(renderLane(pod.lane, from, to, laneW, now), p)}`);
  for (const c of pod.containers)
    line(`  ${padColumns(clip(c.name, nameW - 1), nameW)}${cellsText(renderLane(c.lane, from, to, laneW, now), p)}`);
  line(p.dim(clip(`  ${LEGEND}`, w * 2)));

  if (pod.events.length > 0) {
    line('');
    line(p.bold('Events'));
    for (const e of pod.events.slice(-15)) {
      const t = e.lastAt !== undefined ? clockTime(e.lastAt) : '?';
      line(
        p.tone(
          clip(
            `  ${t}  ${padColumns(e.type, 7)} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''}${e.container ? ` [${e.container}]` : ''}: ${e.message}`,
            w,
          ),
          e.type === 'Warning' ? 'warn' : 'info',
        ),
      );
    }
  }
  line('');
  line(p.bold('Findings'));
  if (pod.findings.length === 0) line('  none: no evidence of a problem');
  for (const f of pod.findings) {
    line(
      p.tone(
        clip(`  [${f.severity}] ${f.container ? `${f.container}: ` : ''}${f.title}`, w + 40),
        f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warn' : 'info',
      ),
    );
    for (const e of f.evidence) line(p.dim(clip(`      - ${e}`, w + 40)));
  }
  if (pod.gaps.length > 0) {
    line('');
    line(p.bold('Not known'));
    for (const g of pod.gaps) line(clip(`  - ${g}`, w + 40));
  }
  if (opts.history && opts.history.length > 0) {
    line('');
    line(p.bold('History'));
    for (const e of opts.history) line(formatEventLine(e, p, { showPod: false, width: w, clock }));
  }
  return L.join('\n') + '\n';
}
