// Non-TTY views: subscribe to the store and print lines. `-o text`: one line per lifecycle event,
// then the picture of each pod on exit. `-o json`: one JSON object per line ("lifecycle" lines as
// things happen, a "pod" line with the whole picture after each change and on exit).

import { eventsSince, lastSeq, toSessionView } from '../model/index.ts';
import type { ModelState } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { toJsonEvents, toJsonLifecycle, toJsonPod } from './json.ts';
import { formatEventLine, formatEventsOnly, formatPicture, paint } from './text.ts';

export interface PrinterOptions {
  readonly format: 'text' | 'json';
  readonly out: NodeJS.WritableStream;
  readonly once: boolean;
  readonly width: number;
  readonly color: boolean;
  readonly now: () => number;
}

export function startPrinter(store: Store, o: PrinterOptions): { stop(): void } {
  const p = paint(o.color);
  const write = (s: string): void => void o.out.write(s);
  if (o.once) {
    const state = store.getState();
    const view = toSessionView(state, o.now());
    if (o.format === 'json') {
      for (const pod of view.pods) write(JSON.stringify(toJsonPod(pod, view.now)) + '\n');
      if (view.pods.length === 0) for (const u of view.unattachedEvents) write(JSON.stringify(toJsonEvents(u)) + '\n');
    } else {
      view.pods.forEach((pod, i) => {
        if (i > 0) write('\n');
        const history = eventsSince(state, 0)
          .filter((e) => e.podUid === pod.uid)
          .sort((a, b) => a.at - b.at || a.seq - b.seq);
        write(formatPicture(view, pod, { width: o.width, color: o.color, history }));
      });
      if (view.pods.length === 0 && view.unattachedEvents.length === 0) write('no pods\n');
      if (view.pods.length === 0) for (const u of view.unattachedEvents) write(formatEventsOnly(u, { width: o.width, color: o.color }));
      for (const n of view.notes) write(p.dim(`note: ${n.text}\n`));
    }
    return { stop: () => undefined };
  }

  let seq = 0;
  let connection = '';
  let notes = 0;
  const lastPodJson = new Map<string, string>();
  let stopped = false;
  const flush = (state: ModelState): void => {
    const events = eventsSince(state, seq);
    seq = lastSeq(state);
    const showPod = new Set(events.map((e) => e.podUid)).size > 1 || state.pods.size > 1;
    const conn = `${state.connection.state}${state.connection.message ? `: ${state.connection.message}` : ''}`;
    if (o.format === 'text') {
      if (conn !== connection && state.source !== 'file') write(p.dim(`# connection ${conn}\n`));
      for (const n of state.notes.slice(notes)) write(p.dim(`# note: ${n.text}\n`));
      for (const e of events) {
        write(formatEventLine(e, p, { showPod, width: o.width }) + '\n');
        if (e.kind === 'logs') {
          const view = toSessionView(state, o.now());
          const inst = view.pods
            .find((x) => x.uid === e.podUid)
            ?.containers.find((c) => c.name === e.container)
            ?.instances.find((i) => i.containerID === e.containerID);
          for (const l of inst?.logTail ?? []) write(p.dim(`          | ${l}\n`));
        }
      }
    } else {
      if (conn !== connection && state.source !== 'file')
        write(JSON.stringify({ kind: 'connection', state: state.connection.state, message: state.connection.message ?? null }) + '\n');
      for (const n of state.notes.slice(notes)) write(JSON.stringify({ kind: 'note', level: n.level, text: n.text }) + '\n');
      for (const e of events) write(JSON.stringify(toJsonLifecycle(e)) + '\n');
      if (events.length > 0) {
        const view = toSessionView(state, o.now());
        const changed = new Set(events.map((e) => e.podUid));
        for (const pod of view.pods) {
          if (!changed.has(pod.uid)) continue;
          const { observedAt: _omit, ...rest } = toJsonPod(pod, view.now) as { observedAt: unknown };
          const key = JSON.stringify(rest);
          if (lastPodJson.get(pod.uid) === key) continue;
          lastPodJson.set(pod.uid, key);
          write(JSON.stringify(toJsonPod(pod, view.now)) + '\n');
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
        const view = toSessionView(store.getState(), o.now());
        for (const pod of view.pods.filter((x) => x.current || view.pods.length <= 3))
          write('\n' + formatPicture(view, pod, { width: o.width, color: o.color }));
      }
    },
  };
}
