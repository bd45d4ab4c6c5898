// Plain-text views: one line per lifecycle event while streaming, and the picture of a pod
// (header, conditions, containers with instances and back-off, timelines, events, findings).

import {
  clockTime,
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
import { LEGEND, renderLane, type Cell } from './lane.ts';

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

const ANSI = /\x1b\[[0-9;]*m/y;
/** Clip to a visible width: ANSI colour codes take no columns and are kept whole. */
function clip(s: string, width: number): string {
  let visible = 0;
  let out = '';
  let cut = false;
  for (let i = 0; i < s.length;) {
    ANSI.lastIndex = i;
    const m = ANSI.exec(s);
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (visible === width - 1 && s.length - i > 1 && visibleLength(s.slice(i)) > 1) {
      out += '…';
      cut = true;
      break;
    }
    out += s[i];
    visible++;
    i++;
  }
  return cut && out.includes('\x1b[') ? `${out}\x1b[0m` : out;
}

function visibleLength(s: string): number {
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

export function formatEventLine(e: LifecycleEvent, p: Paint, opts: { showPod: boolean; width: number }): string {
  const time = `${clockTime(e.at)}${e.reconstructed ? '~' : ' '}`;
  const who = [opts.showPod ? `${e.namespace}/${e.pod}` : undefined, e.container ? `[${e.container}]` : undefined]
    .filter(Boolean)
    .join(' ');
  const body = clip(`${who ? `${who} ` : ''}${lifecycleText(e)}`, Math.max(20, opts.width - time.length - 1));
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

export function instanceLine(i: ContainerView['instances'][number]): string {
  const range = `${i.startedAt !== undefined ? clockTime(i.startedAt) : '?'}-${i.running ? 'now' : i.finishedAt !== undefined ? clockTime(i.finishedAt) : '?'}`;
  const ran = i.durationMs !== undefined ? ` ran ${runLength(i.durationMs)}` : '';
  const end = i.running
    ? 'running'
    : `${i.reason ?? 'ended'}${i.exitCode !== undefined ? ` exit ${i.exitCode}` : ''}${i.signalName ? ` ${i.signalName}` : ''}`;
  return `#${i.attempt} ${range}${ran}  ${end}${i.causeText && i.cause !== 'exit' ? `  <- ${i.causeText}` : ''}${i.source === 'api' ? '  (from the API)' : ''}`;
}

/** Events about a pod whose object is not in the input (e.g. `kubectl get events -o yaml`). */
export function formatEventsOnly(
  u: { namespace: string; pod: string; events: readonly import('../model/index.ts').EventView[] },
  opts: { width: number; color: boolean },
): string {
  const p = paint(opts.color);
  const w = Math.max(40, opts.width);
  const lines = [p.bold(`${u.namespace}/${u.pod}`) + p.dim('  (no Pod object given: its events only)')];
  for (const e of u.events) {
    const when =
      e.firstAt !== undefined && e.lastAt !== undefined && e.lastAt !== e.firstAt
        ? `${new Date(e.firstAt).toISOString().slice(0, 19)}Z .. ${new Date(e.lastAt).toISOString().slice(0, 19)}Z`
        : e.lastAt !== undefined
          ? new Date(e.lastAt).toISOString().slice(0, 19) + 'Z'
          : '?';
    lines.push(
      p.tone(
        clip(
          `  ${e.type.padEnd(7)} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''}${e.container ? ` [${e.container}]` : ''}: ${e.message}`,
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
  view: SessionView,
  pod: PodView,
  opts: { width: number; color: boolean; history?: readonly LifecycleEvent[] },
): string {
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
        `connection ${view.connection.state}${view.connection.message ? `: ${view.connection.message}` : ''}; observed from ${pod.observedFrom !== undefined ? clockTime(pod.observedFrom) : '?'}, earlier history reconstructed from timestamps (~)`,
      ),
    );
  else line(p.dim(`from a file, as of ${clockTime(now)}; history reconstructed from timestamps (~)`));

  line('');
  line(p.bold('Conditions'));
  for (const c of pod.conditions) {
    const detail = [c.reason, c.message].filter(Boolean).join(': ');
    line(
      clip(
        `  ${c.type.padEnd(26)} ${p.tone(c.status.padEnd(5), c.status === 'True' ? 'ok' : 'warn')} ${c.lastTransitionTime !== undefined ? clockTime(c.lastTransitionTime) : '        '}  ${detail}`,
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
        line(clip(`      ${instanceLine(i)}`, w));
        if (i.logTail && i.logTail.length > 0) for (const l of i.logTail.slice(-5)) line(p.dim(clip(`        | ${l}`, w)));
        else if (i.logNote) line(p.dim(clip(`        | (${i.logNote})`, w)));
      }
    }
    for (const pr of c.spec.probes) line(p.dim(clip(`    ${describeProbe(pr)}`, w)));
    for (const h of c.spec.hooks) line(p.dim(clip(`    ${h.kind} hook: ${h.handler}`, w)));
  }

  line('');
  const nameW = Math.min(16, Math.max(4, ...pod.containers.map((c) => c.name.length + 1)));
  const laneW = Math.max(10, w - nameW - 2);
  const { from, to } = pod.timeRange;
  line(p.bold(`Timeline ${clockTime(from)} .. ${clockTime(to)} (${runLength(to - from)})`));
  line(`  ${'pod'.padEnd(nameW)}${cellsText(renderLane(pod.lane, from, to, laneW, now), p)}`);
  for (const c of pod.containers)
    line(`  ${clip(c.name, nameW - 1).padEnd(nameW)}${cellsText(renderLane(c.lane, from, to, laneW, now), p)}`);
  line(p.dim(clip(`  ${LEGEND}`, w * 2)));

  if (pod.events.length > 0) {
    line('');
    line(p.bold('Events'));
    for (const e of pod.events.slice(-15)) {
      const t = e.lastAt !== undefined ? clockTime(e.lastAt) : '?';
      line(
        p.tone(
          clip(
            `  ${t}  ${e.type.padEnd(7)} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''}${e.container ? ` [${e.container}]` : ''}: ${e.message}`,
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
    for (const e of opts.history) line(formatEventLine(e, p, { showPod: false, width: w }));
  }
  return L.join('\n') + '\n';
}
