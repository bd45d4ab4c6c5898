// The terminal UI's screen as a pure function: (view, UI state, size) -> styled lines. Sections get
// space by priority so that only what fits is laid out; src/ui draws these lines with Ink. Tested
// directly at fixed widths.

import {
  compactRuntimeMessage,
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
import { visible, visibleDeep } from '../output/terminal.ts';
import { UTC_CLOCK, type Clock } from './clock.ts';
import { LEGEND } from './glyphs.ts';
import { columns, fit, pad, wrap, type Line, type Seg } from './line.ts';
import { instanceLine, stoppingText } from './pod.ts';
import { timelineBlock } from './timeline.ts';
import { FOLLOW, windowTitle, type TimelineState } from './window.ts';

export interface UiState {
  readonly podIndex: number;
  readonly selected: number;
  readonly expanded: boolean;
  readonly help: boolean;
  /** The timeline's window and cursor. */
  readonly timeline: TimelineState;
  /** The instance (attempt) the details pane opens on, chosen with enter on the cursor. */
  readonly focus: number | undefined;
}

export const initialUi: UiState = {
  podIndex: 0,
  selected: 0,
  expanded: false,
  help: false,
  timeline: { ...FOLLOW, labels: 'age' },
  focus: undefined,
};

export interface ScreenOptions {
  readonly clock?: Clock;
}

const CONN_TONE: Record<string, Tone> = { live: 'ok', connecting: 'progress', reconnecting: 'warn', offline: 'error', file: 'muted' };

export const KEYS_FOOTER = 'q quit  j/k container  h/l cursor  +/- zoom  [ ] pan  0 now  a all  enter details  L logs  ? help';
const KEYS_FOOTER_SHORT = 'q quit  jk select  hl cursor  +- zoom  [] pan  0 now  a all  ⏎ details  ? help';

/** The width of the lanes' name column and of the lanes themselves at a terminal width. */
export function laneGeometry(pod: PodView, width: number): { nameWidth: number; laneWidth: number } {
  const w = Math.max(40, width);
  const nameWidth = Math.min(14, Math.max(4, ...pod.containers.map((c) => columns(c.name) + 1)));
  return { nameWidth, laneWidth: Math.max(10, w - nameWidth - 1) };
}

/** The pod the UI shows. */
export function shownPod(view: SessionView, ui: UiState): PodView | undefined {
  return view.pods[Math.min(ui.podIndex, Math.max(0, view.pods.length - 1))];
}

function stateSeg(c: ContainerView, pod: PodView, clock: Clock): Seg {
  let t: string;
  if (c.state === 'waiting')
    t = `${c.reason ?? 'Waiting'}${c.hook?.kind === 'postStart' ? `, postStart hook running ${runLength(pod.clock - c.hook.since)} (inferred)` : ''}`;
  else if (c.state === 'running' && c.stopping && c.stopping.step !== 'ended')
    t = `Running, ${pod.termination ? 'terminating' : 'stopping'}: ${stoppingText(c.stopping, pod.clock, clock)}`;
  else if (c.state === 'running') t = c.ready ? 'Running, ready' : c.started === false ? 'Running, not started' : 'Running, not ready';
  else if (c.state === 'terminated') t = `${c.reason ?? 'Terminated'} ${c.exitCode ?? ''}${c.signalName ? ` ${c.signalName}` : ''}`.trim();
  else t = 'no status';
  return { text: t, tone: c.tone };
}

function containerRow(c: ContainerView, pod: PodView, selected: boolean, clock: Clock, width: number): Line {
  const now = pod.clock;
  const mark = selected ? '›' : ' ';
  const kind = c.type === 'regular' ? '' : ` (${c.type})`;
  const parts: Seg[] = [
    { text: `${mark} `, bold: selected },
    { text: `${c.name}${kind}`, bold: true, inverse: selected },
    { text: '  ' },
    stateSeg(c, pod, clock),
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

export function renderScreen(
  view: SessionView,
  ui: UiState,
  size: { width: number; height: number },
  target: string,
  opts: ScreenOptions = {},
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
      { text: visible(target), dim: true },
      { text: '  ' },
      { text: `● ${conn.state}`, tone: CONN_TONE[conn.state] ?? 'muted' },
      ...(conn.message && conn.state !== 'live' ? [{ text: ` ${visible(conn.message)}`, dim: true }] : []),
    ],
    width,
  );
  if (ui.help) return [top, ...helpLines(width)].slice(0, height);
  // Text from the cluster: its control characters are shown, never obeyed (only the pod on screen is walked).
  const shown = shownPod(view, ui);
  const pod = shown && visibleDeep(shown);
  if (!pod) {
    const msg = conn.state === 'connecting' ? 'connecting to the API server…' : 'no pod yet: waiting for it to appear';
    return [
      top,
      fit([{ text: msg, dim: true }], width),
      ...view.notes
        .slice(-3)
        .map((n): Line => fit([{ text: `note: ${visible(n.text)}`, tone: n.level === 'error' ? 'error' : 'warn' }], width)),
    ];
  }
  const selected = Math.min(ui.selected, Math.max(0, pod.containers.length - 1));
  // The pod's own clock: frozen at the deletion of a deleted life (age, condition ages, countdowns).
  const podNow = pod.clock;
  // Lives of one name are called by their order (life 2/2 is the current one); other pods by position.
  const oneName = pods.every((p) => p.namespace === shown!.namespace && p.name === shown!.name);
  const switcher = oneName
    ? `life ${pod.life}/${Math.max(...pods.map((p) => p.life))}`
    : `pod ${Math.min(ui.podIndex, pods.length - 1) + 1}/${pods.length}`;

  // Fixed part: header (2-3 lines), containers, timeline.
  const header: Line[] = [];
  header.push(
    fit(
      [
        { text: `${pod.namespace}/${pod.name}`, bold: true },
        ...(pod.life > 1 ? [{ text: ` life ${pod.life}`, tone: 'warn' as const }] : []),
        ...(pod.deleted
          ? [{ text: ' (deleted)', tone: 'error' as const }]
          : !pod.current
            ? [{ text: ' (replaced)', tone: 'warn' as const }]
            : []),
        { text: '  ' },
        { text: pod.status, tone: pod.statusTone, bold: true },
        { text: `  READY ${pod.ready}  RESTARTS ${pod.restartsText}  ${pod.phase}` },
        ...(pods.length > 1 ? [{ text: `  [${switcher}, tab]`, dim: true }] : []),
      ],
      width,
    ),
  );
  header.push(
    fit(
      [
        {
          text: `node ${pod.node ?? '<none>'}  IP ${pod.podIP ?? '<none>'}  QoS ${pod.qosClass ?? '?'}  age ${pod.createdAt !== undefined ? humanDuration(podNow - pod.createdAt) : '?'}${pod.deleted && pod.deletedAt !== undefined ? ` (deleted ${clock.time(pod.deletedAt)})` : ''}  owner ${pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : '<none>'}`,
          dim: true,
        },
      ],
      width,
    ),
  );
  // A controller's replacement under a new name: which pod took over from which.
  const owner = pod.owner ? `${pod.owner.kind} ${pod.owner.name}` : 'its controller';
  if (pod.replaces)
    header.push(
      fit(
        [
          { text: `replaces ${pod.replaces.name}`, tone: 'progress' },
          { text: `: created by ${owner} in its place`, dim: true },
        ],
        width,
      ),
    );
  if (pod.replacedBy)
    header.push(
      fit(
        [
          { text: `replaced by ${pod.replacedBy.name}`, tone: 'warn' },
          { text: `, created by ${owner}${pods.length > 1 ? '  (tab shows it)' : ''}`, dim: true },
        ],
        width,
      ),
    );
  const term = terminationLine(pod, clock);
  if (term) header.push(...wrap([{ text: term, tone: 'warn' }], width, '  ').slice(0, 2));
  if (pod.statusReason) header.push(fit([{ text: `${pod.statusReason}: ${pod.statusMessage ?? ''}`, tone: 'error' }], width));

  const conds: Line[] = [
    fit(
      pod.conditions.flatMap((c, i): Seg[] => [
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
            text: `  ${c.type}: ${[c.reason, c.message].filter(Boolean).join(': ')}${c.lastTransitionTime !== undefined ? ` (${humanDuration(podNow - c.lastTransitionTime)} ago)` : ''}`,
            dim: true,
          },
        ],
        width,
      ),
    );

  const rows: Line[] = [section('containers', width)];
  pod.containers.forEach((c, i) => {
    rows.push(containerRow(c, pod, i === selected, clock, width));
    if (c.backoff) rows.push(fit([{ text: `    ${countdownText(c.backoff, podNow, formatGoDuration)}`, tone: 'warn' }], width));
    // A runtime's message: its call chain elided, its cause (at the end) kept.
    else if (c.state === 'waiting' && c.message) rows.push(fit([{ text: `    ${compactRuntimeMessage(c.message)}`, dim: true }], width));
  });

  const geo = laneGeometry(pod, width);
  const block = timelineBlock(pod, {
    state: ui.timeline,
    now,
    clock,
    indent: '',
    nameWidth: geo.nameWidth,
    laneWidth: geo.laneWidth,
    width,
    selected,
    showCursor: true,
    cursorFor: 'selected',
    watchingSince: pod.observedFrom,
  });
  const { from, to } = block.window;
  const lanes: Line[] = [
    section(
      'timeline',
      width,
      `${windowTitle(ui.timeline, block.window, pod, clock.time)}  ${clock.time(from)} → ${clock.time(to)} ${clock.label(to)} (${runLength(to - from)})`,
    ),
    ...block.lanes.map((l) => fit(l, width)),
    ...block.axis.map((l) => fit(l, width)),
    ...block.cursor.map((l) => fit(l, width)),
  ];
  // Every glyph drawn is explained (the legend takes the lines it needs).
  const legend = block.legend(width, undefined, true).map((l) => fit(l, width));

  // Flexible part: details of the selected container, findings, the legend, events.
  const details: Line[] = [];
  const c = pod.containers[selected];
  if (c && ui.expanded) {
    details.push(section(`${c.name} details`, width));
    details.push(
      fit(
        [
          {
            text: `  image ${c.image ?? '?'}${c.spec.command ? `  command ${c.spec.command.join(' ').replace(/\s*\n\s*/g, ' ')}` : ''}`,
            dim: true,
          },
        ],
        width,
      ),
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
    // Messages in full, wrapped: a runtime's cause is at the end of its message.
    if (c.message) details.push(...wrap([{ text: `  ${c.reason ?? c.state}: ${c.message}`, tone: c.tone }], width, '    '));
    if (c.hook)
      details.push(
        ...wrap([{ text: `  ${c.hook.kind} hook running since ${clock.time(c.hook.since)} (inferred): ${c.hook.handler}` }], width, '    '),
      );
    if (c.stopping && c.stopping.step !== 'ended')
      details.push(
        ...wrap(
          [
            {
              text: `  stopping (event Killing ${clock.time(c.stopping.startedAt)}: ${c.stopping.message}): ${stoppingText(c.stopping, podNow, clock)}`,
              tone: 'warn',
            },
          ],
          width,
          '    ',
        ),
      );
    for (const p of c.spec.probes) details.push(...wrap([{ text: `  ${describeProbe(p)}`, dim: true }], width, '    '));
    for (const h of c.spec.hooks) details.push(...wrap([{ text: `  ${h.kind}: ${h.handler}`, dim: true }], width, '    '));
    // The instance chosen with enter on the cursor comes first, marked; then the latest ones.
    const newest = [...c.instances].reverse();
    const focused = ui.focus !== undefined ? newest.find((i) => i.attempt === ui.focus) : undefined;
    const list = focused ? [focused, ...newest.filter((i) => i !== focused).slice(0, 5)] : newest.slice(0, 6);
    for (const i of list) {
      const mark = i === focused ? '▸ ' : '  ';
      details.push(
        ...wrap(
          [
            {
              text: `${mark}${instanceLine(i, clock)}`,
              tone: i.running ? 'ok' : (i.exitCode ?? 0) === 0 ? 'muted' : 'error',
              bold: i === focused || undefined,
            },
          ],
          width,
          '      ',
        ),
      );
      for (const l of (i.logTail ?? []).slice(-4)) details.push(fit([{ text: `     │ ${l}`, dim: true }], width));
      if (!i.logTail?.length && i.logNote) details.push(fit([{ text: `     │ (${i.logNote})`, dim: true }], width));
    }
  }
  const findings: Line[] = [];
  if (pod.findings.length > 0) {
    findings.push(section('diagnosis', width));
    for (const f of pod.findings) {
      // The title carries the cause: wrapped (three lines at most), not cut.
      findings.push(
        ...wrap(
          [
            {
              text: f.severity === 'error' ? '✗ ' : f.severity === 'warning' ? '! ' : 'i ',
              tone: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warn' : 'muted',
            },
            { text: `${f.container ? `${f.container}: ` : ''}${f.title}` },
          ],
          width,
          '    ',
        )
          .slice(0, 3)
          .map((l) => fit(l, width)),
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
            { text: `${e.container ? ` [${e.container}]` : ''} ${compactRuntimeMessage(e.message.split('\n')[0] ?? '')}` },
          ],
          width,
        ),
      );
    }
  }
  const gaps: Line[] = pod.gaps.length > 0 ? [fit([{ text: `not known: ${pod.gaps.join('; ')}`, dim: true }], width)] : [];
  const footer: Line = fit([{ text: columns(KEYS_FOOTER) <= width ? KEYS_FOOTER : KEYS_FOOTER_SHORT, dim: true }], width);

  const fixed = [top, ...header, ...conds, ...rows, ...lanes];
  let room = height - fixed.length - 1;
  const out = [...fixed];
  const take = (lines: Line[], max = Infinity): void => {
    if (room <= 0 || lines.length === 0) return;
    const n = Math.min(lines.length, room, max);
    out.push(...lines.slice(0, n));
    room -= n;
  };
  take(legend);
  take(details);
  take(findings, Math.max(4, Math.floor(room * 0.6)));
  take(events);
  take(gaps);
  if (out.length > height - 1) out.length = height - 1;
  out.push(footer);
  return out;
}

