// kubeconfig precedence, checked against the real kubectl reading the same files.
import { test } from 'vitest';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.ts';
import { UserError } from '../../src/kube/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'podlife-kc-'));
function kubeconfig(file: string, o: { current?: string; clusters: [string, string][]; contexts: [string, string, string?][] }): string {
  const path = join(dir, file);
  const lines = ['apiVersion: v1', 'kind: Config', `current-context: "${o.current ?? ''}"`, 'clusters:'];
  for (const [name, server] of o.clusters) lines.push(`- name: ${name}`, '  cluster:', `    server: ${server}`);
  lines.push('users:');
  for (const user of new Set(o.contexts.map((c) => c[2]).filter(Boolean))) lines.push(`- name: ${user}`, '  user:', `    token: t-${user}`);
  lines.push('contexts:');
  for (const [name, cluster, user] of o.contexts)
    lines.push(
      `- name: ${name}`,
      '  context:',
      `    cluster: ${cluster}`,
      `    user: ${user ?? 'nobody'}`,
      ...(name.endsWith('-ns') ? ['    namespace: shop'] : []),
    );
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const a = kubeconfig('a.yaml', {
  current: 'alpha',
  clusters: [
    ['c1', 'https://127.0.0.1:1001'],
    ['shared', 'https://127.0.0.1:1111'],
  ],
  contexts: [
    ['alpha', 'c1', 'ua'],
    ['both', 'shared', 'ua'],
  ],
});
const b = kubeconfig('b.yaml', {
  current: 'beta-ns',
  clusters: [
    ['c2', 'https://127.0.0.1:1002'],
    ['shared', 'https://127.0.0.1:2222'],
  ],
  contexts: [
    ['beta-ns', 'c2', 'ub'],
    ['both', 'c2', 'ub'],
  ],
});
const missing = join(dir, 'missing.yaml');

function kubectlView(env: Record<string, string>, args: string[] = []): { server: string; namespace: string; context: string } {
  const out = execFileSync('kubectl', ['config', 'view', '--minify', '-o', 'json', ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env },
    encoding: 'utf8',
  });
  const v = JSON.parse(out) as {
    'current-context': string;
    clusters: { cluster: { server: string } }[];
    contexts: { context: { namespace?: string } }[];
  };
  return { server: v.clusters[0]!.cluster.server, namespace: v.contexts[0]!.context.namespace ?? 'default', context: v['current-context'] };
}

const cases: { name: string; env: Record<string, string>; context?: string; namespace?: string }[] = [
  { name: 'KUBECONFIG list: current-context from the first file that sets it', env: { KUBECONFIG: `${a}:${b}` } },
  { name: 'KUBECONFIG list, other order', env: { KUBECONFIG: `${b}:${a}` } },
  { name: 'missing files in the list are skipped', env: { KUBECONFIG: `${missing}:${b}` } },
  { name: 'the first file to define a cluster name wins', env: { KUBECONFIG: `${a}:${b}` }, context: 'both' },
  { name: '--context picks a context of a later file, with its namespace', env: { KUBECONFIG: `${a}:${b}` }, context: 'beta-ns' },
  { name: '-n overrides the context namespace', env: { KUBECONFIG: `${b}` }, namespace: 'other' },
];

test.each(cases)('kubeconfig like kubectl: $name', (c) => {
  const ours = resolveKubeconfig({
    kubeconfig: undefined,
    context: c.context,
    namespace: c.namespace,
    env: { ...c.env, HOME: dir },
    home: dir,
  });
  const args = [...(c.context ? ['--context', c.context] : []), ...(c.namespace ? ['-n', c.namespace] : [])];
  const theirs = kubectlView(c.env, args);
  assert.equal(ours.server, theirs.server);
  assert.equal(ours.contextName, theirs.context);
  // `kubectl config view` does not apply -n; kubectl itself uses it over the context's namespace.
  assert.equal(ours.namespace, c.namespace ?? theirs.namespace);
});

test('a key given twice: the last one counts, as kubectl reads the file', () => {
  const dup = join(dir, 'dup.yaml');
  writeFileSync(dup, readFileSync(a, 'utf8') + 'current-context: both\n');
  const ours = resolveKubeconfig({ kubeconfig: dup, context: undefined, namespace: undefined, env: {}, home: dir });
  const theirs = kubectlView({ KUBECONFIG: dup });
  assert.equal(theirs.context, 'both');
  assert.equal(ours.contextName, theirs.context);
  assert.equal(ours.server, theirs.server);
});

test('--kubeconfig reads only that file', () => {
  const r = resolveKubeconfig({ kubeconfig: b, context: undefined, namespace: undefined, env: { KUBECONFIG: a }, home: dir });
  assert.equal(r.contextName, 'beta-ns');
  assert.equal(r.namespace, 'shop');
});

test('errors name the problem and the fix', () => {
  assert.throws(
    () => resolveKubeconfig({ kubeconfig: undefined, context: 'nope', namespace: undefined, env: { KUBECONFIG: a }, home: dir }),
    (e: unknown) => e instanceof UserError && /context "nope" does not exist/.test(e.message) && /alpha, both/.test(e.hint ?? ''),
  );
  assert.throws(
    () => resolveKubeconfig({ kubeconfig: missing, context: undefined, namespace: undefined, env: {}, home: dir }),
    /does not exist/,
  );
  assert.throws(
    () => resolveKubeconfig({ kubeconfig: undefined, context: undefined, namespace: undefined, env: { KUBECONFIG: missing }, home: dir }),
    /no kubeconfig found/,
  );
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'clusters: [\n  - oops: : :\n');
  assert.throws(
    () => resolveKubeconfig({ kubeconfig: bad, context: undefined, namespace: undefined, env: {}, home: dir }),
    (e: unknown) => e instanceof UserError && /malformed/.test(e.message),
  );
  // Aliases that would expand to ten million entries: not expanded, so this ends with the file's
  // real problem (no context), not after minutes or out of memory.
  const bomb = join(dir, 'bomb.yaml');
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 7; i++)
    levels.push(
      `l${i}: &l${i} [${Array(10)
        .fill(i === 1 ? '*a' : `*l${i - 1}`)
        .join(', ')}]`,
    );
  writeFileSync(bomb, `${levels.join('\n')}\nclusters: *l6\nusers: *l6\ncontexts: *l6\n`);
  assert.throws(
    () => resolveKubeconfig({ kubeconfig: bomb, context: undefined, namespace: undefined, env: {}, home: dir }),
    /no current context/,
  );
});
