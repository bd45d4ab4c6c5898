// The watch loop against the real API server, with faults injected in front of it by a loopback
// TCP proxy: connections cut, a stall the watchdog must notice, connections refused for a while.
// After each fault the loop must come back live and nothing that changed meanwhile may be lost.

import { afterAll, beforeAll, test } from 'vitest';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../src/kube/client.ts';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.ts';
import { runListWatch } from '../../src/kube/list-watch.ts';
import { proxiedKubeconfig, type FaultProxy } from '../helpers/fault-proxy.ts';
import { compactEtcd, etcdUrl, kubeconfigPath, kubectl, newNamespace, waitFor } from './helpers/env.ts';

let proxy: FaultProxy;
let ns: { name: string; cleanup: () => Promise<void> };
let client: KubeClient;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlife-lw-'));
  let proxied: string;
  ({ proxy, kubeconfig: proxied } = await proxiedKubeconfig(kubeconfigPath(), join(dir, 'kubeconfig')));
  // Certificate paths in the kubeconfig may be relative to its own directory.
  const config = resolveKubeconfig({ kubeconfig: proxied, context: undefined, namespace: undefined, env: {} });
  client = new KubeClient(config, 10_000);
  ns = await newNamespace('lw');
});

// Every loop a test starts is stopped here too, so that a failing test cannot leave one running
// (a loop retrying forever would keep this file's process alive).
const running = new Set<() => Promise<void>>();

afterAll(async () => {
  await Promise.all([...running].map((stop) => stop()));
  client?.close();
  await proxy?.close();
  await ns?.cleanup();
});

const podYaml = (name: string): string => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: { suite: lw } }
spec:
  nodeName: podlife-nowhere
  containers: [{ name: c, image: podlife/none:0 }]
