// argv -> validated Options. No React, no API calls: bad flags fail here with one clear line.

import { Command, CommanderError, Option } from 'commander';
import { UserError } from './kube/errors.ts';
import { addGlobalFlags, KUBECTL_BOOLEAN_FLAGS, pflagArgv, readGlobalFlags, type GlobalFlags } from './kube/global-flags.ts';
import { parseTarget, type Scope, type TargetSpec } from './kube/target.ts';
import { DEMOS, demoList } from './demo/catalog.ts';
import { DEFAULT_FAIL_RESTARTS, UNTIL_TARGETS, type UntilTarget } from './model/rollout.ts';
import { parseGoDuration } from './model/time.ts';
import type { ColorMode } from './output/terminal.ts';
import { parseTime } from './model/time.ts';
import { parseCursor, parseDuration, parseWindowSpec, type TimeRef, type WindowSpec } from './render/window.ts';

export { parseRequestTimeout } from './kube/global-flags.ts';

export type OutputMode = 'tui' | 'text' | 'json';

/** --until: the exit codes besides 0 (reached), 1 (an error) and 2 (usage). */
export const EXIT_UNTIL_FAILED = 3;
export const EXIT_UNTIL_TIMED_OUT = 4;
/** --color: auto decides per stream (a terminal, NO_COLOR, FORCE_COLOR, TERM=dumb; src/output/terminal.ts). */
export type { ColorMode };

export interface Options {
  readonly target: TargetSpec | undefined; // undefined with -f, --replay, --demo
  readonly namespace: string | undefined;
  readonly context: string | undefined;
  readonly kubeconfig: string | undefined;
  readonly requestTimeoutMs: number | undefined;
  readonly output: OutputMode;
  readonly once: boolean;
  readonly wait: boolean;
  readonly file: string | undefined;
  readonly replay: string | undefined;
  readonly demo: boolean;
  readonly demoName: string | undefined; // `demo NAME`; undefined = the default demo
  readonly speed: number;
  readonly record: string | undefined;
  readonly logLines: number;
  readonly color: ColorMode;
  readonly width: number | undefined;
  // kubectl's selection flags and global flags (src/kube/target.ts, src/kube/global-flags.ts).
  readonly scope: Scope;
  /** -c/--container: only these containers' lanes, lines and logs; undefined = all. */
  readonly containers: readonly string[] | undefined;
  readonly kube: GlobalFlags;
  /** -v / --v. */
  readonly verbosity: number;
  /** IANA zone for clock times (--timezone, --utc); undefined = the local zone. */
  readonly timeZone: string | undefined;
  /** --record-raw: keep env values and other secret-shaped fields in the recording. */
  readonly recordRaw: boolean;
  // ---- the timeline and --export (issue 12, issue 14)
  /** --since / --window: the part of the life the timeline shows (undefined: the view's default). */
  readonly timeline: WindowSpec | undefined;
  /** --cursor: the moment the cursor lines of the text and exported timelines name (undefined: the window's end). */
  readonly cursor: TimeRef | undefined;
  /** --export FILE: write the picture there and exit; `print` when -o was asked for as well. */
  readonly export:
    | { readonly file: string; readonly format: 'svg' | 'html' | 'md'; readonly theme: 'light' | 'dark'; readonly print: boolean }
    | undefined;
  /** --until: watch until this is reached (exit 0), cannot be reached on its own (3), or --timeout passes (4). */
  readonly until: UntilTarget | undefined;
  /** --timeout: how long --until waits; undefined = as long as it takes. */
  readonly timeoutMs: number | undefined;
  /** --fail-restarts: a new pod's container restarted this many times and not ready fails --until (default 2). */
  readonly failRestarts: number;
}

/** Does a live target take the group session (src/app/rollout-session.ts: the rollout screen, or --until)? */
export function isGroupSession(options: Options): boolean {
  return options.target !== undefined && (options.target.kind !== 'pod' || options.until !== undefined);
}

export type ParseResult =
  { readonly kind: 'run'; readonly options: Options } | { readonly kind: 'exit'; readonly code: number; readonly text: string };

