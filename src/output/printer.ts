// Non-TTY views: subscribe to the store and print lines. `-o text`: one line per lifecycle event,
// then the picture of each pod on exit. `-o json`: one JSON object per line ("lifecycle" lines as
// things happen, a "pod" line with the whole picture after each change and on exit).
// `containers` (-c) narrows every view to those containers; text is made safe for a terminal
// (terminal.ts) and JSON escapes the characters a terminal could act on.

import { eventsSince, lastSeq, toSessionView } from '../model/index.ts';
import type { LifecycleEvent, ModelState, SessionView } from '../model/index.ts';
import { zoneOffset } from '../render/clock.ts';
import { stateFromSpec, WHOLE_LIFE, type WindowSpec } from '../render/window.ts';
import type { Store } from '../store/store.ts';
import { UTC_CLOCK, type Clock } from './clock.ts';
import { toJsonEvents, toJsonLifecycle, toJsonPod } from './json.ts';
import { formatEventLine, formatEventsOnly, formatPicture, paint } from './text.ts';
import { visible } from './terminal.ts';

export interface PrinterOptions {
  readonly format: 'text' | 'json';
  readonly out: NodeJS.WritableStream;
  readonly once: boolean;
  readonly width: number;
  readonly color: boolean;
  readonly now: () => number;
  /** The zone clock times are printed in (run.ts: local unless --utc/--timezone; goldens: UTC). Default UTC. */
  readonly clock?: Clock;
  /** -c/--container: only these containers; undefined = all. */
  readonly containers?: readonly string[] | undefined;
  /** --since / --window: the part of the life the pictures' timelines show (default: the whole life). */
  readonly timeline?: WindowSpec | undefined;
}

/** JSON.stringify escapes C0 controls; these are escaped too, so no JSON line can drive a terminal. */
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export const jsonLine = (v: unknown): string =>
  JSON.stringify(v).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';

/** The view narrowed to the containers -c names: their rows, lanes, events, findings; pod-level ones stay. */
export function selectContainers(view: SessionView, names: readonly string[] | undefined): SessionView {
  if (!names || names.length === 0) return view;
  const keep = (c: string | undefined): boolean => c === undefined || c === '' || names.includes(c);
  // A name no pod has is most likely a typo: say so, with the names there are.
  const present = new Set(view.pods.flatMap((p) => p.containers.map((c) => c.name)));
  const missing = names.filter((n) => !present.has(n));
  const notes =
    view.pods.length > 0 && missing.length > 0
      ? [
          ...view.notes,
          {
            level: 'warning' as const,
            at: view.now,
            text: `-c: no container named ${missing.map((n) => `"${n}"`).join(', ')} in ${view.pods.length === 1 ? `pod ${view.pods[0]!.name}` : 'these pods'} (containers: ${[...present].join(', ') || 'none'})`,
          },
        ]
      : view.notes;
  return {
    ...view,
    notes,
    pods: view.pods.map((pod) => ({
      ...pod,
      containers: pod.containers.filter((c) => names.includes(c.name)),
      events: pod.events.filter((e) => keep(e.container)),
      findings: pod.findings.filter((f) => keep(f.container)),
    })),
    unattachedEvents: view.unattachedEvents.map((u) => ({ ...u, events: u.events.filter((e) => keep(e.container)) })),
  };
}

const eventSelected = (e: LifecycleEvent, names: readonly string[] | undefined): boolean =>
  !names || names.length === 0 || e.container === undefined || names.includes(e.container);

