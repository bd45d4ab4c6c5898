// Model state -> the view-model every view draws. Pure: `now` is an argument.

import { backoffView } from './backoff.ts';
import { diagnose } from './diagnose/index.ts';
import { podColumns } from './pod-status.ts';
import { signalName, terminationSignal } from './signals.ts';
import type { ContainerRecord, EventRecord, InstanceRecord, ModelState, PodRecord, Span } from './reduce/index.ts';
import type { StateFacts } from './snapshot.ts';
import { containerSpecView } from './spec-describe.ts';
import { instanceCause, NEVER_STARTED, neverStarted, WINDOW_MS, type Cause } from './causes.ts';
import { ownerKey } from './reduce/state.ts';
import { handlerText } from './spec-describe.ts';
import { deletionRequestedAt, gracePeriodFor, podStopOf, stopTimeline, type PodStop } from './termination.ts';
import type {
  ConditionView,
  ContainerView,
  EventView,
  HookStateView,
  InstanceView,
  LaneView,
  MarkerView,
  PodTerminationView,
  PodView,
  SegmentView,
  SessionView,
  StoppingView,
  StopStep,
  TerminationView,
  Tone,
} from './view.ts';

const cache = new WeakMap<PodRecord, { now: number; view: PodView }>();

export function toSessionView(state: ModelState, now: number): SessionView {
  const pods: PodView[] = [];
  for (const rec of state.pods.values()) {
    const hit = cache.get(rec);
    let view: PodView;
    if (hit && hit.now === now) view = hit.view;
    else {
      view = podView(rec, state, now);
      cache.set(rec, { now, view });
    }
    pods.push(view);
  }
  pods.sort(byDisplayOrder(pods));
  return {
    now,
    source: state.source,
    connection: state.connection,
    watchingSince: state.watchingSince,
    pods,
    notes: state.notes,
    unattachedEvents: [...state.pendingEvents.entries()].map(([key, evs]) => {
      const [namespace, pod] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      return { namespace, pod, events: [...evs].sort((a, b) => (a.lastAt ?? a.observedAt) - (b.lastAt ?? b.observedAt)).map(eventView) };
    }),
  };
}

/**
 * Current pods first, by namespace/name, then earlier lives and pods that are gone. A replacement
 * sorts right after the pod it replaces while that one is still there: the pod view shows the named
 * pod until it is gone, then its replacement.
 */
function byDisplayOrder(pods: readonly PodView[]): (a: PodView, b: PodView) => number {
  const plain = (a: PodView, b: PodView): number =>
    Number(b.current) - Number(a.current) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || b.life - a.life;
  if (!pods.some((p) => p.replaces)) return plain;
  const byUid = new Map(pods.map((p) => [p.uid, p] as const));
  // The pod still there at the start of a chain of replacements, and how far down the chain this one is.
  const anchors = new Map<PodView, { anchor: PodView; depth: number }>();
  const anchorOf = (p: PodView): { anchor: PodView; depth: number } => {
    let hit = anchors.get(p);
    if (hit) return hit;
    let anchor = p;
    let depth = 0;
    while (p.current && anchor.replaces && depth < 50) {
      const prev = byUid.get(anchor.replaces.uid);
      if (!prev?.current) break;
      anchor = prev;
      depth++;
    }
    anchors.set(p, (hit = { anchor, depth }));
    return hit;
  };
  return (a, b) => {
    const x = anchorOf(a);
    const y = anchorOf(b);
    return (
      Number(b.current) - Number(a.current) ||
      x.anchor.namespace.localeCompare(y.anchor.namespace) ||
      x.anchor.name.localeCompare(y.anchor.name) ||
      x.depth - y.depth ||
      plain(a, b)
    );
  };
}

/** A session view of just these pods (their detailed views, nothing else built): the pod screen of one pod, a picture of some. */
export function sessionWith(state: ModelState, pods: readonly PodView[], now: number, notes = state.notes): SessionView {
  return { now, source: state.source, connection: state.connection, watchingSince: state.watchingSince, pods, notes, unattachedEvents: [] };
}

/**
 * The detailed view of one pod: for the pod being looked at, or one the rollout verdict needs,
 * without building every other pod's (the same cache as toSessionView).
 */
export function podViewOf(state: ModelState, rec: PodRecord, now: number, keep = true): PodView {
  const hit = cache.get(rec);
  if (hit && hit.now === now) return hit.view;
  const view = podView(rec, state, now);
  // Not kept when made once for a summary (the findings of thousands of failing pods).
  if (keep) cache.set(rec, { now, view });
  return view;
}

