// Bad input against the real cluster: one line, a hint, a non-zero exit; and degraded rights
// (the restricted user may read pods but not events or logs) give notes, not failures.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import {
  applyScenario,
  kubeconfigPath,
  kubectl,
  inNamespace,
  podlife,
  restrictedKubeconfigPath,
  waitFor,
  kubectlRow,
} from './helpers/env.ts';

const oneLine = (stderr: string): void => {
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  assert.ok(stderr.trim().split('\n').length <= 2, stderr);
};

test('unknown pod, with close names suggested; unknown namespace; unknown context', async () => {
  await inNamespace('e2e-errors', async (ns) => {
    await applyScenario('plain.yaml', ns.name);
    const r = await podlife(['plian', '-n', ns.name, '--once']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /pod "plian" not found in namespace "e2e-errors/);
    assert.match(r.stderr, /Did you mean "plain"\?/);
    oneLine(r.stderr);
    const n = await podlife(['plain', '-n', 'no-such-namespace-x', '--once']);
    assert.equal(n.code, 1);
    assert.match(n.stderr, /namespace "no-such-namespace-x" not found/);
    oneLine(n.stderr);
    const c = await podlife(['plain', '--context', 'nope', '--once']);
    assert.equal(c.code, 1);
    assert.match(c.stderr, /context "nope"/);
    oneLine(c.stderr);
  });
});

test('unreachable API server: one line naming the server', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlife-e2e-'));
  const kc = join(dir, 'kubeconfig');
  // The real kubeconfig, pointed at a loopback port where nothing listens.
  writeFileSync(kc, readFileSync(kubeconfigPath(), 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'));
  const r = await podlife(['plain', '--once', '--kubeconfig', kc, '--request-timeout', '5s']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot reach the API server at https:\/\/127\.0\.0\.1:1/);
  oneLine(r.stderr);
});

test('restricted user: events and logs forbidden become notes; the pod is still shown', async () => {
  await inNamespace('e2e-rbac', async (ns) => {
    await applyScenario('crashloop.yaml', ns.name);
    await waitFor(async () => (await kubectlRow(ns.name, 'crashloop')).restarts !== '0', 60_000, 'a restart');
    const r = await podlife(['crashloop', '-n', ns.name, '--once', '-o', 'json'], { env: { KUBECONFIG: restrictedKubeconfigPath() } });
    assert.equal(r.code, 0, r.stderr);
    const pod = JSON.parse(r.stdout.trim().split('\n')[0]!);
    assert.equal(pod.name, 'crashloop');
    assert.ok(
      pod.gaps.some((g: string) => /events/.test(g)),
      JSON.stringify(pod.gaps),
    );
    const notes = await podlife(['crashloop', '-n', ns.name, '--once'], { env: { KUBECONFIG: restrictedKubeconfigPath() } });
    assert.match(notes.stdout, /events are not visible \(RBAC forbids list\/watch on events\)/);
    assert.match(notes.stdout, /logs not visible: RBAC forbids get on pods\/log/);
    // A workload it may not read: one line naming the verb and resource to ask for.
    const deploy = await podlife(['deploy/web', '-n', ns.name, '--once'], { env: { KUBECONFIG: restrictedKubeconfigPath() } });
    assert.equal(deploy.code, 1);
    assert.match(deploy.stderr, /^podlife: forbidden: .*cannot get resource "deployments"/);
    assert.match(deploy.stderr, /kubectl auth can-i get deployments -n e2e-rbac/);
    oneLine(deploy.stderr);
  });
});

test('exec credential plugin: a kubeconfig whose user runs a command for a token works as with kubectl', async () => {
  await inNamespace('e2e-exec', async (ns) => {
    await applyScenario('plain.yaml', ns.name);
    await kubectl(['create', 'serviceaccount', 'viewer', '-n', ns.name]);
    await kubectl(['create', 'rolebinding', 'viewer', '--clusterrole=view', `--serviceaccount=${ns.name}:viewer`, '-n', ns.name]);
    const token = (await kubectl(['create', 'token', 'viewer', '-n', ns.name, '--duration=10m'])).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), 'podlife-exec-'));
    const plugin = join(dir, 'token-plugin.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}'\n`,
      { mode: 0o755 },
    );
    const admin = readFileSync(kubeconfigPath(), 'utf8');
    const server = /server: (\S+)/.exec(admin)![1]!;
    const ca = /certificate-authority: (\S+)/.exec(admin)![1]!;
    const kc = join(dir, 'kubeconfig');
    writeFileSync(
      kc,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${server}", certificate-authority: "${ca}"}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}\n      interactiveMode: Never\ncontexts:\n- name: viewer\n  context: {cluster: c, user: u, namespace: ${ns.name}}\ncurrent-context: viewer\n`,
    );
    const theirs = await kubectl(['get', 'pod', 'plain', '--no-headers'], { kubeconfig: kc });
    assert.match(theirs.stdout, /^plain\s/);
    await waitFor(async () => (await kubectlRow(ns.name, 'plain')).status === 'Running', 60_000, 'Running');
    const r = await podlife(['plain', '--once', '-o', 'json'], { env: { KUBECONFIG: kc } });
    assert.equal(r.code, 0, r.stderr);
    const pod = JSON.parse(r.stdout.trim().split('\n')[0]!);
    assert.equal(pod.namespace, ns.name, 'the namespace comes from the context');
    assert.equal(pod.status, 'Running');
    // Outside its namespace the viewer may not list pods: one line naming the verb, resource and namespace.
    const denied = await podlife(['plain', '-n', 'default', '--once'], { env: { KUBECONFIG: kc } });
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /forbidden: .*list.*pods.*\n?.*namespace "default"/s);
    assert.match(denied.stderr, /kubectl auth can-i list pods -n default/);
    oneLine(denied.stderr);
  });
});
