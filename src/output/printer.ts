// Non-TTY views: subscribe to the store and print lines. `-o text`: one line per lifecycle event,
// then the picture of each pod on exit. `-o json`: one JSON object per line ("lifecycle" lines as
// things happen, a "pod" line with the whole picture after each change and on exit).
// A group (a rollout, the pods of a selector; `group` below) adds the owner-side events and a
// progress line whenever the group's state changes (text), a "workload" line whenever the
// workload's picture changes (JSON), and prints the group's picture instead of every pod's.
// Only the pods that changed get their detailed view built (podViewOf), never the whole session.
// `containers` (-c) narrows every view to those containers; text is made safe for a terminal
// (terminal.ts) and JSON escapes the characters a terminal could act on.

import { eventsSince, lastSeq, podRevision, podRow, podsOf, podViewOf, progressLine, sessionWith, toSessionView } from '../model/index.ts';
import type { GroupView, LifecycleEvent, ModelState, SessionView } from '../model/index.ts';
import { zoneOffset } from '../render/clock.ts';
import { stateFromSpec, WHOLE_LIFE, type TimeRef, type WindowSpec } from '../render/window.ts';
import type { Store } from '../store/store.ts';
import { UTC_CLOCK, type Clock } from './clock.ts';
import { toJsonEvents, toJsonLifecycle, toJsonPod } from './json.ts';
import { toJsonWorkload } from './rollout-json.ts';
import { formatGroupPicture, formatOwnerEventLine, formatProgressLine } from './rollout-text.ts';
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
  /** --cursor: the moment the pictures' cursor lines name (default: the window's end). */
  readonly cursor?: TimeRef | undefined;
  /** A group target: its view (memoised, model/views/rollout-model.ts). */
  readonly group?: ((state: ModelState) => GroupView) | undefined;
}

/** The revision of a pod of the state (null where it is not a workload's, or its revision object was not seen). */
export function revisionOfPod(state: ModelState, uid: string): number | null {
  const rec = state.pods.get(uid);
  return (rec && podRevision(state, podRow(rec, state))) ?? null;
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
  const podViews = (state: ModelState, uids: readonly string[], now: number): SessionView =>
    selectContainers(
      sessionWith(
        state,
        uids.flatMap((uid) => {
          const rec = state.pods.get(uid);
          return rec ? [podViewOf(state, rec, now)] : [];
        }),
        now,
      ),
      o.containers,
    );
  if (o.once && o.group) {
    const state = store.getState();
    const now = o.now();
    const group = o.group(state);
    if (o.format === 'json') {
      const w = toJsonWorkload(group, now);
      if (w) write(jsonLine(w));
      const view = podViews(
        state,
        podsOf(group).map((r) => r.uid),
        now,
      );
      for (const pod of view.pods) write(jsonLine(toJsonPod(pod, now, revisionOfPod(state, pod.uid))));
    } else {
      write(formatGroupPicture(group, now, text));
      for (const n of state.notes) write(p.dim(`note: ${visible(n.text)}\n`));
    }
    return { stop: () => undefined };
  }
  if (o.once) {
    const state = store.getState();
    const view = viewAt(state, o.now());
    if (o.format === 'json') {
      for (const pod of view.pods) write(jsonLine(toJsonPod(pod, view.now, revisionOfPod(state, pod.uid))));
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
            cursor: o.cursor,
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
  let workloadSeq = 0;
  let lastProgress = '';
  let lastWorkloadJson = '';
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
          const rec = state.pods.get(e.podUid);
          const inst = rec
            ? podViewOf(state, rec, o.now())
                .containers.find((c) => c.name === e.container)
                ?.instances.find((i) => i.containerID === e.containerID)
            : undefined;
          for (const l of inst?.logTail ?? []) write(p.dim(`          | ${visible(l)}\n`));
        }
      }
      if (o.group && state.workloadSeq !== workloadSeq) {
        for (const w of [...state.workloadEvents.values()].filter((x) => x.seq > workloadSeq).sort((a, b) => a.seq - b.seq))
          write(formatOwnerEventLine(w, p, { width: o.width, clock: o.clock }) + '\n');
      }
      if (o.group) {
        const group = o.group(state);
        const line = progressLine(group);
        if (line !== lastProgress)
          write(formatProgressLine(line, group.verdict.state, o.now(), p, { width: o.width * 3, clock: o.clock }) + '\n');
        lastProgress = line;
      }
    } else {
      if (conn !== connection && state.source !== 'file')
        write(jsonLine({ kind: 'connection', state: state.connection.state, message: state.connection.message ?? null }));
      for (const n of state.notes.slice(notes)) write(jsonLine({ kind: 'note', level: n.level, text: n.text }));
      for (const e of events) write(jsonLine(toJsonLifecycle(e)));
      if (events.length > 0) {
        const now = o.now();
        const changed = new Set(events.map((e) => e.podUid));
        // In display order (as toSessionView sorts), only the pods that changed.
        const uids = [...state.pods.values()]
          .filter((r) => changed.has(r.uid))
          .sort(
            (a, b) =>
              Number(!b.deleted && !b.replaced) - Number(!a.deleted && !a.replaced) ||
              a.namespace.localeCompare(b.namespace) ||
              a.name.localeCompare(b.name) ||
              b.life - a.life,
          )
          .map((r) => r.uid);
        for (const pod of podViews(state, uids, now).pods) {
          const line = toJsonPod(pod, now, revisionOfPod(state, pod.uid));
          const { observedAt: _omit, ...rest } = line as { observedAt: unknown };
          const key = JSON.stringify(rest);
          if (lastPodJson.get(pod.uid) === key) continue;
          lastPodJson.set(pod.uid, key);
          write(jsonLine(line));
        }
      }
      if (o.group) {
        const now = o.now();
        const w = toJsonWorkload(o.group(state), now);
        if (w) {
          const { observedAt: _omit, ...rest } = w as { observedAt: unknown };
          const key = JSON.stringify(rest);
          if (key !== lastWorkloadJson) write(jsonLine(w));
          lastWorkloadJson = key;
        }
      }
    }
    connection = conn;
    notes = state.notes.length;
    workloadSeq = state.workloadSeq;
  };
  flush(store.getState());
  const unsubscribe = store.subscribe(() => flush(store.getState()));
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      flush(store.getState());
      if (o.format === 'text' && o.group) {
        write('\n' + formatGroupPicture(o.group(store.getState()), o.now(), text));
      } else if (o.format === 'text') {
        const view = viewAt(store.getState(), o.now());
        for (const pod of view.pods.filter((x) => x.current || view.pods.length <= 3))
          write(
            '\n' +
              formatPicture(view, pod, {
                ...text,
                timeline: stateFromSpec(o.timeline, WHOLE_LIFE, view.now, zoneOffset(o.clock, view.now)),
                cursor: o.cursor,
              }),
          );
      }
    },
  };
}