function toneOfWaiting(reason: string): Tone {
  return reason === 'ContainerCreating' || reason === 'PodInitializing' ? 'progress' : 'warn';
}

/** The pod lane's states (see podLaneState in reduce/pods.ts). */
const POD_STATE_TONE: Readonly<Record<string, Tone>> = {
  Pending: 'progress',
  Running: 'progress',
  Ready: 'ok',
  Terminating: 'warn',
  Succeeded: 'muted',
  Failed: 'error',
  Unknown: 'muted',
};

export function spanSegment(s: Span): SegmentView {
  let tone: Tone;
  if (s.state === 'ready') tone = 'ok';
  else if (s.state === 'waiting') tone = toneOfWaiting(s.label);
  else if (s.state === 'terminated') tone = /^Completed 0$|^exit 0$/.test(s.label) ? 'muted' : 'error';
  else if (s.state === 'hook') tone = 'progress';
  else if (s.state === 'unknown') tone = 'muted';
  else tone = POD_STATE_TONE[s.label] ?? phaseTone(s.label);
  return { from: s.from, to: s.to, state: s.state, label: s.label, tone, reconstructed: s.reconstructed };
}

function containerTone(state: StateFacts | undefined, ready: boolean): Tone {
  if (state?.state === 'running') return ready ? 'ok' : 'progress';
  if (state?.state === 'terminated') return (state.exitCode ?? 0) === 0 ? 'muted' : 'error';
  if (state?.state === 'waiting') return toneOfWaiting(state.reason ?? '');
  return 'muted';
}

/** How a kubectl STATUS reads at a glance (shared with the rollout view's rows). */
export function phaseTone(status: string): Tone {
  if (status === 'Running' || status === 'Completed' || status === 'Succeeded') return 'ok';
  if (status === 'Pending' || status === 'ContainerCreating' || status === 'PodInitializing' || /^Init:\d+\/\d+$/.test(status))
    return 'progress';
  if (status === 'Terminating' || status === 'NotReady') return 'warn';
  return 'error';
}

function terminationView(i: InstanceRecord | undefined): TerminationView | undefined {
  if (!i) return undefined;
  const sig = terminationSignal(i.exitCode, i.signal);
  return {
    reason: i.reason,
    exitCode: i.exitCode,
    signal: sig,
    signalName: signalName(sig),
    message: i.message,
    startedAt: i.startedAt,
    finishedAt: i.finishedAt,
    durationMs: i.startedAt !== undefined && i.finishedAt !== undefined ? i.finishedAt - i.startedAt : undefined,
    containerID: i.containerID,
  };
}

function eventView(e: EventRecord): EventView {
  return {
    key: e.key,
    type: e.type,
    reason: e.reason,
    message: e.message,
    count: e.count,
    firstAt: e.firstAt,
    lastAt: e.lastAt,
    container: e.container,
    source: e.source,
  };
}

function pullFailures(events: readonly EventRecord[], c: string): { count: number; lastAt: number | undefined } | undefined {
  const failed = events.filter((e) => e.container === c && e.reason === 'Failed' && e.message.startsWith('Failed to pull image'));
  if (failed.length === 0) return undefined;
  return {
    count: failed.reduce((n, e) => n + e.count, 0),
    lastAt: failed.reduce<number | undefined>(
      (t, e) => (e.lastAt !== undefined && (t === undefined || e.lastAt > t) ? e.lastAt : t),
      undefined,
    ),
  };
}

function instanceView(i: InstanceRecord, cause: Cause): InstanceView {
  const sig = terminationSignal(i.exitCode, i.signal);
  return {
    attempt: i.attempt,
    containerID: i.containerID,
    startedAt: i.startedAt,
    finishedAt: i.finishedAt,
    durationMs: i.startedAt !== undefined && i.finishedAt !== undefined ? i.finishedAt - i.startedAt : undefined,
    exitCode: i.exitCode,
    signal: sig,
    signalName: signalName(sig),
    reason: i.reason,
    message: i.message,
    cause: cause.cause,
    causeText: cause.text,
    logTail: i.logTail,
    // A process that never started wrote nothing: say so rather than what the log request found.
    logNote: neverStarted(i) && !i.logTail?.length ? NEVER_STARTED : i.logNote,
    source: i.source,
    running: i.running,
  };
}

