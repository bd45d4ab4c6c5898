// Exit codes and terminated reasons that mean something by themselves (see ../shared KUBERNETES.md
// facts: 128+n is "killed by signal n"; 126/127 come from a shell; the runtime reports a process it
// could not start as StartError, exit 128), and the rules of the exit-code family.

import { commandProblem, runtimeCause } from '../runtime-message.ts';
import type { ContainerView, InstanceView } from '../view.ts';
import { at, endedInstances, eventEvidence, eventsOf, logEvidence } from './context.ts';
import type { ContainerRule } from './rule.ts';

/** 128 + 9: SIGKILL. An OOM kill only when the reason says OOMKilled. */
export const EXIT_SIGKILL = 137;
/** The runtime could not start the process (reason StartError). */
export const EXIT_START_FAILED = 128;
/** A shell did not find the command. */
export const EXIT_COMMAND_NOT_FOUND = 127;
/** A shell found the command but could not execute it. */
export const EXIT_COMMAND_NOT_EXECUTABLE = 126;

/** The command could not be run: the `command-not-found` rule. */
export const COMMAND_NOT_RUNNABLE: ReadonlySet<number> = new Set([EXIT_COMMAND_NOT_FOUND, EXIT_COMMAND_NOT_EXECUTABLE]);
/** The process was never started: the `start-error` rule. */
export const START_FAILED_EXITS: ReadonlySet<number> = new Set([EXIT_START_FAILED]);
export const START_FAILED_REASONS: ReadonlySet<string> = new Set(['StartError', 'ContainerCannotRun']);

/**
 * Exits and terminated reasons that rules of their own explain (the SIGKILL causes, OOM, start
 * failures, command not found): the generic crash-loop and failed-process findings leave them alone.
 */
export const EXITS_WITH_OWN_RULE: ReadonlySet<number> = new Set([
  EXIT_SIGKILL,
  EXIT_START_FAILED,
  EXIT_COMMAND_NOT_FOUND,
  EXIT_COMMAND_NOT_EXECUTABLE,
]);
export const REASONS_WITH_OWN_RULE: ReadonlySet<string> = new Set(['OOMKilled', ...START_FAILED_REASONS]);

export function hasOwnRule(exitCode: number | undefined, reason: string | undefined): boolean {
  return (exitCode !== undefined && EXITS_WITH_OWN_RULE.has(exitCode)) || (reason !== undefined && REASONS_WITH_OWN_RULE.has(reason));
}

export function startFailed(i: InstanceView): boolean {
  return (i.reason !== undefined && START_FAILED_REASONS.has(i.reason)) || (i.exitCode !== undefined && START_FAILED_EXITS.has(i.exitCode));
}

function commandText(c: ContainerView): string {
  return c.spec.command ? `: ${c.spec.command.join(' ')}` : '';
}

export const commandNotFound: ContainerRule = {
  id: 'command-not-found',
  family: 'exit-code',
  scope: 'container',
  // The exit explains the start failure the other two rules would report less precisely.
  suppresses: ['start-error', 'run-container-error'],
  run: (pod, c) => {
    // A shell's 127/126, or the runtime's StartError (exit 128 on containerd/runc) saying so in its message.
    const i = endedInstances(c)
      .filter(
        (x) =>
          (x.exitCode !== undefined && COMMAND_NOT_RUNNABLE.has(x.exitCode)) || (startFailed(x) && commandProblem(x.message) !== undefined),
      )
      .at(-1);
    if (!i) return undefined;
    const runtime = startFailed(i) ? commandProblem(i.message) : undefined;
    const notFound = runtime ? runtime === 'not-found' : i.exitCode === EXIT_COMMAND_NOT_FOUND;
    // The runtime names the command and the problem itself: its words are the title.
    const what = runtime
      ? ` (${i.reason ?? 'StartError'}, exit ${i.exitCode ?? '?'}): ${runtimeCause(i.message)}`
      : ` (exit ${i.exitCode})${commandText(c)}`;
    return {
      severity: 'error',
      container: c.name,
      title: `${notFound ? 'command not found' : 'command not executable'}${what}`,
      evidence: [
        `terminated${i.reason ? ` ${i.reason}` : ''} exit ${i.exitCode ?? '?'} ${at(i.finishedAt)}${runtime ? ' (the process never started)' : ''}`,
        c.spec.command ? `command: ${JSON.stringify(c.spec.command)}` : 'command: the image default',
        ...(i.message ? [`${runtime ? 'runtime message' : 'termination message'}: ${i.message}`] : []),
        ...(runtime
          ? eventsOf(pod, c.name, ['Failed'])
              .filter((e) => e.message.includes('exec: '))
              .map(eventEvidence)
          : []),
        ...logEvidence(i),
      ],
    };
  },
};

export const startError: ContainerRule = {
  id: 'start-error',
  family: 'exit-code',
  scope: 'container',
  // The waiting RunContainerError is this same failure, said with less detail.
  suppresses: ['run-container-error'],
  run: (_pod, c) => {
    const i = endedInstances(c).filter(startFailed).at(-1);
    if (!i) return undefined;
    // The runtime's message is its call chain; the cause is at its end, and it is the title.
    const why = runtimeCause(i.message);
    return {
      severity: 'error',
      container: c.name,
      title: `the runtime could not start the process (${i.reason ?? '?'}, exit ${i.exitCode ?? '?'})${why ? `: ${why}` : ''}`,
      evidence: [
        `terminated.reason=${i.reason ?? '?'}, exit ${i.exitCode ?? '?'} ${at(i.finishedAt)}`,
        ...(i.message ? [`runtime message: ${i.message}`] : []),
        ...(c.state === 'waiting' && c.message && c.message !== i.message ? [`state.waiting: ${c.reason ?? '?'}: ${c.message}`] : []),
      ],
    };
  },
};
