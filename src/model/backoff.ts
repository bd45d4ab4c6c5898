// Crash-loop and image-pull back-off. The kubelet states the current delay only in the waiting
// message (kuberuntime_manager.go doBackOff): "back-off 40s restarting failed container=app pod=..."
// (older kubelets: "Back-off 40s restarting failed container=..."). The next attempt is due at the
// last instance's finishedAt + delay. The delay is never computed from restartCount: the curve is
// configurable per node since 1.32. Image pulls: "Back-off pulling image \"x\"" carries no delay.

import { parseGoDuration } from './time.ts';
import type { BackoffView } from './view.ts';

/** The delay in seconds stated in a CrashLoopBackOff waiting message, or undefined. */
export function parseBackoffDelay(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const m = /\b[Bb]ack-?off (\S+) restarting failed container/.exec(message);
  if (!m) return undefined;
  return parseGoDuration(m[1]!);
}

export const BACKOFF_RESET_MS = 10 * 60 * 1000;

export interface BackoffInput {
  readonly waitingReason: string | undefined;
  readonly waitingMessage: string | undefined;
  readonly restartCount: number;
  /** finishedAt of the instance that ended last (lastState.terminated.finishedAt while waiting). */
  readonly lastFinishedAt: number | undefined;
  /** The delays the kubelet stated earlier in this session, oldest first, and when each was seen. */
  readonly observedDelays: readonly { readonly seconds: number; readonly at: number }[];
  /** Failed pulls counted by the kubelet's "Failed to pull image" event, and the last one's time. */
  readonly pullFailures?: { readonly count: number; readonly lastAt: number | undefined } | undefined;
}

/**
 * The image pull back-off is not stated anywhere: the kubelet keeps a back-off per image of 10 s
 * doubling to 300 s (kubelet.go: flowcontrol.NewBackOff(backOffPeriod, MaxContainerBackOff)), so
 * after n failed pulls the next is due about 10 s x 2^(n-1) after the last: always an estimate.
 */
export function estimatedPullDelaySeconds(failedPulls: number): number {
  return Math.min(10 * 2 ** Math.max(0, failedPulls - 1), 300);
}

export function backoffView(input: BackoffInput): BackoffView | undefined {
  if (input.waitingReason === 'CrashLoopBackOff') {
    const stated = parseBackoffDelay(input.waitingMessage);
    let delay = stated;
    let estimated = false;
    if (delay === undefined) {
      // The message did not state it (an unusual kubelet or a trimmed object): the last delay the
      // kubelet stated in this session, doubled as the default curve does, is only an estimate.
      const prev = input.observedDelays.at(-1);
      if (prev) {
        delay = Math.min(prev.seconds * 2, 300);
        estimated = true;
      }
    }
    const nextAttemptAt = delay !== undefined && input.lastFinishedAt !== undefined ? input.lastFinishedAt + delay * 1000 : undefined;
    return {
      kind: 'crash-loop',
      delaySeconds: delay,
      nextAttemptAt,
      estimated: estimated || (delay !== undefined && input.lastFinishedAt === undefined),
      attempt: input.restartCount + 1,
      message: input.waitingMessage,
    };
  }
  if (input.waitingReason === 'ImagePullBackOff' || input.waitingReason === 'ErrImagePull') {
    const f = input.pullFailures;
    if (!f || f.count < 1) {
      if (input.waitingReason === 'ErrImagePull') return undefined;
      return {
        kind: 'image-pull',
        delaySeconds: undefined,
        nextAttemptAt: undefined,
        estimated: true,
        attempt: undefined,
        message: input.waitingMessage,
      };
    }
    const delay = estimatedPullDelaySeconds(f.count);
    return {
      kind: 'image-pull',
      delaySeconds: delay,
      nextAttemptAt: f.lastAt !== undefined ? f.lastAt + delay * 1000 : undefined,
      estimated: true,
      attempt: f.count + 1,
      message: input.waitingMessage,
    };
  }
  return undefined;
}

/** "next restart in 23s, back-off 40s, attempt 6" (or "due now" once the time has passed). */
export function countdownText(b: BackoffView, now: number, fmt: (s: number) => string): string {
  if (b.kind === 'image-pull') {
    if (b.nextAttemptAt === undefined) return `image pull back-off${b.message ? `: ${b.message}` : ''}`;
    const left = Math.ceil((b.nextAttemptAt - now) / 1000);
    const after = `back-off ${fmt(b.delaySeconds ?? 0)} after ${(b.attempt ?? 1) - 1} failed pull${(b.attempt ?? 2) - 1 === 1 ? '' : 's'}, estimated`;
    return left > 0 ? `next pull in ${fmt(left)} (${after})` : `pull due now (${after})`;
  }
  const parts: string[] = [];
  if (b.nextAttemptAt !== undefined) {
    const left = Math.ceil((b.nextAttemptAt - now) / 1000);
    parts.push(
      left > 0
        ? `next restart in ${fmt(left)}${b.estimated ? ' (estimated)' : ''}`
        : `restart due now (waiting for the kubelet's next sync)`,
    );
  }
  if (b.delaySeconds !== undefined) parts.push(`back-off ${fmt(b.delaySeconds)}${b.estimated ? ' (estimated)' : ''}`);
  else parts.push('back-off delay not stated');
  if (b.attempt !== undefined) parts.push(`attempt ${b.attempt}`);
  return parts.join(', ');
}
