// Rollouts on the real cluster with the real controller-manager: a Deployment rolled to a working
// revision and to a crash-looping one, a ResourceQuota that stops the new ReplicaSet, a progress
// deadline running out, a StatefulSet and a DaemonSet rolling, Jobs that complete and fail, -l
// across namespaces, and the rollout screen in a terminal (80 and 120 columns; 1,000 pods).
// --until's exit codes: 0 reached, 3 failed (cannot get there on its own), 4 timed out.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { applyScenario, inNamespace, kubeconfigPath, kubectl, launcher, podlife, Streaming, waitFor } from './helpers/env.ts';
import { TmuxSession } from './helpers/tmux.ts';

const FAILED = 3;

async function rolledOut(ns: string, target: string): Promise<void> {
  await kubectl(['rollout', 'status', target, '-n', ns, '--timeout', '120s']);
}

async function patch(ns: string, target: string, ops: readonly object[]): Promise<void> {
  await kubectl(['patch', target, '-n', ns, '--type', 'json', '-p', JSON.stringify(ops)]);
}

const crashing = [
  {
    op: 'replace',
    path: '/spec/template/spec/containers/0/command',
    value: ['sh', '-c', 'echo "shop v2 starting"; echo "panic: nil map in checkout handler" >&2; sleep 1; exit 3'],
  },
];

interface Json {
  kind: string;
  [k: string]: any;
}
const lines = (text: string): Json[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Json);

