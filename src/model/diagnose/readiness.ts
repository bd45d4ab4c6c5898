// Readiness: a running container that is not ready without saying why, and readiness gates.

import { clockTime } from '../time.ts';
import { eventsOf, probeEvidence, probeOf } from './context.ts';
import type { ContainerRule, PodRule } from './rule.ts';

/** Not ready while running, with no Unhealthy event of its readiness probe to say why (readiness-failing does then). */
export const notReady: ContainerRule = {
  id: 'not-ready',
  family: 'readiness',
  scope: 'container',
  run: (pod, c) => {
    if (c.state !== 'running' || c.ready || c.started === false || c.type === 'ephemeral' || pod.deletion) return undefined;
    if (eventsOf(pod, c.name, ['Unhealthy']).some((e) => e.message.startsWith('Readiness probe'))) return undefined;
    const readiness = probeOf(c, 'readiness');
    const since = pod.conditions.find((x) => x.type === 'ContainersReady' && x.status === 'False')?.lastTransitionTime;
    return {
      severity: 'warning',
      container: c.name,
      title: readiness
        ? `not ready: its readiness probe (${readiness.handler}) is not passing; the container is not restarted for it`
        : 'not ready while running, with no readiness probe: unknown why',
      evidence: [
        `ready=false, state running${c.startedAt !== undefined ? ` since ${clockTime(c.startedAt)}` : ''}`,
        ...(since !== undefined ? [`ContainersReady=False since ${clockTime(since)}`] : []),
        ...probeEvidence(readiness),
        'no Unhealthy events to say what the probe saw',
      ],
    };
  },
};

/** Ready=False although every container is ready: a readiness gate is not satisfied. */
export const readinessGate: PodRule = {
  id: 'readiness-gate',
  family: 'readiness',
  scope: 'pod',
  run: (pod) => {
    const ready = pod.conditions.find((c) => c.type === 'Ready');
    if (ready?.status !== 'False' || ready.reason !== 'ReadinessGatesNotReady') return undefined;
    return {
      severity: 'warning',
      container: undefined,
      title: `not ready: a readiness gate is not satisfied${ready.message ? ` (${ready.message})` : ''}`,
      evidence: [`condition Ready=False reason ReadinessGatesNotReady`, ...(ready.message ? [`message: ${ready.message}`] : [])],
    };
  },
};
