// Exec credential plugins and other credential sources, run as kubectl runs them: the same plugin
// scripts and kubeconfigs for the real kubectl and for podlife's client, against a loopback TLS
// server that records what arrives. Failures are named as credential failures, in kubectl's words,
// and never quote what the plugin printed.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { ApiError, KubeClient, toUserError } from '../../src/kube/client.ts';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.ts';
import { EMPTY_POD_LIST, makePki, startRecorder, type Recorder } from './helpers/request-recorder.ts';

const PATH = '/api/v1/namespaces/default/pods';
const SECRET = 'sekrit-token-0123456789';
let server: Recorder;
let dir: string;

beforeAll(async () => {
  // 401 for the token "stale", 200 otherwise.
  server = await startRecorder({
    tls: true,
    respond: (req, res) =>
      req.headers['authorization'] === 'Bearer stale'
        ? res.writeHead(401, { 'content-type': 'application/json' }).end('{"kind":"Status","message":"Unauthorized","code":401}')
        : res.writeHead(200, { 'content-type': 'application/json' }).end(EMPTY_POD_LIST),
  });
  dir = mkdtempSync(join(tmpdir(), 'podlife-cred-'));
});
afterAll(async () => server?.close());

function plugin(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return p;
}

const cred = (status: Record<string, unknown>, apiVersion = 'client.authentication.k8s.io/v1'): string =>
  `echo '${JSON.stringify({ apiVersion, kind: 'ExecCredential', status })}'`;

function kubeconfigFor(name: string, exec: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  const pki = makePki();
  const file = join(dir, `kubeconfig-${name}`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority': pki.ca, ...cluster } }],
      users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', ...exec } } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return file;
}

async function kubectlRaw(kubeconfig: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, 'get', '--raw', PATH],
      { env: { PATH: process.env['PATH'] ?? '', HOME: dir }, timeout: 20_000 },
      (_e, stdout, stderr) => resolve({ stdout: String(stdout), stderr: String(stderr) }),
    );
    child.stdin?.end();
  });
}

async function podlifeGet(kubeconfig: string, o: { stdinIsTTY?: boolean } = {}): Promise<{ ok: true } | { ok: false; error: Error }> {
  const config = resolveKubeconfig({ kubeconfig, context: undefined, namespace: undefined, env: { HOME: dir }, home: dir });
  let client: KubeClient | undefined;
  try {
    client = new KubeClient(config, 10_000, { pluginStderr: 'ignore', stdinIsTTY: o.stdinIsTTY ?? false });
    await client.getJson(PATH);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: toUserError(e, { verbs: 'list', resource: 'pods', namespace: 'default' }) };
  } finally {
    client?.close();
  }
}

test('the plugin gets the ExecCredential kubectl gives it (KUBERNETES_EXEC_INFO, env, cluster info) and its token is sent', async () => {
  const dump = join(dir, 'dump');
  const p = plugin('dump.sh', `printf '%s' "$KUBERNETES_EXEC_INFO" > "$DUMP.$WHO"\n${cred({ token: 'tok-exec' })}`);
  const kc = kubeconfigFor(
    'dump',
    { command: p, provideClusterInfo: true, interactiveMode: 'IfAvailable', env: [{ name: 'DUMP', value: dump }] },
    { extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'foo' } }], 'tls-server-name': '127.0.0.1' },
  );
  // WHO tells the two runs apart; it reaches the plugin through the inherited environment.
  process.env['WHO'] = 'podlife';
  const before = server.requests.length;
  const r = await podlifeGet(kc);
  assert.deepEqual(r, { ok: true });
  assert.equal(server.requests.slice(before).at(-1)?.headers['authorization'], 'Bearer tok-exec');
  delete process.env['WHO'];
  await new Promise<void>((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', kc, 'get', '--raw', PATH],
      { env: { PATH: process.env['PATH'] ?? '', HOME: dir, WHO: 'kubectl' }, timeout: 20_000 },
      () => resolve(),
    );
    child.stdin?.end();
  });
  const theirs = JSON.parse(readFileSync(`${dump}.kubectl`, 'utf8'));
  const ours = JSON.parse(readFileSync(`${dump}.podlife`, 'utf8'));
  assert.deepEqual(ours, theirs);
  assert.equal(ours.spec.cluster.config.audience, 'foo');
});