describe.concurrent('deployments', () => {
  test('rolled to a working revision: --until available exits 0 once the new pods are available', { timeout: 240_000 }, async () => {
    await inNamespace('e2e-ro-ok', async (ns) => {
      await applyScenario('rollout-deploy.yaml', ns.name);
      await rolledOut(ns.name, 'deploy/shop');
      await kubectl(['set', 'env', 'deploy/shop', '-n', ns.name, 'VERSION=2']);
      const r = await podlife(['deploy/shop', '-n', ns.name, '--until', 'available', '-o', 'json', '--timeout', '150s'], {
        timeoutMs: 180_000,
      });
      assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
      const out = lines(r.stdout);
      const until = out.at(-1)!;
      assert.equal(until.kind, 'until');
      assert.equal(until.outcome, 'reached');
      const workloads = out.filter((l) => l.kind === 'workload');
      const last = workloads.at(-1)!;
      assert.equal(last.revision, 2);
      assert.equal(last.revisions[0].revision, 2);
      assert.equal(last.revisions[0].available, 3, JSON.stringify(last.revisions));
      // Pods moved from the old revision to the new one: both were seen, each with its revision.
      const pods = out.filter((l) => l.kind === 'pod');
      assert.ok(
        pods.some((p) => p.revision === 1),
        'a pod of revision 1',
      );
      assert.ok(
        pods.some((p) => p.revision === 2 && p.status === 'Running' && p.ready === '1/1'),
        'a ready pod of revision 2',
      );
      // The real controller agrees: the new ReplicaSet has its pods available.
      const rs = JSON.parse((await kubectl(['get', 'rs', '-n', ns.name, '-o', 'json'])).stdout) as {
        items: { metadata: { annotations: Record<string, string> }; status: { availableReplicas?: number } }[];
      };
      const newRs = rs.items.find((x) => x.metadata.annotations['deployment.kubernetes.io/revision'] === '2')!;
      assert.equal(newRs.status.availableReplicas, 3);
    });
  });

  test(
    'rolled to a crash-looping revision: --until available fails at the second restart, naming pod, exit code, back-off and log tail; the screen shows the verdict at 120 and 80 columns',
    { timeout: 240_000 },
    async () => {
      await inNamespace('e2e-ro-crash', async (ns) => {
        await applyScenario('rollout-deploy.yaml', ns.name);
        await rolledOut(ns.name, 'deploy/shop');
        await patch(ns.name, 'deploy/shop', crashing);
        const r = await podlife(['deploy/shop', '-n', ns.name, '--until', 'available', '-o', 'text', '--timeout', '150s'], {
          timeoutMs: 180_000,
        });
        assert.equal(r.code, FAILED, r.stderr + r.stdout.slice(-3000));
        const report = r.stdout.slice(r.stdout.lastIndexOf('--until available failed'));
        assert.match(report, /--until available failed: deployment\/shop/);
        // The verdict names the new pod, its exit code and restarts (decided at the second restart, before a third).
        const pod = /pod (shop-[a-z0-9]+-[a-z0-9]+) (?:CrashLoopBackOff|Error|Running) \((exit 3, 2 restarts[^)]*)\)/.exec(report);
        assert.ok(pod, report);
        // The diagnosis of that pod with its back-off and its log tail.
        assert.match(report, new RegExp(`pod ${ns.name}/${pod[1]}  revision 2`));
        assert.match(report, /crash loop: the process exits with 3/);
        assert.match(report, /back-off \d+s/);
        assert.match(report, /\| panic: nil map in checkout handler/);
        // The old pods kept serving: kubectl says so too.
        const old = await kubectl(['get', 'pods', '-n', ns.name, '-l', 'app=shop', '--no-headers']);
        assert.equal(old.stdout.split('\n').filter((l) => /\s1\/1\s+Running\s/.test(l)).length, 3, old.stdout);

        // The rollout screen, watching the same rollout: the verdict, both revisions, the pod.
        const t = new TmuxSession([launcher, 'deploy/shop', '-n', ns.name], {
          width: 120,
          height: 40,
          env: { KUBECONFIG: kubeconfigPath() },
        });
        try {
          const screen = await t.waitForScreen(
            (s) => /stuck: new revision 2 cannot become available/.test(s) && s.includes(pod[1]!) && /revision 1 -> 2/.test(s),
            30_000,
          );
          for (const l of screen.split('\n')) assert.ok(l.length <= 120, l);
          assert.match(screen, /Deployment shop {2}revision 1 -> 2 {2}desired 3 {2}updated 1/);
          assert.match(screen, /maxSurge 1 -> at most 4 pods; maxUnavailable 0 -> at least 3 available/);
          assert.match(screen, /progress deadline (in|exceeded|passed)/);
          assert.match(screen, /─ new revision 2 \(shop-[a-z0-9]+\)/);
          assert.match(screen, /─ old revision 1 \(shop-[a-z0-9]+\) {2}3 Running/);
          assert.match(screen, /NAME +READY +STATUS +RESTARTS +AGE/);
          // The failing pod is first and selected.
          assert.match(screen, new RegExp(`› ${pod[1]} +0/1 +(CrashLoopBackOff|Error|Running)`));
          t.resize(80, 24);
          const small = await t.waitForScreen((s) => s.split('\n').every((l) => l.length <= 80) && /stuck:/.test(s), 10_000);
          assert.ok(small.trimEnd().split('\n').length <= 24, small);
          assert.match(small, new RegExp(pod[1]!.slice(0, 20)));
          // enter opens the pod screen; esc comes back.
          t.keys('Enter');
          await t.waitForScreen((s) => /─ containers/.test(s) && s.includes(pod[1]!), 10_000);
          t.keys('Escape');
          await t.waitForScreen((s) => /stuck:/.test(s) && /revision 1 -> 2/.test(s), 10_000);
          t.keys('q');
          await t.waitForScreen((s) => /\[exit 0\]/.test(s), 10_000);
        } finally {
          t.kill();
        }
      });
    },
  );

  test('a ResourceQuota stops the new ReplicaSet: FailedCreate is the verdict', { timeout: 200_000 }, async () => {
    await inNamespace('e2e-ro-quota', async (ns) => {
      await applyScenario('rollout-deploy.yaml', ns.name);
      await applyScenario('rollout-quota.yaml', ns.name);
      await rolledOut(ns.name, 'deploy/shop');
      await kubectl(['set', 'env', 'deploy/shop', '-n', ns.name, 'VERSION=2']);
      const r = await podlife(['deploy/shop', '-n', ns.name, '--until', 'available', '-o', 'text', '--timeout', '120s', '--width', '300'], {
        timeoutMs: 150_000,
      });
      assert.equal(r.code, FAILED, r.stderr + r.stdout.slice(-3000));
      const report = r.stdout.slice(r.stdout.lastIndexOf('--until available failed'));
      assert.match(
        report,
        /ReplicaSet shop-[a-z0-9]+ cannot create pods: exceeded quota: pods3, requested: pods=1, used: pods=3, limited: pods=3/,
      );
      // The owner-side event was streamed as it came.
      assert.match(
        r.stdout,
        /ReplicaSet\/shop-[a-z0-9]+ {2}Warning FailedCreate: Error creating: pods "shop-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota/,
      );
    });
  });

  test('the progress deadline counts down, then the controller marks it exceeded', { timeout: 200_000 }, async () => {
    await inNamespace('e2e-ro-deadline', async (ns) => {
      await applyScenario('rollout-deploy.yaml', ns.name);
      await rolledOut(ns.name, 'deploy/shop');
      const s = new Streaming(['deploy/shop', '-n', ns.name, '-o', 'json']);
      const t = new TmuxSession([launcher, 'deploy/shop', '-n', ns.name], {
        width: 100,
        height: 30,
        env: { KUBECONFIG: kubeconfigPath() },
      });
      try {
        await s.waitForLine((l) => l.startsWith('{"kind":"workload"') && l.includes('"state":"complete"'), 30_000);
        // A revision whose pods run but never become ready (the probe asks for a missing page): no
        // restart, nothing fails fast; only the deadline can end it.
        await patch(ns.name, 'deploy/shop', [
          { op: 'replace', path: '/spec/progressDeadlineSeconds', value: 15 },
          { op: 'replace', path: '/spec/template/spec/containers/0/readinessProbe/httpGet/path', value: '/not-there' },
        ]);
        const counting = await s.waitForLine((l) => {
          if (!l.startsWith('{"kind":"workload"')) return false;
          const w = JSON.parse(l) as Json;
          return w.revision === 2 && w.progressDeadline?.at !== null && w.progressDeadline?.exceeded === false;
        }, 30_000);
        const w = JSON.parse(counting.line) as Json;
        assert.equal(w.progressDeadline.seconds, 15);
        assert.equal(w.verdict.state, 'progressing');
        await t.waitForScreen((x) => /progress deadline in \d+s/.test(x), 20_000);
        const marked = await s.waitForLine(
          (l) => l.startsWith('{"kind":"workload"') && l.includes('"reason":"ProgressDeadlineExceeded"'),
          60_000,
          counting.index,
        );
        const m = JSON.parse(marked.line) as Json;
        assert.equal(m.progressDeadline.exceeded, true);
        assert.equal(m.verdict.state, 'stuck');
        assert.ok(
          m.verdict.evidence.some((e: string) => /condition Progressing=False ProgressDeadlineExceeded/.test(e)),
          JSON.stringify(m.verdict),
        );
        await t.waitForScreen((x) => /progress deadline exceeded \d+s ago/.test(x) && /stuck:/.test(x), 20_000);
        // kubectl rollout status says the same.
        const k = await kubectl(['rollout', 'status', 'deploy/shop', '-n', ns.name, '--watch=false'], { allowFail: true });
        assert.match(k.stderr, /exceeded its progress deadline/);
        // And --until fails at once.
        const r = await podlife(['deploy/shop', '-n', ns.name, '--until', 'available', '-o', 'text'], { timeoutMs: 60_000 });
        assert.equal(r.code, FAILED, r.stdout.slice(-2000));
        assert.match(r.stdout, /progress deadline \(15s\) exceeded/);
      } finally {
        t.kill();
        await s.stop();
      }
    });
  });
});

