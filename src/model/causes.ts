// Why an instance ended, from evidence only: its termination (reason, exit code), the Events of its
// life (Killing and why, Unhealthy, FailedPostStartHook), the pod-level stop it ended in (deletion,
// activeDeadlineSeconds, eviction, ...), the stop's timing (a preStop hook that used up the grace
// period) and the spec (memory limit, hooks). "by itself" is said only when nothing else is seen.

import type { EventRecord, InstanceRecord } from './reduce/index.ts';
import { runtimeCause } from './runtime-message.ts';
import type { ContainerEntry, PodSnapshot } from './snapshot.ts';
import { MINIMUM_GRACE_SECONDS, type PodStop } from './termination.ts';
import { clockTime } from './time.ts';
import type { InstanceCause, StoppingView } from './view.ts';

export interface Cause {
  readonly cause: InstanceCause | undefined;
  readonly text: string | undefined;
}

const NONE: Cause = { cause: undefined, text: undefined };
const LOST: Cause = { cause: 'lost', text: 'the kubelet lost track of the container' };
const LOST_HOW = 'the kubelet lost track of the container (ContainerStatusUnknown): how it ended is not known';
/** How far around an instance's start and end an Event still counts as about it (second precision, kubelet latency). */
export const WINDOW_MS = 3000;

function overlaps(e: EventRecord, from: number | undefined, to: number | undefined): boolean {
  const a = e.firstAt ?? e.lastAt;
  const b = e.lastAt ?? e.firstAt;
  if (a === undefined || b === undefined || to === undefined) return false;
  return a <= to + WINDOW_MS && b >= (from ?? to) - WINDOW_MS;
}

export const NEVER_STARTED = 'the process never started: no output';

/** The process never ran: the runtime could not start it. */
export function neverStarted(i: Pick<InstanceRecord, 'reason' | 'startedAt'>): boolean {
  return (i.reason === 'StartError' || i.reason === 'ContainerCannotRun') && i.startedAt === undefined;
}

/** How the process ended under a stop: on SIGTERM, or killed at the end of the grace period, or after an unfinished preStop. */
export function endedUnderStop(exitCode: number | undefined, stop: StoppingView | undefined): string {
  const g = stop?.gracePeriodSeconds;
  if (exitCode === 137) {
    if (stop?.minimumAfterPreStop && stop.preStop)
      return `the preStop hook (${stop.preStop}) was still running when the ${g}s grace period ended: SIGTERM then, SIGKILL 2s later`;
    if (stop && !killedAtGraceEnd(stop))
      return 'it was killed with SIGKILL before the grace period ended (not by the kubelet, whose SIGKILL comes at its end)';
    if (stop?.preStop && g !== undefined)
      return `the preStop hook (${stop.preStop}) returned within the ${g}s grace period; it ignored SIGTERM and was killed with SIGKILL at its end`;
    if (g !== undefined && g < MINIMUM_GRACE_SECONDS)
      return `it ignored SIGTERM and was killed with SIGKILL ${MINIMUM_GRACE_SECONDS}s later (the kubelet's minimum; grace period ${g}s)`;
    if (g !== undefined) return `it ignored SIGTERM and was killed with SIGKILL after the ${g}s grace period`;
    return 'it was killed with SIGKILL';
  }
  if (exitCode === 143) return 'it exited on SIGTERM (exit 143)';
  if (exitCode === 0) return 'it exited with 0 when asked to stop';
  return exitCode !== undefined ? `it exited with ${exitCode} when asked to stop` : 'how it ended is not known';
}

/** The stop ended when the kubelet's SIGKILL was due (not before it). */
export function killedAtGraceEnd(stop: StoppingView): boolean {
  if (stop.endedAt === undefined) return false;
  if (stop.minimumAfterPreStop) return true;
  const due = stop.sigkillAt ?? (stop.gracePeriodSeconds !== undefined ? stop.startedAt + stop.gracePeriodSeconds * 1000 : undefined);
  return due === undefined || stop.endedAt >= due - WINDOW_MS;
}

export interface CauseInput {
  readonly instance: InstanceRecord;
  readonly entry: ContainerEntry;
  readonly pod: PodSnapshot;
  /** The pod's Events, oldest first. */
  readonly events: readonly EventRecord[];
  /** The pod-level stop, if the pod is being (or was) stopped. */
  readonly podStop: PodStop | undefined;
  /** The stop of this instance (from the Killing in its life), if any. */
  readonly stop: StoppingView | undefined;
  /** This instance is the container's last one that ended. */
  readonly lastEnded: boolean;
  /** When every regular container had ended, if they all had (a sidecar is stopped after them). */
  readonly mainContainersEndedAt: number | undefined;
}

