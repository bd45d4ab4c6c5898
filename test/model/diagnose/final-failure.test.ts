// The final-failure family: no restart is coming.

import { evicted, initFailed, podFailed, processFailed, statusUnknown } from '../../../src/model/diagnose/final-failure.ts';
import { fileVariant, finalPod, ruleTables, type RuleCase } from './helpers.ts';

const EVICTED = 'Usage of EmptyDir volume "scratch" exceeds the limit "8Mi".';

/** A failed job pod that ran past activeDeadlineSeconds (the kubelet's reason and message, pkg/kubelet/active_deadline.go). */
const deadline = () =>
  fileVariant(
    'jobs',
    (d) => {
      d.status.reason = 'DeadlineExceeded';
      d.status.message = 'Pod was active on the node longer than the specified deadline';
    },
    { podName: 'job-fail-hs98k' },
  );

/** The init pod under restartPolicy Always: the failing init container is retried. */
const initRetry = () =>
  fileVariant('init', (d) => {
    d.spec.restartPolicy = 'Always';
    const s = d.status.initContainerStatuses[1];
    s.restartCount = 2;
    s.lastState = s.state;
    s.state = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=migrate pod=init_ns(uid)' } };
  });

/** What the kubelet writes when it cannot find a container that was running (pkg/kubelet/kubelet_pods.go). */
const lost = () =>
  fileVariant('crashloop', (d) => {
    d.status.containerStatuses[0].state = {
      terminated: {
        exitCode: 137,
        reason: 'ContainerStatusUnknown',
        message: 'The container could not be located when the pod was terminated',
      },
    };
  });

const cases: RuleCase[] = [
  {
    rule: evicted,
    name: 'eviction recording',
    subject: () => finalPod('eviction'),
    want: {
      severity: 'error',
      title: `evicted by the kubelet: ${EVICTED}`,
      evidence: ['status.reason=Evicted', `status.message: ${EVICTED}`, `event Warning Evicted at 06:09:45: ${EVICTED}`],
    },
  },
  { rule: evicted, name: 'oom recording', subject: () => finalPod('oom'), want: undefined },
  { rule: evicted, name: 'jobs recording past its deadline', subject: deadline, want: undefined },
  {
    rule: podFailed,
    name: 'jobs recording past its deadline',
    subject: deadline,
    want: {
      severity: 'error',
      title: 'DeadlineExceeded: Pod was active on the node longer than the specified deadline',
      evidence: ['status.reason=DeadlineExceeded', 'status.message: Pod was active on the node longer than the specified deadline'],
    },
  },
  { rule: podFailed, name: 'eviction recording: Evicted is its own rule', subject: () => finalPod('eviction'), want: undefined },
  {
    rule: initFailed,
    name: 'init recording: restartPolicy Never',
    subject: () => finalPod('init'),
    container: 'migrate',
    want: {
      severity: 'error',
      title: 'init container failed with exit 3 after 1s; the containers after it do not start and the pod fails',
      evidence: [
        'last log line of instance 0: migration 0042 failed: relation users already exists',
        'state.terminated: Error, exit 3 at 05:43:14',
        'restartPolicy=Never',
      ],
    },
  },
  {
    rule: initFailed,
    name: 'init recording under restartPolicy Always: retried',
    subject: initRetry,
    container: 'migrate',
    want: {
      title: 'init container fails with exit 3 after 1s; it is retried with back-off and the containers after it wait',
      evidence: [/^last termination: Error, exit 3 at /, 'restartPolicy=Always', 'restartCount=2'],
    },
  },
  {
    rule: initFailed,
    name: 'init recording: the init container that completed',
    subject: () => finalPod('init'),
    container: 'wait-for-db',
    want: undefined,
  },
  { rule: initFailed, name: 'sidecar recording', subject: () => finalPod('sidecar'), container: 'setup', want: undefined },
  {
    rule: processFailed,
    name: 'jobs recording: a failed job pod',
    subject: () => finalPod('jobs', 'job-fail-hs98k'),
    container: 'work',
    want: {
      severity: 'error',
      title: 'the process failed with exit 2 after 1s; not restarted (restartPolicy Never)',
      evidence: ['last log line of instance 0: error: input corrupt', 'state.terminated: Error, exit 2 at 05:47:54', 'restartPolicy=Never'],
    },
  },
  {
    rule: processFailed,
    name: 'jobs recording: the job pod that succeeded',
    subject: () => finalPod('jobs', 'job-ok-jxdmd'),
    container: 'work',
    want: undefined,
  },
  {
    rule: processFailed,
    name: 'crashloop recording: restartPolicy Always',
    subject: () => finalPod('crashloop'),
    container: 'app',
    want: undefined,
  },
  {
    rule: processFailed,
    name: 'init recording: an init container',
    subject: () => finalPod('init'),
    container: 'migrate',
    want: undefined,
  },
  {
    rule: statusUnknown,
    name: 'crashloop recording whose container the kubelet lost',
    subject: lost,
    container: 'app',
    want: {
      severity: 'warning',
      title: 'the kubelet lost track of the container (ContainerStatusUnknown); its real exit is unknown',
      evidence: ['state.terminated.reason=ContainerStatusUnknown: The container could not be located when the pod was terminated'],
    },
  },
  { rule: statusUnknown, name: 'crashloop recording', subject: () => finalPod('crashloop'), container: 'app', want: undefined },
];

ruleTables('final-failure', cases);
