// Lifecycle hooks: a failing postStart kills the container; a failing preStop does not stop termination.

import type { ContainerView } from '../view.ts';
import { eventEvidence, eventsOf, hookOf } from './context.ts';
import type { ContainerRule } from './rule.ts';

/** The title of a failing postStart hook, shared with the SIGKILL rule that sees its kill. */
export function postStartFailsTitle(c: ContainerView): string {
  const hook = hookOf(c, 'postStart');
  return `the postStart hook fails${hook ? ` (${hook.handler})` : ''}; the container is killed and restarted`;
}

const HOOK_ERROR_REASONS: readonly string[] = ['PostStartHookError', 'PreStartHookError'];

export const postStartHookFailed: ContainerRule = {
  id: 'poststart-hook-failed',
  family: 'hooks',
  scope: 'container',
  // Its kill is the same failure: the hook's own evidence says more.
  suppresses: ['poststart-kill'],
  run: (pod, c) => {
    const events = eventsOf(pod, c.name, ['FailedPostStartHook']);
    if (c.state === 'waiting' && c.reason && HOOK_ERROR_REASONS.includes(c.reason))
      return {
        severity: 'error',
        container: c.name,
        title: postStartFailsTitle(c),
        evidence: [`state.waiting.reason=${c.reason}`, ...(c.message ? [`message: ${c.message}`] : []), ...events.map(eventEvidence)],
      };
    if (events.length > 0 && c.reason !== 'PostStartHookError')
      return { severity: 'error', container: c.name, title: postStartFailsTitle(c), evidence: events.map(eventEvidence) };
    return undefined;
  },
};

export const preStopHookFailed: ContainerRule = {
  id: 'prestop-hook-failed',
  family: 'hooks',
  scope: 'container',
  run: (pod, c) => {
    const events = eventsOf(pod, c.name, ['FailedPreStopHook']);
    if (events.length === 0) return undefined;
    // FailedPreStopHook at the end of a stop whose hook ran past the grace period: the hook died
    // with the container (prestop-outlived-grace says so); only an earlier failure is the hook's own.
    const s = c.stopping;
    if (s && s.preStopEndedAt === undefined && (s.minimumAfterPreStop || s.step !== 'ended')) return undefined;
    const hook = hookOf(c, 'preStop');
    return {
      severity: 'warning',
      container: c.name,
      title: `the preStop hook failed${hook ? ` (${hook.handler})` : ''}; termination went on without it`,
      evidence: events.map(eventEvidence),
    };
  },
};
