// Scheduling: a pod that no node takes, or that waits for its scheduling gates.

import { eventEvidence, eventsOf } from './context.ts';
import type { PodRule } from './rule.ts';

export const unschedulable: PodRule = {
  id: 'unschedulable',
  family: 'scheduling',
  scope: 'pod',
  run: (pod) => {
    const sched = pod.conditions.find((c) => c.type === 'PodScheduled');
    if (!sched || sched.status === 'True' || sched.reason === 'SchedulingGated') return undefined;
    const fs = eventsOf(pod, undefined, ['FailedScheduling']);
    const lastFailed = fs.at(-1);
    const why = sched.message ? `: ${sched.message}` : lastFailed ? `: ${lastFailed.message}` : '';
    return {
      severity: 'error',
      container: undefined,
      title: `cannot be scheduled${why}`,
      evidence: [`condition PodScheduled=${sched.status}${sched.reason ? ` (${sched.reason})` : ''}`, ...fs.map(eventEvidence)],
    };
  },
};

export const schedulingGated: PodRule = {
  id: 'scheduling-gated',
  family: 'scheduling',
  scope: 'pod',
  run: (pod) => {
    const sched = pod.conditions.find((c) => c.type === 'PodScheduled');
    if (sched?.reason !== 'SchedulingGated') return undefined;
    return {
      severity: 'info',
      container: undefined,
      title: 'waiting for scheduling gates to be removed',
      evidence: [`condition PodScheduled: ${sched.message ?? 'SchedulingGated'}`],
    };
  },
};
