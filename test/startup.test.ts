// How the program starts (src/main.ts), through the shipped launcher: `--once` against a cluster
// compiles its modules eagerly, into a compile cache of its own (V8 keeps one directory per flag
// setting), while every other mode (the terminal UI, --help, -f, --replay, demos) keeps the lazily
// compiled one, so that neither rejects and rewrites the other's cache. (The picture itself is
// checked against the real cluster in test/e2e/first-screen.test.ts.)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { recordingsDir } from './helpers/fixtures.ts';

const launcher = join(import.meta.dirname, '..', 'bin', 'kubectl-podlife');

/** The compile cache directories a run of the launcher with these arguments used. */
function cacheDirs(
  args: string[],
  o: { nodeCompileCache?: boolean } = {},
): { dirs: string[]; status: number | null; stdout: string; stderr: string } {
  // The program enables the cache itself, in the OS temp dir (TMPDIR); NODE_COMPILE_CACHE has
  // Node enable it at start instead.
  const tmp = mkdtempSync(join(tmpdir(), 'podlife-cache-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', KUBECONFIG: '/nonexistent/kubeconfig', TMPDIR: tmp };
  delete env['NODE_COMPILE_CACHE'];
  if (o.nodeCompileCache) env['NODE_COMPILE_CACHE'] = join(tmp, 'node-compile-cache');
  try {
    const r = spawnSync(launcher, args, { encoding: 'utf8', input: '', env, timeout: 30_000 });
    const dirs = readdirSync(join(tmp, 'node-compile-cache')).sort();
    return { dirs, status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test('--once against a cluster compiles into a cache of its own; the other modes share the lazily compiled one', () => {
  const file = join(recordingsDir, 'oom.jsonl');
  const help = cacheDirs(['--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.equal(help.dirs.length, 1);
  // A server that refuses the connection: the cluster path runs to its first request.
  const once = cacheDirs(['web-0', '--server', 'http://127.0.0.1:1', '--once']);
  assert.equal(once.status, 1);
  assert.match(once.stderr, /^podlife: cannot reach the API server at http:\/\/127\.0\.0\.1:1: connection refused$/m);
  assert.equal(once.dirs.length, 1);
  assert.notDeepEqual(once.dirs, help.dirs, 'a directory of its own');
  for (const args of [
    ['--replay', file, '--once'],
    ['--replay=' + file, '--once'],
    ['--demo', '--once'],
    ['demo', '--once'],
  ]) {
    const r = cacheDirs(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.deepEqual(r.dirs, help.dirs, args.join(' '));
  }
});

test('with NODE_COMPILE_CACHE (enabled by Node before the program runs: one directory) --once compiles lazily too', () => {
  const help = cacheDirs(['--help'], { nodeCompileCache: true });
  const once = cacheDirs(['web-0', '--server', 'http://127.0.0.1:1', '--once'], { nodeCompileCache: true });
  assert.equal(once.status, 1, once.stderr);
  assert.equal(help.dirs.length, 1);
  assert.deepEqual(once.dirs, help.dirs);
});