`;

interface Seen {
  readonly lists: number;
  readonly events: string[];
  readonly states: string[];
}

function watch(watchdogMs = 60_000, spec?: { path: string; query: Record<string, string> }) {
  const abort = new AbortController();
  const seen: { lists: number; events: string[]; states: string[] } = { lists: 0, events: [], states: [] };
  const names = (items: readonly unknown[]) => items.map((i) => (i as { metadata: { name: string } }).metadata.name);
  const lw = runListWatch(
    client,
    spec ?? { path: `/api/v1/namespaces/${ns.name}/pods`, query: { labelSelector: 'suite=lw' } },
    {
      onList(items) {
        seen.lists++;
        for (const n of names(items)) seen.events.push(`LIST ${n}`);
      },
      onWatchEvent(type, object) {
        const o = object as { metadata: { name: string; labels?: Record<string, string> } };
        seen.events.push(`${type} ${o.metadata.name} ${o.metadata.labels?.['step'] ?? ''}`.trim());
      },
      onState(state, message) {
        seen.states.push(message ? `${state}: ${message}` : state);
      },
      onFatal() {
        return true;
      },
    },
    abort.signal,
    { watchdogMs, backoffInitialMs: 200, backoffMaxMs: 2_000, timeoutSeconds: 30 },
  );
  const stop = async (): Promise<void> => {
    abort.abort();
    await lw.done;
  };
  running.add(stop);
  return { lw, seen: seen as Seen, stop };
}

test('list then watch: create, modify, delete arrive in order', async () => {
  const { lw, seen, stop } = watch();
  await lw.firstList;
  await waitFor(() => seen.states.includes('live'), 10_000, 'live');
  await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: podYaml('a') });
  await kubectl(['label', 'pod', 'a', '-n', ns.name, 'step=1']);
  await kubectl(['delete', 'pod', 'a', '-n', ns.name, '--wait=false', '--grace-period=0', '--force']);
  await waitFor(() => seen.events.some((e) => e.startsWith('DELETED a')), 20_000, 'DELETED a');
  const a = seen.events.filter((e) => / a\b/.test(e));
  assert.deepEqual(a.slice(0, 2), ['ADDED a', 'MODIFIED a 1']);
  await stop();
});

test('connections cut: reconnects, resumes from the last resourceVersion, loses nothing', async () => {
  const { lw, seen, stop } = watch();
  await lw.firstList;
  await waitFor(() => seen.states.includes('live'), 10_000, 'live');
  proxy.refuse(true);
  proxy.cutAll();
  await waitFor(() => seen.states.some((s) => s.startsWith('reconnecting')), 10_000, 'reconnecting');
  // Changes while we are cut off.
  await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: podYaml('b') });
  await kubectl(['label', 'pod', 'b', '-n', ns.name, 'step=2']);
  proxy.refuse(false);
  await waitFor(() => seen.events.includes('MODIFIED b 2') || seen.events.includes('ADDED b 2'), 20_000, 'b step 2 after reconnect');
  assert.equal(seen.lists, 1, 'resumed from the resourceVersion without a relist');
  assert.ok(seen.states.filter((s) => s === 'live').length >= 2, `live again: ${seen.states.join(' | ')}`);
  await stop();
});

test('a stalled watch is noticed by the watchdog and replaced', async () => {
  const { lw, seen, stop } = watch(3_000);
  await lw.firstList;
  await waitFor(() => seen.states.includes('live'), 10_000, 'live');
  proxy.stall(true);
  await waitFor(() => seen.states.some((s) => s.includes('no data from the watch')), 15_000, 'watchdog');
  await kubectl(['label', 'pod', 'b', '-n', ns.name, 'step=3', '--overwrite']);
  proxy.stall(false);
  await waitFor(() => seen.events.includes('MODIFIED b 3'), 20_000, 'b step 3 after the stall');
  await stop();
});

test('410 Gone from the real apiserver: away too long, the loop relists and loses nothing', async (ctx) => {
  // The genuine case: the loop is cut off, meanwhile events are written and etcd is compacted past
  // the resourceVersion the loop holds. Events have no watch cache in the apiserver, so the resumed
  // watch reaches etcd, which refuses the compacted revision; the apiserver answers 410 Expired.
  const etcd = etcdUrl();
  if (!etcd) {
    ctx.skip('needs the etcd of the cluster (set PODLIFE_E2E_ETCD) to compact it');
    return;
  }
  const { lw, seen, stop } = watch(60_000, { path: `/api/v1/namespaces/${ns.name}/events`, query: {} });
  await lw.firstList;
  await waitFor(() => seen.states.includes('live'), 10_000, 'live');
  assert.equal(seen.lists, 1);
  proxy.refuse(true);
  proxy.cutAll();
  await waitFor(() => seen.states.some((s) => s.startsWith('reconnecting')), 10_000, 'reconnecting');
  await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: eventYaml('while-away-1', ns.name) });
  await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: eventYaml('while-away-2', ns.name) });
  await compactEtcd(etcd);
  proxy.refuse(false);
  // The loop relists only on 410 (other failures resume from the resourceVersion it holds).
  await waitFor(() => seen.lists >= 2, 20_000, 'a relist after 410');
  assert.ok(
    seen.events.includes('LIST while-away-1') && seen.events.includes('LIST while-away-2'),
    `the relist has what changed meanwhile: ${seen.events.join(' | ')}`,
  );
  await waitFor(() => seen.states.filter((s) => s === 'live').length >= 2, 10_000, 'live after the relist');
  await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: eventYaml('after-relist', ns.name) });
  await waitFor(() => seen.events.includes('ADDED after-relist'), 20_000, 'an event after the relist');
  await stop();
});

function eventYaml(name: string, namespace: string): string {
  return `apiVersion: v1
kind: Event
metadata: { name: ${name} }
involvedObject: { kind: Pod, name: b, namespace: ${namespace} }
reason: Test
message: written while the watch was away
type: Normal
source: { component: podlife-e2e }
`;
}