const failures: { name: string; body: string; exec?: Record<string, unknown>; kubectlSays: RegExp | 'same'; ours: RegExp }[] = [
  {
    name: 'exits non-zero (its stderr holds a token)',
    body: `echo "${SECRET} on stderr" >&2\nexit 3`,
    kubectlSays: 'same',
    ours: /^getting credentials: exec: executable \S+fail-exits\.sh failed with exit code 3$/,
  },
  {
    name: 'prints something that is not an ExecCredential (a token)',
    body: `echo "hello ${SECRET}"`,
    kubectlSays: /getting credentials: decoding stdout/,
    ours: /^getting credentials: decoding stdout: the plugin printed something that is not an ExecCredential \(not JSON\)$/,
  },
  {
    name: 'prints JSON of another kind',
    body: `echo '{"kind":"Secret","apiVersion":"v1","data":{"t":"${SECRET}"}}'`,
    kubectlSays: /getting credentials: (decoding stdout|exec plugin is configured to use API version)/,
    ours: /^getting credentials: decoding stdout: .*not an ExecCredential/,
  },
  {
    name: 'returns no token',
    body: cred({}),
    kubectlSays: 'same',
    ours: /^getting credentials: exec plugin didn't return a token or cert\/key pair$/,
  },
  {
    name: 'returns a certificate without its key',
    body: cred({ clientCertificateData: 'x' }),
    kubectlSays: 'same',
    ours: /^getting credentials: exec plugin returned only certificate or key, not both$/,
  },
  {
    name: 'answers in another API version',
    body: cred({ token: SECRET }, 'client.authentication.k8s.io/v1beta1'),
    kubectlSays: 'same',
    ours: /^getting credentials: exec plugin is configured to use API version client\.authentication\.k8s\.io\/v1, plugin returned version client\.authentication\.k8s\.io\/v1beta1$/,
  },
  {
    name: 'is configured with an unknown apiVersion',
    body: cred({ token: SECRET }),
    exec: { apiVersion: 'client.authentication.k8s.io/v9' },
    kubectlSays: /exec plugin: invalid apiVersion "client\.authentication\.k8s\.io\/v9"/,
    ours: /^exec plugin: invalid apiVersion "client\.authentication\.k8s\.io\/v9"$/,
  },
  {
    name: 'must be interactive but stdin is not a terminal',
    body: cred({ token: SECRET }),
    exec: { interactiveMode: 'Always' },
    kubectlSays: 'same',
    ours: /^getting credentials: exec plugin cannot support interactive mode: standard input is not a terminal$/,
  },
];

for (const f of failures) {
  test(`an exec plugin that ${f.name}: one line naming the credential source, as kubectl says it`, { timeout: 60_000 }, async () => {
    const p = plugin(`fail-${f.name.split(' ')[0]}.sh`, f.body);
    const kc = kubeconfigFor(f.name.replace(/\W+/g, '-'), { command: p, ...f.exec });
    const r = await podlifeGet(kc);
    assert.equal(r.ok, false);
    const e = (r as { error: Error & { hint?: string } }).error;
    assert.match(e.message, f.ours);
    assert.match(e.hint ?? '', /user "u"|exec section of user "u"/);
    assert.doesNotMatch(`${e.message} ${e.hint}`, new RegExp(SECRET), 'the plugin output is never quoted');
    assert.doesNotMatch(e.message, /cannot reach|Is the cluster running/);
    const theirs = await kubectlRaw(kc);
    if (f.kubectlSays === 'same') assert.ok(theirs.stderr.includes(e.message), `kubectl: ${theirs.stderr}`);
    else assert.match(theirs.stderr, f.kubectlSays);
  });
}

test('a missing plugin: by path as kubectl words it, by name with the install hint', async () => {
  const byPath = await podlifeGet(kubeconfigFor('nopath', { command: join(dir, 'nope.sh') }));
  assert.match(
    (byPath as { error: Error }).error.message,
    /^getting credentials: exec: fork\/exec \S+nope\.sh: no such file or directory$/,
  );
  const theirs = await kubectlRaw(kubeconfigFor('nopath', { command: join(dir, 'nope.sh') }));
  assert.ok(theirs.stderr.includes((byPath as { error: Error }).error.message), theirs.stderr);
  const byName = await podlifeGet(
    kubeconfigFor('noname', { command: 'podlife-no-such-plugin', installHint: 'Install it with: brew install x' }),
  );
  const e = (byName as { error: Error & { hint?: string } }).error;
  assert.equal(e.message, 'getting credentials: exec: executable podlife-no-such-plugin not found');
  assert.equal(e.hint, 'Install it with: brew install x');
  assert.ok((await kubectlRaw(kubeconfigFor('noname', { command: 'podlife-no-such-plugin' }))).stderr.includes(e.message));
});

