// The picture of a pod as styled lines, drawn once for every view that prints it whole: the text
// printer (`--once`, and on exit of `-o text`), and the exporters (SVG, HTML, Markdown). Header,
// conditions, containers with their instances, log tails and back-off, the timeline (lanes, axis,
// cursor facts, legend), events, findings, what is not known, and the history of lifecycle events.

import {
  countdownText,
  describeProbe,
  formatGoDuration,
  humanDuration,
  lifecycleText,
  runLength,
  type ContainerView,
  type EventView,
  type InstanceView,
  type LifecycleEvent,
  type PodTerminationView,
  type PodView,
  type SessionView,
  type StoppingView,
  type Tone,
} from '../model/index.ts';
import { visible, visibleDeep } from '../output/terminal.ts';
import { UTC_CLOCK, zoneOffset, type Clock } from './clock.ts';
import { clip, columns, fit, pad, styled, wrap, type Line, type Seg } from './line.ts';
import { timelineBlock } from './timeline.ts';
import { placeCursor, windowTitle, WHOLE_LIFE, type TimelineState, type TimeRef } from './window.ts';

export interface PictureOptions {
  readonly width: number;
  readonly clock?: Clock;
  /** The lifecycle events of this pod, oldest first: a History section. */
  readonly history?: readonly LifecycleEvent[];
  /** Which part of the life the timeline shows (default: the whole life). */
  readonly timeline?: TimelineState;
  /** --cursor: the moment the timeline's cursor lines name (default: the window's end). */
  readonly cursor?: TimeRef | undefined;
}

const SEVERITY_TONE = (s: string): Tone | undefined => (s === 'error' ? 'error' : s === 'warning' ? 'warn' : undefined);

/** Whole seconds from `now` until `t`, rounded up, never below 0 nor above `cap`. */
function left(t: number, now: number, cap: number | undefined): number {
  const n = Math.max(0, Math.ceil((t - now) / 1000));
  return cap !== undefined ? Math.min(cap, n) : n;
}

/** Where a container's stop is, for its line: "preStop hook running (3s of the 5s grace period left)". */
export function stoppingText(s: StoppingView, now: number, clock: Clock = UTC_CLOCK): string {
  const g = s.gracePeriodSeconds;
  switch (s.step) {
    case 'preStop':
      return `preStop hook running${s.sigtermAt !== undefined ? ` (${left(s.sigtermAt, now, g)}s of the ${g}s grace period left)` : ''}`;
    case 'sigterm': {
      // The grace period ended with the preStop hook still running: SIGKILL the kubelet's minimum 2 s later.
      const minimum = s.preStop !== undefined && s.preStopEndedAt === undefined && s.sigtermAt !== undefined;
      const kill = s.sigkillAt !== undefined ? `, SIGKILL in ${left(s.sigkillAt, now, minimum ? 2 : g)}s` : '';
      return `${minimum ? 'the grace period ended with the preStop hook running: ' : ''}SIGTERM sent${s.sigtermAt !== undefined ? ` ${clock.time(s.sigtermAt)}` : ''}${kill}${minimum ? " (the kubelet's minimum after an unfinished preStop)" : ''}`;
    }
    case 'sigkill':
      return `SIGKILL due since ${s.sigkillAt !== undefined ? clock.time(s.sigkillAt) : '?'}`;
    case 'ended':
      return 'stopped';
  }
}

/** The pod's stop in one line: "activeDeadlineSeconds (15s) exceeded, SIGKILL in 5s (grace period 8s)". */
export function terminationText(t: PodTerminationView, now: number): string {
  const g = t.gracePeriodSeconds;
  const grace = g !== undefined ? ` (grace period ${g}s)` : '';
  if (t.step === 'ended') return `${t.text}${grace}`;
  const where =
    t.step === 'preStop'
      ? `preStop hook running${t.sigtermAt !== undefined ? `, SIGTERM in ${left(t.sigtermAt, now, g)}s` : ''}`
      : t.step === 'sigterm'
        ? t.sigkillAt !== undefined
          ? `SIGKILL in ${left(t.sigkillAt, now, g !== undefined ? Math.max(2, g) : undefined)}s`
          : 'SIGTERM sent'
        : 'SIGKILL due';
  return `${t.text}, ${where}${grace}`;
}

