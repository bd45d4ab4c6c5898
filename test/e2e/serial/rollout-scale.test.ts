// 1,000 pods that cannot be scheduled: run apart from the rest of the e2e suite (after it, with the
// fault tests), because a thousand unschedulable pods slow the scheduler down for every other test's
// pods on the one-node cluster.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { applyScenario, inNamespace, kubeconfigPath, kubectl, launcher, podlife, Streaming, waitFor } from '../helpers/env.ts';
import { TmuxSession } from '../helpers/tmux.ts';

test('1,000 pending pods: the rollout screen shows them all and answers keys', { timeout: 240_000 }, async () => {
  await inNamespace('e2e-ro-many', async (ns) => {
    const items = Array.from({ length: 1000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `many-${i}`, labels: { app: 'many' } },
      spec: {
        nodeSelector: { 'podlife.e2e/none': 'nowhere' },
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'app', image: 'docker.io/podlife/busybox:1', imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
      },
    }));
    const file = join(tmpdir(), `podlife-many-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    await kubectl(['create', '-n', ns.name, '-f', file]);
    const t = new TmuxSession([launcher, '-l', 'app=many', '-n', ns.name, '--log-lines', '0'], {
      width: 120,
      height: 40,
      env: { KUBECONFIG: kubeconfigPath() },
    });
    try {
      // Once the scheduler has tried every pod, each is a reason the group cannot become ready.
      const screen = await t.waitForScreen(
        (s) => /1000 Pending/.test(s) && /stuck: 1000 of 1000 pods cannot become ready/.test(s),
        120_000,
      );
      assert.match(screen, /stuck: 1000 of 1000 pods cannot become ready: pod many-0 cannot be scheduled/);
      assert.match(screen, /✗ 1000 of 1000 pods: cannot be scheduled/);
      for (const l of screen.split('\n')) assert.ok(l.length <= 120, l);
      const selected = (s: string): string => /› (many-\d+)/.exec(s)?.[1] ?? '';
      const first = selected(screen);
      assert.equal(first, 'many-0', 'failing pods by name: many-0 first');
      t.keys('j');
      await t.waitForScreen((s) => selected(s) === 'many-1', 5_000);
      t.keys('G');
      await t.waitForScreen((s) => selected(s) === 'many-999' && /more lines? above/.test(s), 5_000);
      t.keys('/');
      await new Promise((r) => setTimeout(r, 300));
      t.keys('many-99');
      const filtered = await t.waitForScreen((s) => /11 of 1000 pods/.test(s), 5_000);
      assert.match(filtered, /many-990/);
      t.keys('Enter');
      await new Promise((r) => setTimeout(r, 300));
      t.keys('Enter');
      await t.waitForScreen((s) => /─ containers/.test(s) && /PodScheduled ✗/.test(s), 10_000);
      t.keys('q');
      await t.waitForScreen((s) => /\[exit 0\]/.test(s), 10_000);
    } finally {
      t.kill();
    }
  });
});
