// How containers are ended, as the kubelet does it (docs/lifecycle-facts.md §2-§4):
//
// - why a whole pod is being stopped: its deletion, activeDeadlineSeconds, an eviction, a node
//   shutdown, a preemption, a taint, the pod garbage collector, a failed Job — from the pod's status,
//   its DisruptionTarget condition and the Events;
// - the grace period each container gets (kuberuntime_container.go setTerminationGracePeriod);
// - the steps of one container's stop (killContainer): the Killing event first, then the preStop
//   hook (waited for at most the grace period, not stopped after it), SIGTERM, and SIGKILL when
//   what is left of the grace period has passed — never less than 2 s after SIGTERM
//   (minimumGracePeriodInSeconds in kuberuntime_manager.go), which is why a preStop hook that
//   outlives the grace period gets its container killed 2 s after the grace period ended.
//
// Pure: times in epoch ms, `now` an argument. API times have second precision.

import type { PodSnapshot } from './snapshot.ts';
import { clockTime } from './time.ts';
import type { EventCore } from './types.ts';
import type { PodStopCause, StopStep, StoppingView } from './view.ts';

/** The kubelet's minimum time between SIGTERM and SIGKILL (kuberuntime_manager.go minimumGracePeriodInSeconds). */
export const MINIMUM_GRACE_SECONDS = 2;

/** The parts of an Event (record or view) the stop rules read. */
export interface EventLike extends Omit<EventCore, 'key' | 'source'> {
  readonly container: string | undefined;
}

export interface PodStop {
  readonly cause: PodStopCause;
  /** The cause with its setting, one phrase: "activeDeadlineSeconds (15s) exceeded", "deleted", ... */
  readonly text: string;
  readonly evidence: readonly string[];
  readonly decidedAt: number | undefined;
  /** The grace period of this kind of stop, when it can be known (see gracePeriodFor for a container's). */
  readonly gracePeriodSeconds: number | undefined;
}

export interface PodStopInput {
  readonly snapshot: PodSnapshot;
  /** The deletion as first requested (the kubelet rewrites it to grace 0 to finish). */
  readonly deletionRequest: { readonly deadline: number; readonly gracePeriodSeconds: number | undefined } | undefined;
  readonly deletionRequestedAt: number | undefined;
  /** The pod's events, oldest first. */
  readonly events: readonly EventLike[];
  /** Events about the pod's owner (a Job's verdict). */
  readonly ownerEvents: readonly EventLike[];
}

/** An event as evidence of a decision: when it was first made, and how often it was repeated since. */
function eventText(e: EventLike): string {
  const first = e.firstAt ?? e.lastAt;
  const repeated = e.count > 1 ? ` (x${e.count}${e.lastAt !== undefined ? `, last ${clockTime(e.lastAt)}` : ''})` : '';
  return `event ${e.type} ${e.reason} at ${first !== undefined ? clockTime(first) : 'an unknown time'}: ${e.message}${repeated}`;
}

/** The Job failure reasons its controller writes as a Warning event on the Job (job_controller.go). */
const JOB_FAILURES: readonly string[] = [
  'BackoffLimitExceeded',
  'DeadlineExceeded',
  'PodFailurePolicy',
  'MaxFailedIndexesExceeded',
  'FailedIndexes',
];

/** The resource an eviction message names: "memory", "ephemeral-storage", the emptyDir volume. */
export function evictedResource(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const low = /low on resource: ([\w-]+(?:\.[\w-]+)*?)\.?(?:\s|$)/.exec(message);
  if (low) return `the node is low on ${low[1]}`;
  const volume = /EmptyDir volume "([^"]+)" exceeds the limit "([^"]+)"/.exec(message);
  if (volume) return `emptyDir volume "${volume[1]}" over its ${volume[2]} limit`;
  const mine = /Container (\S+) exceeded its local ephemeral storage limit "([^"]+)"/.exec(message);
  if (mine) return `container ${mine[1]}'s ephemeral storage over its ${mine[2]} limit`;
  if (/ephemeral local storage usage exceeds/.test(message)) return "the pod's ephemeral storage over its containers' limits";
  return undefined;
}

