// The terminal UI's layout as a pure function: (view, UI state, size) -> lines of styled spans.
// Sections get space by priority so that only what fits is laid out; the Ink components just draw
// these lines. Tested directly at fixed widths.

import {
  countdownText,
  describeProbe,
  formatGoDuration,
  humanDuration,
  runLength,
  type ContainerView,
  type PodView,
  type SessionView,
  type Tone,
} from '../model/index.ts';
import { UTC_CLOCK, type Clock } from '../output/clock.ts';
import { renderLane } from '../output/lane.ts';
import { clipColumns, columns, padColumns, visible } from '../output/terminal.ts';
import { instanceLine } from '../output/text.ts';

export interface Span {
  readonly text: string;
  readonly tone?: Tone | undefined;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly inverse?: boolean;
}
export type Line = readonly Span[];

export interface UiState {
  readonly podIndex: number;
  readonly selected: number;
  readonly expanded: boolean;
  readonly help: boolean;
}

export const initialUi: UiState = { podIndex: 0, selected: 0, expanded: false, help: false };

const CONN_TONE: Record<string, Tone> = { live: 'ok', connecting: 'progress', reconnecting: 'warn', offline: 'error', file: 'muted' };

/** Clip to `w` terminal columns (a CJK character takes two). */
const clip = clipColumns;

/** Clip a line of spans to a width in terminal columns; control characters in the text are shown, not obeyed. */
export function fit(line: Line, width: number): Line {
  const out: Span[] = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    const t = clip(visible(s.text), left);
    out.push({ ...s, text: t });
    left -= columns(t);
  }
  return out;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

function stateSpan(c: ContainerView): Span {
  let t: string;
  if (c.state === 'waiting') t = c.reason ?? 'Waiting';
  else if (c.state === 'running') t = c.ready ? 'Running, ready' : c.started === false ? 'Running, not started' : 'Running, not ready';
  else if (c.state === 'terminated') t = `${c.reason ?? 'Terminated'} ${c.exitCode ?? ''}${c.signalName ? ` ${c.signalName}` : ''}`.trim();
  else t = 'no status';
  return { text: t, tone: c.tone };
}

function containerRow(c: ContainerView, selected: boolean, now: number, width: number): Line {
  const mark = selected ? '›' : ' ';
  const kind = c.type === 'regular' ? '' : ` (${c.type})`;
  const parts: Span[] = [
    { text: `${mark} `, bold: selected },
    { text: `${c.name}${kind}`, bold: true, inverse: selected },
    { text: '  ' },
    stateSpan(c),
    { text: `  restarts ${c.restartCount}` },
  ];
  const t = c.lastTermination;
  if (t)
    parts.push({
      text: `  last: ${t.reason ?? '?'} ${t.exitCode ?? '?'}${t.signalName ? ` ${t.signalName}` : ''}${t.durationMs !== undefined ? ` ran ${runLength(t.durationMs)}` : ''}${t.finishedAt !== undefined ? ` ${humanDuration(now - t.finishedAt)} ago` : ''}`,
      dim: true,
    });
  return fit(parts, width);
}

function section(title: string, width: number, extra = ''): Line {
  const t = ` ${title} ${extra}`;
  return fit([{ text: '─' + t + '─'.repeat(Math.max(0, width - columns(t) - 1)), dim: true }], width);
}

