// The probes family: failures without (or before) a kill, a slow start, a startup probe not passed yet.

import { livenessFailing, readinessFailing, startupFailing, startupPending, startupSlow } from '../../../src/model/diagnose/probes.ts';
import type { PodView } from '../../../src/model/index.ts';
import { finalPod, podWhen, ruleTables, startupKills, type RuleCase } from './helpers.ts';

const container = (p: PodView, name: string) => p.containers.find((c) => c.name === name);
const hasUnhealthy = (p: PodView, name: string, kind: string) =>
  p.events.some((e) => e.container === name && e.reason === 'Unhealthy' && e.message.startsWith(`${kind} probe`));

/** The liveness recording once the exec probe has failed, before its first kill. */
const livenessBeforeKill = () =>
  podWhen('liveness', (p) => hasUnhealthy(p, 'exec', 'Liveness') && container(p, 'exec')?.restartCount === 0);
/** The probes recording while the slow container's startup probe has failed and not passed yet. */
const startupNotPassed = () =>
  podWhen('probes', (p) => hasUnhealthy(p, 'slowstart', 'Startup') && container(p, 'slowstart')?.started === false);
/** The probes recording while the slow container runs and its startup probe has not passed yet. */
const startupRunning = () =>
  podWhen('probes', (p) => container(p, 'slowstart')?.state === 'running' && container(p, 'slowstart')?.started === false);

const cases: RuleCase[] = [
  {
    rule: livenessFailing,
    name: 'liveness recording before the first kill',
    subject: livenessBeforeKill,
    container: 'exec',
    want: {
      severity: 'error',
      title: /^liveness probe failing \(\d+ failures?\): the kubelet kills the container after 2 failures x 2s = 4s$/,
      evidence: ['probe: liveness exec cat /tmp/healthy every 2s, timeout 1s, 2 failures (4s) to fail', /^event Warning Unhealthy/],
    },
  },
  {
    rule: livenessFailing,
    name: 'probes recording: readiness only',
    subject: () => finalPod('probes'),
    container: 'flappy',
    want: undefined,
  },
  {
    rule: readinessFailing,
    name: 'probes recording: a flapping readiness probe',
    subject: () => finalPod('probes'),
    container: 'flappy',
    want: {
      severity: 'warning',
      title: 'readiness probe failing (20 failures): the container is taken out of service (not ready), not restarted',
      evidence: [
        'probe: readiness exec sh -c test $(( $(date +%s) / 6 % 2 )) -eq 0 every 1s, timeout 1s, 1 failures (1s) to fail',
        'event Warning Unhealthy x20 at 05:43:35: Readiness probe failed:',
      ],
    },
  },
  {
    rule: readinessFailing,
    name: 'rollout-web recording: the new revision is not ready',
    subject: () => finalPod('rollout-web', 'web-7f544bd467-cjzrp'),
    container: 'web',
    want: { title: 'readiness probe failing (3 failures): the container is taken out of service (not ready), not restarted' },
  },
  { rule: readinessFailing, name: 'liveness recording', subject: () => finalPod('liveness'), container: 'exec', want: undefined },
  {
    rule: startupSlow,
    name: 'probes recording: the startup probe passed after failing',
    subject: () => finalPod('probes'),
    container: 'slowstart',
    want: {
      severity: 'info',
      title: 'slow start: the startup probe failed 4 times before it passed',
      evidence: [
        'probe: startup exec test -f /tmp/started every 2s, timeout 1s, 15 failures (30s) to fail',
        'event Warning Unhealthy x4 at 05:43:15: Startup probe failed:',
      ],
    },
  },
  {
    rule: startupSlow,
    name: 'probes recording before the startup probe passed',
    subject: startupNotPassed,
    container: 'slowstart',
    want: undefined,
  },
  {
    rule: startupFailing,
    name: 'probes recording before the startup probe passed',
    subject: startupNotPassed,
    container: 'slowstart',
    want: {
      severity: 'error',
      title: /^startup probe failing \(\d+ failures?\): the container is killed if the startup probe keeps failing$/,
    },
  },
  {
    rule: startupSlow,
    name: 'liveness recording with startup probes, started=true as recorded (alone: startup-kill suppresses it)',
    subject: startupKills,
    container: 'exec',
    want: { title: /^slow start: the startup probe failed \d+ times before it passed$/ },
  },
  { rule: startupFailing, name: 'probes recording: it passed', subject: () => finalPod('probes'), container: 'slowstart', want: undefined },
  {
    rule: startupPending,
    name: 'probes recording while the startup probe has not passed',
    subject: startupRunning,
    container: 'slowstart',
    want: { severity: 'info', title: 'waiting for the startup probe (exec test -f /tmp/started)', evidence: ['started=false'] },
  },
  { rule: startupPending, name: 'probes recording: it passed', subject: () => finalPod('probes'), container: 'slowstart', want: undefined },
  { rule: startupPending, name: 'probes recording: no startup probe', subject: startupRunning, container: 'flappy', want: undefined },
];

ruleTables('probes', cases);
