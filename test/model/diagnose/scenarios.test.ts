// Findings on real recorded scenarios: each names its evidence; nothing without evidence.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { fileState, finalView, publicFixtures, recordingNames } from '../../helpers/fixtures.ts';
import { fileVariant } from './helpers.ts';

const expectations: Record<string, { container?: string; title: RegExp; evidence?: RegExp }[]> = {
  crashloop: [
    {
      container: 'app',
      title: /crash loop: the process exits with 1 after about 2s/,
      evidence: /last log line of instance \d+: fatal: \/etc\/app\/config.yaml/,
    },
  ],
  oom: [
    { container: 'hog', title: /OOM-killed: .*memory limit of 16Mi \(request 16Mi\)/, evidence: /terminated.reason=OOMKilled, exit 137/ },
  ],
  init: [
    {
      container: 'migrate',
      title: /init container failed with exit 3 after 1s; the containers after it do not start and the pod fails/,
      evidence: /migration 0042 failed/,
    },
  ],
  poststart: [{ container: 'app', title: /the postStart hook fails \(exec sh -c sleep 3/, evidence: /FailedPostStartHook/ }],
  grace: [{ container: 'app', title: /did not stop within the grace period of 6s: killed with SIGKILL/, evidence: /preStop hook/ }],
  liveness: [
    { container: 'exec', title: /killed by its liveness probe \(exec cat \/tmp\/healthy\)/, evidence: /2 failures \(4s\) to fail/ },
    { container: 'http', title: /killed by its liveness probe \(httpGet \/healthz :8080\)/, evidence: /statuscode: 404/ },
  ],
  eviction: [
    { title: /evicted by the kubelet: Usage of EmptyDir volume "scratch" exceeds the limit "8Mi"\.$/, evidence: /status.reason=Evicted/ },
    { container: 'writer', title: /^killed by an eviction by the kubelet: emptyDir volume "scratch" over its 8Mi limit$/ },
  ],
  'config-error': [{ container: 'app', title: /key DATABASE_URL is missing in ConfigMap \S+\/app-config/ }],
  // Issue 9's scenarios.
  deadline: [
    {
      title: /^activeDeadlineSeconds \(15s\) exceeded: the kubelet stopped the pod \(grace period 8s\)/,
      evidence: /^spec\.activeDeadlineSeconds=15$/,
    },
    {
      container: 'app',
      title: /^killed by the kubelet: activeDeadlineSeconds \(15s\) exceeded; SIGKILL after the 8s grace period \(exit 137\)$/,
    },
  ],
  'prestop-long': [
    {
      container: 'app',
      title: /^the preStop hook \(exec sleep 20\) was still running when the 5s grace period ended: killed with SIGKILL$/,
      evidence: /the kubelet's minimum after an unfinished preStop/,
    },
  ],
  'not-executable': [
    { container: 'app', title: /^command not executable \(StartError, exit 128\): exec: "\/etc\/passwd": permission denied$/ },
  ],
  'no-such-binary': [
    {
      container: 'app',
      title: /^command not found \(StartError, exit 128\): exec: "no-such-binary": executable file not found in \$PATH$/,
    },
  ],
  'crashloop-delete': [
    {
      container: 'app',
      title: /^crash loop: the process exits with 1 after about 1s; the cause is in its output$/,
      evidence: /fatal: cannot open/,
    },
  ],
  unschedulable: [{ title: /cannot be scheduled: .*Insufficient cpu/, evidence: /FailedScheduling/ }],
  'missing-image': [
    {
      container: 'app',
      title: /image 127\.0\.0\.1:5999\/podlife\/does-not-exist:1 cannot be pulled/,
      evidence: /ImagePullBackOff|ErrImagePull/,
    },
  ],
};

test.each(Object.entries(expectations))('the %s scenario gives the finding a user needs, with its evidence', (name, wants) => {
  if (!recordingNames().includes(name)) assert.fail(`recording ${name} is missing`);
  const pod = finalView(name).pods[0]!;
  for (const w of wants) {
    const f = pod.findings.find((x) => (w.container === undefined || x.container === w.container) && w.title.test(x.title));
    assert.ok(f, `${name}: no finding ${w.title}; got:\n${pod.findings.map((x) => `${x.container}: ${x.title}`).join('\n')}`);
    if (w.evidence)
      assert.ok(
        f.evidence.some((e) => w.evidence!.test(e)),
        `${name}: evidence ${w.evidence} in ${f.evidence.join(' | ')}`,
      );
  }
});

test('healthy pods get no error findings', () => {
  for (const name of ['sidecar', 'probes'] as const) {
    const pod = finalView(name).pods[0]!;
    assert.deepEqual(
      pod.findings.filter((f) => f.severity === 'error').map((f) => f.title),
      [],
      name,
    );
  }
});

test('readiness flapping is a warning about readiness, never a kill', () => {
  const pod = finalView('probes').pods[0]!;
  const f = pod.findings.find((x) => x.container === 'flappy');
  assert.ok(f, pod.findings.map((x) => x.title).join('; '));
  assert.match(f.title, /readiness probe failing .*not restarted/);
  assert.equal(f.severity, 'warning');
});

test('public fixtures: the objects say enough for the finding and the back-off', () => {
  const f = publicFixtures().find((x) => x.name === 'crashloop-backoff-5m-exit139.yaml');
  assert.ok(f, 'fixture present');
  const pod = fileState(f.name, f.text).view.pods[0]!;
  assert.equal(pod.status, 'CrashLoopBackOff');
  const c = pod.containers[0]!;
  assert.equal(c.backoff?.delaySeconds, 300);
  assert.equal(c.backoff?.nextAttemptAt, c.lastTermination!.finishedAt! + 300_000);
  assert.equal(c.backoff?.attempt, 897);
  assert.equal(c.lastTermination?.signalName, 'SIGSEGV');
  assert.ok(
    pod.gaps.some((g) => /instances 0-895 ended before this object was saved/.test(g)),
    pod.gaps.join('; '),
  );
});

/** The view of one real recorded pod object with changes, as a file would give it. */
function variant(name: string, change: (d: any) => void) {
  return fileVariant(name, change).pod;
}

test('variations of real objects: not ready without events, readiness gates, start failures, init retries', () => {
  const notReady = variant('probes', (d) => {
    const c = d.status.containerStatuses.find((x: { name: string }) => x.name === 'flappy');
    c.ready = false;
    c.started = true;
  });
  assert.ok(
    notReady.findings.some((f) => f.container === 'flappy' && /not ready: its readiness probe \(exec sh -c test/.test(f.title)),
    notReady.findings.map((f) => f.title).join('; '),
  );

  const gated = variant('ephemeral', (d) => {
    d.spec.readinessGates = [{ conditionType: 'example.com/lb-ready' }];
    d.status.conditions = d.status.conditions.map((c: { type: string }) =>
      c.type === 'Ready'
        ? {
            ...c,
            status: 'False',
            reason: 'ReadinessGatesNotReady',
            message: 'corresponding condition of pod readiness gate "example.com/lb-ready" does not exist.',
          }
        : c,
    );
  });
  assert.ok(gated.findings.some((f) => /readiness gate is not satisfied .*example.com\/lb-ready/.test(f.title)));

  const startFailed = variant('crashloop', (d) => {
    const c = d.status.containerStatuses[0];
    c.state = {
      waiting: { reason: 'RunContainerError', message: 'failed to start container: exec: "app": executable file not found in $PATH' },
    };
    c.lastState = {
      terminated: {
        exitCode: 128,
        reason: 'StartError',
        message: 'exec: "app": executable file not found in $PATH',
        startedAt: '1970-01-01T00:00:00Z',
        finishedAt: c.lastState?.terminated?.finishedAt ?? '2026-11-25T05:44:52Z',
        containerID: 'containerd://0123',
      },
    };
  });
  const sf = startFailed.findings.filter((f) => f.container === 'app');
  assert.equal(sf.length, 1, sf.map((f) => f.title).join('; '));
  // containerd/runc say "executable file not found" with exit 128: the command is not found.
  assert.equal(sf[0]!.title, 'command not found (StartError, exit 128): exec: "app": executable file not found in $PATH');
  assert.equal(startFailed.containers[0]!.lastTermination?.startedAt, undefined, 'the epoch start time means never started');

  const initRetry = variant('init', (d) => {
    d.spec.restartPolicy = 'Always';
    const s = d.status.initContainerStatuses[1];
    s.restartCount = 2;
    s.lastState = s.state;
    s.state = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=migrate pod=init_ns(uid)' } };
  });
  const ir = initRetry.findings.filter((f) => f.container === 'migrate');
  assert.equal(ir.length, 1, ir.map((f) => f.title).join('; '));
  assert.match(ir[0]!.title, /init container fails with exit 3 after 1s; it is retried with back-off and the containers after it wait/);
});

test('public fixtures table: kubectl columns (from the printer rules) and the finding', () => {
  const table: Record<string, { status: string; ready: string; restarts: number; finding?: RegExp; backoff?: number }> = {
    'crashloop-backoff-10s-exit1.yaml': {
      status: 'CrashLoopBackOff',
      ready: '0/1',
      restarts: 1,
      finding: /crash loop: the process exits with 1/,
      backoff: 10,
    },
    'crashloop-backoff-5m-exit139.yaml': {
      status: 'CrashLoopBackOff',
      ready: '0/1',
      restarts: 896,
      finding: /killed by SIGSEGV \(exit 139\)/,
      backoff: 300,
    },
    'imagepullbackoff.yaml': {
      status: 'ImagePullBackOff',
      ready: '0/1',
      restarts: 0,
      finding: /image nginx:1\.13-invalid cannot be pulled/,
    },
    'sidecar-native-running.yaml': { status: 'Running', ready: '2/2', restarts: 0 },
    'succeeded-completed.yaml': { status: 'Completed', ready: '0/1', restarts: 0 },
    'unschedulable-insufficient-cpu.yaml': {
      status: 'Pending',
      ready: '0/1',
      restarts: 0,
      finding: /cannot be scheduled: 0\/2 nodes are available: 2 Insufficient cpu/,
    },
  };
  const files = publicFixtures();
  for (const f of files) assert.ok(f.name in table, `${f.name} has an expectation`);
  for (const [name, want] of Object.entries(table)) {
    const f = files.find((x) => x.name === name);
    assert.ok(f, `${name} present`);
    const pod = fileState(name, f.text).view.pods[0]!;
    assert.equal(pod.status, want.status, name);
    assert.equal(pod.ready, want.ready, name);
    assert.equal(pod.restarts, want.restarts, name);
    if (want.finding)
      assert.ok(
        pod.findings.some((x) => want.finding!.test(x.title)),
        `${name}: ${pod.findings.map((x) => x.title).join('; ')}`,
      );
    else
      assert.deepEqual(
        pod.findings.filter((x) => x.severity === 'error'),
        [],
        name,
      );
    if (want.backoff !== undefined) assert.equal(pod.containers.find((c) => c.backoff)?.backoff?.delaySeconds, want.backoff, name);
  }
});