export function stateText(c: ContainerView, pod?: Pick<PodView, 'clock' | 'termination'>, clock: Clock = UTC_CLOCK): string {
  const now = pod?.clock ?? 0;
  if (c.state === 'waiting') {
    const hook =
      pod && c.hook?.kind === 'postStart'
        ? `, postStart hook running for ${Math.max(0, Math.floor((now - c.hook.since) / 1000))}s (inferred)`
        : '';
    return `waiting ${c.reason ?? ''}`.trim() + hook;
  }
  if (c.state === 'running') {
    if (pod && c.stopping && c.stopping.step !== 'ended')
      return `running, ${pod.termination ? 'terminating' : `stopping (${c.stopping.message})`}: ${stoppingText(c.stopping, now, clock)}`;
    return `running${c.ready ? ', ready' : ', not ready'}${c.started === false ? ', not started' : ''}`;
  }
  if (c.state === 'terminated') return `terminated ${c.reason ?? ''}, exit ${c.exitCode ?? '?'}${c.signalName ? ` (${c.signalName})` : ''}`;
  return 'no status yet';
}

export function instanceLine(i: InstanceView, clock: Clock = UTC_CLOCK): string {
  const end = i.running ? 'now' : i.finishedAt !== undefined ? clock.time(i.finishedAt) : '?';
  const range =
    i.startedAt === undefined && i.cause === 'start-error'
      ? `never started, ${end}`
      : `${i.startedAt !== undefined ? clock.time(i.startedAt) : '?'}-${end}`;
  const ran = i.durationMs !== undefined ? ` ran ${runLength(i.durationMs)}` : '';
  const how = i.running
    ? 'running'
    : `${i.reason ?? 'ended'}${i.exitCode !== undefined ? ` exit ${i.exitCode}` : ''}${i.signalName ? ` ${i.signalName}` : ''}`;
  return `#${i.attempt} ${range}${ran}  ${how}${i.causeText && i.cause !== 'exit' ? `  <- ${i.causeText}` : ''}${i.source === 'api' ? '  (from the API)' : ''}`;
}