// Killing is the start of a stop (preStop, then SIGTERM): the lane draws the stop itself, and a
// SIGKILL where an instance ended with 137. Hook failures share one glyph.
const EVENT_MARKERS: Readonly<Record<string, { kind: MarkerView['kind']; tone: Tone }>> = {
  Unhealthy: { kind: 'probe', tone: 'warn' },
  FailedPostStartHook: { kind: 'postStart', tone: 'error' },
  FailedPreStopHook: { kind: 'preStop', tone: 'error' },
  Pulling: { kind: 'pull', tone: 'progress' },
  Pulled: { kind: 'pull', tone: 'ok' },
  Failed: { kind: 'pull', tone: 'error' },
  Scheduled: { kind: 'schedule', tone: 'ok' },
  FailedScheduling: { kind: 'schedule', tone: 'error' },
};

function eventMarkers(events: readonly EventRecord[]): MarkerView[] {
  const out: MarkerView[] = [];
  for (const e of events) {
    const m = EVENT_MARKERS[e.reason] ?? { kind: 'event' as const, tone: e.type === 'Warning' ? ('warn' as const) : ('muted' as const) };
    const label = `${e.reason}${e.count > 1 ? ` x${e.count}` : ''}`;
    if (e.firstAt !== undefined) out.push({ at: e.firstAt, kind: m.kind, label, tone: m.tone });
    if (e.lastAt !== undefined && e.lastAt !== e.firstAt) out.push({ at: e.lastAt, kind: m.kind, label, tone: m.tone });
  }
  return out;
}

/** The stop segments of one instance: the preStop hook, then SIGTERM sent until it ended (or now). */
function stopSegments(stop: StoppingView): SegmentView[] {
  const out: SegmentView[] = [];
  const end = stop.endedAt;
  if (stop.preStop !== undefined) {
    const hookEnd = stop.preStopEndedAt ?? stop.sigtermAt ?? end;
    out.push({
      from: stop.startedAt,
      to: end !== undefined && hookEnd !== undefined ? Math.min(hookEnd, end) : hookEnd,
      state: 'hook',
      label: 'preStop',
      tone: 'warn',
      reconstructed: false,
    });
  }
  const sigterm = stop.preStop !== undefined ? (stop.preStopEndedAt ?? stop.sigtermAt) : stop.startedAt;
  if (sigterm !== undefined && (end === undefined || sigterm < end))
    out.push({ from: sigterm, to: end, state: 'stopping', label: 'SIGTERM', tone: 'warn', reconstructed: false });
  return out;
}

function containerLane(c: ContainerRecord, events: readonly EventRecord[], stops: readonly (StoppingView | undefined)[]): LaneView {
  const segments: SegmentView[] = [];
  for (const i of c.instances) {
    if (i.startedAt === undefined) continue;
    segments.push({
      from: i.startedAt,
      to: i.running ? undefined : (i.finishedAt ?? i.endObservedAt),
      state: 'running',
      label: 'running',
      tone: 'progress',
      reconstructed: i.source === 'api',
    });
  }
  for (const s of c.spans) segments.push(spanSegment(s));
  for (const s of c.hookSpans) segments.push(spanSegment(s));
  for (const stop of stops) if (stop) segments.push(...stopSegments(stop));
  segments.sort((a, b) => a.from - b.from);
  const markers: MarkerView[] = [];
  for (const i of c.instances) {
    if (i.startedAt !== undefined && i.attempt > 0)
      markers.push({ at: i.startedAt, kind: 'restart', label: `restart ${i.attempt}`, tone: 'warn' });
    else if (i.startedAt !== undefined) markers.push({ at: i.startedAt, kind: 'start', label: 'start', tone: 'ok' });
    if (!i.running && i.finishedAt !== undefined) {
      const oom = i.reason === 'OOMKilled';
      const kill = !oom && i.exitCode === 137;
      markers.push({
        at: i.finishedAt,
        kind: oom ? 'oom' : kill ? 'kill' : 'exit',
        label: oom ? `OOMKilled ${i.exitCode ?? '?'}` : kill ? 'SIGKILL' : `exit ${i.exitCode ?? '?'}`,
        tone: i.exitCode === 0 ? 'muted' : 'error',
      });
    }
  }
  markers.push(...eventMarkers(events.filter((e) => e.container === c.name)));
  markers.sort((a, b) => a.at - b.at);
  return { segments, markers };
}