/** Why the pod as a whole is being (or was) stopped, or undefined when it is not. */
export function podStopOf(p: PodStopInput): PodStop | undefined {
  const pod = p.snapshot;
  const podEvents = p.events.filter((e) => e.container === undefined);
  const lastEvent = (reasons: readonly string[]): EventLike | undefined => podEvents.filter((e) => reasons.includes(e.reason)).at(-1);
  const dt = pod.conditions.find((c) => c.type === 'DisruptionTarget' && c.status === 'True');
  const dtEvidence = dt ? [`condition DisruptionTarget=True (${dt.reason ?? '?'})${dt.message ? `: ${dt.message}` : ''}`] : [];
  const statusEvidence = pod.reason ? [`status.reason=${pod.reason}${pod.message ? `: ${pod.message.trim()}` : ''}`] : [];
  const deletionGrace = p.deletionRequest?.gracePeriodSeconds ?? pod.deletion?.gracePeriodSeconds;
  const specGrace = pod.terminationGracePeriodSeconds ?? 30;

  const evicted = lastEvent(['Evicted']);
  if (pod.reason === 'Evicted' || evicted || dt?.reason === 'EvictionByEvictionAPI') {
    const byApi = !evicted && pod.reason !== 'Evicted';
    const message = (pod.reason === 'Evicted' ? pod.message : undefined) ?? evicted?.message;
    const resource = evictedResource(message);
    // Local storage limits are enforced with a 1 s grace period (eviction_manager.go); the
    // pressure evictions use 1 s (hard threshold) or the soft threshold's grace: not visible here.
    const localStorage = message !== undefined && /exceeds the limit|ephemeral storage limit|ephemeral local storage usage/.test(message);
    return {
      cause: 'eviction',
      text: byApi
        ? 'evicted through the Eviction API (kubectl drain, the descheduler, ...)'
        : `evicted by the kubelet${resource ? `: ${resource}` : ''}`,
      evidence: [...statusEvidence, ...(evicted ? [eventText(evicted)] : []), ...dtEvidence],
      decidedAt: evicted?.firstAt ?? dt?.lastTransitionTime,
      gracePeriodSeconds: byApi ? deletionGrace : localStorage ? 1 : undefined,
    };
  }
  const deadline = lastEvent(['DeadlineExceeded']);
  if (pod.reason === 'DeadlineExceeded' || deadline) {
    const ads = pod.activeDeadlineSeconds;
    const ready = pod.conditions.find((c) => c.type === 'Ready' && c.status === 'False' && c.reason === 'PodFailed');
    return {
      cause: 'activeDeadlineSeconds',
      text: `activeDeadlineSeconds${ads !== undefined ? ` (${ads}s)` : ''} exceeded`,
      evidence: [
        ...(deadline ? [eventText(deadline)] : statusEvidence),
        ...(ads !== undefined ? [`spec.activeDeadlineSeconds=${ads}`] : []),
        ...(pod.startTime !== undefined && ads !== undefined
          ? [`status.startTime ${clockTime(pod.startTime)} + ${ads}s = ${clockTime(pod.startTime + ads * 1000)}`]
          : []),
        ...(ready?.lastTransitionTime !== undefined ? [`Ready=False (PodFailed) since ${clockTime(ready.lastTransitionTime)}`] : []),
      ],
      decidedAt: deadline?.firstAt ?? ready?.lastTransitionTime,
      gracePeriodSeconds: specGrace,
    };
  }
  const shutdown =
    ((pod.reason === 'Terminated' || pod.reason === 'Shutdown') && /shutdown/i.test(pod.message ?? '')) ||
    (dt?.reason === 'TerminationByKubelet' && /shutdown/i.test(dt.message ?? ''));
  if (shutdown)
    return {
      cause: 'node-shutdown',
      text: 'the node is shutting down (graceful node shutdown)',
      evidence: [...statusEvidence, ...dtEvidence],
      decidedAt: dt?.lastTransitionTime,
      // min(the shutdown priority group's grace period, the pod's): the first is node configuration.
      gracePeriodSeconds: undefined,
    };
  const preempted = lastEvent(['Preempted', 'Preempting']);
  if (pod.reason === 'Preempting' || dt?.reason === 'PreemptionByScheduler' || preempted) {
    const byKubelet = pod.reason === 'Preempting' || preempted?.reason === 'Preempting';
    return {
      cause: 'preemption',
      text: byKubelet ? 'preempted by the kubelet to admit a critical pod' : 'preempted by the scheduler for a higher-priority pod',
      evidence: [...statusEvidence, ...dtEvidence, ...(preempted ? [eventText(preempted)] : [])],
      decidedAt: preempted?.firstAt ?? dt?.lastTransitionTime,
      gracePeriodSeconds: byKubelet ? specGrace : deletionGrace,
    };
  }
  if (dt?.reason === 'DeletionByTaintManager')
    return {
      cause: 'taint',
      text: 'deleted by the taint manager (a NoExecute taint on its node)',
      evidence: dtEvidence,
      decidedAt: dt.lastTransitionTime,
      gracePeriodSeconds: deletionGrace,
    };
  if (dt?.reason === 'DeletionByPodGC')
    return {
      cause: 'pod-gc',
      text: 'deleted by the pod garbage collector (its node is gone, or it was orphaned)',
      evidence: dtEvidence,
      decidedAt: dt.lastTransitionTime,
      gracePeriodSeconds: deletionGrace,
    };
  if (!pod.deletion) return undefined;
  const deletionEvidence = [
    `metadata.deletionTimestamp ${p.deletionRequest ? clockTime(p.deletionRequest.deadline) : '?'}${deletionGrace !== undefined ? ` (grace period ${deletionGrace}s)` : ''}`,
  ];
  const job =
    pod.owner?.kind === 'Job' ? p.ownerEvents.filter((e) => e.type === 'Warning' && JOB_FAILURES.includes(e.reason)).at(-1) : undefined;
  if (job)
    return {
      cause: 'job',
      text: `its Job ${pod.owner!.name} failed (${job.reason}: ${job.message}): the Job controller deleted it`,
      evidence: [`${eventText(job)} (on Job/${pod.owner!.name})`, ...deletionEvidence],
      decidedAt: p.deletionRequestedAt,
      gracePeriodSeconds: deletionGrace,
    };
  // The Job controller names each pod it deletes at once ("Deleted pod: NAME"); its verdict (a failure
  // reason) can come seconds later, once the Job's pods are gone (job_controller.go).
  const deleted =
    pod.owner?.kind === 'Job'
      ? p.ownerEvents.filter((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted pod: ${pod.name}`).at(-1)
      : undefined;
  if (deleted)
    return {
      cause: 'job',
      text: `the controller of its Job ${pod.owner!.name} deleted it`,
      evidence: [`${eventText(deleted)} (on Job/${pod.owner!.name})`, ...deletionEvidence],
      decidedAt: p.deletionRequestedAt,
      gracePeriodSeconds: deletionGrace,
    };
  return {
    cause: 'deletion',
    text: 'deletion requested',
    evidence: [
      ...deletionEvidence,
      ...(pod.owner?.kind === 'Job'
        ? [`owned by Job/${pod.owner.name}: its controller deletes the pods of a Job that failed (its status says why)`]
        : []),
    ],
    decidedAt: p.deletionRequestedAt,
    gracePeriodSeconds: deletionGrace,
  };
}

/**
 * The grace period the kubelet gives one container it stops: the deletion's if the pod is being
 * deleted, else a liveness or startup probe's own for its kill, else what the pod-level stop uses,
 * else spec.terminationGracePeriodSeconds (default 30).
 */
export function gracePeriodFor(
  pod: PodSnapshot,
  stop: PodStop | undefined,
  deletionGrace: number | undefined,
  container: string,
  killingMessage: string | undefined,
): number | undefined {
  if (pod.deletion && deletionGrace !== undefined) return deletionGrace;
  const probe = /failed (liveness|startup) probe/.exec(killingMessage ?? '')?.[1];
  if (probe) {
    const spec = pod.containers.find((c) => c.name === container)?.spec;
    return spec?.probes.find((p) => p.kind === probe)?.terminationGracePeriodSeconds ?? pod.terminationGracePeriodSeconds ?? 30;
  }
  if (stop) return stop.gracePeriodSeconds;
  return pod.terminationGracePeriodSeconds ?? 30;
}

export interface StopInput {
  /** The Killing event's time (or, before one is seen, when the stop was decided). */
  readonly startedAt: number;
  readonly message: string;
  readonly gracePeriodSeconds: number | undefined;
  /** The preStop hook's handler, when the container has one. */
  readonly preStop: string | undefined;
  /** FailedPreStopHook after startedAt, if seen. */
  readonly preStopFailedAt: number | undefined;
  /** The instance's end (finishedAt), once it ended. */
  readonly endedAt: number | undefined;
  /**
   * When the grace period ends as the API states it: a deletion's deletionTimestamp (request time
   * plus the grace period). The kubelet counts from its Killing, within a second or so of it.
   */
  readonly graceEndsAt?: number | undefined;
}

/** The steps of one container's stop at `now`: where it is, when SIGTERM and SIGKILL come (or came). */
export function stopTimeline(s: StopInput, now: number): StoppingView {
  const g = s.gracePeriodSeconds;
  const hook = s.preStop !== undefined && g !== 0 ? s.preStop : undefined;
  const E = s.endedAt;
  let sigtermAt: number | undefined;
  let sigkillAt: number | undefined;
  let preStopEndedAt: number | undefined;
  let minimum = false;
  // The kubelet counts the grace period from its Killing; a deletion states its end too
  // (deletionTimestamp): shown as the end, while the kubelet's own may come a second or two later.
  const kubeletEnd = g !== undefined ? s.startedAt + g * 1000 : undefined;
  const graceEnd = s.graceEndsAt ?? kubeletEnd;
  const latestEnd = kubeletEnd !== undefined && graceEnd !== undefined ? Math.max(kubeletEnd, graceEnd) : graceEnd;
  if (hook === undefined) {
    sigtermAt = s.startedAt;
    sigkillAt = graceEnd !== undefined ? Math.max(graceEnd, s.startedAt + MINIMUM_GRACE_SECONDS * 1000) : undefined;
  } else if (g !== undefined && graceEnd !== undefined && latestEnd !== undefined) {
    const F = s.preStopFailedAt;
    if (F !== undefined && F < latestEnd - 1000 && (E === undefined || F <= E)) {
      // The hook failed early: SIGTERM then, with what is left of the grace period (whole seconds).
      preStopEndedAt = F;
      sigtermAt = F;
      sigkillAt = F + Math.max(MINIMUM_GRACE_SECONDS, g - Math.floor((F - s.startedAt) / 1000)) * 1000;
    } else if (E !== undefined) {
      // FailedPreStopHook at the end: the hook was still running when the container died (its exec
      // fails then), i.e. it outlived the grace period and SIGKILL came the kubelet's minimum after
      // SIGTERM. Without that event, only a container that outlived the grace period by that much.
      if (F !== undefined || E - latestEnd >= MINIMUM_GRACE_SECONDS * 1000) {
        minimum = true;
        sigtermAt = graceEnd;
        sigkillAt = graceEnd + MINIMUM_GRACE_SECONDS * 1000;
      } else if (E >= graceEnd - 1000) {
        // Ended at the end of the grace period: the hook had returned (when, nothing says), SIGKILL then.
        sigkillAt = latestEnd;
      }
    } else if (now >= graceEnd) {
      // The kubelet stopped waiting for the hook: SIGTERM by now, SIGKILL at the latest 2 s after.
      sigtermAt = graceEnd;
      sigkillAt = latestEnd + MINIMUM_GRACE_SECONDS * 1000;
    } else {
      sigtermAt = graceEnd;
    }
  }
  let step: StopStep;
  if (E !== undefined) step = 'ended';
  else if (hook !== undefined && preStopEndedAt === undefined && (graceEnd === undefined || now < graceEnd)) step = 'preStop';
  else if (sigkillAt !== undefined && now >= sigkillAt) step = 'sigkill';
  else step = 'sigterm';
  return {
    message: s.message,
    startedAt: s.startedAt,
    gracePeriodSeconds: g,
    preStop: hook,
    preStopEndedAt,
    step,
    sigtermAt,
    sigkillAt,
    minimumAfterPreStop: minimum,
    endedAt: E,
  };
}

/**
 * When the deletion was requested: the deletionTimestamp is the request time plus the grace period
 * (registry/core/pod/strategy.go CheckGracefulDelete); else when this session saw it.
 */
export function deletionRequestedAt(
  request: { readonly deadline: number; readonly gracePeriodSeconds: number | undefined } | undefined,
  seenAt: number | undefined,
): number | undefined {
  const requested = request && request.gracePeriodSeconds !== undefined ? request.deadline - request.gracePeriodSeconds * 1000 : undefined;
  return requested !== undefined && Number.isFinite(requested) && Math.abs(requested) <= 8.64e15 ? requested : seenAt;
}

/** Seconds left until `t` as a countdown shows it: whole seconds, rounded up, never below 0 nor above `cap`. */
export function secondsLeft(t: number, now: number, cap: number | undefined): number {
  const left = Math.max(0, Math.ceil((t - now) / 1000));
  return cap !== undefined ? Math.min(cap, left) : left;
}
