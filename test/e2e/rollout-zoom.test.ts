// The rollout screen's strips zoomed and panned in a real terminal (tmux) on the real cluster: a
// Deployment of 2 replicas; + zooms to the latest seconds, [ pans into the past, 0 follows now
// again, and the title over the strips says which window is shown; every pod kubectl lists keeps
// its strip through all of it.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { inNamespace, kubeconfigPath, kubectl, launcher } from './helpers/env.ts';
import { TmuxSession } from './helpers/tmux.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('deploy/zoom: + [ 0 a on the strips, the axis title, every pod keeps its strip', { timeout: 180_000 }, async () => {
  await inNamespace('e2e-ro-zoom', async (ns) => {
    await kubectl([
      'create',
      'deployment',
      'zoom',
      '-n',
      ns.name,
      '--image=docker.io/podlife/busybox:1',
      '--replicas=2',
      '--',
      'sh',
      '-c',
      'exec sleep 3600',
    ]);
    await kubectl(['rollout', 'status', 'deploy/zoom', '-n', ns.name, '--timeout', '90s']);
    const pods = (
      await kubectl([
        'get',
        'pods',
        '-n',
        ns.name,
        '-o',
        'jsonpath={range .items[*]}{.metadata.name} {.metadata.creationTimestamp}{"\\n"}{end}',
      ])
    ).stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    assert.equal(pods.length, 2, JSON.stringify(pods));
    const names = pods.map((p) => p[0]!);
    // Old enough that + has something to zoom into (the smallest window is 10 s; the pods' time is their whole life).
    const oldest = Math.min(...pods.map((p) => Date.parse(p[1]!)));
    await sleep(Math.max(0, oldest + 35_000 - Date.now()));

    const t = new TmuxSession([launcher, 'deploy/zoom', '-n', ns.name], { width: 120, height: 30, env: { KUBECONFIG: kubeconfigPath() } });
    /** The rows of the pods, each with a strip of what it drew (ready, running, pending). */
    const stripsOk = (s: string): boolean =>
      names.every((n) => s.split('\n').some((l) => l.includes(` ${n} `) && /1\/1 +Running .*[█▒·]{3,}\s*$/.test(l)));
    const axisEnd = (s: string): string => (s.split('\n').find((l) => /[┴▲◆]/.test(l) && l.includes('─')) ?? '').trimEnd().slice(-1);
    try {
      const first = await t.waitForScreen((s) => /complete/.test(s) && stripsOk(s) && /NAME .*whole life/.test(s), 30_000);
      for (const l of first.split('\n')) assert.ok(l.length <= 120, l);
      assert.equal(axisEnd(first), '▲', 'following now: now at the right edge');
      assert.match(first, /█ ready/, 'the legend beside the axis');

      t.keys('+');
      const zoomed = await t.waitForScreen((s) => /following now, last (\d+s|1m)/.test(s) && stripsOk(s), 10_000);
      assert.equal(axisEnd(zoomed), '▲');

      t.keys('[');
      const past = await t.waitForScreen((s) => /\d\d:\d\d:\d\d \.\. \d\d:\d\d:\d\d/.test(s) && stripsOk(s), 10_000);
      assert.notEqual(axisEnd(past), '▲', 'a window in the past does not reach now');
      // The window stays where it was put while time passes.
      const title = /(\d\d:\d\d:\d\d \.\. \d\d:\d\d:\d\d)/.exec(past)![1]!;
      await sleep(2_000);
      assert.ok(t.screen().includes(title), 'the past window is fixed');

      t.keys('0');
      const now = await t.waitForScreen((s) => /NAME .*whole life/.test(s) && stripsOk(s), 10_000);
      assert.equal(axisEnd(now), '▲');

      t.keys('+');
      await t.waitForScreen((s) => /following now, last/.test(s), 10_000);
      t.keys('a');
      await t.waitForScreen((s) => /NAME .*whole life/.test(s) && stripsOk(s), 10_000);

      // kubectl lists the same pods.
      const listed = (await kubectl(['get', 'pods', '-n', ns.name, '-o', 'name'])).stdout.trim().split('\n').sort();
      assert.deepEqual(listed, names.map((n) => `pod/${n}`).sort());
      t.keys('q');
      await t.waitForScreen((s) => /\[exit 0\]/.test(s), 10_000);
    } finally {
      t.kill();
    }
  });
});
