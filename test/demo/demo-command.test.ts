// `kubectl podlife demo [NAME]`, `demo --list`, and the conventions of --version and --help.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'vitest';
import { parseArgs } from '../../src/cli.ts';
import { DEMOS } from '../../src/demo/catalog.ts';
import { UserError } from '../../src/kube/errors.ts';
import { recordingsDir } from '../helpers/fixtures.ts';

const env = { stdoutIsTTY: false, noColorEnv: false, version: 'v9.9.9 (commit abc)' };
const root = join(import.meta.dirname, '..', '..');
const launcher = join(root, 'bin', 'kubectl-podlife');
const run = (args: string[]) =>
  spawnSync(launcher, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', KUBECONFIG: '/nonexistent' }, timeout: 30_000 });

test('demo NAME is --demo with a recording; a pod named demo stays reachable as pod/demo', () => {
  const a = parseArgs(['demo', 'oom', '--once'], env);
  assert.equal(a.kind, 'run');
  if (a.kind === 'run') {
    assert.equal(a.options.demo, true);
    assert.equal(a.options.demoName, 'oom');
    assert.equal(a.options.target, undefined);
  }
  const b = parseArgs(['demo'], env);
  assert.ok(b.kind === 'run' && b.options.demo && b.options.demoName === undefined);
  const c = parseArgs(['pod/demo'], env);
  assert.ok(c.kind === 'run' && c.options.target?.kind === 'pod' && c.options.target.name === 'demo');
  assert.throws(
    () => parseArgs(['demo', 'nope'], env),
    (e: UserError) => e.exitCode === 2 && /no demo named "nope"/.test(e.message),
  );
  assert.throws(() => parseArgs(['--list'], env), /--list names the built-in demos/);
  assert.throws(() => parseArgs(['demo', 'oom', '-f', 'x.yaml'], env), /cannot be combined/);
});

test('demo --list names every demo once, the default first', () => {
  const r = parseArgs(['demo', '--list'], env);
  assert.ok(r.kind === 'exit' && r.code === 0);
  const names = r.text
    .split('\n')
    .filter((l) => /^\S+\s{2,}/.test(l))
    .map((l) => l.split(/\s+/)[0]);
  assert.deepEqual(
    names,
    DEMOS.map((d) => d.name),
  );
  assert.match(r.text, /^crashloop .*\(default\)$/m);
  for (const required of ['crashloop', 'oom', 'liveness', 'init', 'rollout']) assert.ok(names.includes(required), required);
});

test('demo NAME --once -o json prints what --replay of the same recording prints', () => {
  for (const name of ['oom', 'init']) {
    const demo = run(['demo', name, '--once', '-o', 'json']);
    assert.equal(demo.status, 0, demo.stderr);
    const replay = run(['--replay', join(recordingsDir, `${name}.jsonl`), '--once', '-o', 'json']);
    assert.equal(replay.status, 0, replay.stderr);
    assert.equal(demo.stdout, replay.stdout);
    assert.equal(JSON.parse(demo.stdout.split('\n')[0]!).name, name === 'oom' ? 'oom' : 'init');
  }
  const bad = run(['demo', 'nope']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^podlife: no demo named "nope"\n {2}Demos: crashloop, oom/);
});

test('--version prints vX.Y.Z and the commit the program was built from', () => {
  const r = run(['--version']);
  assert.equal(r.status, 0, r.stderr);
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const info = JSON.parse(readFileSync(join(root, 'dist', 'build-info.json'), 'utf8'));
  assert.equal(r.stdout, `v${version} (commit ${info.commit})\n`);
  assert.match(info.commit, /^([0-9a-f]{12}(-dirty)?|unknown)$/);
});

test('--help lists the demo command, exit codes and environment variables', () => {
  const r = run(['--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Commands:\n {2}demo \[NAME\]/m);
  assert.match(r.stdout, /^Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 /m);
  for (const v of ['KUBECONFIG', 'NO_COLOR', 'PODLIFE_DEBUG', 'PODLIFE_NODE', 'HTTPS_PROXY'])
    assert.match(r.stdout, new RegExp(`^ {2}${v}\\b`, 'm'), v);
});
