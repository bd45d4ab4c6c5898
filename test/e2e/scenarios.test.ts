// Each scenario on the real cluster: the plugin (`--once -o json`) while the real kubelet drives
// the pod, compared with the real kubectl at the same moments, and the finding a user needs.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { applyScenario, kubectl, kubectlRow, inNamespace, podlife, waitFor } from './helpers/env.ts';

interface PodJsonLine {
  name: string;
  status: string;
  ready: string;
  restarts: number;
  restartsText: string;
  containers: {
    name: string;
    type: string;
    state: string;
    reason: string | null;
    exitCode: number | null;
    signal: string | null;
    restartCount: number;
    ready: boolean;
    instances: { exitCode: number | null; cause: string | null; logTail: string[] | null }[];
  }[];
  findings: { severity: string; container: string | null; title: string; evidence: string[] }[];
  events: { reason: string }[];
}

async function snapshot(ns: string, pod: string): Promise<PodJsonLine> {
  const r = await podlife([pod, '-n', ns, '--once', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n')[0]!) as PodJsonLine;
}

/** Our columns and kubectl's at one moment: retried until kubectl reads the same before and after. */
async function compareWithKubectl(ns: string, pod: string): Promise<PodJsonLine> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = await kubectlRow(ns, pod);
    const ours = await snapshot(ns, pod);
    const after = await kubectlRow(ns, pod);
    if (before.status !== after.status || before.ready !== after.ready || before.restarts.split(' ')[0] !== after.restarts.split(' ')[0])
      continue;
    assert.equal(ours.status, after.status, `${pod}: STATUS`);
    assert.equal(ours.ready, after.ready, `${pod}: READY`);
    assert.equal(String(ours.restarts), after.restarts.split(' ')[0], `${pod}: RESTARTS`);
    // kubectl adds "(5s ago)" exactly when a container's last termination has a finishedAt: same form as kubectl's.
    if (after.restarts.includes('(')) assert.match(ours.restartsText, /^\d+ \(.+ ago\)$/, `${pod}: RESTARTS ${after.restarts}`);
    else assert.equal(ours.restartsText, after.restarts, `${pod}: RESTARTS`);
    return ours;
  }
  throw new Error(`${pod}: the pod kept changing; no stable moment to compare`);
}

/** Polls until `pred` holds, comparing with kubectl at every step. */
async function until(ns: string, pod: string, pred: (p: PodJsonLine) => boolean, what: string, timeoutMs = 90_000): Promise<PodJsonLine> {
  let last: PodJsonLine | undefined;
  await waitFor(
    async () => {
      last = await compareWithKubectl(ns, pod);
      return pred(last);
    },
    timeoutMs,
    () => `${pod}: ${what} (last: ${last ? `${last.status} ${last.ready}` : 'none'})`,
    1000,
  );
  return last!;
}

const finding = (p: PodJsonLine, re: RegExp, container?: string) =>
  p.findings.find((f) => re.test(f.title) && (container === undefined || f.container === container));

