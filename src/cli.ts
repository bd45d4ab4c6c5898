// argv -> validated Options. No React, no API calls: bad flags fail here with one clear line.

import { Command, CommanderError, Option } from 'commander';
import { UserError } from './kube/errors.ts';
import { parseTarget, type TargetSpec } from './kube/target.ts';
import { DEMOS, demoList } from './demo/catalog.ts';

export type OutputMode = 'tui' | 'text' | 'json';

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
  readonly color: boolean;
  readonly width: number | undefined;
}

export type ParseResult =
  { readonly kind: 'run'; readonly options: Options } | { readonly kind: 'exit'; readonly code: number; readonly text: string };

const EXAMPLES = `
Examples:
  # Watch one pod live (the current namespace of the current context)
  kubectl podlife web-0
  kubectl podlife pod/web-0 -n shop --context prod

  # Every pod of a Deployment, or by label
  kubectl podlife deploy/web
  kubectl podlife -l app=web

  # Why is it crash-looping? One picture, then exit (text or JSON)
  kubectl podlife web-0 --once
  kubectl podlife web-0 --once -o json | jq '.containers[] | {name, status: .reason, backoff}'

  # Watch a pod from its creation (start before kubectl apply)
  kubectl podlife web-0 --wait

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

Keys (terminal UI): q quit, up/down or j/k select a container, enter details, l logs, ? help.

Exit codes:
  0  done (quit, --once printed, a replay ended)
  1  an error: one line on stderr says what and how to fix it
  2  a usage error (a bad flag or argument)

Environment:
  KUBECONFIG        kubeconfig files (a list, as kubectl reads it) when --kubeconfig is not given
  HTTPS_PROXY, NO_PROXY
                    proxy for the API server when the cluster sets no proxy-url (as kubectl)
  NO_COLOR          set and non-empty: no colours (as --no-color)
  PODLIFE_DEBUG=1   an unexpected error also prints its stack trace
  PODLIFE_NODE      the Node.js (>= 22.19) that the bin/ launchers of a source checkout run
  NODE_COMPILE_CACHE
                    where compiled code is cached between runs (default: the OS temp dir)

Completion: kubectl >= 1.26 completes "kubectl podlife <TAB>" through kubectl_complete-podlife on
PATH (installed by npm; see the README for krew and binaries). Shell completion protocol: __complete.
`;

/** kubectl's --request-timeout: "0" (none), a bare number of seconds, or 1h2m3s-style durations. */
export function parseRequestTimeout(value: string): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) === 0 ? undefined : Number(v) * 1000;
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(v);
  if (!m || v === '') throw new UserError(`invalid --request-timeout "${value}"`, 'Use a duration like 30s, 1m or 0 (no timeout).', 2);
  const ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000 + Number(m[4] ?? 0);
  return ms === 0 ? undefined : ms;
}

/** The commander program: parseArgs runs it, completion (src/completion.ts) reads its flags. */
export function createProgram(env: { readonly version: string }, write: (s: string) => void): Command {
  return new Command()
    .name('kubectl podlife')
    .usage('[POD | pod/NAME | deploy/NAME | sts/NAME | ds/NAME | job/NAME] [-l selector] [flags]')
    .description(
      "Watch what a pod goes through, live: phase, conditions, every container's states, restarts and back-off, hooks, probes, termination and events, one timeline per container.",
    )
    .argument('[target]', 'pod name, pod/NAME, or a workload such as deploy/NAME')
    .option('-n, --namespace <namespace>', 'namespace (default: the context\'s namespace, else "default")')
    .option('-l, --selector <selector>', 'watch every pod matching this label selector')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, else ~/.kube/config)')
    .option('--request-timeout <duration>', 'timeout of single requests, e.g. 30s; 0 = none', '0')
    .addOption(
      new Option('-o, --output <format>', 'tui (default on a terminal), text (lines), json (JSON lines)').choices(['tui', 'text', 'json']),
    )
    .option('--once', 'print the current picture and exit')
    .option('--wait', 'wait for the pod to be created instead of failing when it does not exist (watch it from its creation)')
    .option(
      '-f, --filename <file>',
      'render saved objects (Pod, List, multi-document YAML, JSON, a JSON array of snapshots); - reads stdin',
    )
    .option('--log-lines <n>', 'log lines kept for each container instance that ends; 0 = fetch no logs', '20')
    .option('--record <file>', 'also write every observation to FILE (JSON lines), for --replay')
    .option('--replay <file>', 'replay a recording made with --record')
    .option('--speed <factor>', 'replay speed factor', '1')
    .option('--demo', 'replay a built-in recording of a real crash loop (no cluster needed); see the demo command')
    .addOption(new Option('--list', 'with demo: name the built-in recordings').hideHelp())
    .option('--no-color', 'no colours (also when NO_COLOR is set)')
    .option('--width <columns>', 'width of text output (default: the terminal, else 120)')
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
}

