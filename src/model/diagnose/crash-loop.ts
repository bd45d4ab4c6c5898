// Crash loops: what the instances of a restarting container did, and the end of a loop (the back-off
// resets once an instance has run for 10 minutes).

import { BACKOFF_RESET_MS } from '../backoff.ts';
import { formatGoDuration, runLength } from '../time.ts';
import type { ContainerView, InstanceView } from '../view.ts';
import { at, endedInstances, logEvidence, terminationMessageEvidence } from './context.ts';
import { hasOwnRule } from './exit-codes.ts';
import type { ContainerRule, DiagnoseContext, DiagnosisInput } from './rule.ts';

/** The back-off has reset: the current instance has run for longer than BACKOFF_RESET_MS. */
function settled(c: ContainerView, now: number): boolean {
  return c.state === 'running' && c.startedAt !== undefined && now - c.startedAt > BACKOFF_RESET_MS;
}

interface CrashLoop {
  readonly last: InstanceView | undefined;
  /** The median run length of the ended instances. */
  readonly typical: string | undefined;
  readonly evidence: readonly string[];
}

/**
 * A regular container (or sidecar) in a crash loop: in CrashLoopBackOff, or restarted and not running,
 * or running again briefly between two failures (until the back-off resets).
 */
function crashLoop(c: ContainerView, now: number): CrashLoop | undefined {
  const endings = endedInstances(c);
  const failed = endings.filter((i) => (i.exitCode ?? 0) !== 0 || i.reason !== 'Completed');
  const looping =
    c.reason === 'CrashLoopBackOff' ||
    (endings.length > 0 && c.restartCount > 0 && (c.state !== 'running' || (failed.length > 0 && !settled(c, now))));
  if (c.type === 'init' || !looping) return undefined;
  const counts = new Map<string, number>();
  for (const i of endings)
    counts.set(`${i.reason ?? ''}/${i.exitCode ?? '?'}`, (counts.get(`${i.reason ?? ''}/${i.exitCode ?? '?'}`) ?? 0) + 1);
  const exits = [...counts.entries()]
    .map(([k, n]) => {
      const [reason, code] = k.split('/');
      return `${reason || 'exit'} ${code}${n > 1 ? ` x${n}` : ''}`;
    })
    .join(', ');
  const durations = endings.map((i) => i.durationMs).filter((d): d is number => d !== undefined);
  const typical = durations.length > 0 ? runLength(durations.sort((a, b) => a - b)[Math.floor(durations.length / 2)]!) : undefined;
  const last = endings.at(-1);
  // What the process said comes first: it is the most direct evidence of why it exits.
  const evidence = [
    ...logEvidence(last),
    ...terminationMessageEvidence(last),
    ...(exits ? [`terminations seen: ${exits}`] : []),
    ...(typical ? [`typical run: ${typical}`] : []),
    `restartCount=${c.restartCount}`,
    ...(c.backoff?.delaySeconds !== undefined
      ? [`kubelet back-off ${formatGoDuration(c.backoff.delaySeconds)} (from the waiting message)`]
      : []),
  ];
  return { last, typical, evidence };
}

export const crashLoopExitZero: ContainerRule = {
  id: 'crash-loop-exit-zero',
  family: 'crash-loop',
  scope: 'container',
  run: (pod, c, ctx) => {
    const loop = crashLoop(c, ctx.now);
    if (loop?.last?.exitCode !== 0 || pod.restartPolicy !== 'Always') return undefined;
    return {
      severity: 'warning',
      container: c.name,
      title: 'the process exits by itself with 0; the container is restarted because restartPolicy is Always',
      evidence: loop.evidence,
    };
  },
};

/** The last exit is the process's own (not one that another rule explains: OOM, SIGKILL, start failures). */
export const crashLoopExit: ContainerRule = {
  id: 'crash-loop',
  family: 'crash-loop',
  scope: 'container',
  run: (pod, c, ctx) => {
    const loop = crashLoop(c, ctx.now);
    const last = loop?.last;
    if (!loop || !last || last.exitCode === undefined || hasOwnRule(last.exitCode, last.reason)) return undefined;
    if (last.exitCode === 0 && pod.restartPolicy === 'Always') return undefined; // crash-loop-exit-zero
    const how = last.signalName ? `is killed by ${last.signalName} (exit ${last.exitCode ?? '?'})` : `exits with ${last.exitCode ?? '?'}`;
    return {
      severity: 'error',
      container: c.name,
      title:
        `crash loop: the process ${how}${loop.typical ? ` after about ${loop.typical}` : ''}; ` +
        (last.logTail?.length ? 'the cause is in its output' : 'no log lines were captured to say why'),
      evidence: loop.evidence,
    };
  },
};

export const crashLoopUnknown: ContainerRule = {
  id: 'crash-loop-unknown',
  family: 'crash-loop',
  scope: 'container',
  run: (_pod, c, ctx) => {
    const loop = crashLoop(c, ctx.now);
    if (!loop || loop.last) return undefined;
    return { severity: 'error', container: c.name, title: 'crash loop: cause unknown (no termination recorded)', evidence: loop.evidence };
  },
};

/** A container that has run for more than 10 minutes since its last restart: the loop is over. */
export const backoffReset: ContainerRule = {
  id: 'backoff-reset',
  family: 'crash-loop',
  scope: 'container',
  run: (_pod: DiagnosisInput, c: ContainerView, ctx: DiagnoseContext) => {
    if (c.restartCount <= 0 || !settled(c, ctx.now) || c.startedAt === undefined) return undefined;
    return {
      severity: 'info',
      container: c.name,
      title:
        `running for ${runLength(ctx.now - c.startedAt)} since restart ${c.restartCount}: ` +
        'the crash-loop back-off has reset (after 10 minutes of running)',
      evidence: [`state.running.startedAt ${at(c.startedAt)}`],
    };
  },
};
