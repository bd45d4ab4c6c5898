import { test } from 'vitest';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseArgs, parseRequestTimeout, type ArgsEnv } from '../src/cli.ts';
import { UserError } from '../src/kube/errors.ts';

const tty: ArgsEnv = { stdoutIsTTY: true, version: '9.9.9' };
const pipe: ArgsEnv = { stdoutIsTTY: false, version: '9.9.9' };

function opts(argv: string[], env = tty) {
  const r = parseArgs(argv, env);
  assert.equal(r.kind, 'run');
  return r.kind === 'run' ? r.options : assert.fail();
}

test('targets: bare name, pod/, po/, workloads, selectors, -A and --field-selector alone', () => {
  assert.deepEqual(opts(['web-0']).target, { kind: 'pod', name: 'web-0' });
  assert.deepEqual(opts(['pod/web-0']).target, { kind: 'pod', name: 'web-0' });
  assert.deepEqual(opts(['po/web-0']).target, { kind: 'pod', name: 'web-0' });
  assert.deepEqual(opts(['deploy/web']).target, { kind: 'workload', resource: 'deployments', name: 'web' });
  assert.deepEqual(opts(['sts/db']).target, { kind: 'workload', resource: 'statefulsets', name: 'db' });
  assert.deepEqual(opts(['-l', 'app=web']).target, { kind: 'selector', selector: 'app=web' });
  assert.deepEqual(opts(['-A']).target, { kind: 'all' });
  assert.deepEqual(opts(['--all-namespaces', '-l', 'app=web']).scope, { allNamespaces: true, fieldSelector: undefined });
  const f = opts(['--field-selector', 'status.phase=Failed']);
  assert.deepEqual(f.target, { kind: 'all' });
  assert.equal(f.scope.fieldSelector, 'status.phase=Failed');
  assert.equal(opts(['web-0', '--field-selector', 'spec.nodeName=n1']).scope.fieldSelector, 'spec.nodeName=n1');
});

test('output defaults to the TUI on a terminal and to text lines when piped; --once prints text', () => {
  assert.equal(opts(['web-0']).output, 'tui');
  assert.equal(opts(['web-0'], pipe).output, 'text');
  assert.equal(opts(['web-0', '--once']).output, 'text');
  assert.equal(opts(['web-0', '-o', 'json'], pipe).output, 'json');
  // -w is accepted (watching is the default); --watch=false is kubectl's "print and exit".
  assert.equal(opts(['web-0', '-w']).once, false);
  assert.equal(opts(['web-0', '--watch=false']).once, true);
  assert.equal(opts(['web-0', '-w=false']).once, true);
});

test('kubectl-style flags are read', () => {
  const o = opts(['web-0', '-n', 'shop', '--context', 'prod', '--kubeconfig', '/tmp/kc', '--request-timeout', '30s', '--log-lines', '5']);
  assert.equal(o.namespace, 'shop');
  assert.equal(o.context, 'prod');
  assert.equal(o.kubeconfig, '/tmp/kc');
  assert.equal(o.requestTimeoutMs, 30_000);
  assert.equal(o.logLines, 5);
});

