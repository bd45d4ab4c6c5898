// kubectl's global and selection flags against the real cluster, each compared with what the real
// kubectl does with the same arguments: impersonation (--as the restricted user, --as-group),
// --token and client certificates with --server and no kubeconfig, a plain-http API endpoint on a
// port browsers call "bad" (the real `kubectl proxy`), exec credential plugins (failures in
// kubectl's words; a token that stops working mid-watch replaced from the plugin), -A and
// --field-selector, and -v tracing.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startFaultProxy } from '../helpers/fault-proxy.ts';
import { kubeconfigPath, kubectl, newNamespace, podlife, Streaming, waitFor } from './helpers/env.ts';

let ns: { name: string; cleanup: () => Promise<void> };
let other: { name: string; cleanup: () => Promise<void> };
let dir: string;
let server: string;
let ca: string;
let adminCert: string;
let adminKey: string;
let viewerToken: string;
const label = `podlife-flags=${process.pid}`;
const NO_KUBECONFIG = { KUBECONFIG: '/nonexistent/kubeconfig' };

const pod = (name: string, command: string[], restartPolicy = 'Always'): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {podlife-flags: "${process.pid}"}}
spec:
  restartPolicy: ${restartPolicy}
  terminationGracePeriodSeconds: 1
  containers: [{name: app, image: docker.io/podlife/busybox:1, imagePullPolicy: Never, command: ${JSON.stringify(command)}}]
