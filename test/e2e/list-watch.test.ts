// The watch loop against the real API server, with faults injected in front of it by a loopback
// TCP proxy: connections cut, a stall the watchdog must notice, connections refused for a while.
// After each fault the loop must come back live and nothing that changed meanwhile may be lost.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../src/kube/client.ts';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.ts';
import { runListWatch } from '../../src/kube/list-watch.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { kubeconfigPath, kubectl, newNamespace, waitFor } from './helpers/env.ts';

let proxy: FaultProxy;
let ns: { name: string; cleanup: () => Promise<void> };
let client: KubeClient;

before(async () => {
  const kcPath = kubeconfigPath();
  const text = readFileSync(kcPath, 'utf8');
  const server = /server:\s*(https:\/\/[^\s]+)/.exec(text)?.[1];
  assert.ok(server, 'cluster kubeconfig has a server');
  const u = new URL(server);
  proxy = await startFaultProxy(u.hostname, Number(u.port));
  const dir = mkdtempSync(join(tmpdir(), 'podlife-lw-'));
  const proxied = join(dir, 'kubeconfig');
  writeFileSync(proxied, text.replace(server, `https://${u.hostname}:${proxy.port}`));
  // Certificate paths in the kubeconfig may be relative to its own directory.
  const config = resolveKubeconfig({ kubeconfig: proxied, context: undefined, namespace: undefined, env: {} });
  client = new KubeClient(config, 10_000);
  ns = await newNamespace('lw');
});

after(async () => {
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

function watch(signal: AbortSignal, watchdogMs = 60_000, via: KubeClient = client) {
  const seen: { lists: number; events: string[]; states: string[] } = { lists: 0, events: [], states: [] };
  const names = (items: readonly unknown[]) => items.map((i) => (i as { metadata: { name: string } }).metadata.name);
  const lw = runListWatch(
    via,
    { path: `/api/v1/namespaces/${ns.name}/pods`, query: { labelSelector: 'suite=lw' } },
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
    signal,
    { watchdogMs, backoffInitialMs: 200, backoffMaxMs: 2_000, timeoutSeconds: 30 },
  );
  return { lw, seen: seen as Seen };
}

test('list then watch: create, modify, delete arrive in order', async () => {
  const abort = new AbortController();
  const { lw, seen } = watch(abort.signal);
  await lw.firstList;
  await waitFor(() => seen.states.includes('live'), 10_000, 'live');
  await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: podYaml('a') });
  await kubectl(['label', 'pod', 'a', '-n', ns.name, 'step=1']);
  await kubectl(['delete', 'pod', 'a', '-n', ns.name, '--wait=false', '--grace-period=0', '--force']);
  await waitFor(() => seen.events.some((e) => e.startsWith('DELETED a')), 20_000, 'DELETED a');
  const a = seen.events.filter((e) => / a\b/.test(e));
  assert.deepEqual(a.slice(0, 2), ['ADDED a', 'MODIFIED a 1']);
  abort.abort();
  await lw.done;
});

test('connections cut: reconnects, resumes from the last resourceVersion, loses nothing', async () => {
  const abort = new AbortController();
  const { lw, seen } = watch(abort.signal);
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
  abort.abort();
  await lw.done;
});

test('a stalled watch is noticed by the watchdog and replaced', async () => {
  const abort = new AbortController();
  const { lw, seen } = watch(abort.signal, 3_000);
  await lw.firstList;
  await waitFor(() => seen.states.includes('live'), 10_000, 'live');
  proxy.stall(true);
  await waitFor(() => seen.states.some((s) => s.includes('no data from the watch')), 15_000, 'watchdog');
  await kubectl(['label', 'pod', 'b', '-n', ns.name, 'step=3', '--overwrite']);
  proxy.stall(false);
  await waitFor(() => seen.events.includes('MODIFIED b 3'), 20_000, 'b step 3 after the stall');
  abort.abort();
  await lw.done;
});

test('410 Gone from the real apiserver: the loop relists and goes on (no event lost)', async () => {
  // Resuming from a resourceVersion the server no longer keeps: the first watch after the list asks
  // for resourceVersion 1, as a client that was away far too long would; the real apiserver
  // answers 410 (Expired) and the loop must relist.
  let rewritten = 0;
  const stale = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'request') {
        return (path: string, opts: { query?: Record<string, string | undefined> }) => {
          if (opts.query?.['watch'] === 'true' && rewritten === 0) {
            rewritten++;
            return target.request(path, { ...opts, query: { ...opts.query, resourceVersion: '1' } } as never);
          }
          return target.request(path, opts as never);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as KubeClient;
  const abort = new AbortController();
  const { lw, seen } = watch(abort.signal, 60_000, stale);
  await lw.firstList;
  await waitFor(() => seen.lists >= 2, 15_000, 'a relist after 410');
  await waitFor(() => seen.states.includes('live'), 10_000, 'live after the relist');
  assert.equal(rewritten, 1);
  await kubectl(['label', 'pod', 'b', '-n', ns.name, 'step=4', '--overwrite']);
  await waitFor(() => seen.events.includes('MODIFIED b 4'), 20_000, 'b step 4 after the relist');
  abort.abort();
  await lw.done;
});