/** The Killing times of a container: each one seen happen, else (a file, events first) each Event's first and last. */
function killingTimes(c: ContainerRecord | undefined, events: readonly EventRecord[]): { at: number; message: string }[] {
  const seen = (c?.occurrences ?? []).filter((o) => o.reason === 'Killing');
  const out: { at: number; message: string }[] = [...seen];
  for (const e of events) {
    if (e.container !== c?.name || e.reason !== 'Killing') continue;
    for (const at of [e.firstAt, e.lastAt]) if (at !== undefined && !out.some((k) => k.at === at)) out.push({ at, message: e.message });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The Killing that began this instance's stop: the latest one between its start and its end. */
function killingOf(i: InstanceRecord, kills: readonly { at: number; message: string }[]): { at: number; message: string } | undefined {
  if (i.startedAt === undefined && !i.running) return undefined;
  const from = (i.startedAt ?? -Infinity) - 1000;
  const to = i.running ? Infinity : (i.finishedAt ?? i.endObservedAt ?? Infinity) + 1000;
  for (let k = kills.length - 1; k >= 0; k--) if (kills[k]!.at >= from && kills[k]!.at <= to) return kills[k];
  return undefined;
}

function podView(rec: PodRecord, state: ModelState, now: number): PodView {
  const pod = rec.snapshot;
  // A deleted life's clock stops at its deletion: its age, condition ages and countdowns with it.
  const clock = rec.deleted && rec.deletedAt !== undefined ? rec.deletedAt : now;
  const cols = podColumns(pod, clock);
  const events = [...rec.events.values()].sort((a, b) => (a.lastAt ?? a.observedAt) - (b.lastAt ?? b.observedAt));
  const ownerEvents = pod.owner ? (state.ownerEvents.get(ownerKey(pod.namespace, pod.owner.kind, pod.owner.name)) ?? []) : [];
  const live = state.source !== 'file';
  const observedFrom = live ? rec.firstObservedAt : undefined;
  const delReq = deletionRequestedAt(rec.deletionRequest, rec.deletionSeenAt);
  const deletionGrace = rec.deletionRequest?.gracePeriodSeconds ?? pod.deletion?.gracePeriodSeconds;
  const podStop = podStopOf({ snapshot: pod, deletionRequest: rec.deletionRequest, deletionRequestedAt: delReq, events, ownerEvents });
  // Every regular container has ended (when): the kubelet then stops the sidecars.
  const regular = pod.containers.filter((x) => x.type === 'regular');
  const mainEnded =
    regular.length > 0 && regular.every((x) => x.status?.state?.state === 'terminated')
      ? Math.max(...regular.map((x) => x.status?.state?.finishedAt ?? 0))
      : undefined;
  const gaps: string[] = [];
  const containers: ContainerView[] = [];
  const podStops: StoppingView[] = [];
  for (const e of pod.containers) {
    const c = rec.containers.get(e.name);
    const s = e.status;
    const cur = s?.state;
    const preStop = e.spec?.hooks.find((h) => h.kind === 'preStop');
    const records = c?.instances ?? [];
    const kills = killingTimes(c, events);
    const stops = records.map((i): StoppingView | undefined => {
      let kill = killingOf(i, kills);
      const inPodStop =
        podStop !== undefined && (kill === undefined || podStop.decidedAt === undefined || kill.at >= podStop.decidedAt - WINDOW_MS);
      // Being stopped with the pod but no Killing seen yet: the kubelet stops it from the decision on.
      if (!kill && i.running && podStop?.decidedAt !== undefined && cur?.state === 'running')
        kill = { at: podStop.decidedAt, message: `Stopping container ${e.name}` };
      if (!kill) return undefined;
      const grace = gracePeriodFor(pod, inPodStop ? podStop : undefined, inPodStop ? deletionGrace : undefined, e.name, kill.message);
      const failedHook = c?.occurrences.find((o) => o.reason === 'FailedPreStopHook' && o.at >= kill.at);
      return stopTimeline(
        {
          startedAt: kill.at,
          message: kill.message,
          gracePeriodSeconds: grace,
          preStop: preStop ? handlerText(preStop.handler) : undefined,
          preStopFailedAt: failedHook?.at,
          endedAt: i.running ? undefined : (i.finishedAt ?? i.endObservedAt),
          // A deletion states when its grace period ends (deletionTimestamp).
          graceEndsAt: inPodStop && pod.deletion && rec.deletionRequest ? rec.deletionRequest.deadline : undefined,
        },
        clock,
      );
    });
    const ended = records.filter((i) => !i.running);
    const instances = records.map((i, k) =>
      instanceView(
        i,
        instanceCause({
          instance: i,
          entry: e,
          pod,
          events,
          podStop,
          stop: stops[k],
          lastEnded: ended.at(-1) === i,
          mainContainersEndedAt: mainEnded,
        }),
      ),
    );
    const rc = s?.restartCount ?? 0;
    const lastEnded = [...records].reverse().find((i) => !i.running && i.finishedAt !== undefined);
    const lastTerm = s?.lastState;
    const lastTermination =
      lastTerm?.state === 'terminated'
        ? terminationView(
            records.find((i) => i.containerID !== undefined && i.containerID === lastTerm.containerID) ?? {
              attempt: 0,
              containerID: lastTerm.containerID,
              startedAt: lastTerm.startedAt,
              finishedAt: lastTerm.finishedAt,
              exitCode: lastTerm.exitCode,
              signal: lastTerm.signal,
              reason: lastTerm.reason,
              message: lastTerm.message,
              running: false,
              source: 'api',
              endObservedAt: undefined,
              logTail: undefined,
              logNote: undefined,
            },
          )
        : undefined;
    const backoff = backoffView({
      waitingReason: cur?.state === 'waiting' ? cur.reason : undefined,
      waitingMessage: cur?.state === 'waiting' ? cur.message : undefined,
      restartCount: rc,
      lastFinishedAt: lastTerm?.finishedAt ?? lastEnded?.finishedAt,
      observedDelays: c?.delays ?? [],
      pullFailures: pullFailures(events, e.name),
    });
    const firstKnown = instances[0]?.attempt;
    if (rc > 0 && firstKnown !== undefined && firstKnown > 0) {
      gaps.push(
        `${e.name}: instances 0-${firstKnown - 1} ended before ${live ? 'watching began' : 'this object was saved'}; the API keeps only the last termination`,
      );
    }
    if ((c?.missedInstances ?? 0) > 0) gaps.push(`${e.name}: ${c!.missedInstances} instance(s) started and ended between two observations`);
    const sig = terminationSignal(cur?.exitCode, cur?.signal);
    // The stop of the current instance (the last one), while it runs or once it ended.
    const stopping = records.length > 0 ? stops[records.length - 1] : undefined;
    if (stopping && podStop && (podStop.decidedAt === undefined || stopping.startedAt >= podStop.decidedAt - WINDOW_MS))
      podStops.push(stopping);
    const postStart = e.spec?.hooks.find((h) => h.kind === 'postStart');
    const hook: HookStateView | undefined =
      c?.hook && postStart
        ? { kind: 'postStart', handler: handlerText(postStart.handler), running: true, inferred: true, since: c.hook.since }
        : stopping?.step === 'preStop' && stopping.preStop !== undefined
          ? { kind: 'preStop', handler: stopping.preStop, running: true, inferred: true, since: stopping.startedAt }
          : undefined;
    containers.push({
      name: e.name,
      type: e.type,
      image: e.spec?.image ?? s?.image,
      state: cur?.state ?? 'unknown',
      tone: containerTone(cur, s?.ready ?? false),
      reason: cur?.reason,
      message: cur?.message,
      startedAt: cur?.startedAt,
      finishedAt: cur?.finishedAt,
      exitCode: cur?.exitCode,
      signal: sig,
      signalName: signalName(sig),
      ready: s?.ready ?? false,
      started: s?.started,
      restartCount: rc,
      containerID: cur?.containerID ?? s?.containerID,
      lastTermination,
      instances,
      backoff,
      hook,
      stopping,
      lane: c ? containerLane(c, events, stops) : { segments: [], markers: [] },
      spec: containerSpecView(e.spec),
    });
  }
  const oldestEvent = events[0]?.firstAt;
  if (live && rec.events.size === 0 && state.notes.some((n) => /events/i.test(n.text) && /forbid/i.test(n.text)))
    gaps.push('events: not readable with these credentials');
  const created = pod.createdAt;
  if (created !== undefined && clock - created > 60 * 60 * 1000 && (oldestEvent === undefined || oldestEvent - created > 60 * 60 * 1000)) {
    gaps.push('events older than the event TTL (1h by default) are gone from the API');
  }
  // What the objects held that could not be read: shown, not hidden.
  for (const n of pod.unreadable) gaps.push(`unreadable ${n}`);
  const eventNotes = events.flatMap((e) => e.unreadable.map((n) => `unreadable in event ${e.reason || '?'}: ${n}`));
  gaps.push(...eventNotes.slice(0, 5));
  if (eventNotes.length > 5) gaps.push(`${eventNotes.length - 5} more unreadable event field(s)`);
  const conditions: ConditionView[] = pod.conditions.map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason || undefined,
    message: c.message || undefined,
    lastTransitionTime: c.lastTransitionTime,
  }));
  const deadline = rec.deletionRequest?.deadline ?? pod.deletion?.deadline;
  const podMarkers: MarkerView[] = [];
  for (const c of conditions)
    if (c.lastTransitionTime !== undefined)
      podMarkers.push({
        at: c.lastTransitionTime,
        kind: c.type === 'PodScheduled' ? 'schedule' : 'event',
        label: `${c.type}=${c.status}`,
        tone: c.status === 'True' ? 'ok' : 'warn',
      });
  if (delReq !== undefined && pod.deletion) podMarkers.push({ at: delReq, kind: 'delete', label: 'delete', tone: 'warn' });
  if (deadline !== undefined) podMarkers.push({ at: deadline, kind: 'deadline', label: 'grace period ends', tone: 'error' });
  podMarkers.push(...eventMarkers(events.filter((e) => e.container === undefined)));
  podMarkers.sort((a, b) => a.at - b.at);
  const lane: LaneView = { segments: rec.podSpans.map(spanSegment), markers: podMarkers };

  let from = created ?? rec.firstObservedAt;
  for (const seg of [...lane.segments, ...containers.flatMap((c) => c.lane.segments)]) from = Math.min(from, seg.from);
  const to = rec.deleted ? (rec.deletedAt ?? now) : Math.max(now, from + 1000);

  const base = {
    uid: rec.uid,
    namespace: rec.namespace,
    name: rec.name,
    life: rec.life,
    current: !rec.deleted && !rec.replaced,
    deleted: rec.deleted,
    deletedAt: rec.deletedAt,
    phase: pod.phase ?? 'Unknown',
    status: cols.status,
    statusTone: phaseTone(cols.status),
    ready: cols.ready,
    restarts: cols.restarts,
    restartsText: cols.restartsText,
    statusReason: pod.reason,
    statusMessage: pod.message?.trim() || undefined,
    node: pod.nodeName,
    podIP: pod.podIP,
    qosClass: pod.qosClass,
    createdAt: created,
    startedAt: pod.startTime,
    owner: pod.owner,
    replacedBy: rec.replacement,
    replaces: rec.replaces,
    restartPolicy: pod.restartPolicy ?? 'Always',
    deletion:
      deadline !== undefined
        ? { deadline, gracePeriodSeconds: rec.deletionRequest?.gracePeriodSeconds ?? pod.deletion?.gracePeriodSeconds }
        : undefined,
    clock,
    termination: podStop ? podTermination(podStop, podStops, containers) : undefined,
    conditions,
    containers,
    events: events.map(eventView),
    lane,
    findings: [],
    timeRange: { from, to },
    observedFrom,
    gaps,
  } satisfies PodView;
  return { ...base, findings: diagnose(base, clock) };
}

const STEP_ORDER: readonly StopStep[] = ['preStop', 'sigterm', 'sigkill', 'ended'];

/** The pod's stop: its cause, and where the stop of its containers is (the least advanced one still running). */
function podTermination(stop: PodStop, stops: readonly StoppingView[], containers: readonly ContainerView[]): PodTerminationView {
  const going = stops.filter((x) => x.step !== 'ended');
  const running = containers.some((c) => c.state === 'running');
  const pacing = [...going].sort((a, b) => STEP_ORDER.indexOf(a.step) - STEP_ORDER.indexOf(b.step))[0] ?? stops[0];
  const startedAt = stops.length > 0 ? Math.min(...stops.map((x) => x.startedAt)) : stop.decidedAt;
  return {
    cause: stop.cause,
    text: stop.text,
    evidence: stop.evidence,
    decidedAt: stop.decidedAt,
    gracePeriodSeconds: pacing?.gracePeriodSeconds ?? stop.gracePeriodSeconds,
    startedAt,
    step: going.length === 0 && !running ? 'ended' : (pacing?.step ?? 'sigterm'),
    sigtermAt: pacing?.sigtermAt,
    sigkillAt: pacing?.sigkillAt,
  };
}
