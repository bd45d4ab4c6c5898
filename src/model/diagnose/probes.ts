// Probes that fail without (or before) a kill, a slow start, and a startup probe not passed yet.
// A kill by a probe is a SIGKILL finding that lists the same events (it suppresses these).

import type { ContainerView, EventView, ProbeView } from '../view.ts';
import { eventEvidence, eventsOf, plural, probeEvidence, probeOf } from './context.ts';
import type { ContainerRule, DiagnosisInput } from './rule.ts';

type Kind = ProbeView['kind'];

/** The Unhealthy events of this kind of probe ("Liveness probe failed: ..."). */
function unhealthy(pod: DiagnosisInput, c: ContainerView, kind: Kind): EventView[] {
  const prefix = `${kind[0]!.toUpperCase()}${kind.slice(1)} probe`;
  return eventsOf(pod, c.name, ['Unhealthy']).filter((e) => e.message.startsWith(prefix));
}

function failures(events: readonly EventView[]): number {
  return events.reduce((n, e) => n + e.count, 0);
}

const CONSEQUENCE: Readonly<Record<Kind, (p: ProbeView | undefined) => string>> = {
  liveness: (p) =>
    'the kubelet kills the container after ' +
    (p ? `${p.failureThreshold} failures x ${p.periodSeconds}s = ${p.failureThreshold * p.periodSeconds}s` : 'failureThreshold failures'),
  readiness: () => 'the container is taken out of service (not ready), not restarted',
  startup: () => 'the container is killed if the startup probe keeps failing',
};

function probeFailing(kind: Kind): ContainerRule {
  return {
    id: `${kind}-failing`,
    family: 'probes',
    scope: 'container',
    run: (pod, c) => {
      const evs = unhealthy(pod, c, kind);
      if (evs.length === 0 || (kind === 'startup' && c.started === true)) return undefined;
      const probe = probeOf(c, kind);
      return {
        severity: kind === 'readiness' ? 'warning' : 'error',
        container: c.name,
        title: `${kind} probe failing (${plural(failures(evs), 'failure')}): ${CONSEQUENCE[kind](probe)}`,
        evidence: [...probeEvidence(probe), ...evs.map(eventEvidence)],
      };
    },
  };
}

export const livenessFailing = probeFailing('liveness');
export const readinessFailing = probeFailing('readiness');
export const startupFailing = probeFailing('startup');

/** The startup probe failed, then passed: the container started, late. */
export const startupSlow: ContainerRule = {
  id: 'startup-slow',
  family: 'probes',
  scope: 'container',
  run: (pod, c) => {
    const evs = unhealthy(pod, c, 'startup');
    if (evs.length === 0 || c.started !== true) return undefined;
    return {
      severity: 'info',
      container: c.name,
      title: `slow start: the startup probe failed ${plural(failures(evs), 'time')} before it passed`,
      evidence: [...probeEvidence(probeOf(c, 'startup')), ...evs.map(eventEvidence)],
    };
  },
};

export const startupPending: ContainerRule = {
  id: 'startup-pending',
  family: 'probes',
  scope: 'container',
  run: (_pod, c) => {
    const probe = probeOf(c, 'startup');
    if (c.state !== 'running' || c.ready || c.started !== false || !probe) return undefined;
    return {
      severity: 'info',
      container: c.name,
      title: `waiting for the startup probe (${probe.handler})`,
      evidence: [`started=false`, ...probeEvidence(probe)],
    };
  },
};
