// kubectl's global flags, compared with the real kubectl on the wire: both clients run with the
// same kubeconfig, environment and flags against loopback servers that record what they are sent
// (which server, Authorization, Impersonate-*, the client certificate, Accept-Encoding).
// kubectl runs `get --raw PATH`; podlife's client GETs the same path.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { KubeClient } from '../../src/kube/client.ts';
import { readGlobalFlags } from '../../src/kube/global-flags.ts';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.ts';
import { parseArgs } from '../../src/cli.ts';
import { EMPTY_POD_LIST as EMPTY_LIST, makePki, startRecorder, type Recorded, type Recorder } from './helpers/request-recorder.ts';

const PATH = '/api/v1/namespaces/default/pods';
let main: Recorder;
let other: Recorder;
let plain: Recorder;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  const pki = makePki();
  [main, other, plain] = await Promise.all([startRecorder({ tls: true }), startRecorder({ tls: true }), startRecorder({ tls: false })]);
  dir = mkdtempSync(join(tmpdir(), 'podlife-conn-'));
  writeFileSync(join(dir, 'tokfile'), 't-from-file\n');
  kubeconfig = join(dir, 'kubeconfig');
  // Relative paths (the token file) are relative to the kubeconfig, as kubectl reads them.
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
current-context: main
clusters:
- name: good
  cluster: {server: "${main.url}", certificate-authority: "${pki.ca}"}
- name: other
  cluster: {server: "${other.url}", certificate-authority: "${pki.ca}"}
- name: plain
  cluster: {server: "${plain.url}"}
users:
- name: tok
  user: {token: t-kubeconfig}
- name: cert
  user: {client-certificate: "${pki.clientCert}", client-key: "${pki.clientKey}"}
- name: basic
  user: {username: ann, password: secret}
- name: imp
  user: {token: t-imp, as: bob, as-groups: [g1, g2], as-uid: "7", as-user-extra: {scopes: [a, b]}}
- name: tokfile
  user: {tokenFile: tokfile}
contexts:
- name: main
  context: {cluster: good, user: tok, namespace: ns1}
- name: other
  context: {cluster: other, user: cert}
- name: plain
  context: {cluster: plain, user: tok}