test('a token rejected with 401 is fetched again from the plugin and the request retried once', async () => {
  const counter = join(dir, 'count');
  writeFileSync(counter, '');
  // First run: "stale" (the server answers 401); later runs: "fresh".
  const p = plugin(
    'rotating.sh',
    `echo x >> "${counter}"\nif [ "$(wc -l < "${counter}")" -le 1 ]; then t=stale; else t=fresh; fi\necho "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"$t\\"}}"`,
  );
  const before = server.requests.length;
  const r = await podlifeGet(kubeconfigFor('rotating', { command: p }));
  assert.deepEqual(r, { ok: true });
  assert.deepEqual(
    server.requests.slice(before).map((x) => x.headers['authorization']),
    ['Bearer stale', 'Bearer fresh'],
  );
  assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 2, 'the plugin ran again');
});

test('an exec credential past its expirationTimestamp is fetched again; a valid one is reused', async () => {
  const counter = join(dir, 'count-exp');
  writeFileSync(counter, '');
  const p = plugin('expiring.sh', `echo x >> "${counter}"\n${cred({ token: 'short', expirationTimestamp: '2000-01-01T00:00:00Z' })}`);
  const config = resolveKubeconfig({
    kubeconfig: kubeconfigFor('expiring', { command: p }),
    context: undefined,
    namespace: undefined,
    env: {},
  });
  const client = new KubeClient(config, 10_000, { pluginStderr: 'ignore' });
  await client.getJson(PATH);
  await client.getJson(PATH);
  client.close();
  assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 2);
  const counter2 = join(dir, 'count-valid');
  writeFileSync(counter2, '');
  const q = plugin('valid.sh', `echo x >> "${counter2}"\n${cred({ token: 'long', expirationTimestamp: '2999-01-01T00:00:00Z' })}`);
  const c2 = new KubeClient(
    resolveKubeconfig({ kubeconfig: kubeconfigFor('valid', { command: q }), context: undefined, namespace: undefined, env: {} }),
    10_000,
    {
      pluginStderr: 'ignore',
    },
  );
  await c2.getJson(PATH);
  await c2.getJson(PATH);
  c2.close();
  assert.equal(readFileSync(counter2, 'utf8').trim().split('\n').length, 1);
});

test('client certificate and CA problems are credential errors naming the file, not "cannot reach"', async () => {
  const pki = makePki();
  const bad = join(dir, 'garbage.pem');
  writeFileSync(bad, 'not a certificate\n');
  const cases: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
    [
      { 'client-certificate': join(dir, 'missing.crt'), 'client-key': pki.clientKey },
      {},
      /^unable to read client-cert \S+missing\.crt: no such file or directory$/,
    ],
    [{ 'client-certificate': bad, 'client-key': bad }, {}, /client certificate and key of user "u" .* are unusable: not PEM data/],
    [{ 'client-certificate': pki.clientCert, 'client-key': pki.serverKey }, {}, /are unusable: the key does not belong to the certificate/],
    [
      { token: 't' },
      { 'certificate-authority': join(dir, 'missing-ca.crt') },
      /^unable to read certificate-authority \S+missing-ca\.crt: no such file or directory$/,
    ],
    [
      { token: 't' },
      { 'certificate-authority': bad },
      /^unable to load root certificates of cluster "c": unable to parse bytes as PEM block$/,
    ],
  ];
  for (const [user, cluster, re] of cases) {
    const file = join(dir, 'kubeconfig-cert');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority': pki.ca, ...cluster } }],
        users: [{ name: 'u', user }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    const r = await podlifeGet(file);
    const e = (r as { error: Error & { hint?: string } }).error;
    assert.ok(e, JSON.stringify(user));
    assert.match(e.message, re);
    assert.ok((e.hint ?? '').length > 0);
  }
});

test('connection errors say what Go says: "connection refused" for a closed port, bad ports included', async () => {
  for (const server of ['https://127.0.0.1:1', 'http://127.0.0.1:6666', 'https://127.0.0.1:10080']) {
    const config = resolveKubeconfig({ kubeconfig: undefined, context: undefined, namespace: undefined, server, env: {}, home: dir });
    const client = new KubeClient(config, 5_000);
    const err = await client.getJson(PATH).then(
      () => undefined,
      (e: unknown) => e,
    );
    client.close();
    assert.ok(err instanceof ApiError, server);
    assert.equal(err.kind, 'unreachable');
    assert.equal(err.message, 'connection refused');
    assert.equal(
      toUserError(err, { verbs: 'list', resource: 'pods', namespace: 'x' }).message,
      `cannot reach the API server at ${server}: connection refused`,
    );
  }
});
