// Composition root: options -> source -> store -> view. Returns the exit code; never throws at
// the user: UserErrors become one line, anything else one line and exit 1 (with the stack only
// under PODLIFE_DEBUG=1).

import { readFileSync } from 'node:fs';
import { parseArgs, type Options } from './cli.ts';
import { isUserError, UserError } from './kube/errors.ts';
import type { Observation } from './model/index.ts';
import { createStore, type Store } from './store/store.ts';

export interface Io {
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadStream;
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
}

export async function run(io: Io): Promise<number> {
  try {
    const parsed = parseArgs(io.argv, {
      stdoutIsTTY: io.stdout.isTTY === true,
      noColorEnv: io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '',
      version: io.version,
    });
    if (parsed.kind === 'exit') {
      io.stdout.write(parsed.text);
      return parsed.code;
    }
    return await runWith(parsed.options, io);
  } catch (e) {
    return report(e, io);
  }
}

function report(e: unknown, io: Io): number {
  if (isUserError(e)) {
    io.stderr.write(`podlife: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
    return e.exitCode;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.stderr.write(`podlife: unexpected error: ${msg.split('\n')[0]}\n  Please report it; PODLIFE_DEBUG=1 shows details.\n`);
  if (io.env['PODLIFE_DEBUG'] === '1' && e instanceof Error && e.stack) io.stderr.write(e.stack + '\n');
  return 1;
}

async function runWith(options: Options, io: Io): Promise<number> {
  const abort = new AbortController();
  const stopSignals = onStopSignals(() => abort.abort());
  try {
    if (options.file !== undefined) return await runFile(options, io);
    if (options.replay !== undefined || options.demo) return await runReplay(options, io, abort.signal);
    return await runCluster(options, io, abort);
  } finally {
    stopSignals();
    abort.abort();
  }
}

/** SIGINT/SIGTERM/SIGHUP end the session cleanly (the views restore the terminal on the way out). */
function onStopSignals(stop: () => void): () => void {
  const handler = (): void => stop();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}

function textWidth(options: Options, io: Io): number {
  return options.width ?? (io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 120);
}

async function runFile(options: Options, io: Io): Promise<number> {
  const { parseObjectsFile, readInput } = await import('./sources/file.ts');
  const name = options.file === '-' ? 'stdin' : options.file!;
  const text = readInput(options.file!, () => readStdin(io.stdin));
  const parsed = parseObjectsFile(text, name);
  const store = createStore({ source: 'file', notifyIntervalMs: 0 });
  store.dispatch([{ kind: 'connection', observedAt: parsed.asOf, state: 'file', message: name }]);
  store.dispatch(parsed.observations);
  if (parsed.skipped.length)
    store.dispatch([
      {
        kind: 'note',
        observedAt: parsed.asOf,
        level: 'info',
        text: `skipped ${parsed.skipped.length} object(s) that are not Pods or Events: ${parsed.skipped.slice(0, 3).join('; ')}`,
      },
    ]);
  const now = (): number => parsed.asOf;
  if (options.output === 'tui' && !options.once)
    return await showTui(store, options, io, { target: name, now, requestLogs: () => undefined });
  return await printOnce(store, options, io, now);
}

async function runReplay(options: Options, io: Io, signal: AbortSignal): Promise<number> {
  const { parseRecording, replay } = await import('./sources/recording.ts');
  let text: string;
  let name: string;
  if (options.demo) {
    const demo = await (await import('./demo/recording.ts')).loadDemo(options.demoName);
    text = demo.recording;
    name = demo.title;
  } else {
    const { readInput } = await import('./sources/file.ts');
    name = options.replay === '-' ? 'stdin' : options.replay!;
    text = readInput(options.replay!, () => readStdin(io.stdin));
  }
  const observations = parseRecording(text, name);
  const store = createStore({ source: 'replay', notifyIntervalMs: options.output === 'tui' ? 100 : 0 });
  if (options.once) {
    store.dispatch(observations);
    const t = observations.at(-1)?.observedAt ?? 0;
    return await printOnce(store, options, io, () => t);
  }
  // Demos of a few minutes of real time play faster by default; --speed overrides.
  const speed = options.demo && options.speed === 1 ? (options.output === 'tui' ? 4 : 50) : options.speed;
  const player = replay(observations, (o) => store.dispatch(o), { speed, maxGapMs: options.output === 'tui' ? 8_000 : 1_000, signal });
  if (options.output === 'tui') {
    return await showTui(store, options, io, {
      target: options.demo ? `demo: ${name}` : name,
      now: player.clock,
      requestLogs: () => undefined,
      signal,
    });
  }
  const { startPrinter } = await import('./output/printer.ts');
  const printer = startPrinter(store, {
    format: options.output === 'json' ? 'json' : 'text',
    out: io.stdout,
    once: false,
    width: textWidth(options, io),
    color: options.color && io.stdout.isTTY === true,
    now: player.clock,
  });
  await player.done;
  store.flush();
  printer.stop();
  return 0;
}

async function runCluster(options: Options, io: Io, abort: AbortController): Promise<number> {
  const [{ resolveKubeconfig }, { KubeClient }, { resolveTarget }, { startPodSource }, { fetchLogTail }] = await Promise.all([
    import('./kube/kubeconfig.ts'),
    import('./kube/client.ts'),
    import('./kube/resolve-target.ts'),
    import('./kube/pod-source.ts'),
    import('./kube/logs.ts'),
  ]);
  const config = resolveKubeconfig({ kubeconfig: options.kubeconfig, context: options.context, namespace: options.namespace, env: io.env });
  const client = new KubeClient(config, options.requestTimeoutMs);
  const now = (): number => Date.now();
  const store = createStore({ source: 'cluster', notifyIntervalMs: options.output === 'tui' ? 100 : options.once ? 0 : 50 });
  let recorder: Awaited<ReturnType<(typeof import('./sources/recording.ts'))['openRecorder']>> | undefined;
  let emit = (o: readonly Observation[]): void => store.dispatch(o);
  try {
    if (options.record !== undefined) {
      const { openRecorder } = await import('./sources/recording.ts');
      const r = openRecorder(options.record, { context: config.contextName, namespace: config.namespace, target: options.target });
      recorder = r;
      emit = (o) => {
        r.write(o);
        store.dispatch(o);
      };
    }
    const target = await resolveTarget(client, config.namespace, options.target!);
    const source = await startPodSource({ client, target, emit, now, waitForPod: options.wait }, abort.signal);
    const fetchLog = (ns: string, pod: string, container: string, previous: boolean) =>
      fetchLogTail(client, ns, pod, container, { previous, tailLines: Math.max(options.logLines, 1), signal: abort.signal });

    if (options.once) await Promise.race([source.eventsReady, new Promise((r) => setTimeout(r, 10_000).unref())]);
    const { followLogs } = await import('./log-follower.ts');
    // Log tails are observations too: they go through `emit`, so a recording keeps them.
    const logs = options.logLines > 0 ? followLogs({ ...store, dispatch: emit }, fetchLog, now) : undefined;
    try {
      if (options.once) {
        // The picture carries the logs of the instances that had already ended.
        await logs?.initial;
        return await printOnce(store, options, io, now);
      }
      if (options.output === 'tui') {
        return await showTui(store, options, io, {
          target: target.label,
          now,
          requestLogs: (uid, c) => logs?.requestCurrent(uid, c),
          signal: abort.signal,
        });
      }
      const { startPrinter } = await import('./output/printer.ts');
      const printer = startPrinter(store, {
        format: options.output,
        out: io.stdout,
        once: false,
        width: textWidth(options, io),
        color: options.color && io.stdout.isTTY === true,
        now,
      });
      await Promise.race([
        source.done,
        new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true })),
      ]);
      store.flush();
      printer.stop();
      return 0;
    } finally {
      logs?.stop();
    }
  } finally {
    abort.abort();
    client.close();
    await recorder?.close();
  }
}

async function printOnce(store: Store, options: Options, io: Io, now: () => number): Promise<number> {
  const { startPrinter } = await import('./output/printer.ts');
  store.flush();
  const printer = startPrinter(store, {
    format: options.output === 'json' ? 'json' : 'text',
    out: io.stdout,
    once: true,
    width: textWidth(options, io),
    color: options.color && io.stdout.isTTY === true,
    now,
  });
  printer.stop();
  return 0;
}

async function showTui(
  store: Store,
  options: Options,
  io: Io,
  o: { target: string; now: () => number; requestLogs: (podUid: string, container: string) => void; signal?: AbortSignal },
): Promise<number> {
  const { runTui } = await import('./ui/run-tui.tsx');
  return runTui(store, {
    target: o.target,
    actions: { requestLogs: o.requestLogs },
    stdout: io.stdout,
    stdin: io.stdin,
    now: o.now,
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

function readStdin(stdin: NodeJS.ReadStream): string {
  try {
    return readFileSync((stdin as unknown as { fd: number }).fd, 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read stdin: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      'Pipe objects in, e.g. kubectl get pod x -o yaml | kubectl podlife -f -',
    );
  }
}
