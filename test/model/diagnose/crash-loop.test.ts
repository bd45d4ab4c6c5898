// The crash-loop family: what a restarting container's instances did, and the end of the loop.

import { backoffReset, crashLoopExit, crashLoopExitZero, crashLoopUnknown } from '../../../src/model/diagnose/crash-loop.ts';
import { fileVariant, finalPod, fixturePod, ruleTables, type RuleCase } from './helpers.ts';

/** The crashloop pod backing off (the kubelet's waiting message) after its last instance ended. */
const backingOff = (lastState: (s: any) => void) =>
  fileVariant('crashloop', (d) => {
    const c = d.status.containerStatuses[0];
    c.state = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=app pod=crashloop_ns(uid)' } };
    lastState(c.lastState);
  });

/** The crashloop pod whose last instance exited by itself with 0. */
const exitZero = () => backingOff((s) => Object.assign(s.terminated, { exitCode: 0, reason: 'Completed' }));

/** The crashloop pod in CrashLoopBackOff whose object has no lastState. */
const noTermination = () => backingOff((s) => delete s.terminated);

const RUNNING_SINCE = '2026-11-25T05:50:00Z';
/** The crashloop pod running again after its restarts, looked at `minutes` after it started. */
const runningAgain = (minutes: number) =>
  fileVariant(
    'crashloop',
    (d) => {
      d.status.containerStatuses[0].state = { running: { startedAt: RUNNING_SINCE } };
    },
    { now: Date.parse(RUNNING_SINCE) + minutes * 60_000 },
  );

const cases: RuleCase[] = [
  {
    rule: crashLoopExitZero,
    name: 'crashloop recording whose process exits with 0',
    subject: exitZero,
    container: 'app',
    want: {
      severity: 'warning',
      title: 'the process exits by itself with 0; the container is restarted because restartPolicy is Always',
      evidence: ['terminations seen: Completed 0', 'restartCount=5', 'kubelet back-off 2m40s (from the waiting message)'],
    },
  },
  { rule: crashLoopExitZero, name: 'crashloop recording: exit 1', subject: () => finalPod('crashloop'), container: 'app', want: undefined },
  {
    rule: crashLoopExit,
    name: 'crashloop recording: exit 1, with the log line first',
    subject: () => finalPod('crashloop'),
    container: 'app',
    want: {
      severity: 'error',
      title: 'crash loop: the process exits with 1 after about 2s; the cause is in its output',
      evidence: [
        'last log line of instance 5: fatal: /etc/app/config.yaml: no such file or directory',
        'terminations seen: Error 1 x6',
        'typical run: 2s',
        'restartCount=5',
      ],
    },
  },
  {
    rule: crashLoopExit,
    name: 'rollout-web recording: the new revision crashes, with the kubelet back-off',
    subject: () => finalPod('rollout-web', 'web-7f544bd467-cjzrp'),
    container: 'web',
    want: { title: /^crash loop: the process exits with 2 after about 1s;/, evidence: ['kubelet back-off 20s (from the waiting message)'] },
  },
  {
    rule: crashLoopExit,
    name: 'public fixture crashloop-backoff-5m-exit139: a signal',
    subject: () => fixturePod('crashloop-backoff-5m-exit139.yaml'),
    container: 'server',
    want: {
      title: /^crash loop: the process is killed by SIGSEGV \(exit 139\)/,
      evidence: ['kubelet back-off 5m0s (from the waiting message)'],
    },
  },
  {
    rule: crashLoopExit,
    name: 'crashloop recording running again for a minute: still looping',
    subject: () => runningAgain(1),
    container: 'app',
    want: { title: /^crash loop: the process exits with 1/ },
  },
  {
    rule: crashLoopExit,
    name: 'oom recording: OOMKilled is the oom rule',
    subject: () => finalPod('oom'),
    container: 'hog',
    want: undefined,
  },
  { rule: crashLoopExit, name: 'crashloop recording whose process exits with 0', subject: exitZero, container: 'app', want: undefined },
  {
    rule: crashLoopExit,
    name: 'crashloop recording running again for 11 minutes',
    subject: () => runningAgain(11),
    container: 'app',
    want: undefined,
  },
  {
    rule: crashLoopExit,
    name: 'init recording: init containers fail, not loop',
    subject: () => finalPod('init'),
    container: 'migrate',
    want: undefined,
  },
  {
    rule: crashLoopUnknown,
    name: 'crashloop recording without lastState',
    subject: noTermination,
    container: 'app',
    want: {
      severity: 'error',
      title: 'crash loop: cause unknown (no termination recorded)',
      evidence: ['restartCount=5', 'kubelet back-off 2m40s (from the waiting message)'],
    },
  },
  { rule: crashLoopUnknown, name: 'crashloop recording', subject: () => finalPod('crashloop'), container: 'app', want: undefined },
  {
    rule: backoffReset,
    name: 'crashloop recording running again for 11 minutes',
    subject: () => runningAgain(11),
    container: 'app',
    want: {
      severity: 'info',
      title: 'running for 11m since restart 5: the crash-loop back-off has reset (after 10 minutes of running)',
      evidence: ['state.running.startedAt at 05:50:00'],
    },
  },
  {
    rule: backoffReset,
    name: 'crashloop recording running again for a minute',
    subject: () => runningAgain(1),
    container: 'app',
    want: undefined,
  },
  { rule: backoffReset, name: 'sidecar recording: never restarted', subject: () => finalPod('sidecar'), container: 'app', want: undefined },
];

ruleTables('crash-loop', cases);
