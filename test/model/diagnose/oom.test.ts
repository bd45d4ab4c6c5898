// The OOM family.

import { oomKilled } from '../../../src/model/diagnose/oom.ts';
import { fileVariant, finalPod, ruleTables, type RuleCase } from './helpers.ts';

const cases: RuleCase[] = [
  {
    rule: oomKilled,
    name: 'oom recording: over its memory limit',
    subject: () => finalPod('oom'),
    container: 'hog',
    want: {
      severity: 'error',
      title: 'OOM-killed: the process used more than its memory limit of 16Mi (request 16Mi)',
      evidence: [
        'terminated.reason=OOMKilled, exit 137 at 05:43:07',
        'resources.limits.memory=16Mi, requests.memory=16Mi',
        'last log line of instance 0: allocating 256MiB',
      ],
    },
  },
  {
    rule: oomKilled,
    name: 'oom recording without resources on the container',
    subject: () =>
      fileVariant('oom', (d) => {
        delete d.spec.containers[0].resources;
      }),
    container: 'hog',
    want: {
      title: 'OOM-killed with no memory limit on the container: the node or pod cgroup ran out of memory',
      evidence: [/^terminated.reason=OOMKilled, exit 137 at /, 'no resources.limits.memory'],
    },
  },
  { rule: oomKilled, name: 'crashloop recording: exits with 1', subject: () => finalPod('crashloop'), container: 'app', want: undefined },
  {
    rule: oomKilled,
    name: 'liveness recording: SIGKILL, not OOM',
    subject: () => finalPod('liveness'),
    container: 'exec',
    want: undefined,
  },
];

ruleTables('oom', cases);