test("every flag `kubectl options` lists is accepted, in pflag's spellings", () => {
  // The real kubectl's list, read from `kubectl options` itself.
  const listed = execFileSync('kubectl', ['options'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s+(?:(-\w), )?(--[\w-]+)=/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ short: m[1], long: m[2]! }));
  assert.ok(listed.length >= 25, `kubectl options listed ${listed.length}`);
  const value = (flag: string): string[] => {
    const bool = ['--disable-compression', '--insecure-skip-tls-verify', '--match-server-version', '--warnings-as-errors'];
    if (bool.includes(flag)) return [flag];
    if (flag === '--as-group') return [flag, 'g1'];
    if (flag === '--v') return [flag, '2'];
    if (flag === '--request-timeout' || flag === '--log-flush-frequency') return [flag, '5s'];
    if (flag === '--server') return [flag, 'https://127.0.0.1:6443'];
    return [flag, 'x'];
  };
  for (const f of listed) {
    const argv = ['web-0', ...value(f.long)];
    if (f.long === '--as-group' || f.long === '--as-uid') argv.push('--as', 'u');
    assert.doesNotThrow(() => parseArgs(argv, pipe), `${f.long}`);
    if (f.short) assert.doesNotThrow(() => parseArgs(['web-0', f.short!, value(f.long)[1] ?? 'x'], pipe), f.short);
  }
  const o = opts(
    [
      'web-0',
      '--as=alice',
      '--as-group',
      'dev',
      '--as-group=ops',
      '--as-uid',
      '42',
      '--cluster=c',
      '--user',
      'u',
      '-s',
      'https://10.0.0.1:6443',
      '--certificate-authority',
      'ca.crt',
      '--client-certificate',
      'c.crt',
      '--client-key',
      'c.key',
      '--insecure-skip-tls-verify=false',
      '--tls-server-name',
      'api',
      '--token',
      'T',
      '--username',
      'bob',
      '--password',
      'pw',
      '--disable-compression=true',
      '-v=7',
      '--cache-dir',
      '/tmp/c',
    ],
    pipe,
  );
  assert.deepEqual(
    { ...o.kube },
    {
      kubeconfig: undefined,
      context: undefined,
      namespace: undefined,
      requestTimeoutMs: undefined,
      verbosity: 7,
      warningsAsErrors: false,
      cluster: 'c',
      user: 'u',
      server: 'https://10.0.0.1:6443',
      certificateAuthority: 'ca.crt',
      insecureSkipTlsVerify: undefined,
      tlsServerName: 'api',
      clientCertificate: 'c.crt',
      clientKey: 'c.key',
      token: 'T',
      username: 'bob',
      password: 'pw',
      as: 'alice',
      asGroups: ['dev', 'ops'],
      asUid: '42',
      disableCompression: true,
    },
  );
  for (const v of [['-v', '6'], ['-v6'], ['-v=6'], ['--v=6'], ['--v', '6']])
    assert.equal(opts(['web-0', ...v], pipe).verbosity, 6, v.join(' '));
  assert.equal(opts(['web-0', '-n=shop'], pipe).namespace, 'shop');
});

test('selection: -c (repeated or comma-separated), --tail as --log-lines, -1 for all', () => {
  assert.deepEqual(opts(['web-0', '-c', 'app', '-c', 'sidecar,init']).containers, ['app', 'sidecar', 'init']);
  assert.equal(opts(['web-0']).containers, undefined);
  assert.equal(opts(['web-0', '--tail', '7']).logLines, 7);
  assert.equal(opts(['web-0', '--tail=-1']).logLines, 10_000);
  assert.equal(opts(['web-0']).logLines, 20);
});

test('colour: --color auto|always|never, --no-color; times: --utc, --timezone', () => {
  assert.equal(opts(['web-0']).color, 'auto');
  assert.equal(opts(['web-0', '--color', 'always']).color, 'always');
  assert.equal(opts(['web-0', '--color=never']).color, 'never');
  assert.equal(opts(['web-0', '--no-color']).color, 'never');
  assert.equal(opts(['web-0']).timeZone, undefined);
  assert.equal(opts(['web-0', '--utc']).timeZone, 'UTC');
  assert.equal(opts(['web-0', '--timezone', 'Asia/Tokyo']).timeZone, 'Asia/Tokyo');
  assert.equal(opts(['web-0', '--timezone', 'Local']).timeZone, undefined);
});

test('--request-timeout reads kubectl forms', () => {
  const cases: [string, number | undefined][] = [
    ['0', undefined],
    ['5', 5000],
    ['1m', 60_000],
    ['1h2m3s', 3_723_000],
    ['500ms', 500],
    ['1.5s', 1500],
  ];
  for (const [v, ms] of cases) assert.equal(parseRequestTimeout(v), ms, v);
  assert.throws(() => parseRequestTimeout('soon'), UserError);
});

