// The JSON shape of `-o json`: one object per line. Stable; documented in the README. Unknown
// values are null, times are RFC 3339 strings.

import {
  lifecycleText,
  type ContainerView,
  type EventCore,
  type EventView,
  type InstanceView,
  type LifecycleEvent,
  type PodView,
  type TerminationView,
} from '../model/index.ts';

export const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t).toISOString());
export const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

function termination(t: TerminationView | undefined): object | null {
  if (!t) return null;
  return {
    reason: n(t.reason),
    exitCode: n(t.exitCode),
    signal: n(t.signalName),
    signalNumber: n(t.signal),
    message: n(t.message),
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
    durationSeconds: t.durationMs === undefined ? null : t.durationMs / 1000,
    containerID: n(t.containerID),
  };
}

function instance(i: InstanceView): object {
  return {
    attempt: i.attempt,
    containerID: n(i.containerID),
    startedAt: iso(i.startedAt),
    finishedAt: iso(i.finishedAt),
    durationSeconds: i.durationMs === undefined ? null : i.durationMs / 1000,
    exitCode: n(i.exitCode),
    signal: n(i.signalName),
    signalNumber: n(i.signal),
    reason: n(i.reason),
    message: n(i.message),
    cause: n(i.cause),
    causeText: n(i.causeText),
    running: i.running,
    source: i.source,
    logTail: i.logTail === undefined ? null : [...i.logTail],
    logNote: n(i.logNote),
  };
}

function container(c: ContainerView): object {
  const ended = c.instances.filter((i) => !i.running);
  return {
    name: c.name,
    type: c.type,
    image: n(c.image),
    state: c.state,
    reason: n(c.reason),
    message: n(c.message),
    exitCode: n(c.exitCode),
    signal: n(c.signalName),
    signalNumber: n(c.signal),
    ready: c.ready,
    started: n(c.started),
    restartCount: c.restartCount,
    containerID: n(c.containerID),
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
    lastTermination: termination(c.lastTermination),
    restarts: ended.map(instance),
    instances: c.instances.map(instance),
    hook: c.hook
      ? { kind: c.hook.kind, handler: c.hook.handler, running: c.hook.running, inferred: c.hook.inferred, since: iso(c.hook.since) }
      : null,
    stopping: c.stopping
      ? {
          message: c.stopping.message,
          startedAt: iso(c.stopping.startedAt),
          gracePeriodSeconds: n(c.stopping.gracePeriodSeconds),
          preStop: n(c.stopping.preStop),
          step: c.stopping.step,
          sigtermAt: iso(c.stopping.sigtermAt),
          sigkillAt: iso(c.stopping.sigkillAt),
          minimumAfterPreStop: c.stopping.minimumAfterPreStop,
        }
      : null,
    backoff: c.backoff
      ? {
          kind: c.backoff.kind,
          delaySeconds: n(c.backoff.delaySeconds),
          nextAttemptAt: iso(c.backoff.nextAttemptAt),
          estimated: c.backoff.estimated,
          attempt: n(c.backoff.attempt),
          message: n(c.backoff.message),
        }
      : null,
    limits: { cpu: n(c.spec.limits.cpu), memory: n(c.spec.limits.memory) },
    requests: { cpu: n(c.spec.requests.cpu), memory: n(c.spec.requests.memory) },
  };
}

/** `revision`: the workload revision the pod belongs to (its ReplicaSet's, its ControllerRevision's); null where it is not a workload's. */
export function toJsonPod(p: PodView, observedAt: number, revision: number | null = null): object {
  return {
    kind: 'pod',
    namespace: p.namespace,
    name: p.name,
    uid: p.uid,
    life: p.life,
    current: p.current,
    deleted: p.deleted,
    phase: p.phase,
    status: p.status,
    ready: p.ready,
    restarts: p.restarts,
    restartsText: p.restartsText,
    reason: n(p.statusReason),
    message: n(p.statusMessage),
    node: n(p.node),
    podIP: n(p.podIP),
    qosClass: n(p.qosClass),
    owner: p.owner ?? null,
    // Only on pods a controller replaced under a new name, and on their replacements.
    ...(p.replacedBy ? { replacedBy: { name: p.replacedBy.name, uid: p.replacedBy.uid } } : {}),
    ...(p.replaces ? { replaces: { name: p.replaces.name, uid: p.replaces.uid } } : {}),
    revision,
    createdAt: iso(p.createdAt),
    startedAt: iso(p.startedAt),
    deletion: p.deletion ? { deadline: iso(p.deletion.deadline), gracePeriodSeconds: n(p.deletion.gracePeriodSeconds) } : null,
    termination: p.termination
      ? {
          cause: p.termination.cause,
          gracePeriodSeconds: n(p.termination.gracePeriodSeconds),
          startedAt: iso(p.termination.startedAt),
          step: p.termination.step,
          sigtermAt: iso(p.termination.sigtermAt),
          sigkillAt: iso(p.termination.sigkillAt),
        }
      : null,
    conditions: p.conditions.map((c) => ({
      type: c.type,
      status: c.status,
      reason: n(c.reason),
      message: n(c.message),
      lastTransitionTime: iso(c.lastTransitionTime),
    })),
    containers: p.containers.map(container),
    events: p.events.map(podEventJson),
    findings: p.findings.map((f) => ({ severity: f.severity, container: n(f.container), title: f.title, evidence: [...f.evidence] })),
    gaps: [...p.gaps],
    observedFrom: iso(p.observedFrom),
    observedAt: iso(observedAt),
  };
}

/** Events about a pod whose object was not given (an events-only file). */
export function toJsonEvents(u: { namespace: string; pod: string; events: readonly EventView[] }): object {
  return {
    kind: 'events',
    namespace: u.namespace,
    pod: u.pod,
    events: u.events.map(podEventJson),
  };
}

/** An Event's fields in every JSON shape that lists events (pod, events-only and workload lines). */
export function eventJson(e: EventCore): object {
  return {
    type: e.type,
    reason: e.reason,
    message: e.message,
    count: e.count,
    firstTimestamp: iso(e.firstAt),
    lastTimestamp: iso(e.lastAt),
  };
}

function podEventJson(e: EventView): object {
  return { ...eventJson(e), container: n(e.container), source: n(e.source) };
}

export function toJsonLifecycle(e: LifecycleEvent): object {
  return {
    kind: 'lifecycle',
    seq: e.seq,
    at: iso(e.at),
    reconstructed: e.reconstructed,
    namespace: e.namespace,
    pod: e.pod,
    uid: e.podUid,
    container: n(e.container),
    type: e.kind,
    severity: e.severity,
    text: lifecycleText(e),
    reason: n(e.reason),
    exitCode: n(e.exitCode),
    containerID: n(e.containerID),
    ...(e.kind === 'pod-replaced'
      ? { replacement: { name: e.replacement, uid: e.replacementUid, controller: { ...e.controller }, cause: e.cause } }
      : {}),
  };
}