export function startPrinter(store: Store, options: PrinterOptions): { stop(): void } {
  const o = { ...options, clock: options.clock ?? UTC_CLOCK };
  const p = paint(o.color);
  const write = (s: string): void => void o.out.write(s);
  const viewAt = (state: ModelState, now: number): SessionView => selectContainers(toSessionView(state, now), o.containers);
  const text = { width: o.width, color: o.color, clock: o.clock };
  if (o.once) {
    const state = store.getState();
    const view = viewAt(state, o.now());
    if (o.format === 'json') {
      for (const pod of view.pods) write(jsonLine(toJsonPod(pod, view.now)));
      if (view.pods.length === 0) for (const u of view.unattachedEvents) write(jsonLine(toJsonEvents(u)));
    } else {
      view.pods.forEach((pod, i) => {
        if (i > 0) write('\n');
        const history = eventsSince(state, 0)
          .filter((e) => e.podUid === pod.uid && eventSelected(e, o.containers))
          .sort((a, b) => a.at - b.at || a.seq - b.seq);
        write(
          formatPicture(view, pod, {
            ...text,
            history,
            timeline: stateFromSpec(o.timeline, WHOLE_LIFE, view.now, zoneOffset(o.clock, view.now)),
          }),
        );
      });
      if (view.pods.length === 0 && view.unattachedEvents.length === 0) write('no pods\n');
      if (view.pods.length === 0) for (const u of view.unattachedEvents) write(formatEventsOnly(u, text));
      for (const n of view.notes) write(p.dim(`note: ${visible(n.text)}\n`));
    }
    return { stop: () => undefined };
  }

  let seq = 0;
  let connection = '';
  let notes = 0;
  const lastPodJson = new Map<string, string>();
  let stopped = false;
  if (o.format === 'text') {
    const t = o.now();
    write(p.dim(`# clock times in ${o.clock.zone === 'UTC' ? 'UTC' : `${o.clock.zone} (${o.clock.label(t)})`}\n`));
  }
  const flush = (state: ModelState): void => {
    const events = eventsSince(state, seq).filter((e) => eventSelected(e, o.containers));
    seq = lastSeq(state);
    const showPod = new Set(events.map((e) => e.podUid)).size > 1 || state.pods.size > 1;
    const conn = `${state.connection.state}${state.connection.message ? `: ${state.connection.message}` : ''}`;
    if (o.format === 'text') {
      if (conn !== connection && state.source !== 'file') write(p.dim(`# connection ${visible(conn)}\n`));
      for (const n of state.notes.slice(notes)) write(p.dim(`# note: ${visible(n.text)}\n`));
      for (const e of events) {
        write(formatEventLine(e, p, { showPod, width: o.width, clock: o.clock }) + '\n');
        if (e.kind === 'logs') {
          const view = toSessionView(state, o.now());
          const inst = view.pods
            .find((x) => x.uid === e.podUid)
            ?.containers.find((c) => c.name === e.container)
            ?.instances.find((i) => i.containerID === e.containerID);
          for (const l of inst?.logTail ?? []) write(p.dim(`          | ${visible(l)}\n`));
        }
      }
    } else {
      if (conn !== connection && state.source !== 'file')
        write(jsonLine({ kind: 'connection', state: state.connection.state, message: state.connection.message ?? null }));
      for (const n of state.notes.slice(notes)) write(jsonLine({ kind: 'note', level: n.level, text: n.text }));
      for (const e of events) write(jsonLine(toJsonLifecycle(e)));
      if (events.length > 0) {
        const view = viewAt(state, o.now());
        const changed = new Set(events.map((e) => e.podUid));
        for (const pod of view.pods) {
          if (!changed.has(pod.uid)) continue;
          const { observedAt: _omit, ...rest } = toJsonPod(pod, view.now) as { observedAt: unknown };
          const key = JSON.stringify(rest);
          if (lastPodJson.get(pod.uid) === key) continue;
          lastPodJson.set(pod.uid, key);
          write(jsonLine(toJsonPod(pod, view.now)));
        }
      }
    }
    connection = conn;
    notes = state.notes.length;
  };
  flush(store.getState());
  const unsubscribe = store.subscribe(() => flush(store.getState()));
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      flush(store.getState());
      if (o.format === 'text') {
        const view = viewAt(store.getState(), o.now());
        for (const pod of view.pods.filter((x) => x.current || view.pods.length <= 3))
          write(
            '\n' +
              formatPicture(view, pod, {
                ...text,
                timeline: stateFromSpec(o.timeline, WHOLE_LIFE, view.now, zoneOffset(o.clock, view.now)),
              }),
          );
      }
    },
  };
}
