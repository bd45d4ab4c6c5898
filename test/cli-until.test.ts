// --until, --timeout and --fail-restarts: read, checked against each other and against the target;
// every misuse is one line and exit 2.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { EXIT_UNTIL_FAILED, EXIT_UNTIL_TIMED_OUT, parseArgs } from '../src/cli.ts';
import { UserError } from '../src/kube/errors.ts';

const env = { stdoutIsTTY: false, version: 'v0' };
const options = (argv: string[]) => {
  const r = parseArgs(argv, env);
  assert.equal(r.kind, 'run');
  return r.kind === 'run' ? r.options : undefined!;
};

test.each([
  [['deploy/web', '--until', 'available'], 'available', undefined, 2],
  [['deploy/web', '--until', 'rolled-out', '--timeout', '5m'], 'rolled-out', 300_000, 2],
  [['sts/db', '--until=ready', '--timeout=90s', '--fail-restarts', '3'], 'ready', 90_000, 3],
  [['job/migrate', '--until', 'complete', '--timeout', '1h30m'], 'complete', 5_400_000, 2],
  [['web-0', '--until', 'ready', '--timeout', '0'], 'ready', undefined, 2],
  [['web-0', '--until', 'deleted', '--timeout', '45'], 'deleted', 45_000, 2],
  [['-l', 'app=web', '--until', 'ready'], 'ready', undefined, 2],
  [['--replay', 'r.jsonl', '--until', 'available'], 'available', undefined, 2],
  [['-f', 'x.yaml', '--until', 'available'], 'available', undefined, 2],
] as const)('%j', (argv, until, timeoutMs, failRestarts) => {
  const o = options([...argv]);
  assert.equal(o.until, until);
  assert.equal(o.timeoutMs, timeoutMs);
  assert.equal(o.failRestarts, failRestarts);
});

test('without --until: no decision, the default threshold', () => {
  const o = options(['deploy/web']);
  assert.equal(o.until, undefined);
  assert.equal(o.failRestarts, 2);
});

test.each([
  [['deploy/web', '--until', 'up'], /argument 'up' is invalid/],
  [['web-0', '--until', 'available'], /--until available applies to a workload/],
  [['-l', 'app=x', '--until', 'rolled-out'], /--until rolled-out applies to a workload/],
  [['deploy/web', '--timeout', '5m'], /--timeout applies to --until/],
  [['deploy/web', '--until', 'available', '--timeout', 'soon'], /invalid --timeout "soon"/],
  [['deploy/web', '--until', 'available', '--timeout', '-5s'], /invalid --timeout/],
  [['deploy/web', '--fail-restarts', '2'], /--fail-restarts applies to --until/],
  [['deploy/web', '--until', 'available', '--fail-restarts', '0'], /invalid --fail-restarts "0"/],
  [['deploy/web', '--until', 'available', '--fail-restarts', '1.5'], /invalid --fail-restarts/],
  [['deploy/web', '--until', 'available', '--once'], /--until waits, --once does not/],
  [['-f', 'x.yaml', '--until', 'available', '--timeout', '1m'], /-f renders one saved picture/],
])('%j: one line, exit 2', (argv, re) => {
  assert.throws(
    () => parseArgs([...argv], env),
    (e: unknown) => e instanceof UserError && re.test(e.message) && e.exitCode === 2 && !e.message.includes('\n'),
  );
});

test('the exit codes --help documents are the ones the session returns', () => {
  const r = parseArgs(['--help'], env);
  assert.equal(r.kind, 'exit');
  const help = r.kind === 'exit' ? r.text : '';
  assert.match(help, new RegExp(`\\n  ${EXIT_UNTIL_FAILED}  --until failed`));
  assert.match(help, new RegExp(`\\n  ${EXIT_UNTIL_TIMED_OUT}  --until timed out`));
  assert.match(help, /--until <condition>/);
  assert.match(help, /--fail-restarts <n>/);
});