test('bad input: one clear error each, every usage error exits 2', () => {
  const bad: [string[], RegExp, ArgsEnv?][] = [
    [[], /no pod given/],
    [['--bogus'], /unknown option '--bogus'/],
    [['svc/web'], /unsupported resource type "svc"/],
    [['foo/bar'], /unsupported resource type "foo"/],
    [['deploy/'], /"deploy\/" names no deploy/],
    [['Web_0'], /not a valid name/],
    [['web-0', 'web-1'], /too many arguments|unexpected/],
    [['web-0', '-l', 'app=x'], /either a pod name or -l/],
    [['-l', ''], /-l needs a label selector/],
    [['web-0', '-A'], /cannot be retrieved by name across all namespaces/],
    [['deploy/web', '--all-namespaces'], /cannot be retrieved by name across all namespaces/],
    [['--field-selector', 'foo'], /invalid field selector "foo"/],
    [['-A', '--field-selector', 'a=b,,c'], /invalid field selector/],
    [['web-0', '-o', 'yaml'], /invalid/],
    [['-f', 'x.yaml', 'web-0'], /makes no sense/],
    [['-f', 'x.yaml', '-A'], /makes no sense/],
    [['-f', 'x.yaml', '--demo'], /cannot be combined/],
    [['--demo', '--record', 'r.jsonl'], /--record records a live cluster/],
    [['web-0', '--record-raw'], /--record-raw applies to --record/],
    [['web-0', '--log-lines', '-3'], /invalid --tail\/--log-lines/],
    [['web-0', '--tail', 'many'], /invalid --tail\/--log-lines/],
    [['web-0', '--speed', '0'], /invalid --speed/],
    [['web-0', '--width', '12'], /invalid --width/],
    [['web-0', '-o', 'tui'], /needs a terminal/, pipe],
    [['web-0', '-c', 'Bad_Name'], /not a valid container name/],
    [['web-0', '-c', ','], /-c\/--container needs a container name/],
    [['web-0', '--color', 'sometimes'], /argument 'sometimes' is invalid|invalid/],
    [['web-0', '--timezone', 'Mars/Olympus'], /unknown time zone "Mars\/Olympus"/],
    [['web-0', '--utc', '--timezone', 'Asia/Tokyo'], /--utc and --timezone Asia\/Tokyo disagree/],
    [['web-0', '--request-timeout', 'soon'], /invalid --request-timeout "soon"/],
    [['web-0', '-v', 'high'], /invalid argument "high" for "-v, --v"/],
    [['web-0', '--insecure-skip-tls-verify=maybe'], /invalid argument "maybe" for "--insecure-skip-tls-verify"/],
    [['web-0', '--server', ''], /--server needs an address/],
    [['web-0', '-v=6'], /traces to stderr, which is the terminal the UI draws on/, { ...tty, stderrIsTTY: true }],
    [['-f', '-'], /-f - reads objects from stdin, and stdin is a terminal/, { ...tty, stdinIsTTY: true }],
    [['web-0', '--kubeconfig'], /argument missing/],
  ];
  for (const [argv, re, env] of bad) {
    assert.throws(
      () => parseArgs(argv, env ?? tty),
      (e: unknown) => e instanceof UserError && re.test(e.message) && e.exitCode === 2 && !e.message.includes('\n'),
      argv.join(' '),
    );
  }
});

test('--help and --version exit 0 with text; --help lists the kubectl global flags', () => {
  const h = parseArgs(['--help'], tty);
  assert.equal(h.kind, 'exit');
  if (h.kind === 'exit') {
    assert.equal(h.code, 0);
    assert.match(h.text, /Usage: kubectl podlife/);
    assert.match(h.text, /Examples:/);
    assert.match(h.text, /kubectl global flags/);
    for (const f of [
      '--as <user>',
      '--as-group',
      '--token',
      '-s, --server',
      '-v, --v <level>',
      '-A, --all-namespaces',
      '--field-selector',
      '-c, --container',
      '--cursor <time>',
    ])
      assert.ok(h.text.includes(f), f);
  }
  const v = parseArgs(['--version'], tty);
  assert.deepEqual(v, { kind: 'exit', code: 0, text: '9.9.9\n' });
});