const EXAMPLES = `
Examples:
  # Watch one pod live (the current namespace of the current context)
  kubectl podlife web-0
  kubectl podlife pod/web-0 -n shop --context prod

  # Every pod of a Deployment, or by label; across namespaces, or by field
  kubectl podlife deploy/web
  kubectl podlife -l app=web
  kubectl podlife -A --field-selector status.phase=Failed

  # As another user (impersonation), or straight at a server with a token
  kubectl podlife web-0 --as system:serviceaccount:shop:viewer
  kubectl podlife web-0 --server https://10.0.0.1:6443 --certificate-authority ca.crt --token "$TOKEN"

  # A rollout: the workload, its revisions and every pod (any group target opens on this view)
  kubectl podlife deploy/web
  kubectl podlife sts/db        kubectl podlife cronjob/nightly        kubectl podlife -A -l app=web

  # A CI gate: wait until the rollout is available; fail fast with the reason when it cannot be
  kubectl apply -f web.yaml && kubectl podlife deploy/web --until available --timeout 5m -o text
  kubectl podlife job/migrate --until complete --timeout 10m
  kubectl podlife web-0 --until ready

  # Why is it crash-looping? One picture, then exit (text or JSON)
  kubectl podlife web-0 --once
  kubectl podlife web-0 --once -o json | jq '.containers[] | {name, status: .reason, backoff}'

  # Watch a pod from its creation (start before kubectl apply)
  kubectl podlife web-0 --wait

  # A pod its controller replaces under a new name (deleted, drained, evicted; a ReplicaSet's, a
  # Job's, a DaemonSet's): the old one is shown until it is gone, then the replacement, followed
  kubectl podlife shop-7b6f77bdbf-vnj7p            # meanwhile: kubectl delete pod shop-7b6f77bdbf-vnj7p
  kubectl podlife shop-7b6f77bdbf-vnj7p --until ready    # replaced: until the replacement is ready

  # The timeline of the last 10 minutes (and what it showed 90 s ago); a picture for an incident report
  kubectl podlife web-0 --once --since 10m
  kubectl podlife web-0 --once --since 10m --cursor=-90s
  kubectl podlife web-0 --export web-0.svg            # also .html, .md; --export-theme dark

  # Stream lifecycle events as lines (default when stdout is not a terminal)
  kubectl podlife web-0 -o text | tee web-0.log

  # Offline: a saved pod (and its events), or a recording
  kubectl get pod web-0 -o yaml > pod.yaml && kubectl podlife -f pod.yaml
  kubectl get pod,events -o yaml | kubectl podlife -f -
  kubectl podlife web-0 --record web-0.jsonl   ...later:   kubectl podlife --replay web-0.jsonl

  # No cluster at hand: recordings made on a real cluster (a real kubelet), played through the same views
  kubectl podlife demo              # a crash loop (same as --demo)
  kubectl podlife demo oom --once   # the last picture of an OOM kill
  kubectl podlife demo --list       # crash loop, OOM, liveness kill, init failure, rollout, ...

Commands:
  demo [NAME]   play a built-in recording (no cluster needed); demo --list names them.
                A pod named "demo" is watched with: kubectl podlife pod/demo

Keys (terminal UI): q quit, up/down or j/k select a pod or a container, enter opens it, esc back,
  / filter pods by name, L logs, ? help; the timeline: h/l (shift-left/right) move the cursor,
  +/- zoom, [ ] (left/right) pan, 0 follow now, a whole life, t clock times or ages; the rollout
  screen's strips take the same keys (no cursor).

Timeline (terminal UI, -o text): a lane for the pod and one per container; the legend under them
names every glyph they use (? in the terminal UI lists all). Hooks are inferred (the kubelet does
not report them): h postStart, s preStop; ~ stopping (SIGTERM sent), K SIGKILL; ? unknown (history
from before the watch that the API no longer has).

Exit codes:
  0  done (quit, --once printed, a replay ended, a watch ended with Ctrl-C, SIGTERM or SIGHUP), or --until reached
  1  an error, or a watch that had to give up: one line on stderr says what to do
  2  a usage error (a bad flag, argument or selector)
  3  --until failed: the rollout (or pod) cannot get there on its own (crash loop, image pull,
     unschedulable, config error, FailedCreate, progress deadline exceeded, Job failed, deleted)
  4  --until timed out (--timeout passed first)
  128+signal  interrupted before anything was shown (connecting, reading input, --once), or
     before --until was decided

Environment:
  KUBECONFIG        kubeconfig files (a list, as kubectl reads it) when --kubeconfig is not given
  HTTPS_PROXY, NO_PROXY
                    proxy for the API server when the cluster sets no proxy-url (as kubectl)
  NO_COLOR          set and non-empty: no colours with --color auto (FORCE_COLOR forces them; TERM=dumb: none)
  TZ                the local time zone clock times are shown in (--utc, --timezone override it)
  PODLIFE_DEBUG=1   as -v=1: an unexpected error also prints its stack trace
  PODLIFE_PERF=1    timing marks (start, modules, kubeconfig, TLS, requests, first frame) and frame
                    times printed to stderr at exit
  PODLIFE_NODE      the Node.js (>= 22.19) that the bin/ launchers of a source checkout run
  NODE_COMPILE_CACHE
                    where compiled code is cached between runs (default: the OS temp dir)

Completion: kubectl >= 1.26 completes "kubectl podlife <TAB>" through kubectl_complete-podlife on
PATH (installed by npm; see the README for krew and binaries). Shell completion protocol: __complete.
`;

