// etcd killed (SIGKILL) and started again under a watching podlife, three times in a row. The etcd
// and the apiserver in front of it are our own (the test cluster's etcd is never stopped); podlife
// reaches the apiserver through a loopback fault proxy, so that its own connection can also be cut
// while etcd is down (cycles 2 and 3): then it must resume against an apiserver without storage.
//
// What the real apiserver does (seen here, and the same for `kubectl get -w`): it keeps its clients'
// watches open through an etcd restart and resumes its own etcd watch, so a client that is not cut
// off sees no error at all; nothing can be written while etcd is down. So the transition is written
// as soon as the apiserver accepts writes again, and podlife must show it once, never give up, and
// end with the same picture as a fresh `--once`. Times are printed, not asserted.

import { afterAll, beforeAll, test } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { startControlPlane, type Apiserver, type ControlPlane, type Etcd } from './helpers/control-plane.ts';
import { kubectl, launcher, Streaming } from './helpers/env.ts';
import { isConnection, isLifecycle, parsed, stampLines } from './helpers/json-lines.ts';
import { assertRecovered, outageSteps } from './helpers/outage.ts';
import { patchStatus, statusFor, unschedulablePod } from './helpers/pod-status.ts';
import { TmuxSession } from './helpers/tmux.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let cp: ControlPlane | undefined;
let proxy: FaultProxy | undefined;
let api: Apiserver;
let etcd: Etcd;
let proxied: string;
const ns = 'faults-etcd';
const pod = 'victim';

beforeAll(async () => {
  cp = await startControlPlane({ etcd: 'own', apiservers: 1 });
  api = cp.apiservers[0]!;
  etcd = cp.etcd!;
  proxy = await startFaultProxy('127.0.0.1', api.port);
  proxied = join(cp.dir, 'kubeconfig-proxied');
  writeFileSync(proxied, readFileSync(api.kubeconfig, 'utf8').replace(`:${api.port}`, `:${proxy.port}`));
  await kubectl(['create', 'namespace', ns], { kubeconfig: api.kubeconfig });
  await kubectl(['apply', '-n', ns, '-f', '-'], { kubeconfig: api.kubeconfig, input: unschedulablePod(pod) });
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await cp?.stop();
}, 60_000);

test(
  'etcd SIGKILLed and restarted three times: podlife keeps going, shows each transition once, same picture as a fresh list',
  { timeout: 300_000 },
  async () => {
    const created = Date.now() - 5_000;
    await patchStatus(api.kubeconfig, ns, pod, statusFor({ kind: 'waiting' }, created));
    const t0 = Date.now();
    // The first outage leaves podlife's watch open; the other two cut it off too.
    const steps = outageSteps(t0).map((x, i) => ({ ...x, cut: i > 0 }));

    const env = { KUBECONFIG: proxied };
    const json = new Streaming([pod, '-n', ns, '-o', 'json', '--log-lines', '0'], env);
    const at = stampLines(json);
    const tui = new TmuxSession([launcher, pod, '-n', ns, '--log-lines', '0'], { width: 120, height: 40, env });
    const rows: string[] = [];
    try {
      await json.waitForLine(isConnection('live'), 30_000);
      await tui.waitForScreen((s) => s.includes('● live') && s.includes(`${ns}/${pod}`), 30_000);

      for (const [i, { step, lifecycle, containerID, screen, cut }] of steps.entries()) {
        const from = json.lines.length;
        await etcd.kill();
        // An outage of a few seconds; in cycles 2 and 3 podlife's connection is cut meanwhile.
        await new Promise((r) => setTimeout(r, 1_500));
        let reconnectingMs: number | undefined;
        if (cut) {
          proxy!.cutAll();
          const down = await json.waitForLine(isConnection('reconnecting'), 30_000, from);
          reconnectingMs = at[down.index]! - etcd.killedAt;
          await tui.waitForScreen((s) => s.includes('● reconnecting') || s.includes('● live'), 30_000);
        }
        await new Promise((r) => setTimeout(r, 1_500));
        const during = parsed(json.lines, from)
          .filter((l) => l.kind === 'connection')
          .map((l) => l['state']);
        etcd.start();
        await etcd.waitListening();
        await patchStatus(api.kubeconfig, ns, pod, statusFor(step, created), 90_000);
        const written = Date.now();
        const shown = await json.waitForLine(
          isLifecycle(lifecycle, (l) => l['containerID'] === containerID),
          90_000,
          from,
        );
        if (cut) await json.waitForLine(isConnection('live'), 90_000, from);
        await tui.waitForScreen((s) => s.includes('● live') && screen.test(s), 60_000);
        rows.push(
          [
            `etcd kill ${i + 1}${cut ? ' + podlife cut off' : ''}: states during the outage [${during.join(', ') || 'none: the watch stayed open'}]`,
            ...(reconnectingMs !== undefined ? [`reconnecting ${reconnectingMs} ms after the kill`] : []),
            `etcd restarted after ${etcd.startedAt - etcd.killedAt} ms`,
            `first accepted write ${written - etcd.startedAt} ms after the restart`,
            `shown ${at[shown.index]! - etcd.startedAt} ms after the restart (${at[shown.index]! - written} ms from the write command's exit)`,
          ].join(', '),
        );
      }

      await assertRecovered(json, steps, { pod, namespace: ns, env });
    } finally {
      tui.kill();
      await json.stop();
      const notes = parsed(json.lines).filter((l) => l.kind === 'note' || l.kind === 'connection');
      console.log(
        `etcd kill/restart, podlife -o json:\n  ${rows.join('\n  ')}\n  connection and notes: ${notes.map((n) => JSON.stringify(n)).join(' ')}`,
      );
    }
  },
);