/**
 * The pod's stop for the header, with its countdown: "Terminating (deletion requested): preStop hook running
 * (exec sleep 20); SIGTERM at 13:08:56 (3s left, grace 5s)". No countdown once no container runs
 * or the pod is gone.
 */
function terminationLine(pod: PodView, clock: Clock): string | undefined {
  const t = pod.termination;
  if (!t)
    return pod.deletion
      ? `Deleting: the grace period of ${pod.deletion.gracePeriodSeconds ?? '?'}s ends ${clock.time(pod.deletion.deadline)}`
      : undefined;
  const g = t.gracePeriodSeconds;
  const grace = g !== undefined ? `grace ${g}s` : 'grace period not known';
  const left = (at: number, cap: number | undefined): string =>
    `${Math.min(cap ?? Infinity, Math.max(0, Math.ceil((at - pod.clock) / 1000)))}s left, ${grace}`;
  const head = `${pod.deleted ? 'Deleted' : t.step === 'ended' ? 'Terminated' : 'Terminating'} (${t.text})`;
  if (pod.deleted) return `${head} at ${pod.deletedAt !== undefined ? clock.time(pod.deletedAt) : '?'}`;
  const pre = pod.containers.find((c) => c.hook?.kind === 'preStop')?.hook;
  switch (t.step) {
    case 'preStop':
      return `${head}: preStop hook running${pre ? ` (${pre.handler})` : ''}${t.sigtermAt !== undefined ? `; SIGTERM at ${clock.time(t.sigtermAt)} (${left(t.sigtermAt, g)})` : ''}`;
    case 'sigterm':
      return `${head}: SIGTERM sent${t.sigtermAt !== undefined ? ` ${clock.time(t.sigtermAt)}` : ''}${t.sigkillAt !== undefined ? `; SIGKILL at ${clock.time(t.sigkillAt)} (${left(t.sigkillAt, g !== undefined ? Math.max(2, g) : undefined)})` : ''}`;
    case 'sigkill':
      return `${head}: SIGKILL due since ${t.sigkillAt !== undefined ? clock.time(t.sigkillAt) : '?'}`;
    case 'ended':
      return `${head}: no container is running`;
  }
}