`,
  );
});

afterAll(async () => {
  await Promise.all([main?.close(), other?.close(), plain?.close()]);
});

interface Seen {
  server: string;
  authorization: string | undefined;
  impersonate: Record<string, string>;
  clientCN: string | undefined;
  gzip: boolean;
}

function seen(before: Map<Recorder, number>): Seen | string {
  const hits: [Recorder, Recorded][] = [];
  for (const r of [main, other, plain])
    for (const req of r.requests.slice(before.get(r)!)) if (req.path.startsWith(PATH)) hits.push([r, req]);
  if (hits.length === 0) return 'no request';
  const [r, req] = hits.at(-1)!;
  const impersonate: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (k.startsWith('impersonate-')) impersonate[k] = [v].flat().join(',');
  return {
    server: r === main ? 'main' : r === other ? 'other' : 'plain',
    authorization: req.headers['authorization'] as string | undefined,
    impersonate,
    clientCN: req.clientCN === 'undefined' ? undefined : req.clientCN,
    gzip: String(req.headers['accept-encoding'] ?? '').includes('gzip'),
  };
}

const counts = (): Map<Recorder, number> => new Map([main, other, plain].map((r) => [r, r.requests.length]));

/** kubectl, run asynchronously: the recording servers live in this process. */
async function byKubectl(flags: readonly string[], env: Record<string, string>): Promise<Seen | string> {
  const before = counts();
  const stderr = await new Promise<string>((resolve) => {
    const child = execFile(
      'kubectl',
      ['get', '--raw', PATH, ...flags],
      { env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env }, timeout: 20_000 },
      (_e, _out, err) => resolve(String(err)),
    );
    child.stdin?.end();
  });
  const s = seen(before);
  return typeof s === 'string' ? `kubectl: ${stderr.trim().split('\n').at(-1)}` : s;
}

async function byPodlife(flags: readonly string[], env: Record<string, string>): Promise<Seen | string> {
  const before = counts();
  try {
    const parsed = parseArgs(['x', ...flags], { stdoutIsTTY: false, version: 't' });
    if (parsed.kind !== 'run') return 'exit';
    const config = resolveKubeconfig({ ...parsed.options.kube, env: { HOME: dir, ...env }, home: dir });
    const client = new KubeClient(config, 10_000, { pluginStderr: 'ignore' });
    try {
      await client.getJson(PATH);
    } finally {
      client.close();
    }
  } catch (e) {
    const s = seen(before);
    return typeof s === 'string' ? `podlife: ${(e as Error).message}` : s;
  }
  return seen(before);
}

const cases: { name: string; flags: string[]; env?: 'none' }[] = [
  { name: 'the current context', flags: [] },
  { name: '--token replaces the kubeconfig token', flags: ['--token', 't-flag'] },
  { name: '--user picks a client certificate user', flags: ['--user', 'cert'] },
  { name: '--user picks basic auth', flags: ['--user', 'basic'] },
  { name: '--cluster picks another server', flags: ['--cluster', 'other'] },
  { name: '--context picks another context', flags: ['--context', 'other'] },
  { name: '--as and --as-group impersonate', flags: ['--as', 'alice', '--as-group', 'g3', '--as-group', 'g4'] },
  { name: '--as-uid with --as', flags: ['--as', 'alice', '--as-uid', '1234'] },
  { name: 'impersonation from the kubeconfig user', flags: ['--user', 'imp'] },
  { name: '--as over the kubeconfig user impersonation', flags: ['--user', 'imp', '--as', 'carol'] },
  { name: '--server keeps the context user', flags: ['--server', '__OTHER__'] },
  { name: 'tokenFile relative to the kubeconfig', flags: ['--user', 'tokfile'] },
  {
    name: '--client-certificate/--client-key added to a token user',
    flags: ['--client-certificate', '__CERT__', '--client-key', '__KEY__'],
  },
  { name: '--username/--password', flags: ['--user', 'cert', '--username', 'u2', '--password', 'p2'] },
  { name: '--tls-server-name', flags: ['--tls-server-name', 'api.example'] },
  { name: '--insecure-skip-tls-verify with --server', flags: ['--server', '__OTHER__', '--insecure-skip-tls-verify'] },
  { name: '--disable-compression', flags: ['--disable-compression'] },
  { name: 'a plain-http server gets no credentials, impersonation still', flags: ['--context', 'plain', '--as', 'dave'] },
  {
    name: 'no kubeconfig: --server, --certificate-authority, --token',
    flags: ['--server', '__MAIN__', '--certificate-authority', '__CA__', '--token', 'bare'],
    env: 'none',
  },
  {
    name: 'no kubeconfig: --server with client certificate flags',
    flags: ['--server', '__MAIN__', '--certificate-authority', '__CA__', '--client-certificate', '__CERT__', '--client-key', '__KEY__'],
    env: 'none',
  },
];

for (const c of cases) {
  test(`like kubectl on the wire: ${c.name}`, { timeout: 60_000 }, async () => {
    const pki = makePki();
    const flags = c.flags.map((f) =>
      f === '__OTHER__'
        ? other.url
        : f === '__MAIN__'
          ? main.url
          : f === '__CA__'
            ? pki.ca
            : f === '__CERT__'
              ? pki.clientCert
              : f === '__KEY__'
                ? pki.clientKey
                : f,
    );
    const env: Record<string, string> = c.env === 'none' ? { KUBECONFIG: join(dir, 'missing') } : { KUBECONFIG: kubeconfig };
    const theirs = await byKubectl(flags, env);
    const ours = await byPodlife(flags, env);
    assert.equal(typeof theirs, 'object', `kubectl reached a server: ${String(theirs)}`);
    assert.deepEqual(ours, theirs);
  });
}

test('server warnings: a note by default, an error with --warnings-as-errors (as kubectl treats them)', { timeout: 60_000 }, async () => {
  const { spawn } = await import('node:child_process');
  const { warningTexts } = await import('../../src/kube/client.ts');
  assert.deepEqual(warningTexts(['299 - "spec.foo is deprecated"', '299 - "a \\"quoted\\" word", 299 - "second"']), [
    'spec.foo is deprecated',
    'a "quoted" word',
    'second',
  ]);
  const warn = await startRecorder({
    respond: (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', warning: '299 - "pods are deprecated in this test"' }).end(EMPTY_LIST),
  });
  const launcher = join(import.meta.dirname, '..', '..', 'bin', 'kubectl-podlife');
  const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const p = spawn(launcher, ['-A', '--once', '--server', warn.url, ...args], {
        env: { PATH: process.env['PATH'] ?? '', HOME: dir, NO_COLOR: '1' },
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  try {
    const noted = await run([]);
    assert.equal(noted.code, 0, noted.stderr);
    assert.match(noted.stdout, /note: server warning: pods are deprecated in this test/);
    const failed = await run(['--warnings-as-errors']);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^podlife: the server warned: pods are deprecated in this test$/m);
  } finally {
    await warn.close();
  }
});

test('a SOCKS5 proxy-url with a username and password (RFC 1929): the tunnel is asked for with them', { timeout: 30_000 }, async () => {
  const { createServer, connect } = await import('node:net');
  const seen: string[] = [];
  const socks = createServer((client) => {
    let buf = Buffer.alloc(0);
    let stage = 0;
    client.on('error', () => undefined);
    client.on('data', function onData(d: Buffer) {
      buf = Buffer.concat([buf, d]);
      if (stage === 0 && buf.length >= 2 + buf[1]!) {
        seen.push(`methods ${[...buf.subarray(2, 2 + buf[1]!)].join(',')}`);
        buf = buf.subarray(2 + buf[1]!);
        client.write(Buffer.from([5, 2]));
        stage = 1;
      }
      if (stage === 1 && buf.length >= 2 && buf.length >= 3 + buf[1]! && buf.length >= 3 + buf[1]! + buf[2 + buf[1]!]!) {
        const ulen = buf[1]!;
        const user = buf.subarray(2, 2 + ulen).toString();
        const plen = buf[2 + ulen]!;
        const pass = buf.subarray(3 + ulen, 3 + ulen + plen).toString();
        seen.push(`auth ${user}:${pass}`);
        buf = buf.subarray(3 + ulen + plen);
        client.write(Buffer.from([1, user === 'ann' && pass === 's3cret' ? 0 : 1]));
        stage = 2;
      }
      if (stage === 2 && buf.length >= 10 && buf[3] === 1) {
        const host = [...buf.subarray(4, 8)].join('.');
        const port = buf.readUInt16BE(8);
        seen.push(`connect ${host}:${port}`);
        client.off('data', onData);
        const up = connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          client.pipe(up);
          up.pipe(client);
        });
        up.on('error', () => client.destroy());
      }
    });
  });
  await new Promise<void>((resolve) => socks.listen(0, '127.0.0.1', resolve));
  const socksPort = (socks.address() as { port: number }).port;
  const file = join(dir, 'kubeconfig-socks');
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${main.url}", certificate-authority: "${makePki().ca}", proxy-url: "socks5://ann:s3cret@127.0.0.1:${socksPort}"}}]\nusers: [{name: u, user: {token: via-socks}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  const before = main.requests.length;
  const client = new KubeClient(resolveKubeconfig({ kubeconfig: file, context: undefined, namespace: undefined, env: {} }), 10_000);
  try {
    await client.getJson(PATH);
  } finally {
    client.close();
    socks.close();
  }
  assert.deepEqual(seen, ['methods 0,2', 'auth ann:s3cret', `connect 127.0.0.1:${main.port}`]);
  assert.equal(main.requests.slice(before).at(-1)?.headers['authorization'], 'Bearer via-socks');
});
