// Model state -> the view-model every view draws. Pure: `now` is an argument.

import { backoffView } from './backoff.ts';
import { diagnose } from './diagnose/index.ts';
import { podColumns } from './pod-status.ts';
import { signalName, terminationSignal } from './signals.ts';
import type { ContainerRecord, EventRecord, InstanceRecord, ModelState, PodRecord, Span } from './reduce/index.ts';
import type { StateFacts } from './snapshot.ts';
import { containerSpecView } from './spec-describe.ts';
import { clockTime, isTime } from './time.ts';
import type {
  ConditionView,
  ContainerView,
  EventView,
  InstanceView,
  LaneView,
  MarkerView,
  PodView,
  SegmentView,
  SessionView,
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
  pods.sort(
    (a, b) =>
      Number(b.current) - Number(a.current) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || b.life - a.life,
  );
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
 * The detailed view of one pod: for the pod being looked at, or one the rollout verdict needs,
 * without building every other pod's (the same cache as toSessionView).
 */
export function podViewOf(state: ModelState, rec: PodRecord, now: number): PodView {
  const hit = cache.get(rec);
  if (hit && hit.now === now) return hit.view;
  const view = podView(rec, state, now);
  cache.set(rec, { now, view });
  return view;
}

function toneOfWaiting(reason: string): Tone {
  return reason === 'ContainerCreating' || reason === 'PodInitializing' ? 'progress' : 'warn';
}

function spanSegment(s: Span): SegmentView {
  let tone: Tone;
  if (s.state === 'ready') tone = 'ok';
  else if (s.state === 'waiting') tone = toneOfWaiting(s.label);
  else if (s.state === 'terminated') tone = /^Completed 0$|^exit 0$/.test(s.label) ? 'muted' : 'error';
  else tone = phaseTone(s.label);
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

const WINDOW_MS = 3000;
function overlaps(e: EventRecord, from: number | undefined, to: number | undefined): boolean {
  const a = e.firstAt ?? e.lastAt;
  const b = e.lastAt ?? e.firstAt;
  if (a === undefined || b === undefined || to === undefined) return false;
  return a <= to + WINDOW_MS && b >= (from ?? to) - WINDOW_MS;
}

/** Why an instance ended, from evidence only. */
function instanceCause(
  i: InstanceRecord,
  c: string,
  pod: PodRecord,
  events: readonly EventRecord[],
): { cause: string | undefined; text: string | undefined } {
  if (i.running || (i.finishedAt === undefined && i.exitCode === undefined)) return { cause: undefined, text: undefined };
  const mine = events.filter((e) => e.container === c && overlaps(e, i.startedAt, i.finishedAt));
  if (i.reason === 'OOMKilled') return { cause: 'oom', text: 'OOM-killed by the kernel (memory limit reached)' };
  const killing = mine.find((e) => e.reason === 'Killing' && /failed (liveness|startup) probe/.test(e.message));
  if (killing) {
    const kind = /startup/.test(killing.message) ? 'startup' : 'liveness';
    return { cause: kind, text: `killed after failing its ${kind} probe (event Killing: ${killing.message})` };
  }
  const hook = mine.find((e) => e.reason === 'FailedPostStartHook');
  if (hook) return { cause: 'postStart', text: `killed because its postStart hook failed (event FailedPostStartHook)` };
  // The kubelet kills a container whose postStart hook failed and says so in the waiting reason.
  const state = pod.snapshot.containers.find((x) => x.name === c)?.status?.state;
  if (state?.state === 'waiting' && state.reason === 'PostStartHookError' && isLastEnded(i, pod, c))
    return { cause: 'postStart', text: 'killed because its postStart hook failed (state.waiting.reason PostStartHookError)' };
  // The kubelet's event spam filter drops repeats (25 per object, then one per 5 minutes), so a
  // later kill may have no event of its own: the same kind of kill seen earlier is a likely cause.
  if (i.exitCode === 137 && !pod.snapshot.deletion) {
    const earlier = events
      .filter(
        (e) =>
          e.container === c &&
          (e.lastAt ?? 0) <= (i.finishedAt ?? 0) &&
          ((e.reason === 'Killing' && /failed (liveness|startup) probe/.test(e.message)) || e.reason === 'FailedPostStartHook'),
      )
      .sort((a, b) => (a.lastAt ?? 0) - (b.lastAt ?? 0))
      .at(-1);
    if (earlier) {
      const kind = earlier.reason === 'FailedPostStartHook' ? 'postStart' : /startup/.test(earlier.message) ? 'startup' : 'liveness';
      return {
        cause: kind,
        text: `likely ${kind === 'postStart' ? 'its failing postStart hook' : `its ${kind} probe`}, as in earlier kills (event ${earlier.reason} x${earlier.count}, last ${clockTime(earlier.lastAt ?? 0)}; the kubelet rate-limits repeated events)`,
      };
    }
  }
  const deletionAt = pod.snapshot.deletion ? deletionRequestedAt(pod) : undefined;
  if (deletionAt !== undefined && i.finishedAt !== undefined && i.finishedAt >= deletionAt - WINDOW_MS) {
    const deadline = pod.deletionRequest?.deadline ?? pod.snapshot.deletion?.deadline;
    if (i.exitCode === 137 && deadline !== undefined && i.finishedAt >= deadline - WINDOW_MS)
      return { cause: 'grace-period', text: 'killed with SIGKILL at the end of the grace period (the process did not exit on SIGTERM)' };
    return { cause: 'deletion', text: 'stopped because the pod is being deleted' };
  }
  if (pod.snapshot.reason === 'Evicted') return { cause: 'eviction', text: `evicted: ${pod.snapshot.message ?? ''}`.trim() };
  if (i.reason === 'ContainerStatusUnknown') return { cause: 'lost', text: 'the kubelet lost track of the container' };
  if (i.exitCode === 0) return { cause: 'exit', text: 'the process exited by itself with 0' };
  if (i.exitCode !== undefined) return { cause: 'exit', text: `the process exited by itself with ${i.exitCode}` };
  return { cause: undefined, text: undefined };
}

function isLastEnded(i: InstanceRecord, pod: PodRecord, c: string): boolean {
  const list = pod.containers.get(c)?.instances ?? [];
  const ended = list.filter((x) => !x.running);
  return ended.at(-1) === i || (ended.length === 0 && list.length === 0);
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

function deletionRequestedAt(pod: PodRecord): number | undefined {
  const r = pod.deletionRequest;
  const requested = r && r.gracePeriodSeconds !== undefined ? r.deadline - r.gracePeriodSeconds * 1000 : undefined;
  return isTime(requested) ? requested : pod.deletionSeenAt;
}

function instanceView(i: InstanceRecord, c: string, pod: PodRecord, events: readonly EventRecord[]): InstanceView {
  const sig = terminationSignal(i.exitCode, i.signal);
  const cause = instanceCause(i, c, pod, events);
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
    logNote: i.logNote,
    source: i.source,
    running: i.running,
  };
}

const EVENT_MARKERS: Readonly<Record<string, { kind: MarkerView['kind']; tone: Tone }>> = {
  Killing: { kind: 'kill', tone: 'warn' },
  Unhealthy: { kind: 'probe', tone: 'warn' },
  FailedPostStartHook: { kind: 'postStart', tone: 'error' },
  FailedPreStopHook: { kind: 'preStop', tone: 'error' },
  Pulling: { kind: 'pull', tone: 'progress' },
  Pulled: { kind: 'pull', tone: 'ok' },
  Failed: { kind: 'pull', tone: 'error' },
  ExceededGracePeriod: { kind: 'kill', tone: 'error' },
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

function containerLane(c: ContainerRecord, events: readonly EventRecord[]): LaneView {
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
  segments.sort((a, b) => a.from - b.from);
  const markers: MarkerView[] = [];
  for (const i of c.instances) {
    if (i.startedAt !== undefined && i.attempt > 0)
      markers.push({ at: i.startedAt, kind: 'restart', label: `restart ${i.attempt}`, tone: 'warn' });
    else if (i.startedAt !== undefined) markers.push({ at: i.startedAt, kind: 'start', label: 'start', tone: 'ok' });
    if (!i.running && i.finishedAt !== undefined) {
      const oom = i.reason === 'OOMKilled';
      markers.push({
        at: i.finishedAt,
        kind: oom ? 'oom' : 'exit',
        label: `${oom ? 'OOMKilled' : 'exit'} ${i.exitCode ?? '?'}`,
        tone: i.exitCode === 0 ? 'muted' : 'error',
      });
    }
  }
  markers.push(...eventMarkers(events.filter((e) => e.container === c.name)));
  markers.sort((a, b) => a.at - b.at);
  return { segments, markers };
}

function podView(rec: PodRecord, state: ModelState, now: number): PodView {
  const pod = rec.snapshot;
  const cols = podColumns(pod, now);
  const events = [...rec.events.values()].sort((a, b) => (a.lastAt ?? a.observedAt) - (b.lastAt ?? b.observedAt));
  const live = state.source !== 'file';
  const observedFrom = live ? rec.firstObservedAt : undefined;
  const gaps: string[] = [];
  const containers: ContainerView[] = [];
  for (const e of pod.containers) {
    const c = rec.containers.get(e.name);
    const s = e.status;
    const cur = s?.state;
    const instances = (c?.instances ?? []).map((i) => instanceView(i, e.name, rec, events));
    const rc = s?.restartCount ?? 0;
    const lastEnded = [...(c?.instances ?? [])].reverse().find((i) => !i.running && i.finishedAt !== undefined);
    const lastTerm = s?.lastState;
    const lastTermination =
      lastTerm?.state === 'terminated'
        ? terminationView(
            (c?.instances ?? []).find((i) => i.containerID !== undefined && i.containerID === lastTerm.containerID) ?? {
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
      lane: c ? containerLane(c, events) : { segments: [], markers: [] },
      spec: containerSpecView(e.spec),
    });
  }
  const oldestEvent = events[0]?.firstAt;
  if (live && rec.events.size === 0 && state.notes.some((n) => /events/i.test(n.text) && /forbid/i.test(n.text)))
    gaps.push('events: not readable with these credentials');
  const created = pod.createdAt;
  if (created !== undefined && now - created > 60 * 60 * 1000 && (oldestEvent === undefined || oldestEvent - created > 60 * 60 * 1000)) {
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
  const delReq = deletionRequestedAt(rec);
  if (delReq !== undefined && pod.deletion) podMarkers.push({ at: delReq, kind: 'delete', label: 'delete', tone: 'warn' });
  if (deadline !== undefined) podMarkers.push({ at: deadline, kind: 'deadline', label: 'SIGKILL deadline', tone: 'error' });
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
    restartPolicy: pod.restartPolicy ?? 'Always',
    deletion:
      deadline !== undefined
        ? { deadline, gracePeriodSeconds: rec.deletionRequest?.gracePeriodSeconds ?? pod.deletion?.gracePeriodSeconds }
        : undefined,
    conditions,
    containers,
    events: events.map(eventView),
    lane,
    findings: [],
    timeRange: { from, to },
    observedFrom,
    gaps,
  } satisfies PodView;
  return { ...base, findings: diagnose(base, now) };
}