export interface ArgsEnv {
  readonly stdoutIsTTY: boolean;
  readonly version: string;
  /** Unused: NO_COLOR is read per stream when --color is auto (run.ts). */
  readonly noColorEnv?: boolean;
  readonly stdinIsTTY?: boolean;
  readonly stderrIsTTY?: boolean;
}

// Flags that pflag lets users spell --flag=true|false (kubectl users do), and short flags that
// take a value and may be written -x=value.
const BOOLEAN_FLAGS = [
  ...KUBECTL_BOOLEAN_FLAGS,
  '-A',
  '--all-namespaces',
  '-w',
  '--watch',
  '--once',
  '--wait',
  '--demo',
  '--utc',
  '--record-raw',
];
const SHORT_WITH_VALUE = ['-n', '-l', '-o', '-f', '-c', '-s', '-v'];

/** The commander program: parseArgs runs it, completion (src/completion.ts) reads its flags. */
export function createProgram(env: { readonly version: string }, write: (s: string) => void): Command {
  const program = new Command()
    .name('kubectl podlife')
    .usage('[POD | pod/NAME | deploy/NAME | sts/NAME | ds/NAME | rs/NAME | job/NAME | cronjob/NAME] [-l selector] [flags]')
    .description(
      "Watch what a pod goes through, live: phase, conditions, every container's states, restarts and back-off, hooks, probes, termination and events, one timeline per container. Watch a rollout: the workload, its revisions and every pod in one view, and gate CI on it with --until.",
    )
    .argument('[target]', 'pod name, pod/NAME, or a workload: deploy/NAME, sts/NAME, ds/NAME, rs/NAME, job/NAME, cronjob/NAME')
    .option('-n, --namespace <namespace>', 'namespace (default: the context\'s namespace, else "default")')
    .option('-l, --selector <selector>', 'watch every pod matching this label selector')
    .option('-A, --all-namespaces', 'watch pods in every namespace (with -l, --field-selector, or all of them)')
    .option('--field-selector <selector>', 'only pods matching this field selector, e.g. status.phase=Failed or spec.nodeName=node-1')
    .option(
      '-c, --container <name>',
      "only this container's lanes, lines and logs (repeat, or comma-separate, for several)",
      (v: string, prev?: string[]) => [...(prev ?? []), ...v.split(',')],
    )
    .option('--context <name>', 'kubeconfig context to use')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, else ~/.kube/config)')
    .option('--request-timeout <duration>', 'timeout of single requests, e.g. 30s; 0 = none', '0')
    .addOption(
      new Option('-o, --output <format>', 'tui (default on a terminal), text (lines), json (JSON lines)').choices(['tui', 'text', 'json']),
    )
    .option('--once', 'print the current picture and exit')
    .addOption(
      new Option(
        '--until <condition>',
        'watch until: available, ready, complete, rolled-out (workloads) or deleted; exit 0 when reached, 3 as soon as it cannot be reached on its own, 4 on --timeout (a pod or -l: ready, complete, deleted; a pod its controller replaced: ready and complete wait for the replacement, deleted for the named pod to be gone)',
      ).choices([...UNTIL_TARGETS]),
    )
    .option('--timeout <duration>', 'with --until: give up after this long, e.g. 5m, 90s (exit 4); default: no limit')
    .option(
      '--fail-restarts <n>',
      `with --until: a new pod's container that restarted this many times and is not ready fails it (default ${DEFAULT_FAIL_RESTARTS})`,
    )
    .option('-w, --watch', 'watch (the default; --watch=false is --once)')
    .option('--wait', 'wait for the pod to be created instead of failing when it does not exist (watch it from its creation)')
    .option(
      '-f, --filename <file>',
      'render saved objects (Pod, List, multi-document YAML, JSON, a JSON array of snapshots); - reads stdin',
    )
    .option('--tail, --log-lines <n>', 'log lines kept for each container instance that ends (default 20); 0 = fetch no logs, -1 = 10000')
    .option(
      '--record <file>',
      'also write every observation to FILE (JSON lines, mode 0600), for --replay; env values and other secret-shaped fields are left out',
    )
    .option('--record-raw', 'with --record: keep env values, last-applied-configuration and probe headers as the API sent them')
    .option('--replay <file>', 'replay a recording made with --record')
    .option('--speed <factor>', 'replay speed factor', '1')
    .option('--demo', 'replay a built-in recording of a real crash loop (no cluster needed); see the demo command')
    .addOption(new Option('--list', 'with demo: name the built-in recordings').hideHelp())
    .addOption(
      new Option('--color <when>', 'colours: auto (a terminal, unless NO_COLOR or TERM=dumb; FORCE_COLOR forces), always, never')
        .choices(['auto', 'always', 'never'])
        .default('auto'),
    )
    .option('--no-color', 'no colours (same as --color never)')
    .option('--width <columns>', 'width of text output in terminal columns (default: the terminal, else 120)')
    .option('--utc', 'clock times in UTC (default: the local time zone, named in the output)')
    .option('--timezone <zone>', 'clock times in this IANA time zone, e.g. Asia/Tokyo (Local: the local zone)')
    // ---- the timeline and --export
    .option('--since <duration>', 'the timeline shows the last DURATION (e.g. 90s, 5m, 2h) up to now')
    .option(
      '--window <spec>',
      "the timeline window: auto (the latest crash cycles; the terminal UI's default), all (whole life; the default of text and export), DURATION, or FROM..TO with each side -5m, now, 12:03[:10] or an RFC 3339 time",
    )
    .option(
      '--cursor <time>',
      "the moment the timeline's cursor lines name in -o text and --export (default: the window's end): -90s (before the window's end), 12:03[:10] or an RFC 3339 time",
    )
    .option('--export <file>', 'write the picture (timelines, events, diagnosis) to FILE.svg, .html or .md and exit')
    .addOption(new Option('--export-theme <theme>', 'colours of --export').choices(['light', 'dark']).default('light'))
    .version(env.version, '--version', 'print the version (vX.Y.Z) and the commit it was built from')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: write,
      writeErr: write,
      outputError: () => undefined,
    })
    .allowExcessArguments(false);
  addGlobalFlags(program);
  return program;
}

