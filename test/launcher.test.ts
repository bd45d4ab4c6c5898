// The shipped launcher, spawned as users run it: directly, and as a kubectl plugin through the
// real kubectl's plugin dispatch.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { recordingsDir } from './helpers/fixtures.ts';

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

const badDir = mkdtempSync(join(tmpdir(), 'podlife-'));
const badFile = join(badDir, 'bad.yaml');
writeFileSync(badFile, 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n');
const unreachable = join(badDir, 'kubeconfig');
writeFileSync(
  unreachable,
  'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: dev, context: {cluster: c, user: u}}]\ncurrent-context: dev\n',
);

test.each<[string[], RegExp, number]>([
  [['-f', badFile], /bad\.yaml:\d+:\d+/, 1],
  [['-f', join(badDir, 'missing.yaml')], /missing\.yaml/, 1],
  [['--bogus'], /unknown option '--bogus'/, 2],
  [['web-0'], /no kubeconfig found/, 1],
  [['web-0', '--kubeconfig', unreachable, '--context', 'nope'], /context "nope" does not exist/, 1],
  [
    ['web-0', '--kubeconfig', unreachable, '--request-timeout', '3s', '--once'],
    /cannot reach the API server at https:\/\/127\.0\.0\.1:1/,
    1,
  ],
])('bad input %j: one line on stderr, exit %s, no stack trace', (args, re, code) => {
  const r = run(args);
  assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
  assert.match(r.stderr, re);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(r.stderr.trim().split('\n').length <= 2, r.stderr);
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
