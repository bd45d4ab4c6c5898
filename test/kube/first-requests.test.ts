// The first requests of a session, against a loopback HTTPS server: --once lists without opening
// watches (a list-only loop reports live and ends), and KubeClient.sent() says when the issued
// requests are on their way (connected, written) without waiting for the answers, so that the
// caller can load its view meanwhile; a request that fails counts as gone too.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { KubeClient } from '../../src/kube/client.ts';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.ts';
import { runListWatch } from '../../src/kube/list-watch.ts';
import { EMPTY_POD_LIST, makePki, startRecorder, type Recorder } from './helpers/request-recorder.ts';

const PODS = '/api/v1/namespaces/default/pods';
let server: Recorder;
let dir: string;
// Answers to /slow are held until the test lets them go.
let release: () => void = () => undefined;
let held = new Promise<void>((resolve) => (release = resolve));

beforeAll(async () => {
  server = await startRecorder({
    tls: true,
    respond: (req, res) => {
      const answer = (): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(EMPTY_POD_LIST);
      if (req.url?.startsWith('/slow')) void held.then(answer);
      else answer();
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'podlife-first-'));
});
afterAll(async () => {
  release();
  await server?.close();
});

function client(serverUrl = server.url): KubeClient {
  const pki = makePki();
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: serverUrl, 'certificate-authority': pki.ca } }],
      users: [{ name: 'u', user: { 'client-certificate': pki.clientCert, 'client-key': pki.clientKey } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  const config = resolveKubeconfig({ kubeconfig: file, context: undefined, namespace: undefined, env: { HOME: dir }, home: dir });
  return new KubeClient(config, 10_000);
}

test('a list-only loop (--once) lists once, says live, ends, and asks for no watch', async () => {
  const c = client();
  const before = server.requests.length;
  const seen: string[] = [];
  const abort = new AbortController();
  try {
    const lw = runListWatch(
      c,
      { path: PODS, query: {} },
      {
        onList: (items, rv) => void seen.push(`list ${items.length} at ${rv}`),
        onWatchEvent: (type) => void seen.push(`watch ${type}`),
        onState: (state) => void seen.push(state),
        onFatal: () => true,
      },
      abort.signal,
      { watch: false },
    );
    await lw.firstList;
    await lw.done; // ends by itself: nothing aborted it
    assert.deepEqual(seen, ['list 0 at 1', 'live']);
    const paths = server.requests.slice(before).map((r) => r.path);
    assert.equal(paths.length, 1, paths.join('\n'));
    assert.match(paths[0]!, /^\/api\/v1\/namespaces\/default\/pods\?limit=500$/);
  } finally {
    abort.abort();
    c.close();
  }
});

test('by default the loop goes on to watch from the listed resourceVersion', async () => {
  const c = client();
  const before = server.requests.length;
  const abort = new AbortController();
  try {
    const lw = runListWatch(
      c,
      { path: PODS, query: {} },
      { onList: () => undefined, onWatchEvent: () => undefined, onState: () => undefined, onFatal: () => true },
      abort.signal,
      // The recorder answers the watch with a list body and ends it: no back-off to wait through.
      { backoffInitialMs: 10_000 },
    );
    await lw.firstList;
    for (let i = 0; i < 100 && server.requests.length - before < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(server.requests[before + 1]?.path ?? '', /[?&]watch=true&.*resourceVersion=1/);
  } finally {
    abort.abort();
    c.close();
  }
});

test('sent() waits for a request to be issued, then resolves once it is on its way, before its answer', async () => {
  const c = client();
  held = new Promise<void>((resolve) => (release = resolve));
  try {
    let sent = false;
    const waiting = c.sent().then(() => (sent = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(sent, false, 'no request issued yet');
    let answered = false;
    const answer = c.getJson('/slow').then(() => (answered = true));
    await waiting;
    assert.equal(answered, false, 'sent() did not wait for the answer');
    // The server has it, and holds its answer until released.
    for (let i = 0; i < 100 && !server.requests.some((r) => r.path === '/slow'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(server.requests.some((r) => r.path === '/slow'));
    release();
    await answer;
    // Nothing in flight: at once.
    await c.sent();
  } finally {
    release();
    c.close();
  }
});

test('sent() does not wait for a request that cannot be sent (connection refused)', async () => {
  const closed = await startRecorder({ tls: true });
  const url = closed.url;
  await closed.close();
  const c = client(url);
  try {
    const failed = c.getJson(PODS).then(
      () => 'answered',
      () => 'failed',
    );
    await c.sent();
    assert.equal(await failed, 'failed');
  } finally {
    c.close();
  }
});