export function parseArgs(argv: readonly string[], env: ArgsEnv): ParseResult {
  let out = '';
  // `demo [NAME]` is the command form of --demo: NAME is then the recording, not a pod.
  const demoCommand = argv[0] === 'demo';
  const program = createProgram(env, (s) => (out += s));

  try {
    const args = pflagArgv(argv, {
      booleans: BOOLEAN_FLAGS,
      shortWithValue: SHORT_WITH_VALUE,
      negations: { '--watch': '--once', '-w': '--once' },
    });
    program.parse(demoCommand ? ['--demo', ...args.slice(1)] : args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return { kind: 'exit', code: 0, text: out };
      const msg = e.message.replace(/^error: /, '');
      throw new UserError(msg, 'See kubectl podlife --help.', 2);
    }
    throw e;
  }
  const o = program.opts<{
    namespace?: string;
    selector?: string;
    allNamespaces?: boolean;
    fieldSelector?: string;
    container?: string[];
    context?: string;
    kubeconfig?: string;
    requestTimeout: string;
    output?: OutputMode;
    once?: boolean;
    watch?: boolean;
    wait?: boolean;
    filename?: string;
    logLines?: string;
    record?: string;
    recordRaw?: boolean;
    replay?: string;
    speed: string;
    demo?: boolean;
    list?: boolean;
    color: ColorMode | false;
    width?: string;
    utc?: boolean;
    timezone?: string;
    since?: string;
    window?: string;
    cursor?: string;
    export?: string;
    exportTheme: 'light' | 'dark';
    until?: UntilTarget;
    timeout?: string;
    failRestarts?: string;
  }>();
  const arg = program.args[0];
  const kube = readGlobalFlags(program.opts());
  const scope: Scope = { allNamespaces: o.allNamespaces === true, fieldSelector: o.fieldSelector };

  let demoName: string | undefined;
  if (o.list) {
    if (!o.demo) throw new UserError('--list names the built-in demos', 'Use: kubectl podlife demo --list', 2);
    return { kind: 'exit', code: 0, text: demoList() };
  }
  if (o.demo && arg !== undefined) {
    if (!DEMOS.some((d) => d.name === arg))
      throw new UserError(`no demo named "${arg}"`, `Demos: ${DEMOS.map((d) => d.name).join(', ')} (kubectl podlife demo --list).`, 2);
    demoName = arg;
  }

  const offline = [o.filename !== undefined && '-f', o.replay !== undefined && '--replay', o.demo && '--demo'].filter(Boolean);
  if (offline.length > 1) throw new UserError(`${offline.join(' and ')} cannot be combined`, 'Pick one source.', 2);
  let target: TargetSpec | undefined;
  if (offline.length === 1) {
    if (
      (arg !== undefined && demoName === undefined) ||
      o.selector !== undefined ||
      scope.allNamespaces ||
      scope.fieldSelector !== undefined
    )
      throw new UserError(
        `${offline[0]} renders saved data; a pod name, -l, -A or --field-selector makes no sense with it`,
        'Drop the pod name and selectors, or drop ' + offline[0] + '.',
        2,
      );
    if (o.record !== undefined)
      throw new UserError('--record records a live cluster; it cannot be combined with ' + offline[0], undefined, 2);
    if (o.filename === '-' && env.stdinIsTTY === true)
      throw new UserError(
        '-f - reads objects from stdin, and stdin is a terminal',
        'Pipe them in: kubectl get pod NAME -o yaml | kubectl podlife -f -',
        2,
      );
  } else {
    target = parseTarget(arg, o.selector, scope);
  }
  if (o.recordRaw && o.record === undefined) throw new UserError('--record-raw applies to --record', 'Add --record FILE.', 2);

  const logLines = o.logLines === undefined ? 20 : o.logLines.trim() === '-1' ? 10_000 : Number(o.logLines);
  if (!Number.isInteger(logLines) || logLines < 0 || logLines > 10_000)
    throw new UserError(
      `invalid --tail/--log-lines "${o.logLines}"`,
      'Use a whole number from 0 to 10000 (-1: as many as kept, 10000).',
      2,
    );
  const containers = o.container?.map((c) => c.trim()).filter((c) => c !== '');
  if (o.container !== undefined && (!containers || containers.length === 0))
    throw new UserError('-c/--container needs a container name', 'Example: -c app (repeat -c for several)', 2);
  for (const c of containers ?? [])
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(c) || c.length > 63)
      throw new UserError(
        `"${c}" is not a valid container name`,
        'Container names are lowercase letters, digits and "-" (kubectl get pod NAME -o jsonpath={.spec.containers[*].name}).',
        2,
      );
  const timeZone = readTimeZone(o.utc === true, o.timezone);
  const speed = Number(o.speed);
  if (!Number.isFinite(speed) || speed <= 0) throw new UserError(`invalid --speed "${o.speed}"`, 'Use a positive number, e.g. 4.', 2);
  let width: number | undefined;
  if (o.width !== undefined) {
    width = Number(o.width);
    if (!Number.isInteger(width) || width < 40 || width > 1000)
      throw new UserError(`invalid --width "${o.width}"`, 'Use a whole number of columns from 40 to 1000.', 2);
  }
  // ---- the timeline and --export
  let timeline: WindowSpec | undefined;
  if (o.since !== undefined && o.window !== undefined)
    throw new UserError('--since and --window both choose the window', 'Use one of them.', 2);
  if (o.since !== undefined) {
    const ms = parseDuration(o.since);
    if (ms === undefined) throw new UserError(`invalid --since "${o.since}"`, 'Use a duration like 90s, 5m, 1h30m or 2d.', 2);
    timeline = { kind: 'since', ms };
  }
  if (o.window !== undefined) {
    timeline = parseWindowSpec(o.window, parseTime);
    if (!timeline)
      throw new UserError(
        `invalid --window "${o.window}"`,
        'Use auto, all, a duration (5m), or FROM..TO with -10m, now, 12:03, 12:03:10 or 2025-01-01T12:03:10Z on either side (e.g. -10m..-5m).',
        2,
      );
  }
  let cursor: TimeRef | undefined;
  if (o.cursor !== undefined) {
    cursor = parseCursor(o.cursor, parseTime);
    if (!cursor)
      throw new UserError(
        `invalid --cursor "${o.cursor}"`,
        "Use a moment: -90s (that long before the window's end), now, 12:03, 12:03:10 or 2025-01-01T12:03:10Z (e.g. --cursor=-90s).",
        2,
      );
  }
  let exported: Options['export'];
  if (o.export !== undefined) {
    const m = /\.(svg|html?|md|markdown)$/i.exec(o.export);
    if (!m) throw new UserError(`--export "${o.export}": the file name must end in .svg, .html or .md`, 'e.g. --export crash.svg', 2);
    const ext = m[1]!.toLowerCase();
    exported = {
      file: o.export,
      format: ext === 'svg' ? 'svg' : ext.startsWith('htm') ? 'html' : 'md',
      theme: o.exportTheme,
      print: o.output !== undefined,
    };
    if (o.output === 'tui') throw new UserError('--export writes a file and exits; -o tui draws a terminal', 'Drop one of them.', 2);
  }
  // ---- end of the timeline and --export
  const { until, timeoutMs, failRestarts } = readUntil(o, target, offline[0] as string | undefined);
  const output: OutputMode = o.output ?? (env.stdoutIsTTY && !o.once && !exported ? 'tui' : 'text');
  if (output === 'tui' && !env.stdoutIsTTY)
    throw new UserError('-o tui needs a terminal, and stdout is not one', 'Use -o text or -o json when piping.', 2);
  if (output === 'tui' && !o.once && kube.verbosity > 0 && env.stderrIsTTY === true)
    throw new UserError(
      `-v=${kube.verbosity} traces to stderr, which is the terminal the UI draws on`,
      'Send the trace elsewhere (2>trace.log), or use -o text.',
      2,
    );
  if (cursor && !exported && (output === 'json' || (output === 'tui' && !o.once)))
    throw new UserError(
      `--cursor names what the timeline shows in -o text and --export, not in ${output === 'json' ? '-o json' : 'the terminal UI'}`,
      output === 'json'
        ? 'Use -o text, or add --export FILE.'
        : 'In the terminal UI move the cursor with h/l; for text add --once or -o text.',
      2,
    );

  return {
    kind: 'run',
    options: {
      target,
      namespace: kube.namespace,
      context: kube.context,
      kubeconfig: kube.kubeconfig,
      requestTimeoutMs: kube.requestTimeoutMs,
      output: o.once && output === 'tui' ? 'text' : output,
      once: (o.once ?? false) || exported !== undefined,
      wait: o.wait ?? false,
      file: o.filename,
      replay: o.replay,
      demo: o.demo ?? false,
      demoName,
      speed,
      record: o.record,
      logLines,
      color: o.color === false ? 'never' : o.color,
      width,
      scope,
      containers,
      kube,
      verbosity: kube.verbosity,
      timeZone,
      recordRaw: o.recordRaw === true,
      timeline,
      cursor,
      export: exported,
      until,
      timeoutMs,
      failRestarts,
    },
  };
}