/** One lifecycle event as lines: its time (~ when reconstructed), who, and what, wrapped (never cut). */
export function eventLines(e: LifecycleEvent, opts: { showPod: boolean; width: number; clock?: Clock }): Line[] {
  const clock = opts.clock ?? UTC_CLOCK;
  const time = `${clock.time(e.at)}${e.reconstructed ? '~' : ' '}`;
  const who = [
    opts.showPod ? `${visible(e.namespace)}/${visible(e.pod)}` : undefined,
    e.container ? `[${visible(e.container)}]` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const tone = e.severity === 'error' ? 'error' : e.severity === 'warning' ? 'warn' : undefined;
  return wrap(
    [{ text: time, dim: true }, { text: ' ' }, { text: `${who ? `${who} ` : ''}${visible(lifecycleText(e))}`, tone }],
    Math.max(20 + columns(time) + 1, opts.width),
    ' '.repeat(columns(time) + 3),
  );
}

/** One lifecycle event as one line (cut to the width): see eventLines for the whole of it. */
export function eventLine(e: LifecycleEvent, opts: { showPod: boolean; width: number; clock?: Clock }): Line {
  const lines = eventLines(e, { ...opts, width: 1_000_000 });
  return fit(lines[0]!, Math.max(20, opts.width));
}

/** Events about a pod whose object is not in the input (e.g. `kubectl get events -o yaml`). */
export function eventsOnlyLines(
  events: { namespace: string; pod: string; events: readonly EventView[] },
  opts: { width: number; clock?: Clock },
): Line[] {
  const u = visibleDeep(events);
  const clock = opts.clock ?? UTC_CLOCK;
  const w = Math.max(40, opts.width);
  const lines: Line[] = [
    [
      { text: `${u.namespace}/${u.pod}`, bold: true },
      { text: '  (no Pod object given: its events only)', dim: true },
    ],
  ];
  const iso = (t: number): string => `${clock.dateTime(t)} ${clock.label(t)}`;
  for (const e of u.events) {
    const when =
      e.firstAt !== undefined && e.lastAt !== undefined && e.lastAt !== e.firstAt
        ? `${iso(e.firstAt)} .. ${iso(e.lastAt)}`
        : e.lastAt !== undefined
          ? iso(e.lastAt)
          : '?';
    lines.push(
      ...wrap(
        [
          {
            text: `  ${pad(e.type, 7)} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''}${e.container ? ` [${e.container}]` : ''}: ${e.message}`,
            tone: e.type === 'Warning' ? 'warn' : undefined,
          },
        ],
        w,
        '          ',
      ),
    );
    lines.push([{ text: `      ${when}${e.source ? `  from ${e.source}` : ''}`, dim: true }]);
  }
  return lines;
}

/** The picture's name column and lane width at a width (the terminal UI's are laneGeometry in screen.ts). */
export function pictureGeometry(pod: PodView, width: number): { nameWidth: number; laneWidth: number } {
  const nameWidth = Math.min(16, Math.max(4, ...pod.containers.map((c) => columns(c.name) + 1)));
  return { nameWidth, laneWidth: Math.max(10, width - nameWidth - 2) };
}

/**
 * The timeline section as the picture shows it: heading, lanes, axis, legend and what the cursor
 * names for each container: at the window's end, or at --cursor's moment (its column then drawn
 * inverse, as the terminal UI draws it).
 */
export function timelineSection(
  view: SessionView,
  pod: PodView,
  o: { width: number; clock: Clock; timeline: TimelineState; cursor?: TimeRef | undefined },
): Line[] {
  const w = o.width;
  const { nameWidth: nameW, laneWidth: laneW } = pictureGeometry(pod, w);
  const state = o.cursor ? placeCursor(o.timeline, o.cursor, pod, laneW, (at) => zoneOffset(o.clock, at)) : o.timeline;
  const block = timelineBlock(pod, {
    state,
    now: view.now,
    clock: o.clock,
    indent: '  ',
    nameWidth: nameW,
    laneWidth: laneW,
    width: w,
    showCursor: o.cursor !== undefined,
    cursorFor: 'each',
    watchingSince: pod.observedFrom,
  });
  const { from, to } = block.window;
  const title = windowTitle(o.timeline, block.window, pod, o.clock.time);
  const lines: Line[] = [
    [
      {
        text: `Timeline ${o.clock.time(from)} .. ${o.clock.time(to)} ${o.clock.label(to)} (${runLength(to - from)}${title === 'whole life' ? '' : `; ${title}`})`,
        bold: true,
      },
    ],
    ...block.lanes,
    ...block.axis,
  ];
  const end = pod.timeRange.to;
  const where = to < end ? 'the right edge' : pod.deleted ? 'the end of its life' : 'now';
  const cursor = state.cursor;
  lines.push(...block.legend(w, '  '));
  if (cursor !== undefined && (cursor < from || cursor > to))
    lines.push([
      {
        text: `  the cursor ${o.clock.time(cursor)} is outside this window (${o.clock.time(from)} .. ${o.clock.time(to)}): choose one that holds it with --window or --since`,
        tone: 'warn',
      },
    ]);
  else if (block.cursor.length > 0) {
    const at = cursor !== undefined ? `  at ${o.clock.time(cursor)} (the cursor):` : `  at ${o.clock.time(Math.min(to, end))} (${where}):`;
    lines.push([{ text: at, dim: true }], ...block.cursor.map((l) => fit(l, w + 40)));
  }
  return lines;
}

export function renderPicture(sessionView: SessionView, podView: PodView, opts: PictureOptions): Line[] {
  // Text from the cluster or a file: its control characters are shown, never obeyed.
  const view = visibleDeep(sessionView);
  const pod = visibleDeep(podView);
  const clock = opts.clock ?? UTC_CLOCK;
  const w = Math.max(40, opts.width);
  // The pod's own clock: frozen at the deletion of a deleted life (its age, its countdowns).
  const now = pod.clock;
  const L: Line[] = [];
  const line = (l: Line): void => void L.push(l);
  const text = (s: string, style: Omit<Seg, 'text'> = {}): void => line([{ text: s, ...style }]);
  /** A line that may be long (messages carry their cause at the end): wrapped, never cut. */
  const wrapped = (l: Line, indent: string): void => void L.push(...wrap(l, w, indent));
  const blank = (): void => line([]);
  wrapped(
    [
      { text: `${pod.namespace}/${pod.name}`, bold: true },
      {
        text: `  uid ${pod.uid}${pod.life > 1 ? `  life ${pod.life}` : ''}${pod.deleted ? '  (deleted)' : !pod.current ? '  (replaced)' : ''}`,
        dim: true,
      },
    ],
    '  ',
  );
  wrapped(
    [
      { text: `STATUS ${pod.status}`, tone: pod.statusTone },
      { text: `  READY ${pod.ready}  RESTARTS ${pod.restartsText}  phase ${pod.phase}` },
    ],
    '  ',
  );
  wrapped(
    [
      {
        text: `node ${pod.node ?? '<none>'}  IP ${pod.podIP ?? '<none>'}  QoS ${pod.qosClass ?? '?'}  age ${pod.createdAt !== undefined ? humanDuration(now - pod.createdAt) : '?'}${pod.deleted && pod.deletedAt !== undefined ? ` (deleted ${clock.time(pod.deletedAt)})` : ''}  owner ${pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : '<none>'}`,
      },
    ],
    '  ',
  );
  if (pod.statusReason || pod.statusMessage)
    wrapped([{ text: `reason ${pod.statusReason ?? ''}${pod.statusMessage ? `: ${pod.statusMessage}` : ''}` }], '    ');
  if (pod.termination)
    wrapped(
      [
        {
          text: `${pod.termination.step === 'ended' ? 'terminated' : 'terminating'}: ${terminationText(pod.termination, now)}`,
          tone: 'warn',
        },
      ],
      '    ',
    );
  if (pod.deletion)
    wrapped(
      [
        {
          text: `deleting: the grace period (${pod.deletion.gracePeriodSeconds ?? '?'}s) ends ${clock.time(pod.deletion.deadline)} (deletionTimestamp)`,
          tone: 'warn',
        },
      ],
      '    ',
    );
  if (view.source === 'cluster' || view.source === 'replay')
    wrapped(
      [
        {
          text: `connection ${view.connection.state}${view.connection.message ? `: ${view.connection.message}` : ''}; observed from ${pod.observedFrom !== undefined ? `${clock.dateTime(pod.observedFrom)} ${clock.label(pod.observedFrom)}` : '?'}, earlier history reconstructed from timestamps (~)`,
          dim: true,
        },
      ],
      '  ',
    );
  else
    wrapped(
      [
        {
          text: `from a file, as of ${clock.dateTime(view.now)} ${clock.label(view.now)}; history reconstructed from timestamps (~)`,
          dim: true,
        },
      ],
      '  ',
    );

  blank();
  text('Conditions', { bold: true });
  for (const c of pod.conditions) {
    const detail = [c.reason, c.message].filter(Boolean).join(': ');
    wrapped(
      [
        { text: `  ${pad(c.type, 26)} ` },
        { text: pad(c.status, 5), tone: c.status === 'True' ? 'ok' : 'warn' },
        { text: ` ${c.lastTransitionTime !== undefined ? clock.time(c.lastTransitionTime) : '        '}  ${detail}`.trimEnd() },
      ],
      ' '.repeat(44),
    );
  }
  if (pod.conditions.length === 0) text('  (none reported)');

  blank();
  text('Containers', { bold: true });
  for (const c of pod.containers) {
    wrapped(
      [
        { text: '  ' },
        { text: c.name, bold: true },
        { text: ` (${c.type})  ` },
        { text: stateText(c, pod, clock), tone: c.tone },
        { text: `  restarts ${c.restartCount}  image ${c.image ?? '?'}` },
      ],
      '      ',
    );
    if (c.message && c.state !== 'running') wrapped([{ text: `    message: ${c.message}` }], '      ');
    if (c.hook)
      wrapped([{ text: `    ${c.hook.kind} hook running since ${clock.time(c.hook.since)} (inferred): ${c.hook.handler}` }], '      ');
    if (c.lastTermination) {
      const t = c.lastTermination;
      wrapped(
        [
          {
            text: `    last termination: ${t.reason ?? '?'}, exit ${t.exitCode ?? '?'}${t.signalName ? ` (${t.signalName})` : ''}${t.durationMs !== undefined ? `, ran ${runLength(t.durationMs)}` : ''}${t.finishedAt !== undefined ? `, finished ${clock.time(t.finishedAt)}` : ''}`,
          },
        ],
        '      ',
      );
    }
    if (c.backoff) wrapped([{ text: `    ${countdownText(c.backoff, now, formatGoDuration)}`, tone: 'warn' }], '      ');
    const shown = c.instances.slice(-8);
    if (shown.length > 0) {
      text(`    instances${c.instances.length > shown.length ? ` (last ${shown.length} of ${c.instances.length})` : ''}:`);
      for (const i of shown) {
        wrapped([{ text: `      ${instanceLine(i, clock)}` }], '          ');
        if (i.logTail && i.logTail.length > 0)
          for (const l of i.logTail.slice(-5)) line(styled(fit([{ text: `        | ${l}` }], w), { dim: true }));
        else if (i.logNote) wrapped([{ text: `        | (${i.logNote})`, dim: true }], '          ');
      }
    }
    for (const pr of c.spec.probes) wrapped([{ text: `    ${describeProbe(pr)}`, dim: true }], '      ');
    for (const h of c.spec.hooks) wrapped([{ text: `    ${h.kind} hook: ${h.handler}`, dim: true }], '      ');
  }

  blank();
  L.push(...timelineSection(view, pod, { width: w, clock, timeline: opts.timeline ?? WHOLE_LIFE, cursor: opts.cursor }));

  if (pod.events.length > 0) {
    blank();
    text('Events', { bold: true });
    for (const e of pod.events.slice(-15)) {
      const t = e.lastAt !== undefined ? clock.time(e.lastAt) : '?';
      wrapped(
        [
          {
            text: `  ${t}  ${pad(e.type, 7)} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''}${e.container ? ` [${e.container}]` : ''}: ${e.message}`,
            tone: e.type === 'Warning' ? 'warn' : undefined,
          },
        ],
        '            ',
      );
    }
  }
  blank();
  text('Findings', { bold: true });
  if (pod.findings.length === 0) text('  none: no evidence of a problem');
  for (const f of pod.findings) {
    wrapped([{ text: `  [${f.severity}] ${f.container ? `${f.container}: ` : ''}${f.title}`, tone: SEVERITY_TONE(f.severity) }], '      ');
    for (const e of f.evidence) wrapped([{ text: `      - ${e}`, dim: true }], '        ');
  }
  if (pod.gaps.length > 0) {
    blank();
    text('Not known', { bold: true });
    for (const g of pod.gaps) wrapped([{ text: `  - ${g}` }], '    ');
  }
  if (opts.history && opts.history.length > 0) {
    blank();
    text('History', { bold: true });
    for (const e of opts.history) L.push(...eventLines(e, { showPod: false, width: w, clock }));
  }
  return L;
}