export function instanceCause(x: CauseInput): Cause {
  const { instance: i, entry, pod, events, podStop, stop } = x;
  const c = entry.name;
  if (i.running || (i.finishedAt === undefined && i.exitCode === undefined)) return NONE;
  if (neverStarted(i) || (i.exitCode === 128 && i.reason === 'StartError')) {
    const why = runtimeCause(i.message);
    return { cause: 'start-error', text: `the runtime could not start the process${why ? `: ${why}` : ''}` };
  }
  if (i.reason === 'OOMKilled') {
    const lim = entry.spec?.limits.memory;
    return {
      cause: 'oom',
      text: lim
        ? `OOM-killed by the kernel: it used more than its memory limit of ${lim}`
        : 'OOM-killed by the kernel with no memory limit on the container: the node or the pod ran out of memory',
    };
  }
  const mine = events.filter((e) => e.container === c && overlaps(e, i.startedAt, i.finishedAt));
  const probeKill =
    stop && /failed (liveness|startup) probe/.test(stop.message)
      ? stop.message
      : mine.find((e) => e.reason === 'Killing' && /failed (liveness|startup) probe/.test(e.message))?.message;
  if (probeKill) {
    const kind = /startup/.test(probeKill) ? 'startup' : 'liveness';
    return { cause: kind, text: `killed after failing its ${kind} probe (event Killing: ${probeKill})` };
  }
  if (mine.some((e) => e.reason === 'FailedPostStartHook') || stop?.message === 'FailedPostStartHook')
    return { cause: 'postStart', text: 'killed because its postStart hook failed (event FailedPostStartHook)' };
  // The kubelet kills a container whose postStart hook failed and says so in the waiting reason.
  const state = entry.status?.state;
  if (state?.state === 'waiting' && state.reason === 'PostStartHookError' && x.lastEnded)
    return { cause: 'postStart', text: 'killed because its postStart hook failed (state.waiting.reason PostStartHookError)' };
  // The kubelet's event spam filter drops repeats (25 per object, then one per 5 minutes), so a
  // later kill may have no event of its own: the same kind of kill seen earlier is a likely cause.
  if (i.exitCode === 137 && !pod.deletion && !podStop) {
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
  // A container the kubelet could not locate when it stopped the pod (ContainerStatusUnknown) ended
  // in that stop, but its exit 137 is the kubelet's filling and its times are gone: the stop's cause
  // is its cause, how it ended is not known. An earlier instance lost so is only lost.
  const lost = i.reason === 'ContainerStatusUnknown';
  if (lost && !x.lastEnded) return LOST;
  // Ended in the pod's stop: the stop's cause is the instance's.
  const during =
    podStop !== undefined &&
    (lost ||
      (i.finishedAt !== undefined &&
        (stop !== undefined || (podStop.decidedAt !== undefined && i.finishedAt >= podStop.decidedAt - WINDOW_MS))));
  if (podStop && during) {
    const how = lost ? LOST_HOW : endedUnderStop(i.exitCode, stop);
    switch (podStop.cause) {
      case 'deletion':
        if (!lost && i.exitCode === 137 && stop?.minimumAfterPreStop) return { cause: 'grace-period', text: how };
        if (!lost && i.exitCode === 137 && (!stop || killedAtGraceEnd(stop)))
          return { cause: 'grace-period', text: `the pod was deleted; ${how}` };
        return { cause: 'deletion', text: `stopped because the pod was deleted; ${how}` };
      case 'activeDeadlineSeconds':
        return { cause: 'active-deadline', text: `stopped because ${podStop.text.replace(/ exceeded$/, ' was exceeded')}; ${how}` };
      default:
        return { cause: podStop.cause, text: `${podStop.text}; ${how}` };
    }
  }
  if (pod.reason === 'Evicted') return { cause: 'eviction', text: `evicted: ${pod.message ?? ''}${lost ? `; ${LOST_HOW}` : ''}`.trim() };
  if (lost) return LOST;
  if (stop) {
    // A sidecar is stopped once every main container has ended (kuberuntime_termination_order.go).
    if (entry.type === 'sidecar' && x.mainContainersEndedAt !== undefined && stop.startedAt >= x.mainContainersEndedAt - WINDOW_MS)
      return {
        cause: 'sidecar',
        text: `stopped by the kubelet after the main containers ended (event Killing: ${stop.message}); ${endedUnderStop(i.exitCode, stop)}`,
      };
    return { cause: 'stopped', text: `stopped by the kubelet (event Killing: ${stop.message}); ${endedUnderStop(i.exitCode, stop)}` };
  }
  if (i.exitCode === 137) return NONE;
  if (i.exitCode !== undefined) return { cause: 'exit', text: `the process exited by itself with ${i.exitCode}` };
  return NONE;
}