/** --until, --timeout and --fail-restarts, checked against each other and the target. */
function readUntil(
  o: { until?: UntilTarget; timeout?: string; failRestarts?: string; once?: boolean },
  target: TargetSpec | undefined,
  offline: string | undefined,
): { until: UntilTarget | undefined; timeoutMs: number | undefined; failRestarts: number } {
  let failRestarts = DEFAULT_FAIL_RESTARTS;
  if (o.failRestarts !== undefined) {
    failRestarts = Number(o.failRestarts);
    if (!/^\d+$/.test(o.failRestarts.trim()) || failRestarts < 1 || failRestarts > 1000)
      throw new UserError(`invalid --fail-restarts "${o.failRestarts}"`, 'Use a whole number of restarts from 1 to 1000 (default 2).', 2);
    if (o.until === undefined)
      throw new UserError('--fail-restarts applies to --until', 'Add --until available (or ready, complete, ...).', 2);
  }
  let timeoutMs: number | undefined;
  if (o.timeout !== undefined) {
    const v = o.timeout.trim();
    const seconds = /^\d+$/.test(v) ? Number(v) : parseGoDuration(v);
    if (seconds === undefined)
      throw new UserError(`invalid --timeout "${o.timeout}"`, 'Use a duration like 90s, 5m or 1h30m (0: no limit).', 2);
    if (o.until === undefined) throw new UserError('--timeout applies to --until', 'Add --until available (or ready, complete, ...).', 2);
    timeoutMs = seconds > 0 ? Math.round(seconds * 1000) : undefined;
  }
  if (o.until === undefined) return { until: undefined, timeoutMs, failRestarts };
  if (o.once) throw new UserError('--until waits, --once does not: give one of them', 'Drop --once to wait, or drop --until.', 2);
  if (offline === '-f' && timeoutMs !== undefined)
    throw new UserError('-f renders one saved picture: --timeout has nothing to wait for', 'Drop --timeout.', 2);
  const workload = target?.kind === 'workload';
  if (!workload && target !== undefined && (o.until === 'available' || o.until === 'rolled-out'))
    throw new UserError(
      `--until ${o.until} applies to a workload (deploy/NAME, sts/NAME, ds/NAME, rs/NAME, job/NAME, cronjob/NAME)`,
      `For ${target.kind === 'pod' ? 'a pod' : 'the pods of a selector'} use --until ready, complete or deleted.`,
      2,
    );
  return { until: o.until, timeoutMs, failRestarts };
}

/** --utc / --timezone ZONE, checked against the zones this Node knows. */
function readTimeZone(utc: boolean, zone: string | undefined): string | undefined {
  if (zone === undefined || zone === '' || zone.toLowerCase() === 'local') return utc ? 'UTC' : undefined;
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    if (utc && canonical !== 'UTC' && canonical !== 'Etc/UTC')
      throw new UserError(`--utc and --timezone ${zone} disagree`, 'Give one of them.', 2);
    return canonical;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`unknown time zone "${zone}"`, 'Use an IANA name such as UTC, Europe/Berlin or America/New_York (or Local).', 2);
  }
}
