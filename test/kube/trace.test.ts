// -v=N traces podlife's API requests as kubectl traces its own, credentials masked the way
// client-go masks them; compared with the real kubectl's trace of the same request.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { KubeClient } from '../../src/kube/client.ts';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.ts';
import { createTracer, maskValue } from '../../src/kube/trace.ts';
import { makePki, startRecorder, type Recorder } from './helpers/request-recorder.ts';

const PATH = '/api/v1/namespaces/default/pods';
const TOKEN = 'abc.secret-token.xyz';
let server: Recorder;
let kubeconfig: string;
let home: string;

beforeAll(async () => {
  server = await startRecorder({ tls: true });
  const dir = mkdtempSync(join(tmpdir(), 'podlife-trace-'));
  home = dir;
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority': makePki().ca } }],
      users: [{ name: 'u', user: { token: TOKEN } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
});
afterAll(async () => server?.close());

test("Authorization values are masked as client-go's maskValue masks them", () => {
  const cases: [string, string, string][] = [
    ['Authorization', `Bearer ${TOKEN}`, 'Bearer <masked>'],
    ['authorization', 'Basic dXNlcjpwdw==', 'Basic <masked>'],
    ['Authorization', 'Bearer', 'Bearer'],
    ['Authorization', 'Weird thing', '<masked>'],
    ['Authorization', '', ''],
    ['Accept', 'application/json', 'application/json'],
    ['Cookie', 'session=1', '<masked>'],
  ];
  for (const [k, v, want] of cases) assert.equal(maskValue(k, v), want, `${k}: ${v}`);
});

async function traced(level: number): Promise<string> {
  let out = '';
  const config = resolveKubeconfig({ kubeconfig, context: undefined, namespace: undefined, env: {} });
  const client = new KubeClient(config, 10_000, { trace: createTracer(level, (s) => (out += s)) });
  await client.getJson(PATH, { query: { limit: 500 } });
  client.close();
  return out;
}

async function kubectlTrace(level: number): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, 'get', '--raw', `${PATH}?limit=500`, `-v=${level}`],
      { env: { PATH: process.env['PATH'] ?? '', HOME: home }, timeout: 20_000 },
      (_e, _o, err) => resolve(String(err)),
    );
    child.stdin?.end();
  });
}

test('-v=6: one line per request, as kubectl writes it; nothing below 6', async () => {
  assert.equal(await traced(5), '');
  const ours = (await traced(6)).trim().split('\n');
  const theirs = (await kubectlTrace(6))
    .trim()
    .split('\n')
    .filter((l) => /round_trippers/.test(l));
  assert.equal(ours.length, 1);
  const shape = (l: string): string => l.replace(/^.*\] /, '').replace(/in \d+ milliseconds/, 'in N milliseconds');
  assert.equal(shape(ours[0]!), shape(theirs.at(-1)!));
  assert.match(
    ours[0]!,
    /^I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ podlife\] GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/default\/pods\?limit=500 200 OK in \d+ milliseconds$/,
  );
});

test('-v=7 and -v=8: headers (the token masked), status, then response headers and body', async () => {
  const seven = await traced(7);
  assert.match(seven, /Request Headers:/);
  assert.match(seven, /    Authorization: Bearer <masked>/);
  assert.match(seven, /Response Status: 200 OK in \d+ milliseconds/);
  assert.doesNotMatch(seven, /Response Body/);
  const theirs = await kubectlTrace(7);
  assert.match(theirs, /Authorization: Bearer <masked>/, 'kubectl masks it the same way');
  const eight = await traced(8);
  assert.match(eight, /Response Headers:/);
  assert.match(eight, /Response Body: \{"kind":"PodList"/);
  for (const t of [seven, eight]) assert.ok(!t.includes(TOKEN), 'the token never appears');
});