test('--since and --window choose the timeline window; --export implies --once and no terminal UI', () => {
  assert.deepEqual(opts(['web-0', '--since', '10m']).timeline, { kind: 'since', ms: 600_000 });
  assert.deepEqual(opts(['web-0', '--window', 'all']).timeline, { kind: 'all' });
  assert.deepEqual(opts(['web-0', '--window', '-10m..-5m']).timeline, {
    kind: 'range',
    from: { kind: 'age', ms: 600_000 },
    to: { kind: 'age', ms: 300_000 },
  });
  assert.equal(opts(['web-0']).timeline, undefined);
  const e = opts(['web-0', '--export', 'out.SVG']);
  assert.deepEqual(e.export, { file: 'out.SVG', format: 'svg', theme: 'light', print: false });
  assert.equal(e.once, true);
  assert.equal(e.output, 'text');
  assert.deepEqual(opts(['web-0', '--export', 'x.html', '--export-theme', 'dark', '-o', 'json']).export, {
    file: 'x.html',
    format: 'html',
    theme: 'dark',
    print: true,
  });
  assert.equal(opts(['web-0', '--export', 'x.md']).export?.format, 'md');
});

test("--cursor places the cursor of the text and exported timelines: an age before the window's end, a time of day, an RFC 3339 time", () => {
  assert.deepEqual(opts(['web-0', '--once', '--cursor', '-90s']).cursor, { kind: 'age', ms: 90_000 });
  assert.deepEqual(opts(['web-0', '--once', '--cursor=-1m30s']).cursor, { kind: 'age', ms: 90_000 });
  assert.deepEqual(opts(['web-0', '--once', '--cursor', 'now']).cursor, { kind: 'age', ms: 0 });
  assert.deepEqual(opts(['web-0', '--once', '--cursor', '12:03:10']).cursor, { kind: 'time-of-day', ms: (12 * 3600 + 3 * 60 + 10) * 1000 });
  assert.deepEqual(opts(['web-0', '--cursor', '2026-12-01T12:03:10Z'], pipe).cursor, { kind: 'at', ms: Date.UTC(2026, 11, 1, 12, 3, 10) });
  assert.deepEqual(opts(['web-0', '--export', 'x.svg', '--cursor', '-5s']).cursor, { kind: 'age', ms: 5_000 });
  assert.deepEqual(opts(['web-0', '--export', 'x.svg', '-o', 'json', '--cursor', '-5s']).cursor, { kind: 'age', ms: 5_000 });
  assert.equal(opts(['web-0', '--once']).cursor, undefined);
});

test.each<[string[], RegExp, RegExp]>([
  [['web-0', '--once', '--cursor', '90s'], /^invalid --cursor "90s"$/, /-90s \(that long before the window's end\)/],
  [['web-0', '--once', '--cursor', '25:00'], /^invalid --cursor "25:00"$/, /12:03:10/],
  [['web-0', '--once', '--cursor', 'yesterday'], /^invalid --cursor "yesterday"$/, /2025-01-01T12:03:10Z/],
  [['web-0', '--cursor', '-5s'], /not in the terminal UI/, /move the cursor with h\/l/],
  [['web-0', '-o', 'json', '--cursor', '-5s'], /not in -o json/, /Use -o text, or add --export FILE/],
])('bad --cursor %j: one line naming the problem and the fix, exit 2', (argv, problem, fix) => {
  assert.throws(
    () => parseArgs(argv, tty),
    (e: unknown) => e instanceof UserError && problem.test(e.message) && fix.test(e.hint ?? '') && e.exitCode === 2,
  );
});

test.each<[string[], RegExp]>([
  [['web-0', '--since', '5'], /invalid --since "5"/],
  [['web-0', '--since', '5m', '--window', 'all'], /--since and --window both/],
  [['web-0', '--window', 'yesterday'], /invalid --window "yesterday"/],
  [['web-0', '--export', 'x.png'], /must end in .svg, .html or .md/],
  [['web-0', '--export', 'x.svg', '--export-theme', 'blue'], /invalid/],
  [['web-0', '--export', 'x.svg', '-o', 'tui'], /--export writes a file/],
])('bad timeline or export flags %j: one clear error', (argv, re) => {
  assert.throws(
    () => parseArgs(argv, tty),
    (e: unknown) => e instanceof UserError && re.test(e.message),
  );
});
