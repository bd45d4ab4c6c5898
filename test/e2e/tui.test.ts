// The terminal UI in a real pseudo-terminal (tmux) against the real cluster: it draws the pod,
// follows keys, redraws on resize, and gives the terminal back on q.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'vitest';
import { applyScenario, kubeconfigPath, launcher, inNamespace, waitFor, kubectlRow } from './helpers/env.ts';
import { TmuxSession } from './helpers/tmux.ts';

test('TUI: live pod at 80 and 120 columns, keys, resize, clean exit', { timeout: 120_000 }, async () => {
  await inNamespace('e2e-tui', async (ns) => {
    await applyScenario('liveness.yaml', ns.name);
    await waitFor(
      async () =>
        (await kubectlRow(ns.name, 'liveness')).status !== 'ContainerCreating' &&
        (await kubectlRow(ns.name, 'liveness')).status !== 'Pending',
      60_000,
      'containers started',
    );
    const t = new TmuxSession([launcher, 'liveness', '-n', ns.name], { width: 120, height: 40, env: { KUBECONFIG: kubeconfigPath() } });
    try {
      const screen = await t.waitForScreen((s) => s.includes('● live') && /READY \d\/2/.test(s), 20_000);
      assert.match(screen, /liveness/);
      assert.match(screen, /› exec/);
      assert.match(screen, /timeline/);
      for (const line of screen.split('\n')) assert.ok(line.length <= 120, line);
      t.keys('j');
      await t.waitForScreen((s) => /› http/.test(s), 5_000);
      t.keys('Enter');
      await t.waitForScreen((s) => /http details/.test(s), 5_000);
      t.resize(80, 24);
      const small = await t.waitForScreen((s) => s.split('\n').every((l) => l.length <= 80) && /READY/.test(s), 5_000);
      assert.ok(small.trimEnd().split('\n').length <= 24, small);
      t.keys('q');
      const after = await t.waitForScreen((s) => /\[exit 0\]/.test(s), 5_000);
      assert.doesNotMatch(after, /● live/, 'the UI is gone and the shell prompt is back');
    } finally {
      t.kill();
    }
  });
});

test('TUI: SIGTERM leaves the alternate screen and exits cleanly', { timeout: 60_000 }, async () => {
  await inNamespace('e2e-tui-term', async (ns) => {
    await applyScenario('plain.yaml', ns.name);
    await waitFor(async () => (await kubectlRow(ns.name, 'plain')).status === 'Running', 60_000, 'Running');
    const t = new TmuxSession([launcher, 'plain', '-n', ns.name], { width: 100, height: 30, env: { KUBECONFIG: kubeconfigPath() } });
    try {
      await t.waitForScreen((s) => s.includes('● live') && s.includes('plain'), 20_000);
      // The pane's shell runs the launcher, which execs node: signal the node process itself.
      const shell = execFileSync('tmux', ['list-panes', '-t', t.name, '-F', '#{pane_pid}'], { encoding: 'utf8' }).trim();
      const node = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]!;
      process.kill(Number(node), 'SIGTERM');
      const after = await t.waitForScreen((s) => /\[exit \d+\]/.test(s), 10_000);
      assert.match(after, /\[exit 0\]/);
      assert.doesNotMatch(after, /● live/, 'the alternate screen is gone');
    } finally {
      t.kill();
    }
  });
});