export function layout(
  view: SessionView,
  ui: UiState,
  size: { width: number; height: number },
  target: string,
  opts: { readonly clock?: Clock } = {},
): Line[] {
  const clock = opts.clock ?? UTC_CLOCK;
  const width = Math.max(40, size.width);
  const height = Math.max(10, size.height);
  const now = view.now;
  const pods = view.pods;
  const conn = view.connection;
  const top: Line = fit(
    [
      { text: 'podlife ', bold: true },
      { text: target, dim: true },
      { text: '  ' },
      { text: `● ${conn.state}`, tone: CONN_TONE[conn.state] ?? 'muted' },
      ...(conn.message && conn.state !== 'live' ? [{ text: ` ${conn.message}`, dim: true } as Span] : []),
    ],
    width,
  );
  if (ui.help) return [top, ...helpLines(width)];
  const pod = pods[Math.min(ui.podIndex, Math.max(0, pods.length - 1))];
  if (!pod) {
    const msg = conn.state === 'connecting' ? 'connecting to the API server…' : 'no pod yet: waiting for it to appear';
    return [
      top,
      fit([{ text: msg, dim: true }], width),
      ...view.notes.slice(-3).map((n): Line => fit([{ text: `note: ${n.text}`, tone: n.level === 'error' ? 'error' : 'warn' }], width)),
    ];
  }
  const selected = Math.min(ui.selected, Math.max(0, pod.containers.length - 1));

  // Fixed part: header (2-3 lines), containers, timeline.
  const header: Line[] = [];
  header.push(
    fit(
      [
        { text: `${pod.namespace}/${pod.name}`, bold: true },
        ...(pod.life > 1 ? [{ text: ` life ${pod.life}`, tone: 'warn' } as Span] : []),
        ...(pod.deleted
          ? [{ text: ' (deleted)', tone: 'error' } as Span]
          : !pod.current
            ? [{ text: ' (replaced)', tone: 'warn' } as Span]
            : []),
        { text: '  ' },
        { text: pod.status, tone: pod.statusTone, bold: true },
        { text: `  READY ${pod.ready}  RESTARTS ${pod.restartsText}  ${pod.phase}` },
        ...(pods.length > 1 ? [{ text: `  [pod ${ui.podIndex + 1}/${pods.length}, tab]`, dim: true } as Span] : []),
      ],
      width,
    ),
  );
  header.push(
    fit(
      [
        {
          text: `node ${pod.node ?? '<none>'}  IP ${pod.podIP ?? '<none>'}  QoS ${pod.qosClass ?? '?'}  age ${pod.createdAt !== undefined ? humanDuration(now - pod.createdAt) : '?'}  owner ${pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : '<none>'}`,
          dim: true,
        },
      ],
      width,
    ),
  );
  if (pod.deletion)
    header.push(
      fit(
        [
          {
            text: `Terminating: SIGKILL deadline ${clock.time(pod.deletion.deadline)} (${Math.max(0, Math.ceil((pod.deletion.deadline - now) / 1000))}s left, grace ${pod.deletion.gracePeriodSeconds ?? '?'}s)`,
            tone: 'warn',
          },
        ],
        width,
      ),
    );
  if (pod.statusReason) header.push(fit([{ text: `${pod.statusReason}: ${pod.statusMessage ?? ''}`, tone: 'error' }], width));

  const conds: Line[] = [
    fit(
      pod.conditions.flatMap((c, i): Span[] => [
        { text: i === 0 ? '' : '  ' },
        { text: `${c.type}`, dim: c.status === 'True' },
        { text: c.status === 'True' ? ' ✓' : c.status === 'False' ? ' ✗' : ' ?', tone: c.status === 'True' ? 'ok' : 'warn' },
      ]),
      width,
    ),
  ];
  const falseConds = pod.conditions.filter((c) => c.status !== 'True' && (c.reason || c.message));
  for (const c of falseConds.slice(0, 2))
    conds.push(
      fit(
        [
          {
            text: `  ${c.type}: ${[c.reason, c.message].filter(Boolean).join(': ')}${c.lastTransitionTime !== undefined ? ` (${humanDuration(now - c.lastTransitionTime)} ago)` : ''}`,
            dim: true,
          },
        ],
        width,
      ),
    );

  const rows: Line[] = [section('containers', width)];
  pod.containers.forEach((c, i) => {
    rows.push(containerRow(c, i === selected, now, width));
    if (c.backoff) rows.push(fit([{ text: `    ${countdownText(c.backoff, now, formatGoDuration)}`, tone: 'warn' }], width));
    else if (c.state === 'waiting' && c.message) rows.push(fit([{ text: `    ${c.message}`, dim: true }], width));
  });

  const nameW = Math.min(14, Math.max(4, ...pod.containers.map((c) => columns(visible(c.name)) + 1)));
  const laneW = Math.max(10, width - nameW - 1);
  const { from, to } = pod.timeRange;
  const lanes: Line[] = [
    section('timeline', width, `${clock.time(from)} → ${clock.time(to)} ${clock.label(to)} (${runLength(to - from)})`),
  ];
  const laneLine = (name: string, lane: PodView['lane'], sel: boolean): Line => {
    const cells = renderLane(lane, from, to, laneW, now);
    const spans: Span[] = [{ text: padColumns(clip(visible(name), nameW - 1), nameW), bold: sel }];
    for (const c of cells) spans.push({ text: c.ch, tone: c.tone, dim: c.dim });
    return spans;
  };
  lanes.push(laneLine('pod', pod.lane, false));
  pod.containers.forEach((c, i) => lanes.push(laneLine(c.name, c.lane, i === selected)));
  lanes.push(
    fit(
      [
        {
          text: `${' '.repeat(nameW)}█ ready ▒ running ░ waiting x error  ^ restart ! exit M OOM K kill p probe h/s hooks D deadline`,
          dim: true,
        },
      ],
      width,
    ),
  );

  // Flexible part: details of the selected container, findings, events.
  const details: Line[] = [];
  const c = pod.containers[selected];
  if (c && ui.expanded) {
    details.push(section(`${c.name} details`, width));
    details.push(
      fit([{ text: `  image ${c.image ?? '?'}${c.spec.command ? `  command ${c.spec.command.join(' ')}` : ''}`, dim: true }], width),
    );
    details.push(
      fit(
        [
          {
            text: `  limits cpu ${c.spec.limits.cpu ?? '-'} memory ${c.spec.limits.memory ?? '-'}  requests cpu ${c.spec.requests.cpu ?? '-'} memory ${c.spec.requests.memory ?? '-'}`,
            dim: true,
          },
        ],
        width,
      ),
    );
    for (const p of c.spec.probes) details.push(fit([{ text: `  ${describeProbe(p)}`, dim: true }], width));
    for (const h of c.spec.hooks) details.push(fit([{ text: `  ${h.kind}: ${h.handler}`, dim: true }], width));
    for (const i of [...c.instances].reverse().slice(0, 6)) {
      details.push(
        fit([{ text: `  ${instanceLine(i, clock)}`, tone: i.running ? 'ok' : (i.exitCode ?? 0) === 0 ? 'muted' : 'error' }], width),
      );
      for (const l of (i.logTail ?? []).slice(-4)) details.push(fit([{ text: `     │ ${l}`, dim: true }], width));
      if (!i.logTail?.length && i.logNote) details.push(fit([{ text: `     │ (${i.logNote})`, dim: true }], width));
    }
  }
  const findings: Line[] = [];
  if (pod.findings.length > 0) {
    findings.push(section('diagnosis', width));
    for (const f of pod.findings) {
      findings.push(
        fit(
          [
            {
              text: f.severity === 'error' ? '✗ ' : f.severity === 'warning' ? '! ' : 'i ',
              tone: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warn' : 'muted',
            },
            { text: `${f.container ? `${f.container}: ` : ''}${f.title}` },
          ],
          width,
        ),
      );
      for (const e of f.evidence.slice(0, 2)) findings.push(fit([{ text: `    ${e}`, dim: true }], width));
    }
  }
  const events: Line[] = [];
  if (pod.events.length > 0) {
    events.push(section('events', width));
    for (const e of [...pod.events].reverse()) {
      events.push(
        fit(
          [
            { text: `${e.lastAt !== undefined ? humanDuration(now - e.lastAt).padStart(5) : '    ?'} `, dim: true },
            {
              text: `${e.reason}${e.count > 1 ? ` x${e.count}` : ''}`,
              tone: e.type === 'Warning' ? 'warn' : 'muted',
              bold: e.type === 'Warning',
            },
            { text: `${e.container ? ` [${e.container}]` : ''} ${e.message.split('\n')[0]}` },
          ],
          width,
        ),
      );
    }
  }
  const gaps: Line[] = pod.gaps.length > 0 ? [fit([{ text: `not known: ${pod.gaps.join('; ')}`, dim: true }], width)] : [];
  const footer: Line = fit([{ text: 'q quit  ↑↓/jk container  enter details  l logs  tab pod  ? help', dim: true }], width);

  const fixed = [top, ...header, ...conds, ...rows, ...lanes];
  let room = height - fixed.length - 1;
  const out = [...fixed];
  const take = (lines: Line[], max = Infinity): void => {
    if (room <= 0 || lines.length === 0) return;
    const n = Math.min(lines.length, room, max);
    out.push(...lines.slice(0, n));
    room -= n;
  };
  take(details);
  take(findings, Math.max(4, Math.floor(room * 0.6)));
  take(events);
  take(gaps);
  if (out.length > height - 1) out.length = height - 1;
  out.push(footer);
  return out;
}

function helpLines(width: number): Line[] {
  const rows = [
    'q, Ctrl-C     quit (the terminal is restored)',
    '↑/↓, j/k      select a container',
    'enter         expand the selected container: instances, log tails, probes, hooks',
    'l             fetch the current log tail of the selected container',
    'tab           next pod (earlier lives of the same name, other pods of a selector)',
    '?             this help',
    '',
    'Timeline: one lane per container on a shared time axis; dim = reconstructed from timestamps.',
    '█ ready  ▒ running  ░ waiting (back-off, errors)  · creating  x terminated with error  _ completed',
    '^ restart  ! exit  M OOM kill  K kill  p probe failure  h postStart  s preStop  d delete  D SIGKILL deadline',
  ];
  return rows.map((r) => fit([{ text: r }], width));
}
