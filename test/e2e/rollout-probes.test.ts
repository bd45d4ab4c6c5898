// A Deployment rollout whose new ReplicaSet crash-loops, watched through deploy/NAME (the rollout
// view's lines: the workload and its pods, each with its revision); and probes over time:
// readiness flapping (ready both ways, never a restart) and a slow startup probe.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { applyScenario, kubectl, inNamespace, Streaming } from './helpers/env.ts';

interface Pod {
  kind: string;
  name: string;
  status: string;
  ready: string;
  restarts: number;
  owner: { kind: string; name: string } | null;
  revision: number | null;
  current: boolean;
  containers: { name: string; ready: boolean; started: boolean | null; restartCount: number }[];
  findings: { title: string; container: string | null }[];
}
const pods = (s: Streaming, from = 0): Pod[] =>
  s.lines
    .slice(from)
    .filter((l) => l.startsWith('{"kind":"pod"'))
    .map((l) => JSON.parse(l) as Pod);

test('rollout: deploy/web follows the old pod and the new crash-looping one', { timeout: 150_000 }, async () => {
  await inNamespace('e2e-rollout', async (ns) => {
    await applyScenario('deployment.yaml', ns.name);
    await kubectl(['rollout', 'status', 'deployment/web', '-n', ns.name, '--timeout', '60s']);
    const s = new Streaming(['deploy/web', '-n', ns.name, '-o', 'json']);
    try {
      const { index } = await s.waitForLine((l) => l.startsWith('{"kind":"pod"') && l.includes('"status":"Running"'), 20_000);
      const old = JSON.parse(s.lines[index]!) as Pod;
      await kubectl([
        'patch',
        'deployment',
        'web',
        '-n',
        ns.name,
        '--type',
        'json',
        '-p',
        JSON.stringify([
          {
            op: 'replace',
            path: '/spec/template/spec/containers/0/command',
            value: ['sh', '-c', 'echo starting v2; sleep 1; echo panic: nil map >&2; exit 2'],
          },
        ]),
      ]);
      await s.waitForLine((l) => {
        if (!l.startsWith('{"kind":"pod"')) return false;
        const p = JSON.parse(l) as Pod;
        return p.name !== old.name && p.restarts >= 2;
      }, 90_000);
      const seen = pods(s);
      const fresh = seen.filter((p) => p.name !== old.name).at(-1)!;
      assert.equal(fresh.owner?.kind, 'ReplicaSet');
      assert.notEqual(fresh.owner?.name, old.owner?.name, 'a new ReplicaSet');
      // The rollout view: the old pod is of revision 1, the new one of revision 2, and the workload
      // line says the new revision is stuck on that pod.
      assert.equal(old.revision, 1);
      assert.equal(fresh.revision, 2);
      const { line } = await s.waitForLine((l) => l.startsWith('{"kind":"workload"') && l.includes('"state":"stuck"'), 20_000);
      const w = JSON.parse(line) as {
        revision: number;
        revisions: { revision: number; name: string; pods: string[] }[];
        verdict: { reason: string; evidence: string[] };
      };
      assert.equal(w.revision, 2);
      assert.deepEqual(
        w.revisions.map((r) => [r.revision, r.name]),
        [
          [2, fresh.owner?.name],
          [1, old.owner?.name],
        ],
      );
      assert.ok(w.revisions[0]!.pods.includes(fresh.name));
      assert.equal(w.verdict.reason, 'new revision 2 cannot become available');
      assert.ok(
        w.verdict.evidence.some((e) => e.startsWith(`pod ${fresh.name} `) && /exit 2, \d+ restarts/.test(e)),
        JSON.stringify(w.verdict),
      );
      assert.ok(
        fresh.findings.some((f) => /crash loop: the process exits with 2/.test(f.title)),
        JSON.stringify(fresh.findings),
      );
      assert.ok(
        seen.some((p) => p.name === old.name && p.status === 'Running'),
        'the old pod keeps serving',
      );
      // kubectl agrees on the new pod's columns once it is in back-off.
      const row = await kubectl(['get', 'pod', fresh.name, '-n', ns.name, '--no-headers'], { allowFail: true });
      assert.match(
        row.stdout,
        /\s0\/1\s+(CrashLoopBackOff|Error|Running)\s/,
        `${fresh.name}: ${row.stderr}; ours: ${fresh.status} ${fresh.ready}`,
      );
    } finally {
      await s.stop();
    }
  });
});

test(
  'probes: readiness flaps both ways without restarts; the startup probe holds started=false, then passes',
  { timeout: 90_000 },
  async () => {
    await inNamespace('e2e-probes', async (ns) => {
      const s = new Streaming(['probes', '-n', ns.name, '--wait', '-o', 'json']);
      try {
        await s.waitForLine((l) => l.includes('does not exist yet'), 20_000);
        await applyScenario('probes.yaml', ns.name);
        const started = await s.waitForLine(
          (l) => l.includes('"type":"container-started"') && l.includes('"container":"slowstart"'),
          40_000,
        );
        // The pod line that goes with it follows the lifecycle lines of the same change.
        await s.waitForLine((l) => l.startsWith('{"kind":"pod"'), 10_000, started.index + 1);
        const flips = () =>
          s.lines.filter(
            (l) =>
              l.startsWith('{"kind":"lifecycle"') && l.includes('"container":"flappy"') && /"type":"container-(ready|not-ready)"/.test(l),
          );
        const deadline = Date.now() + 30_000;
        while (
          Date.now() < deadline &&
          !(flips().some((l) => l.includes('"container-ready"')) && flips().some((l) => l.includes('"container-not-ready"')))
        )
          await new Promise((r) => setTimeout(r, 500));
        assert.ok(
          flips().some((l) => l.includes('"container-ready"')) && flips().some((l) => l.includes('"container-not-ready"')),
          flips().join('\n'),
        );
        const all = pods(s);
        const last = all.at(-1)!;
        assert.equal(last.containers.find((c) => c.name === 'flappy')!.restartCount, 0);
        // Before the startup probe passed, slowstart was running but not started.
        assert.ok(all.some((p) => p.containers.find((c) => c.name === 'slowstart')?.started === false));
        assert.equal(last.containers.find((c) => c.name === 'slowstart')!.started, true);
      } finally {
        await s.stop();
      }
    });
  },
);
