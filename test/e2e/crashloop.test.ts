// The crash loop watched from its creation through at least 4 restarts, on the real kubelet:
// every instance's exit code and run time, the back-off delays as the kubelet states them, the
// countdown reaching the real restart, and the log tail of each crash kept.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { applyScenario, kubectl, inNamespace, Streaming } from './helpers/env.ts';

interface Instance {
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationSeconds: number | null;
  exitCode: number | null;
  reason: string | null;
  running: boolean;
  logTail: string[] | null;
}
interface Pod {
  kind: 'pod';
  status: string;
  restarts: number;
  containers: {
    name: string;
    restartCount: number;
    instances: Instance[];
    backoff: { delaySeconds: number | null; nextAttemptAt: string | null; estimated: boolean; attempt: number | null } | null;
  }[];
  findings: { title: string; evidence: string[] }[];
}

test('crash loop through 4 restarts: instances, back-off 10s/20s/40s, countdown, log tails', { timeout: 330_000 }, async () => {
  await inNamespace('e2e-crashloop', async (ns) => {
    const s = new Streaming(['crashloop', '-n', ns.name, '--wait', '-o', 'json']);
    try {
      await s.waitForLine((l) => l.includes('does not exist yet'), 20_000);
      await applyScenario('crashloop.yaml', ns.name);
      const checkedWithKubectl: { attempt: number; ours: number; kubectl: number }[] = [];
      const predictions: { delay: number; nextAttemptAt: number; attempt: number }[] = [];
      let from = 0;
      let last: Pod | undefined;
      // Follow the stream; at each back-off, read the kubelet's own message with kubectl too.
      while (!last || last.restarts < 4 || !last.containers[0]!.instances.some((i) => i.attempt === 4 && !i.running)) {
        const { line, index } = await s.waitForLine((l) => l.startsWith('{"kind":"pod"'), 150_000, from);
        from = index + 1;
        last = JSON.parse(line) as Pod;
        const b = last.containers[0]!.backoff;
        if (b?.delaySeconds != null && b.nextAttemptAt && !predictions.some((p) => p.attempt === b.attempt)) {
          predictions.push({ delay: b.delaySeconds, nextAttemptAt: Date.parse(b.nextAttemptAt), attempt: b.attempt! });
          // The same moment through kubectl, when it still shows this back-off (the kubelet may
          // already have restarted the container by the time kubectl asks).
          const got = (
            await kubectl([
              'get',
              'pod',
              'crashloop',
              '-n',
              ns.name,
              '-o',
              'jsonpath={.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].state.waiting.message}',
            ])
          ).stdout;
          const m = /^(\d+) back-off (\d+)s restarting/.exec(got);
          if (m && Number(m[1]) + 1 === b.attempt)
            checkedWithKubectl.push({ attempt: b.attempt!, ours: b.delaySeconds, kubectl: Number(m[2]) });
          assert.equal(b.estimated, false);
        }
      }
      const app = last.containers[0]!;
      // Every instance that ended: exit 1 after about 2 s, with its own log tail.
      const ended = app.instances.filter((i) => !i.running);
      assert.ok(ended.length >= 4, `ended: ${ended.length}`);
      assert.deepEqual(
        app.instances.slice(0, 5).map((i) => i.attempt),
        [0, 1, 2, 3, 4],
      );
      for (const i of ended) {
        assert.equal(i.exitCode, 1);
        assert.equal(i.reason, 'Error');
        assert.ok(
          i.durationSeconds !== null && i.durationSeconds >= 1 && i.durationSeconds <= 4,
          `instance ${i.attempt} ran ${i.durationSeconds}s`,
        );
      }
      // Log tails arrive shortly after each end: wait for the last one, then check all of them.
      const { line } = await s.waitForLine((l) => {
        if (!l.startsWith('{"kind":"pod"')) return false;
        const p = JSON.parse(l) as Pod;
        return p.containers[0]!.instances.filter((i) => !i.running && i.attempt <= 4).every((i) =>
          i.logTail?.some((x) => x.includes('fatal: /etc/app/config.yaml')),
        );
      }, 30_000);
      const withLogs = (JSON.parse(line) as Pod).containers[0]!.instances.filter((i) => i.attempt <= 4);
      for (const i of withLogs)
        assert.ok(i.logTail!.includes('starting app v1.4.2'), `instance ${i.attempt}: ${JSON.stringify(i.logTail)}`);

      // The delays we report are the ones the kubelet wrote, in the kubelet's order.
      const ours = predictions.map((p) => p.delay);
      assert.deepEqual(ours.slice(0, 3), [10, 20, 40], `ours ${ours}`);
      for (const c of checkedWithKubectl)
        assert.equal(c.ours, c.kubectl, `attempt ${c.attempt}: ours ${c.ours}s, kubectl shows ${c.kubectl}s`);
      assert.ok(checkedWithKubectl.length >= 1, 'kubectl caught at least one back-off to compare');
      // The countdown reached the real restart: the next instance started at the predicted time,
      // give or take the kubelet's pod sync (a few seconds).
      for (const p of predictions) {
        const next = app.instances.find((i) => i.attempt === p.attempt);
        if (!next?.startedAt) continue;
        const drift = (Date.parse(next.startedAt) - p.nextAttemptAt) / 1000;
        assert.ok(drift >= -1.5 && drift <= 15, `attempt ${p.attempt}: started ${drift}s after the predicted time (back-off ${p.delay}s)`);
      }
      assert.ok(predictions.length >= 3);
      assert.ok(
        last.findings.some((f) => /crash loop: the process exits with 1/.test(f.title)),
        JSON.stringify(last.findings),
      );
    } finally {
      await s.stop();
    }
  });
});
