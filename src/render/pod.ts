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
  type PodView,
  type SessionView,
  type Tone,
} from '../model/index.ts';
import { visible, visibleDeep } from '../output/terminal.ts';
import { UTC_CLOCK, type Clock } from './clock.ts';
import { clip, columns, fit, pad, styled, type Line, type Seg } from './line.ts';
import { timelineBlock } from './timeline.ts';
import { windowTitle, WHOLE_LIFE, type TimelineState } from './window.ts';

export interface PictureOptions {
  readonly width: number;
  readonly clock?: Clock;
  /** The lifecycle events of this pod, oldest first: a History section. */
  readonly history?: readonly LifecycleEvent[];
  /** Which part of the life the timeline shows (default: the whole life). */
  readonly timeline?: TimelineState;
}

const SEVERITY_TONE = (s: string): Tone | undefined => (s === 'error' ? 'error' : s === 'warning' ? 'warn' : undefined);

export function stateText(c: ContainerView): string {
  if (c.state === 'waiting') return `waiting ${c.reason ?? ''}`.trim();
  if (c.state === 'running') return `running${c.ready ? ', ready' : ', not ready'}${c.started === false ? ', not started' : ''}`;
  if (c.state === 'terminated') return `terminated ${c.reason ?? ''}, exit ${c.exitCode ?? '?'}${c.signalName ? ` (${c.signalName})` : ''}`;
  return 'no status yet';
}

export function instanceLine(i: InstanceView, clock: Clock = UTC_CLOCK): string {
  const range = `${i.startedAt !== undefined ? clock.time(i.startedAt) : '?'}-${i.running ? 'now' : i.finishedAt !== undefined ? clock.time(i.finishedAt) : '?'}`;
  const ran = i.durationMs !== undefined ? ` ran ${runLength(i.durationMs)}` : '';
  const end = i.running
    ? 'running'
    : `${i.reason ?? 'ended'}${i.exitCode !== undefined ? ` exit ${i.exitCode}` : ''}${i.signalName ? ` ${i.signalName}` : ''}`;
  return `#${i.attempt} ${range}${ran}  ${end}${i.causeText && i.cause !== 'exit' ? `  <- ${i.causeText}` : ''}${i.source === 'api' ? '  (from the API)' : ''}`;
}

/** One lifecycle event as a line: its time (~ when reconstructed), who, and what. */
export function eventLine(e: LifecycleEvent, opts: { showPod: boolean; width: number; clock?: Clock }): Line {
  const clock = opts.clock ?? UTC_CLOCK;
  const time = `${clock.time(e.at)}${e.reconstructed ? '~' : ' '}`;
  const who = [
    opts.showPod ? `${visible(e.namespace)}/${visible(e.pod)}` : undefined,
    e.container ? `[${visible(e.container)}]` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const body = clip(`${who ? `${who} ` : ''}${visible(lifecycleText(e))}`, Math.max(20, opts.width - columns(time) - 1));
  return [
    { text: time, dim: true },
    { text: ' ' },
    { text: body, tone: e.severity === 'error' ? 'error' : e.severity === 'warning' ? 'warn' : undefined },
  ];
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
    lines.push([
      {
        text: clip(
          `  ${pad(e.type, 7)} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''}${e.container ? ` [${e.container}]` : ''}: ${e.message}`,
          w,
        ),
        tone: e.type === 'Warning' ? 'warn' : undefined,
      },
    ]);
    lines.push([{ text: `      ${when}${e.source ? `  from ${e.source}` : ''}`, dim: true }]);
  }
  return lines;
}

