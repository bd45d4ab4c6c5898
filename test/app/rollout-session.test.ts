// The group session without a cluster, through the launcher as users run it: -f with workloads
// (the rollout picture, and --until decided on it: 0 reached, 3 failed, 4 not reached as of the
// file), recordings of a rollout (the workload line first; the JSON shape the README documents;
// --until when the recording ends), and an older pods-only recording of a workload.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { recordingsDir } from '../helpers/fixtures.ts';
import { findSnapshot, loadRolloutFixture } from '../helpers/rollout-fixtures.ts';

const launcher = join(import.meta.dirname, '..', '..', 'bin', 'kubectl-podlife');
const dir = mkdtempSync(join(tmpdir(), 'podlife-session-'));

function run(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(launcher, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/nonexistent' }, timeout: 60_000 });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** A poll of a fixture as the file `kubectl get deploy,rs,pods,events -o json` writes. */
function file(name: string, pick: 'last' | ((items: readonly Record<string, unknown>[]) => boolean)): string {
  const fx = loadRolloutFixture(name);
  const i = pick === 'last' ? fx.snapshots.length - 1 : findSnapshot(fx, (s) => pick(s.items), 'the moment');
  const path = join(dir, `${name}-${i}.json`);
  writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: fx.snapshots[i]!.items }));
  return path;
}

const lines = (text: string): Record<string, any>[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);

