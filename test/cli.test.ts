import { test } from 'vitest';
import assert from 'node:assert/strict';
import { parseArgs, parseRequestTimeout } from '../src/cli.ts';
import { UserError } from '../src/kube/errors.ts';

const tty = { stdoutIsTTY: true, noColorEnv: false, version: '9.9.9' };
const pipe = { stdoutIsTTY: false, noColorEnv: false, version: '9.9.9' };

function opts(argv: string[], env = tty) {
  const r = parseArgs(argv, env);
  assert.equal(r.kind, 'run');
  return r.kind === 'run' ? r.options : assert.fail();
}

test('targets: bare name, pod/, po/, workloads, selectors', () => {
  assert.deepEqual(opts(['web-0']).target, { kind: 'pod', name: 'web-0' });
  assert.deepEqual(opts(['pod/web-0']).target, { kind: 'pod', name: 'web-0' });
  assert.deepEqual(opts(['po/web-0']).target, { kind: 'pod', name: 'web-0' });
  assert.deepEqual(opts(['deploy/web']).target, { kind: 'workload', resource: 'deployments', name: 'web' });
  assert.deepEqual(opts(['sts/db']).target, { kind: 'workload', resource: 'statefulsets', name: 'db' });
  assert.deepEqual(opts(['-l', 'app=web']).target, { kind: 'selector', selector: 'app=web' });
});

test('output defaults to the TUI on a terminal and to text lines when piped; --once prints text', () => {
  assert.equal(opts(['web-0']).output, 'tui');
  assert.equal(opts(['web-0'], pipe).output, 'text');
  assert.equal(opts(['web-0', '--once']).output, 'text');
  assert.equal(opts(['web-0', '-o', 'json'], pipe).output, 'json');
});

test('kubectl-style flags are read', () => {
  const o = opts(['web-0', '-n', 'shop', '--context', 'prod', '--kubeconfig', '/tmp/kc', '--request-timeout', '30s', '--log-lines', '5']);
  assert.equal(o.namespace, 'shop');
  assert.equal(o.context, 'prod');
  assert.equal(o.kubeconfig, '/tmp/kc');
  assert.equal(o.requestTimeoutMs, 30_000);
  assert.equal(o.logLines, 5);
});

test.each<[string, number | undefined]>([
  ['0', undefined],
  ['5', 5000],
  ['1m', 60_000],
  ['1h2m3s', 3_723_000],
  ['500ms', 500],
  ['1.5s', 1500],
])('--request-timeout %s (a kubectl form) is %s ms', (v, ms) => {
  assert.equal(parseRequestTimeout(v), ms);
});

test('--request-timeout soon: an error', () => {
  assert.throws(() => parseRequestTimeout('soon'), UserError);
});

test.each<[string[], RegExp]>([
  [[], /no pod given/],
  [['--bogus'], /unknown option '--bogus'/],
  [['svc/web'], /unsupported resource type "svc"/],
  [['Web_0'], /not a valid name/],
  [['web-0', '-l', 'app=x'], /either a pod name or -l/],
  [['web-0', '-o', 'yaml'], /invalid/],
  [['-f', 'x.yaml', 'web-0'], /makes no sense/],
  [['-f', 'x.yaml', '--demo'], /cannot be combined/],
  [['web-0', '--log-lines', '-3'], /invalid --log-lines/],
  [['web-0', '-o', 'tui'], /needs a terminal/],
])('bad input %j: one clear error', (argv, re) => {
  assert.throws(
    () => parseArgs(argv, argv.includes('tui') ? pipe : tty),
    (e: unknown) => e instanceof UserError && re.test(e.message),
  );
});

test('--help and --version exit 0 with text', () => {
  const h = parseArgs(['--help'], tty);
  assert.equal(h.kind, 'exit');
  if (h.kind === 'exit') {
    assert.equal(h.code, 0);
    assert.match(h.text, /Usage: kubectl podlife/);
    assert.match(h.text, /Examples:/);
  }
  const v = parseArgs(['--version'], tty);
  assert.deepEqual(v, { kind: 'exit', code: 0, text: '9.9.9\n' });
});

test('NO_COLOR and --no-color turn colour off', () => {
  assert.equal(opts(['web-0']).color, true);
  assert.equal(opts(['web-0', '--no-color']).color, false);
  assert.equal(opts(['web-0'], { ...tty, noColorEnv: true }).color, false);
});
