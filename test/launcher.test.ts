// The shipped launcher, spawned as users run it: directly, and as a kubectl plugin through the
// real kubectl's plugin dispatch.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { recording, recordingsDir } from './helpers/fixtures.ts';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin');
const launcher = join(bin, 'kubectl-podlife');
const run = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
  spawnSync(launcher, args, {
    encoding: 'utf8',
    input: opts.input ?? '',
    env: { ...process.env, NO_COLOR: '1', KUBECONFIG: '/nonexistent/kubeconfig', ...opts.env },
    timeout: 30_000,
  });

test('kubectl finds the plugin on PATH and passes arguments through', () => {
  const r = spawnSync('kubectl', ['podlife', '--help'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: kubectl podlife/);
  assert.match(r.stdout, /kubectl podlife web-0 --once/);
  const list = spawnSync('kubectl', ['plugin', 'list'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` },
  });
  assert.match(list.stdout, /kubectl-podlife/);
});

test('-f renders a recording of a real crash loop without a cluster', () => {
  const r = run(['-f', join(recordingsDir, 'crashloop.jsonl'), '-o', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const pod = JSON.parse(r.stdout.trim().split('\n')[0]!);
  assert.equal(pod.kind, 'pod');
  assert.equal(pod.name, 'crashloop');
  assert.ok(pod.containers[0].instances.length >= 4);
});

test('-f - reads stdin; text output is the picture', () => {
  const text = spawnSync('cat', [join(recordingsDir, 'oom.jsonl')], { encoding: 'utf8' }).stdout;
  const r = run(['-f', '-', '--width', '100'], { input: text });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /STATUS OOMKilled/);
  assert.match(r.stdout, /OOM-killed/);
});

test('bad input: one line (and a hint) on stderr, the documented exit code, no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlife-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n');
  const noName = join(dir, 'noname.yaml');
  writeFileSync(noName, 'kind: Pod\nspec: {containers: []}\n');
  const service = join(dir, 'service.yaml');
  writeFileSync(service, 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n');
  const bomb = join(dir, 'bomb.yaml');
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++)
    levels.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  writeFileSync(bomb, levels.join('\n') + '\n');
  const empty = join(dir, 'empty.yaml');
  writeFileSync(empty, '');
  const kc = join(dir, 'kubeconfig');
  writeFileSync(
    kc,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: dev, context: {cluster: c, user: u}}]\ncurrent-context: dev\n',
  );
  const plugin = join(dir, 'plugin.sh');
  writeFileSync(plugin, '#!/bin/sh\necho "token-abc-123 is the secret" >&2\nexit 3\n', { mode: 0o755 });
  const execKc = join(dir, 'kubeconfig-exec');
  writeFileSync(
    execKc,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}]\ncontexts: [{name: dev, context: {cluster: c, user: u}}]\ncurrent-context: dev\n`,
  );
  const cases: [string[], RegExp, number][] = [
    // usage errors: 2
    [[], /^podlife: no pod given$/m, 2],
    [['--bogus'], /unknown option '--bogus'/, 2],
    [['deploy/'], /"deploy\/" names no deploy/, 2],
    [['foo/bar'], /unsupported resource type "foo"/, 2],
    [['web\x1b[31m'], /"web␛\[31m" is not a valid name/, 2],
    [['web-0', '-A'], /a resource cannot be retrieved by name across all namespaces/, 2],
    [['--field-selector', 'nope'], /invalid field selector "nope"/, 2],
    [['web-0', '--color', 'pink'], /'pink' is invalid/, 2],
    [['web-0', '--timezone', 'Nowhere/Land'], /unknown time zone/, 2],
    [['web-0', '-v', 'loud'], /invalid argument "loud" for "-v, --v"/, 2],
    [['web-0', '--server', 'ftp://x'], /the server "ftp:\/\/x" has scheme ftp/, 2],
    [['web-0', '--kubeconfig', kc, '--as-group', 'g'], /requesting uid, groups or user-extra for .* without impersonating a user/, 2],
    [['web-0', '--tail', 'lots'], /invalid --tail\/--log-lines "lots"/, 2],
    // input errors: 1
    [['-f', bad], /bad\.yaml:\d+:\d+: malformed YAML/, 1],
    [['-f', join(dir, 'missing.yaml')], /cannot read .*missing\.yaml: no such file/, 1],
    [['-f', dir], /it is a directory/, 1],
    [['-f', empty], /empty\.yaml is empty/, 1],
    [['-f', noName], /a Pod without metadata\.name/, 1],
    [['-f', service], /contains no Pod \(found the document: Service\)/, 1],
    [['-f', bomb], /bomb\.yaml: malformed YAML/, 1],
    [['--replay', bad], /bad\.yaml:1: malformed recording line/, 1],
    // configuration and connection errors: 1
    [['web-0'], /no kubeconfig found/, 1],
    [['web-0', '--kubeconfig', kc, '--context', 'nope'], /context "nope" does not exist/, 1],
    [['web-0', '--kubeconfig', kc, '--cluster', 'nope'], /cluster "nope" does not exist in the kubeconfig/, 1],
    [['web-0', '--kubeconfig', kc, '--user', 'nope'], /user "nope" does not exist in the kubeconfig/, 1],
    [
      ['web-0', '--kubeconfig', kc, '--request-timeout', '3s', '--once'],
      /^podlife: cannot reach the API server at https:\/\/127\.0\.0\.1:1: connection refused$/m,
      1,
    ],
    [
      ['web-0', '--server', 'http://127.0.0.1:6666', '--once'],
      /^podlife: cannot reach the API server at http:\/\/127\.0\.0\.1:6666: connection refused$/m,
      1,
    ],
    [
      ['web-0', '--kubeconfig', kc, '--client-certificate', join(dir, 'no.crt'), '--client-key', join(dir, 'no.key'), '--once'],
      /unable to read client-cert .*no\.crt: no such file or directory/,
      1,
    ],
    [
      ['web-0', '--kubeconfig', kc, '--record', join(dir, 'no', 'dir', 'r.jsonl')],
      /cannot write the recording .*r\.jsonl: its directory does not exist/,
      1,
    ],
    [['web-0', '--kubeconfig', kc, '--record', dir], /cannot write the recording .*: it is a directory/, 1],
  ];
  for (const [args, re, code] of cases) {
    const r = run(args);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at |unexpected error/, 'no stack trace');
    assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
    assert.doesNotMatch(r.stderr, /[\x00-\x09\x0b-\x1f\x7f]/, 'no control characters');
  }
  // An exec plugin that fails: its own stderr passes through as with kubectl, and podlife's own
  // line names the credential source in kubectl's words, without the plugin's output.
  const e = run(['web-0', '--kubeconfig', execKc, '--once']);
  assert.equal(e.status, 1);
  const ours = e.stderr.split('\n').filter((l) => l.startsWith('podlife:') || l.startsWith('  '));
  assert.equal(ours.length, 2, e.stderr);
  assert.match(ours[0]!, /^podlife: getting credentials: exec: executable \S+plugin\.sh failed with exit code 3$/);
  assert.match(ours[1]!, /exec credential plugin of user "u"/);
  assert.ok(!ours.join('\n').includes('token-abc-123'));
});

test('-f - reads stdin to its end however slowly it comes (a pipe from another process, and one fed in pieces)', async () => {
  const file = join(recordingsDir, 'oom.jsonl');
  // A shell pipeline, as `kubectl get ... -o yaml | kubectl podlife -f -` runs.
  const piped = spawnSync(
    'sh',
    ['-c', `(sleep 0.5; head -c 3000 "$1"; sleep 0.5; tail -c +3001 "$1") | "$2" -f - --width 100`, 'sh', file, launcher],
    {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 30_000,
    },
  );
  assert.equal(piped.status, 0, piped.stderr);
  assert.match(piped.stdout, /STATUS OOMKilled/);
  // Fed by this process in chunks with pauses between them.
  const { spawn } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(file);
  const p = spawn(launcher, ['-f', '-', '-o', 'json'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < text.length; i += 1500) {
    p.stdin.write(text.subarray(i, i + 1500));
    await new Promise((r) => setTimeout(r, 40));
  }
  p.stdin.end();
  const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout.trim().split('\n')[0]!).status, 'OOMKilled');
});