export function parseArgs(
  argv: readonly string[],
  env: { readonly stdoutIsTTY: boolean; readonly noColorEnv: boolean; readonly version: string },
): ParseResult {
  let out = '';
  // `demo [NAME]` is the command form of --demo: NAME is then the recording, not a pod.
  const demoCommand = argv[0] === 'demo';
  const program = createProgram(env, (s) => (out += s));

  try {
    program.parse(demoCommand ? ['--demo', ...argv.slice(1)] : [...argv], { from: 'user' });
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
    context?: string;
    kubeconfig?: string;
    requestTimeout: string;
    output?: OutputMode;
    once?: boolean;
    wait?: boolean;
    filename?: string;
    logLines: string;
    record?: string;
    replay?: string;
    speed: string;
    demo?: boolean;
    list?: boolean;
    color: boolean;
    width?: string;
  }>();
  const arg = program.args[0];

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
    if ((arg !== undefined && demoName === undefined) || o.selector !== undefined)
      throw new UserError(
        `${offline[0]} renders saved data; a pod name or -l makes no sense with it`,
        'Drop the pod name, or drop ' + offline[0] + '.',
        2,
      );
    if (o.record !== undefined)
      throw new UserError('--record records a live cluster; it cannot be combined with ' + offline[0], undefined, 2);
  } else {
    target = parseTarget(arg, o.selector);
  }

  const logLines = Number(o.logLines);
  if (!Number.isInteger(logLines) || logLines < 0 || logLines > 10_000)
    throw new UserError(`invalid --log-lines "${o.logLines}"`, 'Use a whole number from 0 to 10000.', 2);
  const speed = Number(o.speed);
  if (!Number.isFinite(speed) || speed <= 0) throw new UserError(`invalid --speed "${o.speed}"`, 'Use a positive number, e.g. 4.', 2);
  let width: number | undefined;
  if (o.width !== undefined) {
    width = Number(o.width);
    if (!Number.isInteger(width) || width < 40 || width > 1000)
      throw new UserError(`invalid --width "${o.width}"`, 'Use a whole number of columns from 40 to 1000.', 2);
  }
  const output: OutputMode = o.output ?? (env.stdoutIsTTY && !o.once ? 'tui' : 'text');
  if (output === 'tui' && !env.stdoutIsTTY)
    throw new UserError('-o tui needs a terminal, and stdout is not one', 'Use -o text or -o json when piping.', 2);

  return {
    kind: 'run',
    options: {
      target,
      namespace: o.namespace,
      context: o.context,
      kubeconfig: o.kubeconfig,
      requestTimeoutMs: parseRequestTimeout(o.requestTimeout),
      output: o.once && output === 'tui' ? 'text' : output,
      once: o.once ?? false,
      wait: o.wait ?? false,
      file: o.filename,
      replay: o.replay,
      demo: o.demo ?? false,
      demoName,
      speed,
      record: o.record,
      logLines,
      color: o.color && !env.noColorEnv,
      width,
    },
  };
}
