// The two request paths of the client (src/kube/transport.ts): node:https when there is no proxy,
// undici through one. The same requests against the same loopback HTTPS server must end the same
// way on both: a compressed body read back, a --request-timeout that fires before the answer or in
// the middle of the body, a caller that gives up. And without a proxy, a watch keeps its own
// connection: the short requests after it reuse one idle connection instead of opening more.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { parseArgs } from '../../src/cli.ts';
import { ApiError, KubeClient } from '../../src/kube/client.ts';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.ts';
import { startConnectProxy, type ForwardProxy } from '../helpers/proxies.ts';
import { makePki } from './helpers/request-recorder.ts';

// A list larger than the API server's gzip threshold (128 KiB), as it would send it.
const BIG = JSON.stringify({
  kind: 'PodList',
  metadata: { resourceVersion: '7' },
  items: Array.from({ length: 800 }, (_, i) => ({ metadata: { name: `pod-${i}`, labels: { app: 'x'.repeat(150) } } })),
});

let server: Server;
let url: string;
let proxy: ForwardProxy;
let dir: string;
let connections = 0;

beforeAll(async () => {
  const pki = makePki();
  server = createServer({ key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert) }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    if (path === '/big') {
      const gz = String(req.headers['accept-encoding'] ?? '').includes('gzip');
      res.writeHead(200, { 'Content-Type': 'application/json', ...(gz ? { 'Content-Encoding': 'gzip' } : {}) });
      res.end(gz ? gzipSync(BIG) : BIG);
    } else if (path === '/hang') {
      // never answers
    } else if (path === '/stall') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"items": [');
    } else if (path === '/watch') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"2"}}}\n');
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"kind":"Status","status":"Success"}');
    }
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy = await startConnectProxy();
  dir = mkdtempSync(join(tmpdir(), 'podlife-transport-'));
  writeFileSync(
    join(dir, 'kubeconfig'),
    `apiVersion: v1
kind: Config
current-context: direct
clusters:
- name: direct
  cluster: {server: "${url}", certificate-authority: "${pki.ca}"}
- name: proxied
  cluster: {server: "${url}", certificate-authority: "${pki.ca}", proxy-url: "${proxy.url}"}
users:
- name: tok
  user: {token: t}
contexts:
- name: direct
  context: {cluster: direct, user: tok}
- name: proxied
  context: {cluster: proxied, user: tok}
`,
  );
}, 30_000);

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await proxy.close();
});

function clientFor(context: string, timeoutMs?: number): KubeClient {
  const parsed = parseArgs(['x', '--kubeconfig', join(dir, 'kubeconfig'), '--context', context], { stdoutIsTTY: false, version: 't' });
  if (parsed.kind !== 'run') throw new Error('arguments not parsed');
  return new KubeClient(resolveKubeconfig({ ...parsed.options.kube, env: { HOME: dir }, home: dir }), timeoutMs);
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('the request did not fail');
}

describe.each([
  { path: 'node:https (no proxy)', context: 'direct' },
  { path: 'undici (HTTP CONNECT proxy)', context: 'proxied' },
])('$path', ({ context }) => {
  test('a gzip-compressed list is read back whole', { timeout: 20_000 }, async () => {
    const client = clientFor(context);
    try {
      const tunnels = proxy.tunnels.length;
      const body = await client.getJson<{ items: unknown[] }>('/big');
      assert.equal(body.items.length, 800);
      assert.equal(proxy.tunnels.length > tunnels, context === 'proxied', 'the proxy is used exactly when configured');
    } finally {
      client.close();
    }
  });

  test('--request-timeout: no answer, and an answer that stops mid-body, both end as a timeout', { timeout: 20_000 }, async () => {
    const client = clientFor(context, 300);
    try {
      for (const path of ['/hang', '/stall']) {
        const e = await failure(client.getJson(path));
        assert.equal(e.kind, 'timeout', `${path}: ${e.kind} ${e.message}`);
      }
    } finally {
      client.close();
    }
  });

  test('a caller that gives up: aborted, not a network error', { timeout: 20_000 }, async () => {
    const client = clientFor(context);
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 200);
      const e = await failure(client.getJson('/hang', { signal: ac.signal }));
      assert.equal(e.kind, 'aborted', `${e.kind} ${e.message}`);
    } finally {
      client.close();
    }
  });
});

test('without a proxy, a watch opens a connection of its own: the request after it reuses the idle one', { timeout: 20_000 }, async () => {
  // As at startup: a list, then its watch, then a log tail. The log tail must not wait for a new
  // TCP and TLS handshake because the watch took the list's connection.
  const client = clientFor('direct');
  const ac = new AbortController();
  try {
    await client.getJson('/ok');
    const watch = await client.request('/watch', { stream: true, signal: ac.signal });
    for await (const chunk of watch.body) if (String(chunk).includes('ADDED')) break;
    const before = connections;
    await client.getText('/ok');
    await client.getJson('/ok');
    assert.equal(connections - before, 0);
  } finally {
    ac.abort();
    client.close();
  }
});

test('a refused connection is "unreachable: connection refused", as kubectl words it', { timeout: 20_000 }, async () => {
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  const port = (spare.address() as AddressInfo).port;
  await new Promise((resolve) => spare.close(resolve));
  const parsed = parseArgs(['x', '--server', `https://127.0.0.1:${port}`, '--insecure-skip-tls-verify'], {
    stdoutIsTTY: false,
    version: 't',
  });
  if (parsed.kind !== 'run') throw new Error('arguments not parsed');
  const client = new KubeClient(resolveKubeconfig({ ...parsed.options.kube, env: { HOME: dir }, home: dir }), 5_000);
  try {
    const e = await failure(client.getJson('/ok'));
    assert.equal(e.kind, 'unreachable');
    assert.equal(e.message, 'connection refused');
  } finally {
    client.close();
  }
});