describe('-f with workloads', () => {
  test('--once: the rollout picture (workload, verdict, revisions with their pods, events)', () => {
    const r = run(['-f', file('deploy-quota', 'last'), '--once', '--width', '200']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^deployment\/shop {2}namespace \S+ {2}revision 1 -> 2\n/);
    assert.match(
      r.stdout,
      /verdict: stuck: new revision 2 cannot become available: ReplicaSet shop-[a-z0-9]+ cannot create pods: exceeded quota: pods3/,
    );
    assert.match(r.stdout, /\nnew revision 2 \(shop-[a-z0-9]+\) {2}no pods; desired 1, current 0/);
    assert.match(r.stdout, /\nold revision 1 \(shop-[a-z0-9]+\) {2}3 Running/);
    assert.match(r.stdout, /ReplicaSet\/shop-[a-z0-9]+ {2}Warning FailedCreate: Error creating: pods "shop-/);
  });

  test('--until: 3 when it cannot be reached, with the report; 0 when reached; 4 when not yet, as of the file', () => {
    const stuck = run(['-f', file('deploy-crashloop', 'last'), '--until', 'available', '-o', 'text', '--width', '200']);
    assert.equal(stuck.code, 3, stuck.stderr);
    const report = stuck.stdout.slice(stuck.stdout.indexOf('--until available failed'));
    assert.match(
      report,
      /^--until available failed: deployment\/shop\n {2}stuck: new revision 2 cannot become available: pod shop-77ff6474c-dk65h CrashLoopBackOff \(exit 3, 3 restarts, back-off 40s\)/,
    );
    assert.match(report, /\npod \S+\/shop-77ff6474c-dk65h {2}revision 2 {2}CrashLoopBackOff/);
    assert.match(report, /\[error\] shop: crash loop: the process exits with 3/);
    const ok = run(['-f', file('deploy-ok', 'last'), '--until', 'available', '-o', 'json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(
      { ...lines(ok.stdout).at(-1), observedAt: null },
      {
        kind: 'until',
        target: 'deployment/shop',
        until: 'available',
        outcome: 'reached',
        reason: 'deployment/shop is available',
        evidence: [],
        pods: [],
        observedAt: null,
      },
    );
    const early = run([
      '-f',
      file('deploy-ok', (items) =>
        items.some(
          (o) =>
            o['kind'] === 'ReplicaSet' &&
            (o['metadata'] as any).annotations['deployment.kubernetes.io/revision'] === '2' &&
            ((o['status'] as any).availableReplicas ?? 0) === 1,
        ),
      ),
      '--until',
      'rolled-out',
      '-o',
      'json',
    ]);
    assert.equal(early.code, 4, early.stderr);
    assert.match(lines(early.stdout).at(-1)!['reason'], /^as of the file, not rolled-out: waiting for deployment "shop" rollout to finish/);
  });

  test('a Job that exceeded its backoffLimit: --until complete fails, naming BackoffLimitExceeded', () => {
    const r = run(['-f', file('jobs', 'last'), '--until', 'complete', '-o', 'text', '--width', '200']);
    // Two Jobs in the file: the one that failed decides.
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /--until complete failed: job\/batch-fail\n {2}failed: job\/batch-fail failed: BackoffLimitExceeded/);
  });
});

describe('recordings of a rollout', () => {
  const rollout = join(recordingsDir, 'rollout.jsonl');
  // The README's example of the workload line: its keys.
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const example = /\n```jsonc\n(\{"kind": "workload"[\s\S]*?)\n\n\{"kind": "until"/.exec(readme)?.[1] ?? '';
  const keysOf = (text: string): Set<string> => new Set([...text.matchAll(/"([A-Za-z]+)":/g)].map((m) => m[1]!));
  const allKeys = (v: unknown, into = new Set<string>()): Set<string> => {
    if (Array.isArray(v)) for (const x of v) allKeys(x, into);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        into.add(k);
        allKeys(x, into);
      }
    return into;
  };

  test('--once -o json: the workload line first, then its pods with their revisions; the keys the README documents', () => {
    const r = run(['--replay', rollout, '--once', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.equal(out[0]!['kind'], 'workload');
    assert.deepEqual([...allKeys(out[0])].filter((k) => !keysOf(example).has(k)).sort(), [], 'emitted but not documented');
    assert.deepEqual([...keysOf(example)].filter((k) => !allKeys(out[0]).has(k)).sort(), [], 'documented but not emitted');
    assert.equal(out[0]!['verdict'].state, 'stuck');
    assert.deepEqual(
      out.slice(1).map((p) => [p['kind'], p['revision']]),
      [
        ['pod', 2],
        ['pod', 1],
        ['pod', 1],
        ['pod', 1],
      ],
    );
  });

  test('-o json while it plays: a workload line whenever its picture changes, never twice the same', () => {
    const r = run(['--replay', rollout, '-o', 'json', '--speed', '1000']);
    assert.equal(r.code, 0, r.stderr);
    const ws = lines(r.stdout)
      .filter((l) => l['kind'] === 'workload')
      .map(({ observedAt: _o, ...rest }) => JSON.stringify(rest));
    assert.ok(ws.length >= 5, `${ws.length} workload lines`);
    for (let i = 1; i < ws.length; i++) assert.notEqual(ws[i], ws[i - 1]);
    const workloads = lines(r.stdout).filter((l) => l['kind'] === 'workload');
    // The pods are listed before the owner: waiting for it, never "does not exist".
    assert.equal(workloads[0]!['verdict'].reason, 'waiting for deployment/shop to be listed');
    const states = workloads.slice(1).map((l) => l['verdict'].state);
    assert.deepEqual([...new Set(states)], ['complete', 'progressing', 'stuck']);
  });

  test('--until deleted on a recording that ends first: 4, timed out when the recording ended', () => {
    const r = run(['--replay', rollout, '--until', 'deleted', '-o', 'json', '--speed', '1000']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(lines(r.stdout).at(-1)!['reason'], /^when the recording ended, not deleted: deployment\/shop exists/);
  });

  test('a recording made before workloads were watched: its pods, named so', () => {
    const r = run(['--replay', join(recordingsDir, 'rollout-web.jsonl'), '--once', '--width', '160']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^deployments\/web \(its pods: recorded without the workload\) {2}2 pods/);
    assert.match(r.stdout, /ReplicaSet web-7f544bd467 {2}1 CrashLoopBackOff/);
  });
});
