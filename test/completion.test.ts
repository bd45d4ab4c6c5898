// How completion reads the words typed so far (src/completion.ts). The names come from a table
// here; the same code against the real cluster and through the real kubectl is
// test/e2e/completion.test.ts.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { completeArgs, Directive, type ClusterFlags } from '../src/completion.ts';

const names: Record<string, string[]> = {
  pods: ['web-0', 'web-1', 'db-0'],
  namespaces: ['default', 'kube-system', 'shop'],
  deployments: ['web', 'worker'],
  jobs: ['backup'],
};
const calls: { resource: string; namespace: string | undefined; flags: ClusterFlags }[] = [];
const lister = (flags: ClusterFlags) => ({
  async names(resource: string, namespace: string | undefined) {
    calls.push({ resource, namespace, flags });
    return names[resource] ?? [];
  },
});
const dir = mkdtempSync(join(tmpdir(), 'podlife-complete-'));
const kc = join(dir, 'config');
writeFileSync(
  kc,
  'apiVersion: v1\nkind: Config\ncontexts: [{name: prod, context: {cluster: a, user: u}}, {name: dev, context: {cluster: b, user: u}}]\nclusters: [{name: a, cluster: {server: "https://a"}}]\nusers: [{name: u, user: {}}]\n',
);
const env = { KUBECONFIG: kc };
const complete = (...args: string[]) => completeArgs(args, env, lister);

test('the target: pod names, TYPE/ prefixes, then TYPE/NAME from one list of that type', async () => {
  assert.deepEqual(await complete(''), { candidates: ['web-0', 'web-1', 'db-0'], directive: Directive.NoFileComp });
  assert.deepEqual(await complete('we'), { candidates: ['web-0', 'web-1'], directive: Directive.NoFileComp });
  assert.deepEqual(await complete('dep'), { candidates: ['deploy/'], directive: Directive.NoSpace | Directive.NoFileComp });
  assert.deepEqual((await complete('d')).candidates, ['db-0', 'deploy/', 'ds/', 'demo']);
  assert.deepEqual(await complete('deploy/w'), { candidates: ['deploy/web', 'deploy/worker'], directive: Directive.NoFileComp });
  assert.deepEqual((await complete('job/')).candidates, ['job/backup']);
  assert.deepEqual((await complete('pod/db')).candidates, ['pod/db-0']);
  assert.deepEqual((await complete('svc/')).candidates, []);
  // One target only: nothing after it.
  assert.deepEqual((await complete('web-0', '')).candidates, []);
});

test('flag values: namespaces, contexts and clusters, output formats, files left to the shell', async () => {
  calls.length = 0;
  assert.deepEqual((await complete('-n', '')).candidates, ['default', 'kube-system', 'shop']);
  assert.deepEqual((await complete('--namespace', 'k')).candidates, ['kube-system']);
  assert.deepEqual((await complete('--namespace=s')).candidates, ['--namespace=shop']);
  assert.deepEqual((await complete('--context', '')).candidates, ['dev', 'prod']);
  assert.deepEqual((await complete('-o', '')).candidates, ['tui', 'text', 'json']);
  assert.deepEqual(await complete('-f', ''), { candidates: [], directive: Directive.Default });
  assert.deepEqual(await complete('--kubeconfig', ''), { candidates: [], directive: Directive.Default });
  // The namespace and context typed before decide where pods are listed.
  await complete('-n', 'shop', '--context=dev', '--request-timeout', '2s', '');
  assert.deepEqual(calls.at(-1), {
    resource: 'pods',
    namespace: 'shop',
    flags: { kubeconfig: undefined, context: 'dev', namespace: 'shop', requestTimeout: '2s' },
  });
  await complete('-nkube-system', '');
  assert.equal(calls.at(-1)!.namespace, 'kube-system');
});

test('flags, with their description; demo names after demo', async () => {
  const flags = (await complete('--n')).candidates;
  assert.ok(flags.includes('--namespace\tnamespace'), flags.join());
  assert.ok(flags.includes('--no-color\tno colours'), flags.join());
  assert.ok(!(await complete('--')).candidates.some((c) => c.startsWith('--list')), 'hidden outside demo');
  assert.ok((await complete('demo', '--l')).candidates.some((c) => c.startsWith('--list')));
  const demos = (await complete('demo', '')).candidates.map((c) => c.split('\t')[0]);
  assert.ok(demos.includes('crashloop') && demos.includes('oom') && demos.includes('rollout'));
  assert.deepEqual(
    (await complete('demo', 'oo')).candidates.map((c) => c.split('\t')[0]),
    ['oom'],
  );
  assert.deepEqual((await complete('demo', 'oom', '')).candidates, []);
});
