// OOM kills: with a memory limit, the container used more; without one, the node or pod ran out.

import { at, endedInstances, logEvidence } from './context.ts';
import { EXIT_SIGKILL } from './exit-codes.ts';
import type { ContainerRule } from './rule.ts';

export const oomKilled: ContainerRule = {
  id: 'oom-killed',
  family: 'oom',
  scope: 'container',
  run: (_pod, c) => {
    const oom = endedInstances(c).filter((i) => i.reason === 'OOMKilled');
    const current = c.state === 'terminated' && c.reason === 'OOMKilled';
    if (oom.length === 0 && !current && c.lastTermination?.reason !== 'OOMKilled') return undefined;
    const lim = c.spec.limits.memory;
    const req = c.spec.requests.memory;
    const i = oom.at(-1);
    const exit = i?.exitCode ?? c.lastTermination?.exitCode ?? c.exitCode ?? EXIT_SIGKILL;
    const finishedAt = i?.finishedAt ?? c.lastTermination?.finishedAt ?? c.finishedAt;
    return {
      severity: 'error',
      container: c.name,
      title: lim
        ? `OOM-killed: the process used more than its memory limit of ${lim}${req ? ` (request ${req})` : ''}`
        : `OOM-killed with no memory limit on the container: the node or pod cgroup ran out of memory`,
      evidence: [
        `terminated.reason=OOMKilled, exit ${exit} ${at(finishedAt)}${oom.length > 1 ? ` (${oom.length} times while watched)` : ''}`,
        lim ? `resources.limits.memory=${lim}${req ? `, requests.memory=${req}` : ''}` : 'no resources.limits.memory',
        ...logEvidence(i),
      ],
    };
  },
};