describe.concurrent('statefulsets, daemonsets, jobs', () => {
  test(
    'a StatefulSet rolling update (partition 0) and a DaemonSet roll out: --until rolled-out exits 0',
    { timeout: 240_000 },
    async () => {
      await inNamespace('e2e-ro-sts', async (ns) => {
        await applyScenario('rollout-sts.yaml', ns.name);
        await applyScenario('rollout-ds.yaml', ns.name);
        await rolledOut(ns.name, 'sts/db');
        await rolledOut(ns.name, 'ds/agent');
        await kubectl(['set', 'env', 'sts/db', '-n', ns.name, 'VERSION=2']);
        await kubectl(['set', 'env', 'ds/agent', '-n', ns.name, 'VERSION=2']);
        const [sts, ds] = await Promise.all([
          podlife(['sts/db', '-n', ns.name, '--until', 'rolled-out', '-o', 'text', '--timeout', '180s'], { timeoutMs: 200_000 }),
          podlife(['statefulsets.apps/db', '-n', ns.name, '--once', '-o', 'json'], { timeoutMs: 60_000 }).then(async (once) => [
            once,
            await podlife(['daemonset/agent', '-n', ns.name, '--until', 'rolled-out', '-o', 'text', '--timeout', '180s'], {
              timeoutMs: 200_000,
            }),
          ]),
        ]);
        assert.equal(sts.code, 0, sts.stdout.slice(-2000) + sts.stderr);
        assert.match(sts.stdout, /--until rolled-out reached: statefulset\/db/);
        assert.match(sts.stdout, /partitioned roll out complete: 3 new pods have been updated/);
        // While it rolled: the pods of both revisions, by ordinal from the top (db-2 first).
        assert.match(sts.stdout, /statefulset\/db revision 1 -> 2: \d of 3 updated/);
        const [once, daemon] = ds as [Awaited<ReturnType<typeof podlife>>, Awaited<ReturnType<typeof podlife>>];
        const w = lines(once.stdout).find((l) => l.kind === 'workload')!;
        assert.equal(w.workloadKind, 'StatefulSet');
        assert.equal(daemon.code, 0, daemon.stdout.slice(-2000) + daemon.stderr);
        assert.match(daemon.stdout, /daemon set "agent" successfully rolled out/);
        // The pods' revisions come from the ControllerRevisions: once the old pods are gone, every pod is of revision 2.
        let seen = '';
        await waitFor(
          async () => {
            const pods = lines((await podlife(['sts/db', '-n', ns.name, '--once', '-o', 'json'])).stdout).filter((l) => l.kind === 'pod');
            seen = JSON.stringify(pods.map((p) => [p.name, p.revision]));
            return pods.length === 3 && pods.every((p) => p.revision === 2);
          },
          60_000,
          () => `every pod of revision 2: ${seen}`,
        );
      });
    },
  );

  test(
    'Jobs: one completes (--until complete exits 0), one exceeds its backoffLimit (exits 3 with the reason)',
    { timeout: 200_000 },
    async () => {
      await inNamespace('e2e-ro-jobs', async (ns) => {
        await applyScenario('rollout-jobs.yaml', ns.name);
        const [ok, fail] = await Promise.all([
          podlife(['job/batch-ok', '-n', ns.name, '--until', 'complete', '-o', 'text', '--timeout', '120s'], { timeoutMs: 150_000 }),
          podlife(['jobs.batch/batch-fail', '-n', ns.name, '--until', 'complete', '-o', 'text', '--timeout', '120s'], {
            timeoutMs: 150_000,
          }),
        ]);
        assert.equal(ok.code, 0, ok.stdout.slice(-2000) + ok.stderr);
        assert.match(ok.stdout, /--until complete reached: job\/batch-ok/);
        assert.equal(fail.code, FAILED, fail.stdout.slice(-2000) + fail.stderr);
        assert.match(fail.stdout, /--until complete failed: job\/batch-fail/);
        assert.match(fail.stdout, /BackoffLimitExceeded/);
        assert.match(fail.stdout, /\| error: input corrupt/);
      });
    },
  );

  test("a CronJob: its next Job and that Job's pod, followed until complete", { timeout: 180_000 }, async () => {
    await inNamespace('e2e-ro-cron', async (ns) => {
      await applyScenario('rollout-cronjob.yaml', ns.name);
      // The schedule is every minute: the first Job comes within a minute.
      const r = await podlife(['cj/nightly', '-n', ns.name, '--until', 'complete', '-o', 'text', '--timeout', '150s', '--width', '200'], {
        timeoutMs: 170_000,
      });
      assert.equal(r.code, 0, r.stdout.slice(-2000) + r.stderr);
      const job = /CronJob\/nightly {2}Normal SuccessfulCreate: Created job (nightly-\d+)/.exec(r.stdout)?.[1];
      assert.ok(job, r.stdout.slice(-2000));
      assert.match(r.stdout, new RegExp(`Job/${job} {2}Normal SuccessfulCreate: Created pod: ${job}-[a-z0-9]+`));
      assert.match(r.stdout, new RegExp(`newest job ${job}: 1 Completed; complete: job/${job} completed: 1 succeeded`));
      assert.match(r.stdout, /--until complete reached: cronjob\/nightly/);
    });
  });

  test('-l across namespaces with -A: the pods of both, grouped by namespace; --until ready', { timeout: 150_000 }, async () => {
    await inNamespace('e2e-ro-a', async (a) => {
      await inNamespace('e2e-ro-b', async (b) => {
        const label = `podlife-e2e=${a.name}`;
        for (const ns of [a.name, b.name])
          await kubectl([
            'run', 'web', '-n', ns, '--image', 'docker.io/podlife/busybox:1', '--image-pull-policy', 'Never', '--labels', label,
            '--command', '--', 'sleep', '3600',
          ]); // prettier-ignore
        const r = await podlife(['-A', '-l', label, '--until', 'ready', '-o', 'text', '--timeout', '90s'], { timeoutMs: 120_000 });
        assert.equal(r.code, 0, r.stdout.slice(-2000) + r.stderr);
        assert.match(r.stdout, /--until ready reached: -l podlife-e2e=/);
        const once = await podlife(['-A', '-l', label, '--once'], { timeoutMs: 60_000 });
        assert.equal(once.code, 0, once.stderr);
        assert.match(once.stdout, new RegExp(`${a.name} +web +1/1 +Running`));
        assert.match(once.stdout, new RegExp(`${b.name} +web +1/1 +Running`));
        const json = lines((await podlife(['-A', '-l', label, '--once', '-o', 'json'])).stdout).filter((l) => l.kind === 'pod');
        assert.deepEqual(json.map((p) => p.namespace).sort(), [a.name, b.name].sort());
        assert.ok(json.every((p) => p.revision === null));
      });
    });
  });
});