test('input is bounded: a stream that never ends is refused at 256 MiB with one line', () => {
  const r = spawnSync('sh', ['-c', '"$1" -f - < /dev/zero', 'sh', launcher], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^podlife: stdin is larger than 256 MiB, the most podlife reads$/m);
  assert.equal(r.stderr.trim().split('\n').length, 2);
});

test('objects without kind: a PodList as the API returns it is read, and the assumption said', () => {
  const pod = { ...recording('crashloop').find((o) => o.kind === 'pod')!.object } as Record<string, unknown>;
  delete pod.kind;
  delete pod.apiVersion;
  const r = run(['-f', '-', '--width', '100'], { input: JSON.stringify({ kind: 'PodList', apiVersion: 'v1', items: [pod] }) });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /STATUS /);
  assert.match(r.stdout, /note: assumed: 1 items of a PodList read as Pods/);
});

test('--demo --once replays the built-in recording and prints its picture', () => {
  const r = run(['--demo', '--once', '--width', '100']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /crashloop/);
  assert.match(r.stdout, /back-off|CrashLoopBackOff|Error/);
});

test('a closed pipe (| head) ends quietly: exit 0, nothing on stderr', async () => {
  const { spawn } = await import('node:child_process');
  const p = spawn(launcher, ['--demo', '-o', 'text', '--speed', '1'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve) => p.stdout.once('data', () => resolve()));
  p.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => p.on('close', (c) => resolve(c)));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