// Up to four scenarios share the cluster at once (maxConcurrency in vitest.config.ts).
describe.concurrent('scenarios on the real cluster', () => {
  test('OOM kill: OOMKilled, exit 137, the memory limit named', async () => {
    await inNamespace('e2e-oom', async (ns) => {
      await applyScenario('oom.yaml', ns.name);
      const p = await until(ns.name, 'oom', (x) => x.status === 'OOMKilled', 'OOMKilled');
      const c = p.containers[0]!;
      assert.equal(c.exitCode, 137);
      assert.equal(c.signal, 'SIGKILL');
      assert.ok(finding(p, /OOM-killed: .*memory limit of 16Mi/, 'hog'), JSON.stringify(p.findings));
    });
  });

  test('init containers: Init:0/2 while the slow one runs, then Init:1/2, then Init:Error', async () => {
    await inNamespace('e2e-init', async (ns) => {
      await applyScenario('init.yaml', ns.name);
      await until(ns.name, 'init', (x) => x.status === 'Init:0/2', 'Init:0/2', 30_000);
      await until(ns.name, 'init', (x) => x.status === 'Init:1/2' || x.status === 'Init:Error', 'Init:1/2', 30_000);
      const p = await until(ns.name, 'init', (x) => x.status === 'Init:Error', 'Init:Error', 30_000);
      assert.ok(finding(p, /init container failed with exit 3/, 'migrate'), JSON.stringify(p.findings));
      assert.deepEqual(
        p.containers.map((c) => `${c.name}:${c.type}`),
        ['wait-for-db:init', 'migrate:init', 'app:regular'],
      );
    });
  });

  test('postStart hook failure: PostStartHookError, the hook named', async () => {
    await inNamespace('e2e-poststart', async (ns) => {
      await applyScenario('poststart.yaml', ns.name);
      const p = await until(
        ns.name,
        'poststart',
        (x) => x.status === 'PostStartHookError' || (x.status === 'CrashLoopBackOff' && x.restarts > 0),
        'PostStartHookError',
      );
      assert.ok(finding(p, /postStart hook fails \(exec sh -c sleep 3/, 'app'), JSON.stringify(p.findings));
    });
  });

  test('grace period: preStop, SIGTERM ignored, SIGKILL at the deadline (137)', async () => {
    await inNamespace('e2e-grace', async (ns) => {
      await applyScenario('grace.yaml', ns.name);
      await until(ns.name, 'grace', (x) => x.status === 'Running' && x.ready === '1/1', 'Running');
      // Watch the deletion live: the object is gone at the end, so --once cannot see it.
      const { Streaming } = await import('./helpers/env.ts');
      const s = new Streaming(['grace', '-n', ns.name, '-o', 'json']);
      try {
        await s.waitForLine((l) => l.includes('"kind":"pod"'), 30_000);
        const t0 = Date.now();
        await kubectl(['delete', 'pod', 'grace', '-n', ns.name, '--wait=false']);
        await s.waitForLine((l) => l.includes('"kind":"pod"') && l.includes('"Terminating"'), 15_000);
        const { line } = await s.waitForLine((l) => l.includes('"kind":"pod"') && /"exitCode":137/.test(l), 30_000);
        const p = JSON.parse(line) as PodJsonLine;
        assert.ok(Date.now() - t0 >= 5_000, 'the kill came at the end of the 6 s grace period');
        assert.ok(finding(p, /did not stop within the grace period of 6s: killed with SIGKILL/, 'app'), JSON.stringify(p.findings));
      } finally {
        await s.stop();
      }
    });
  });

  test('liveness probes (exec and httpGet) kill and restart; the probe is named', async () => {
    await inNamespace('e2e-liveness', async (ns) => {
      await applyScenario('liveness.yaml', ns.name);
      const p = await until(ns.name, 'liveness', (x) => x.containers.every((c) => c.restartCount >= 1), 'both restarted', 60_000);
      assert.ok(finding(p, /killed by its liveness probe \(exec cat \/tmp\/healthy\)/, 'exec'), JSON.stringify(p.findings));
      assert.ok(finding(p, /killed by its liveness probe \(httpGet \/healthz :8080\)/, 'http'), JSON.stringify(p.findings));
    });
  });

  test('sidecar: counted in READY as kubectl counts it', async () => {
    await inNamespace('e2e-sidecar', async (ns) => {
      await applyScenario('sidecar.yaml', ns.name);
      const p = await until(ns.name, 'sidecar', (x) => x.status === 'Running' && x.ready === '2/2', 'Running 2/2');
      assert.deepEqual(
        p.containers.map((c) => `${c.name}:${c.type}`),
        ['setup:init', 'log-shipper:sidecar', 'app:regular'],
      );
    });
  });

  test('ephemeral container: shown after kubectl debug, not counted in READY', async () => {
    await inNamespace('e2e-ephemeral', async (ns) => {
      await applyScenario('plain.yaml', ns.name);
      await until(ns.name, 'plain', (x) => x.status === 'Running', 'Running');
      await kubectl([
        'debug',
        'plain',
        '-n',
        ns.name,
        '--image=docker.io/podlife/busybox:1',
        '--image-pull-policy=Never',
        '-c',
        'debugger',
        '--profile=general',
        '--',
        'sleep',
        '30',
      ]);
      const p = await until(
        ns.name,
        'plain',
        (x) => x.containers.some((c) => c.type === 'ephemeral' && c.state === 'running'),
        'ephemeral running',
      );
      assert.equal(p.ready, '1/1');
    });
  });

  test('missing ConfigMap key, unschedulable, missing image: the reason in the finding', async () => {
    await inNamespace('e2e-config', async (ns) => {
      await applyScenario('config-error.yaml', ns.name);
      await applyScenario('unschedulable.yaml', ns.name);
      await applyScenario('missing-image.yaml', ns.name);
      const c = await until(ns.name, 'config-error', (x) => x.status === 'CreateContainerConfigError', 'CreateContainerConfigError');
      assert.ok(finding(c, /key DATABASE_URL is missing in ConfigMap/), JSON.stringify(c.findings));
      const u = await until(ns.name, 'unschedulable', (x) => x.findings.length > 0, 'a finding');
      assert.equal(u.status, 'Pending');
      assert.ok(finding(u, /cannot be scheduled: .*Insufficient cpu/), JSON.stringify(u.findings));
      const m = await until(ns.name, 'missing-image', (x) => x.status === 'ImagePullBackOff', 'ImagePullBackOff');
      assert.ok(finding(m, /cannot be pulled: .*connection refused/), JSON.stringify(m.findings));
    });
  });

  test('eviction by the kubelet: an emptyDir over its sizeLimit', { timeout: 150_000 }, async () => {
    await inNamespace('e2e-eviction', async (ns) => {
      await applyScenario('eviction.yaml', ns.name);
      // The kubelet's eviction manager checks every 10 s or so; kubectl prints the container's reason.
      const p = await until(ns.name, 'eviction', (x) => x.findings.some((f) => /evicted by the kubelet/.test(f.title)), 'evicted', 120_000);
      assert.ok(
        finding(p, /evicted by the kubelet: Usage of EmptyDir volume "scratch" exceeds the limit "8Mi"/),
        JSON.stringify(p.findings),
      );
      assert.ok(finding(p, /killed by an eviction/, 'writer'), JSON.stringify(p.findings));
    });
  });

  test('jobs: Completed, and Error with backoffLimit', async () => {
    await inNamespace('e2e-jobs', async (ns) => {
      await applyScenario('jobs.yaml', ns.name);
      const name = async (job: string) => {
        let n = '';
        await waitFor(
          async () => {
            n = (await kubectl(['get', 'pods', '-n', ns.name, '-l', `job-name=${job}`, '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
            return n !== '';
          },
          30_000,
          `${job} pod`,
        );
        return n;
      };
      const ok = await until(ns.name, await name('job-ok'), (x) => x.status === 'Completed', 'Completed');
      assert.equal(ok.findings.filter((f) => f.severity === 'error').length, 0);
      const bad = await until(ns.name, await name('job-fail'), (x) => x.status === 'Error', 'Error');
      assert.ok(finding(bad, /failed with exit 2.*not restarted \(restartPolicy Never\)/), JSON.stringify(bad.findings));
    });
  });
});
