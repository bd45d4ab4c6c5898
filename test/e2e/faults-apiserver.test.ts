// kube-apiserver killed (SIGKILL) and started again mid-watch, three times in a row, while podlife
// watches a pod through it as JSON lines and as the terminal UI. The apiserver is one of an HA pair
// of our own beside the test cluster (shared etcd, own prefix): while the watched one is down, the
// other writes the pod's next status, as a kubelet would have. After each restart podlife must say
// it was reconnecting, come back live, show the transition it missed exactly once, and end with
// the same picture as a fresh `--once`. Recovery times are printed, not asserted.

import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startControlPlane, type Apiserver, type ControlPlane } from './helpers/control-plane.ts';
import { kubectl, launcher, Streaming } from './helpers/env.ts';
import { isConnection, isLifecycle, parsed, stampLines } from './helpers/json-lines.ts';
import { assertRecovered, outageSteps } from './helpers/outage.ts';
import { patchStatus, statusFor, unschedulablePod } from './helpers/pod-status.ts';
import { TmuxSession } from './helpers/tmux.ts';

let cp: ControlPlane | undefined;
let watched: Apiserver;
let writer: Apiserver;
const ns = 'faults-apiserver';
const pod = 'victim';

beforeAll(async () => {
  cp = await startControlPlane({ etcd: 'shared', apiservers: 2 });
  [watched, writer] = cp.apiservers as [Apiserver, Apiserver];
  await kubectl(['create', 'namespace', ns], { kubeconfig: writer.kubeconfig });
  await kubectl(['apply', '-n', ns, '-f', '-'], { kubeconfig: writer.kubeconfig, input: unschedulablePod(pod) });
}, 120_000);

afterAll(async () => {
  await cp?.stop();
}, 60_000);

test(
  'kube-apiserver SIGKILLed and restarted three times: reconnecting, live again, each missed transition once, same picture as a fresh list',
  { timeout: 300_000 },
  async () => {
    const created = Date.now() - 5_000;
    await patchStatus(writer.kubeconfig, ns, pod, statusFor({ kind: 'waiting' }, created));
    const t0 = Date.now();
    // What happens while the watched apiserver is down, one step per outage.
    const steps = outageSteps(t0);

    const env = { KUBECONFIG: watched.kubeconfig };
    const json = new Streaming([pod, '-n', ns, '-o', 'json', '--log-lines', '0'], env);
    const at = stampLines(json);
    const tui = new TmuxSession([launcher, pod, '-n', ns, '--log-lines', '0'], { width: 120, height: 40, env });
    const rows: string[] = [];
    try {
      await json.waitForLine(isConnection('live'), 30_000);
      await tui.waitForScreen((s) => s.includes('● live') && s.includes(`${ns}/${pod}`), 30_000);

      for (const [i, { step, lifecycle, containerID, screen }] of steps.entries()) {
        const from = json.lines.length;
        await watched.kill();
        const down = await json.waitForLine(isConnection('reconnecting'), 30_000, from);
        await tui.waitForScreen((s) => s.includes('● reconnecting'), 30_000);
        // The missed transition, written through the other apiserver of the pair.
        await patchStatus(writer.kubeconfig, ns, pod, statusFor(step, created));
        watched.start();
        const readyMs = await watched.waitReady();
        const live = await json.waitForLine(isConnection('live'), 90_000, from);
        const shown = await json.waitForLine(
          isLifecycle(lifecycle, (l) => l['containerID'] === containerID),
          60_000,
          from,
        );
        await tui.waitForScreen((s) => s.includes('● live') && screen.test(s), 60_000);
        const ms = (t: number): string => `${Math.round(t)} ms`;
        rows.push(
          [
            `kill ${i + 1}: reconnecting ${ms(at[down.index]! - watched.killedAt)} after the kill`,
            `apiserver restarted after ${ms(watched.startedAt - watched.killedAt)} (ready ${ms(readyMs)} after its start)`,
            `podlife live ${ms(at[live.index]! - watched.startedAt)} after the start`,
            `missed transition shown ${ms(at[shown.index]! - watched.startedAt)} after the start`,
          ].join(', '),
        );
      }

      await assertRecovered(json, steps, { pod, namespace: ns, env });
      // The connection state says it; the events watch, broken by the same kill, adds no warning.
      assert.deepEqual(
        parsed(json.lines).filter((l) => l.kind === 'note'),
        [],
      );
    } finally {
      tui.kill();
      await json.stop();
      const notes = parsed(json.lines).filter((l) => l.kind === 'note' || l.kind === 'connection');
      console.log(
        `apiserver kill/restart, podlife -o json:\n  ${rows.join('\n  ')}\n  connection and notes: ${notes.map((n) => JSON.stringify(n)).join(' ')}`,
      );
    }
  },
);