`;

beforeAll(async () => {
  [ns, other] = await Promise.all([newNamespace('e2e-flags'), newNamespace('e2e-flags-b')]);
  await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: pod('plain', ['sleep', '3600']) + '---\n' + pod('done', ['true'], 'Never') });
  await kubectl(['apply', '-n', other.name, '-f', '-'], { input: pod('elsewhere', ['sleep', '3600']) });
  await kubectl(['create', 'serviceaccount', 'viewer', '-n', ns.name]);
  await kubectl(['create', 'rolebinding', 'viewer', '--clusterrole=view', `--serviceaccount=${ns.name}:viewer`, '-n', ns.name]);
  viewerToken = (await kubectl(['create', 'token', 'viewer', '-n', ns.name, '--duration=10m'])).stdout.trim();
  const admin = readFileSync(kubeconfigPath(), 'utf8');
  server = /server: (\S+)/.exec(admin)![1]!;
  ca = /certificate-authority: (\S+)/.exec(admin)![1]!;
  adminCert = /client-certificate: (\S+)/.exec(admin)![1]!;
  adminKey = /client-key: (\S+)/.exec(admin)![1]!;
  dir = mkdtempSync(join(tmpdir(), 'podlife-flags-'));
  await waitFor(
    async () => {
      const phases = (await kubectl(['get', 'pods', '-A', '-l', label, '-o', 'jsonpath={range .items[*]}{.status.phase} {end}'])).stdout;
      return phases.split(' ').filter(Boolean).sort().join(' ') === 'Running Running Succeeded';
    },
    90_000,
    'the pods running and done',
  );
});

afterAll(async () => {
  await Promise.all([ns?.cleanup(), other?.cleanup()]);
});

const json = (stdout: string): Record<string, any>[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
const podsOf = (stdout: string): string[] =>
  json(stdout)
    .filter((l) => l['kind'] === 'pod')
    .map((p) => `${p['namespace']}/${p['name']}`)
    .sort();
const oneLine = (stderr: string): void => {
  assert.doesNotMatch(stderr, /\n\s+at |unexpected error/);
  assert.ok(stderr.trim().split('\n').length <= 2, stderr);
};

describe.concurrent('like kubectl against the real cluster', () => {
  test('--as the restricted user sees what it may see; --as-group widens it; an unknown user is refused in kubectl words', async () => {
    const restricted = ['--as', 'podlife-restricted'];
    const theirs = await kubectl(['get', 'events', '-n', ns.name, ...restricted], { allowFail: true });
    assert.notEqual(theirs.code, 0);
    assert.match(theirs.stderr, /User "podlife-restricted" cannot list resource "events"/);
    assert.equal((await kubectl(['get', 'pod', 'plain', '-n', ns.name, ...restricted])).code, 0);
    const ours = await podlife(['plain', '-n', ns.name, '--once', ...restricted]);
    assert.equal(ours.code, 0, ours.stderr);
    assert.match(ours.stdout, /events are not visible \(RBAC forbids list\/watch on events\)/);
    assert.match(ours.stdout, /STATUS Running/);
    // The same identity through a kubeconfig of its own gives the same notes.
    const viaGroup = await podlife(['plain', '-n', ns.name, '--once', '--as', 'someone', '--as-group', 'system:masters']);
    assert.equal(viaGroup.code, 0, viaGroup.stderr);
    assert.doesNotMatch(viaGroup.stdout, /events are not visible/);
    assert.equal((await kubectl(['get', 'events', '-n', ns.name, '--as', 'someone', '--as-group', 'system:masters'])).code, 0);
    const nobody = await podlife(['plain', '-n', ns.name, '--once', '--as', 'nobody']);
    const kNobody = await kubectl(['get', 'pods', '-n', ns.name, '--as', 'nobody'], { allowFail: true });
    assert.equal(nobody.code, 1);
    assert.equal(kNobody.code, 1);
    for (const s of [nobody.stderr, kNobody.stderr])
      assert.match(s, /User "nobody" cannot list resource "pods" in API group "" in the namespace "e2e-flags/);
    oneLine(nobody.stderr);
  });

  test('--server, --certificate-authority and --token, or client certificate flags, with no kubeconfig at all', async () => {
    const base = ['--server', server, '--certificate-authority', ca];
    const withToken = [...base, '--token', viewerToken];
    const theirs = await kubectl(['get', 'pod', 'plain', '-n', ns.name, '--no-headers', ...withToken], {
      env: NO_KUBECONFIG,
      kubeconfig: '/dev/null',
    });
    assert.match(theirs.stdout, /^plain\s/);
    const ours = await podlife(['plain', '-n', ns.name, '--once', '-o', 'json', ...withToken], { env: NO_KUBECONFIG });
    assert.equal(ours.code, 0, ours.stderr);
    assert.deepEqual(podsOf(ours.stdout), [`${ns.name}/plain`]);
    // The viewer's token is bound to its namespace, for both.
    const denied = await podlife(['plain', '-n', other.name, '--once', ...withToken], { env: NO_KUBECONFIG });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /system:serviceaccount:e2e-flags[^"]*:viewer" cannot list resource "pods"/);
    const certs = await podlife(
      ['-A', '-l', label, '--once', '-o', 'json', ...base, '--client-certificate', adminCert, '--client-key', adminKey],
      {
        env: NO_KUBECONFIG,
      },
    );
    assert.equal(certs.code, 0, certs.stderr);
    assert.equal(podsOf(certs.stdout).length, 3);
    // Without the CA, both refuse the server's certificate; --insecure-skip-tls-verify accepts it.
    const noCa = await podlife(['plain', '-n', ns.name, '--once', '--server', server, '--token', viewerToken], { env: NO_KUBECONFIG });
    const kNoCa = await kubectl(['get', 'pod', 'plain', '-n', ns.name, '--server', server, '--token', viewerToken], {
      env: NO_KUBECONFIG,
      kubeconfig: '/dev/null',
      allowFail: true,
    });
    assert.equal(noCa.code, 1);
    assert.equal(kNoCa.code, 1);
    assert.match(noCa.stderr, /x509: certificate signed by unknown authority/);
    assert.match(kNoCa.stderr, /x509: certificate signed by unknown authority/);
    oneLine(noCa.stderr);
    const insecure = await podlife(
      ['plain', '-n', ns.name, '--once', '--server', server, '--token', viewerToken, '--insecure-skip-tls-verify'],
      {
        env: NO_KUBECONFIG,
      },
    );
    assert.equal(insecure.code, 0, insecure.stderr);
  });

  test('a plain-http API endpoint on a port fetch() calls bad (the real `kubectl proxy`): podlife talks to it as kubectl does', async () => {
    let proxy: ChildProcess | undefined;
    let port = 0;
    // Ports in the fetch standard's bad-port list; the first free one.
    for (const p of [6666, 6667, 6668, 6669, 6697, 10080]) {
      const child = spawn('kubectl', ['--kubeconfig', kubeconfigPath(), 'proxy', `--port=${p}`, '--address=127.0.0.1'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const ok = await new Promise<boolean>((resolve) => {
        child.stdout!.on('data', (d: Buffer) => /Starting to serve/.test(d.toString()) && resolve(true));
        child.on('exit', () => resolve(false));
        setTimeout(() => resolve(false), 10_000).unref();
      });
      if (ok) {
        proxy = child;
        port = p;
        break;
      }
      child.kill();
    }
    assert.ok(proxy, 'kubectl proxy started on a bad port');
    try {
      const url = `http://127.0.0.1:${port}`;
      const theirs = await kubectl(['get', 'pod', 'plain', '-n', ns.name, '--no-headers', '--server', url], {
        env: NO_KUBECONFIG,
        kubeconfig: '/dev/null',
      });
      assert.match(theirs.stdout, /^plain\s/);
      const ours = await podlife(['plain', '-n', ns.name, '--once', '-o', 'json', '--server', url], { env: NO_KUBECONFIG });
      assert.equal(ours.code, 0, ours.stderr);
      assert.deepEqual(podsOf(ours.stdout), [`${ns.name}/plain`]);
      // A live watch through it too.
      const s = new Streaming(['plain', '-n', ns.name, '-o', 'json', '--server', url], NO_KUBECONFIG);
      try {
        await s.waitForLine((l) => l.includes('"state":"live"'), 20_000);
      } finally {
        assert.equal(await s.stop(), 0);
      }
    } finally {
      proxy.kill();
    }
  });

  test('exec credential plugins: failures as kubectl words them, never quoting the plugin', async () => {
    const kc = (name: string, body: string): string => {
      const plugin = join(dir, `${name}.sh`);
      writeFileSync(plugin, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      const file = join(dir, `kubeconfig-${name}`);
      writeFileSync(
        file,
        `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}", certificate-authority: "${ca}"}}]\nusers: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: ${ns.name}}}]\ncurrent-context: x\n`,
      );
      return file;
    };
    const secret = 'leaky-token-value-42';
    for (const [name, body, re] of [
      ['exit3', `echo "${secret}" >&2; exit 3`, /getting credentials: exec: executable \S+exit3\.sh failed with exit code 3/],
      ['notjson', `echo "${secret}"`, /getting credentials: decoding stdout/],
      [
        'empty',
        `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}'`,
        /getting credentials: exec plugin didn't return a token or cert\/key pair/,
      ],
    ] as const) {
      const file = kc(name, body);
      const ours = await podlife(['plain', '--once'], { env: { KUBECONFIG: file } });
      const theirs = await kubectl(['get', 'pod', 'plain'], { kubeconfig: file, allowFail: true });
      assert.equal(ours.code, 1, name);
      assert.notEqual(theirs.code, 0, name);
      assert.match(theirs.stderr, re, `kubectl: ${name}`);
      const line = ours.stderr.split('\n').find((l) => l.startsWith('podlife: '))!;
      assert.match(line, re, name);
      assert.ok(!line.includes(secret), "the plugin output is not in podlife's line");
      assert.doesNotMatch(ours.stderr, /cannot reach the API server|Is the cluster running/);
    }
  });

  test('a token that stops being accepted mid-watch: the next request gets a fresh one from the plugin, and the watch goes on', async () => {
    // A token from a Secret stops working when the Secret is deleted; the plugin hands out whatever
    // token file holds. The watch runs through a loopback proxy whose connections are cut, so the
    // next request is made with the cached (now rejected) token.
    const secretToken = async (name: string): Promise<string> => {
      await kubectl(['apply', '-n', ns.name, '-f', '-'], {
        input: `apiVersion: v1\nkind: Secret\nmetadata: {name: ${name}, annotations: {kubernetes.io/service-account.name: viewer}}\ntype: kubernetes.io/service-account-token\n`,
      });
      let token = '';
      await waitFor(
        async () => {
          token = Buffer.from(
            (await kubectl(['get', 'secret', name, '-n', ns.name, '-o', 'jsonpath={.data.token}'])).stdout,
            'base64',
          ).toString();
          return token !== '';
        },
        30_000,
        `token of ${name}`,
      );
      return token;
    };
    const first = await secretToken('viewer-token-1');
    const tokenFile = join(dir, 'current-token');
    writeFileSync(tokenFile, first);
    const calls = join(dir, 'calls');
    writeFileSync(calls, '');
    const plugin = join(dir, 'rotating.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\necho x >> "${calls}"\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$(cat "${tokenFile}")"\n`,
      { mode: 0o755 },
    );
    const u = new URL(server);
    const fault = await startFaultProxy(u.hostname, Number(u.port));
    const file = join(dir, 'kubeconfig-rotating');
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${fault.port}", certificate-authority: "${ca}"}}]\nusers: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: ${ns.name}}}]\ncurrent-context: x\n`,
    );
    const s = new Streaming(['plain', '-o', 'json'], { KUBECONFIG: file });
    try {
      await s.waitForLine((l) => l.includes('"state":"live"'), 20_000);
      const before = readFileSync(calls, 'utf8').trim().split('\n').length;
      writeFileSync(tokenFile, await secretToken('viewer-token-2'));
      await kubectl(['delete', 'secret', 'viewer-token-1', '-n', ns.name]);
      // The old token is refused now, for kubectl too.
      await waitFor(
        async () =>
          (
            await kubectl(['get', 'pod', 'plain', '-n', ns.name, '--token', first, '--server', server, '--certificate-authority', ca], {
              kubeconfig: '/dev/null',
              allowFail: true,
            })
          ).code !== 0,
        30_000,
        'the first token to be rejected',
      );
      const mark = s.lines.length;
      fault.cutAll();
      await s.waitForLine((l) => l.includes('"state":"live"'), 60_000, mark);
      // Something new about the pod after the reconnect: an Event, which arrives through the events watch.
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await kubectl(['create', '-n', ns.name, '-f', '-'], {
        input: `apiVersion: v1\nkind: Event\nmetadata: {name: plain.rotated}\ninvolvedObject: {apiVersion: v1, kind: Pod, name: plain, namespace: ${ns.name}}\nreason: TokenRotated\nmessage: the watch goes on\ntype: Normal\ncount: 1\nfirstTimestamp: "${now}"\nlastTimestamp: "${now}"\nsource: {component: podlife-e2e}\n`,
      });
      await s.waitForLine((l) => l.includes('TokenRotated'), 30_000, mark);
      assert.ok(readFileSync(calls, 'utf8').trim().split('\n').length > before, 'the plugin was asked again');
      assert.ok(!s.lines.slice(mark).some((l) => /"state":"offline"|unauthorized/.test(l)), s.lines.slice(mark).join('\n'));
    } finally {
      await s.stop();
      await fault.close();
    }
  });

  test('-A and --field-selector select the pods kubectl get selects', async () => {
    const kubectlPods = async (args: string[]): Promise<string[]> =>
      (await kubectl(['get', 'pods', ...args, '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}'])).stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .sort();
    const cases: string[][] = [
      ['-A', '-l', label],
      ['--all-namespaces', '-l', label, '--field-selector', 'status.phase=Running'],
      ['-n', ns.name, '--field-selector', 'status.phase=Succeeded'],
      ['-n', ns.name, '-l', label, '--field-selector', 'status.phase!=Succeeded'],
      ['-A', '--field-selector', `metadata.namespace=${other.name}`],
    ];
    for (const args of cases) {
      const theirs = await kubectlPods(args);
      const ours = await podlife([...args, '--once', '-o', 'json']);
      assert.equal(ours.code, 0, `${args.join(' ')}: ${ours.stderr}`);
      assert.ok(theirs.length > 0, args.join(' '));
      assert.deepEqual(podsOf(ours.stdout), theirs, args.join(' '));
    }
    // A name across namespaces, and a field the server does not know: refused as kubectl refuses them.
    const byName = await podlife(['plain', '-A', '--once']);
    const kByName = await kubectl(['get', 'pod', 'plain', '-A'], { allowFail: true });
    assert.equal(byName.code, 2);
    assert.match(kByName.stderr, /a resource cannot be retrieved by name across all namespaces/);
    assert.match(byName.stderr, /^podlife: a resource cannot be retrieved by name across all namespaces$/m);
    const unknown = await podlife(['-n', ns.name, '--field-selector', 'spec.colour=blue', '--once']);
    const kUnknown = await kubectl(['get', 'pods', '-n', ns.name, '--field-selector', 'spec.colour=blue'], { allowFail: true });
    assert.equal(unknown.code, 2);
    assert.match(kUnknown.stderr, /field label not supported: spec\.colour/);
    assert.match(unknown.stderr, /field label not supported: spec\.colour/);
    oneLine(unknown.stderr);
    // The restricted user may list pods everywhere but no events: the picture, with a note.
    const restricted = await podlife(['-A', '-l', label, '--once', '--as', 'podlife-restricted']);
    assert.equal(restricted.code, 0, restricted.stderr);
    assert.match(restricted.stdout, /events are not visible/);
  });

  test('-v=6 traces the requests as kubectl does; -v=7 masks the token in the headers', async () => {
    const ours = await podlife(
      ['plain', '-n', ns.name, '--once', '-v=7', '--token', viewerToken, '--server', server, '--certificate-authority', ca],
      {
        env: NO_KUBECONFIG,
      },
    );
    assert.equal(ours.code, 0, ours.stderr);
    assert.match(ours.stderr, new RegExp(`GET ${server.replace(/[.]/g, '\\.')}/api/v1/namespaces/${ns.name}/pods\\?`));
    assert.match(ours.stderr, /Authorization: Bearer <masked>/);
    assert.match(ours.stderr, /Response Status: 200 OK in \d+ milliseconds/);
    assert.ok(!ours.stderr.includes(viewerToken));
    const theirs = await kubectl(
      ['get', 'pod', 'plain', '-n', ns.name, '-v=7', '--token', viewerToken, '--server', server, '--certificate-authority', ca],
      {
        env: NO_KUBECONFIG,
        kubeconfig: '/dev/null',
      },
    );
    assert.match(theirs.stderr, /Authorization: Bearer <masked>/);
    const six = await podlife(['plain', '-n', ns.name, '--once', '-v=6']);
    assert.match(six.stderr, /Config loaded from file: +\S+kubeconfig/);
    assert.match(six.stderr, /GET https:\S+\/pods\?\S+ 200 OK in \d+ milliseconds/);
    assert.doesNotMatch(six.stderr, /Request Headers/);
  });
});