export const HELP_KEYS: readonly (readonly [string, string])[] = [
  ['q, Ctrl-C', 'quit (the terminal is restored)'],
  ['↑/↓, j/k', 'select a container'],
  ['enter', 'details of the selected container: instances, log tails, probes, hooks (with the cursor moved: the instance under it first)'],
  ['L', 'fetch the current log tail of the selected container'],
  ['tab', 'next pod (earlier lives of the same name, other pods of a selector)'],
  ['h/l, shift-←/→', 'move the cursor on the timeline; the line under the axis names what is under it'],
  ['+ / -', 'zoom in / out around the cursor (from 10s to the whole life)'],
  ['[ ], ← →', 'pan the timeline a quarter of its width back / forward'],
  ['0', 'follow now (the default window: the latest crash cycles readable)'],
  ['a', 'the whole life of the pod'],
  ['t', 'axis labels: clock times or ages (-5m)'],
  ['?', 'this help'],
];

function helpLines(width: number): Line[] {
  const rows: Line[] = HELP_KEYS.map(([k, v]) => [{ text: pad(k, 16) }, { text: v }]);
  rows.push([]);
  rows.push([{ text: 'Timeline: one lane per container on a shared time axis; dim = reconstructed from timestamps.' }]);
  rows.push([{ text: 'Events shorter than a column are still drawn; several of one kind in a column show as their number.' }]);
  // The whole legend, wrapped.
  let rest = LEGEND;
  while (rest.length > 0) {
    if (columns(rest) <= width) {
      rows.push([{ text: rest, dim: true }]);
      break;
    }
    const cut = rest.lastIndexOf('  ', width);
    const at = cut > 0 ? cut : width;
    rows.push([{ text: rest.slice(0, at), dim: true }]);
    rest = rest.slice(at).trimStart();
  }
  return rows.map((r) => fit(r, width));
}
