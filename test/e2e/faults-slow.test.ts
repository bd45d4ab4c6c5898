// A slow API server: a loopback proxy in front of the test cluster delivers every byte the server
// sends 2 s late (every response, and the server's half of each TLS handshake). The terminal UI's
// first screen must come before the first answer and say it is waiting, and keys must work while
// it waits; then the pod arrives. Times are printed, not asserted.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { proxiedKubeconfig, type FaultProxy } from '../helpers/fault-proxy.ts';
import { kubeconfigPath, kubectl, launcher, newNamespace } from './helpers/env.ts';
import { patchStatus, statusFor, unschedulablePod } from './helpers/pod-status.ts';
import { TmuxSession } from './helpers/tmux.ts';

let ns: { name: string; cleanup: () => Promise<void> };
let proxy: FaultProxy;
let dir: string;
let kc: string;

beforeAll(async () => {
  ns = await newNamespace('faults-slow');
  dir = mkdtempSync(join(tmpdir(), 'podlife-faults-slow-'));
  ({ proxy, kubeconfig: kc } = await proxiedKubeconfig(kubeconfigPath(), join(dir, 'kubeconfig')));
  proxy.delay(2_000);
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await ns?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

test(
  '2 s added to every response: the first screen says it is waiting, keys work while it waits, then the pod',
  { timeout: 120_000 },
  async () => {
    const pod = 'slow';
    await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: unschedulablePod(pod) });
    await patchStatus(
      kubeconfigPath(),
      ns.name,
      pod,
      statusFor({ kind: 'running', id: 's1', startedAt: Date.now() - 2_000, restarts: 0 }, Date.now() - 5_000),
    );

    const started = Date.now();
    const tui = new TmuxSession([launcher, pod, '-n', ns.name, '--log-lines', '0'], { width: 100, height: 30, env: { KUBECONFIG: kc } });
    const times: string[] = [];
    try {
      // The first screen that shows anything: it must say that it is waiting, and show no pod yet.
      const first = await tui.waitForScreen((s) => s.trim() !== '', 30_000);
      times.push(`first screen ${Date.now() - started} ms after start`);
      assert.match(first, /● connecting/, `the first screen says it is connecting:\n${first}`);
      assert.match(first, /connecting to the API server/);
      assert.doesNotMatch(first, new RegExp(`${ns.name}/${pod}`), 'no pod before the server has answered');

      // Keys work while nothing has come back: help opens and closes.
      tui.keys('?');
      const help = await tui.waitForScreen((s) => s.includes('quit (the terminal is restored)'), 10_000);
      assert.match(help.split('\n')[0]!, /● connecting/, `help opened while still waiting:\n${help}`);
      tui.keys('?');
      await tui.waitForScreen((s) => !s.includes('quit (the terminal is restored)'), 10_000);

      const live = await tui.waitForScreen((s) => s.includes('● live') && s.includes(`${ns.name}/${pod}`) && /READY 1\/1/.test(s), 60_000);
      times.push(`pod shown ${Date.now() - started} ms after start`);
      assert.match(live, /› app/);

      // And once the pod is there: details open, an update arrives (late), q quits.
      tui.keys('Enter');
      await tui.waitForScreen((s) => s.includes('app details'), 10_000);
      const t0 = Date.now();
      await patchStatus(
        kubeconfigPath(),
        ns.name,
        pod,
        statusFor(
          { kind: 'terminated', id: 's1', startedAt: Date.now() - 3_000, finishedAt: Date.now() - 1_000, exitCode: 2, restarts: 0 },
          Date.now() - 5_000,
        ),
      );
      await tui.waitForScreen((s) => /READY 0\/1/.test(s), 30_000);
      times.push(`an update shown ${Date.now() - t0} ms after it was written`);
      tui.keys('q');
      const after = await tui.waitForScreen((s) => /\[exit \d+\]/.test(s), 15_000);
      assert.match(after, /\[exit 0\]/);
    } finally {
      tui.kill();
      console.log(`slow apiserver (2 s per response): ${times.join(', ')}`);
    }
  },
);

test(
  'no byte comes back (the TLS handshake hangs): the first screen still comes, says it is connecting, and q quits',
  { timeout: 120_000 },
  async () => {
    proxy.delay(0);
    proxy.stall(true);
    const tui = new TmuxSession([launcher, 'nothing', '-n', ns.name], { width: 100, height: 30, env: { KUBECONFIG: kc } });
    try {
      // The connection's handshake would give up after 30 s (CONNECT_TIMEOUT_MS): the screen must come long before.
      const first = await tui.waitForScreen((s) => s.trim() !== '', 15_000);
      assert.match(first, /● connecting/, `the first screen says it is connecting:\n${first}`);
      assert.match(first, /connecting to the API server/);
      assert.ok(proxy.accepted() >= 1, 'the connection was made and is stalled');
      tui.keys('q');
      const after = await tui.waitForScreen((s) => /\[exit \d+\]/.test(s), 15_000);
      assert.match(after, /\[exit 0\]/);
    } finally {
      tui.kill();
      proxy.stall(false);
    }
  },
);