/** The timeline section as the picture shows it: heading, lanes, axis, cursor facts, legend. */
export function timelineSection(view: SessionView, pod: PodView, o: { width: number; clock: Clock; timeline: TimelineState }): Line[] {
  const w = o.width;
  const nameW = Math.min(16, Math.max(4, ...pod.containers.map((c) => columns(c.name) + 1)));
  const laneW = Math.max(10, w - nameW - 2);
  const block = timelineBlock(pod, {
    state: o.timeline,
    now: view.now,
    clock: o.clock,
    indent: '  ',
    nameWidth: nameW,
    laneWidth: laneW,
    width: w,
    showCursor: false,
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
  const at = block.cursor.length > 0 ? [[{ text: `  at ${o.clock.time(Math.min(to, end))} (${where}):`, dim: true }] as Line] : [];
  lines.push(...block.legend(w, '  '), ...at, ...block.cursor.map((l) => fit(l, w + 40)));
  return lines;
}

export function renderPicture(sessionView: SessionView, podView: PodView, opts: PictureOptions): Line[] {
  // Text from the cluster or a file: its control characters are shown, never obeyed.
  const view = visibleDeep(sessionView);
  const pod = visibleDeep(podView);
  const clock = opts.clock ?? UTC_CLOCK;
  const w = Math.max(40, opts.width);
  const now = view.now;
  const L: Line[] = [];
  const line = (l: Line): void => void L.push(l);
  const text = (s: string, style: Omit<Seg, 'text'> = {}): void => line([{ text: s, ...style }]);
  const blank = (): void => line([]);
  line([
    { text: `${pod.namespace}/${pod.name}`, bold: true },
    {
      text: `  uid ${pod.uid}${pod.life > 1 ? `  life ${pod.life}` : ''}${pod.deleted ? '  (deleted)' : !pod.current ? '  (replaced)' : ''}`,
      dim: true,
    },
  ]);
  line([
    { text: `STATUS ${pod.status}`, tone: pod.statusTone },
    { text: `  READY ${pod.ready}  RESTARTS ${pod.restartsText}  phase ${pod.phase}` },
  ]);
  line(
    fit(
      [
        {
          text: `node ${pod.node ?? '<none>'}  IP ${pod.podIP ?? '<none>'}  QoS ${pod.qosClass ?? '?'}  age ${pod.createdAt !== undefined ? humanDuration(now - pod.createdAt) : '?'}  owner ${pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : '<none>'}`,
        },
      ],
      w,
    ),
  );
  if (pod.statusReason || pod.statusMessage)
    line(fit([{ text: `reason ${pod.statusReason ?? ''}${pod.statusMessage ? `: ${pod.statusMessage}` : ''}` }], w));
  if (pod.deletion)
    text(`deleting: SIGKILL deadline ${clock.time(pod.deletion.deadline)} (grace period ${pod.deletion.gracePeriodSeconds ?? '?'}s)`, {
      tone: 'warn',
    });
  if (view.source === 'cluster' || view.source === 'replay')
    text(
      `connection ${view.connection.state}${view.connection.message ? `: ${view.connection.message}` : ''}; observed from ${pod.observedFrom !== undefined ? `${clock.dateTime(pod.observedFrom)} ${clock.label(pod.observedFrom)}` : '?'}, earlier history reconstructed from timestamps (~)`,
      { dim: true },
    );
  else text(`from a file, as of ${clock.dateTime(now)} ${clock.label(now)}; history reconstructed from timestamps (~)`, { dim: true });

  blank();
  text('Conditions', { bold: true });
  for (const c of pod.conditions) {
    const detail = [c.reason, c.message].filter(Boolean).join(': ');
    line(
      fit(
        [
          { text: `  ${pad(c.type, 26)} ` },
          { text: pad(c.status, 5), tone: c.status === 'True' ? 'ok' : 'warn' },
          { text: ` ${c.lastTransitionTime !== undefined ? clock.time(c.lastTransitionTime) : '        '}  ${detail}` },
        ],
        w + 12,
      ),
    );
  }
  if (pod.conditions.length === 0) text('  (none reported)');

  blank();
  text('Containers', { bold: true });
  for (const c of pod.containers) {
    line(
      fit(
        [
          { text: '  ' },
          { text: c.name, bold: true },
          { text: ` (${c.type})  ` },
          { text: stateText(c), tone: c.tone },
          { text: `  restarts ${c.restartCount}  image ${c.image ?? '?'}` },
        ],
        w + 20,
      ),
    );
    if (c.message && c.state !== 'running') line(fit([{ text: `    message: ${c.message}` }], w));
    if (c.lastTermination) {
      const t = c.lastTermination;
      line(
        fit(
          [
            {
              text: `    last termination: ${t.reason ?? '?'}, exit ${t.exitCode ?? '?'}${t.signalName ? ` (${t.signalName})` : ''}${t.durationMs !== undefined ? `, ran ${runLength(t.durationMs)}` : ''}${t.finishedAt !== undefined ? `, finished ${clock.time(t.finishedAt)}` : ''}`,
            },
          ],
          w,
        ),
      );
    }
    if (c.backoff) line(styled(fit([{ text: `    ${countdownText(c.backoff, now, formatGoDuration)}` }], w), { tone: 'warn' }));
    const shown = c.instances.slice(-8);
    if (shown.length > 0) {
      text(`    instances${c.instances.length > shown.length ? ` (last ${shown.length} of ${c.instances.length})` : ''}:`);
      for (const i of shown) {
        line(fit([{ text: `      ${instanceLine(i, clock)}` }], w));
        if (i.logTail && i.logTail.length > 0)
          for (const l of i.logTail.slice(-5)) line(styled(fit([{ text: `        | ${l}` }], w), { dim: true }));
        else if (i.logNote) line(styled(fit([{ text: `        | (${i.logNote})` }], w), { dim: true }));
      }
    }
    for (const pr of c.spec.probes) line(styled(fit([{ text: `    ${describeProbe(pr)}` }], w), { dim: true }));
    for (const h of c.spec.hooks) line(styled(fit([{ text: `    ${h.kind} hook: ${h.handler}` }], w), { dim: true }));
  }

  blank();
  L.push(...timelineSection(view, pod, { width: w, clock, timeline: opts.timeline ?? WHOLE_LIFE }));

  if (pod.events.length > 0) {
    blank();
    text('Events', { bold: true });
    for (const e of pod.events.slice(-15)) {
      const t = e.lastAt !== undefined ? clock.time(e.lastAt) : '?';
      line(
        styled(
          fit(
            [
              {
                text: `  ${t}  ${pad(e.type, 7)} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''}${e.container ? ` [${e.container}]` : ''}: ${e.message}`,
              },
            ],
            w,
          ),
          { tone: e.type === 'Warning' ? 'warn' : undefined },
        ),
      );
    }
  }
  blank();
  text('Findings', { bold: true });
  if (pod.findings.length === 0) text('  none: no evidence of a problem');
  for (const f of pod.findings) {
    line(
      styled(fit([{ text: `  [${f.severity}] ${f.container ? `${f.container}: ` : ''}${f.title}` }], w + 40), {
        tone: SEVERITY_TONE(f.severity),
      }),
    );
    for (const e of f.evidence) line(styled(fit([{ text: `      - ${e}` }], w + 40), { dim: true }));
  }
  if (pod.gaps.length > 0) {
    blank();
    text('Not known', { bold: true });
    for (const g of pod.gaps) line(fit([{ text: `  - ${g}` }], w + 40));
  }
  if (opts.history && opts.history.length > 0) {
    blank();
    text('History', { bold: true });
    for (const e of opts.history) line(eventLine(e, { showPod: false, width: w, clock }));
  }
  return L;
}
