// Composition root: options -> source -> store -> view. Returns the exit code; never throws at
// the user: UserErrors become one line, anything else one line and exit 1 (with the stack under
// -v=1 and up).
//
// Signals: SIGINT, SIGTERM and SIGHUP end every mode promptly and quietly, with the terminal given
// back. A watch (terminal UI or streamed lines) ended that way exits 0: that is how a watch ends.
// Interrupted before it showed anything (connecting, reading input, --once), it exits 128+signal.

import { isGroupSession, parseArgs, type Options } from './cli.ts';
import { isUserError, UserError } from './kube/errors.ts';
import { perfMark } from './perf.ts';
import { visible } from './output/visible.ts';
import type { Observation, SessionView } from './model/index.ts';
import type { Clock } from './output/clock.ts';
import type { Store } from './store/store.ts';
import type { RunningSource } from './kube/pod-source.ts';
import type { LogFollower } from './log-follower.ts';

export interface Io {
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadStream;
  /** Whether stdin is a terminal, known without making process.stdin (a stream, milliseconds to make); else io.stdin.isTTY. */
  readonly stdinIsTTY?: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
}

const SIGNAL_CODES: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** How a session ended early: a signal (quiet), or a failure found while it ran (one line). */
class Stop {
  constructor(
    readonly signal: NodeJS.Signals | undefined,
    readonly error: UserError | undefined,
  ) {}
}

perfMark('run: module evaluated');

export async function run(io: Io): Promise<number> {
  let verbosity = 0;
  try {
    const parsed = parseArgs(io.argv, {
      stdoutIsTTY: io.stdout.isTTY === true,
      stdinIsTTY: stdinIsTTY(io),
      stderrIsTTY: (io.stderr as NodeJS.WriteStream).isTTY === true,
      version: io.version,
    });
    if (parsed.kind === 'exit') {
      io.stdout.write(parsed.text);
      return parsed.code;
    }
    perfMark('run: arguments parsed');
    verbosity = parsed.options.verbosity;
    if (io.env['PODLIFE_DEBUG'] === '1') verbosity = Math.max(verbosity, 1); // the older spelling of -v=1
    return await runWith(parsed.options, io);
  } catch (e) {
    return report(e, io, verbosity);
  }
}

const stdinIsTTY = (io: Io): boolean => io.stdinIsTTY ?? io.stdin.isTTY === true;

function report(e: unknown, io: Io, verbosity: number): number {
  // Messages can quote what the user typed or what a server said: no control character reaches the terminal.
  const clean = visible;
  if (isUserError(e)) {
    io.stderr.write(`podlife: ${clean(e.message)}\n${e.hint ? `  ${clean(e.hint)}\n` : ''}`);
    return e.exitCode;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.stderr.write(`podlife: unexpected error: ${clean(msg.split('\n')[0] ?? '')}\n  Please report it; -v=1 shows the details.\n`);
  if (verbosity >= 1 && e instanceof Error && e.stack) io.stderr.write(e.stack + '\n');
  return 1;
}

async function runWith(options: Options, io: Io): Promise<number> {
  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  let failure: UserError | undefined;
  const stop = (s: Stop): void => {
    stoppedBy ??= s.signal;
    failure ??= s.error;
    abort.abort();
  };
  const stopSignals = onStopSignals((signal) => stop(new Stop(signal, undefined)));
  const clock = (await import('./output/clock.ts')).makeClock(options.timeZone);
  // The model's sentences name clock times in the same zone as the views around them.
  if (clock.zone !== 'UTC') (await import('./model/index.ts')).setClockFormat((ms) => clock.time(ms));
  const ctx: Ctx = { options, io, abort, clock, stop, color: await colorFor(options, io) };
  try {
    let code: number;
    if (options.file !== undefined) code = await runFile(ctx);
    else if (options.replay !== undefined || options.demo) code = await runReplay(ctx);
    else code = await runCluster(ctx);
    if (failure) throw failure;
    return code;
  } catch (e) {
    if (failure) throw failure;
    // A Ctrl-C reaches the whole pipeline at once: the producer's end (an empty stdin, a cut
    // connection) can be seen just before our own SIGINT. Give that signal a moment to arrive.
    if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 100));
    // Interrupted: whatever was in flight failed because of it; say nothing.
    if (abort.signal.aborted && stoppedBy) return SIGNAL_CODES[stoppedBy] ?? 130;
    throw e;
  } finally {
    stopSignals();
    abort.abort();
  }
}

interface Ctx {
  readonly options: Options;
  readonly io: Io;
  readonly abort: AbortController;
  readonly clock: Clock;
  readonly color: boolean;
  stop(s: Stop): void;
}

async function colorFor(options: Options, io: Io): Promise<boolean> {
  const { useColor } = await import('./output/color.ts');
  return useColor(options.color, io.stdout, io.env);
}

/** SIGINT/SIGTERM/SIGHUP end the session cleanly (the views restore the terminal on the way out). */
function onStopSignals(stop: (signal: NodeJS.Signals) => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((s) => [s, () => stop(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  return () => {
    for (const [s, h] of handlers) process.off(s, h);
  };
}

function textWidth(options: Options, io: Io): number {
  return options.width ?? (io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 120);
}

/** The view as the user asked to see it: -c narrows it to some containers. */
async function viewTransform(options: Options): Promise<(v: SessionView) => SessionView> {
  const { selectContainers } = await import('./output/printer.ts');
  return (v) => selectContainers(v, options.containers);
}

/** What the group session (src/app/rollout-session.ts: rollouts, -l, --until) needs of this one. */
async function sessionIo(ctx: Ctx): Promise<import('./app/rollout-session.ts').SessionIo> {
  return {
    options: ctx.options,
    stdout: ctx.io.stdout,
    stdin: ctx.io.stdin,
    signal: ctx.abort.signal,
    clock: ctx.clock,
    color: ctx.color,
    width: textWidth(ctx.options, ctx.io),
    transform: await viewTransform(ctx.options),
  };
}

async function runFile(ctx: Ctx): Promise<number> {
  const { options, io, abort } = ctx;
  const { parseObjectsFile, readInput } = await import('./sources/file.ts');
  const name = options.file === '-' ? 'stdin' : options.file!;
  const text = await readInput(options.file!, io.stdin, { signal: abort.signal });
  const parsed = parseObjectsFile(text, name);
  const { createStore } = await import('./store/store.ts');
  const store = createStore({ source: 'file', notifyIntervalMs: 0 });
  store.dispatch([{ kind: 'connection', observedAt: parsed.asOf, state: 'file', message: name }]);
  store.dispatch(parsed.observations);
  const notes: Observation[] = [];
  if (parsed.assumed.length)
    notes.push({ kind: 'note', observedAt: parsed.asOf, level: 'info', text: `assumed: ${parsed.assumed.join('; ')}` });
  if (parsed.skipped.length)
    notes.push({
      kind: 'note',
      observedAt: parsed.asOf,
      level: 'info',
      text: `skipped ${parsed.skipped.length} object(s) that are not Pods, Events or workloads: ${parsed.skipped.slice(0, 3).join('; ')}`,
    });
  if (notes.length) store.dispatch(notes);
  const now = (): number => parsed.asOf;
  // Workloads in the file (or --until): the rollout screen and printers.
  const group = await import('./app/rollout-session.ts');
  const screens = group.fileScreens(store.getState(), options);
  if (screens.length || options.until) {
    const done = Promise.resolve();
    const all = screens.length ? screens : group.podScreen(store.getState(), options);
    return await group.present(await sessionIo(ctx), store, { screens: all, now, ready: done, done, startedAt: now(), end: 'file' });
  }
  if (options.output === 'tui' && !options.once) return await showTui(store, ctx, { target: name, now, requestLogs: () => undefined });
  return await printOnce(store, ctx, now, name);
}

async function runReplay(ctx: Ctx): Promise<number> {
  const { options, io, abort } = ctx;
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
    text = await readInput(options.replay!, io.stdin, { signal: abort.signal });
  }
  const observations = parseRecording(text, name);
  const { createStore } = await import('./store/store.ts');
  const store = createStore({ source: 'replay', notifyIntervalMs: options.output === 'tui' ? 100 : 0 });
  // A recording of a workload or a selector (its header says), or --until: the group session.
  const group = await import('./app/rollout-session.ts');
  const screens = group.recordingScreens((await import('./sources/recording.ts')).recordingHeader(text), options, observations);
  if (screens || options.until) return await replayGroup(ctx, store, observations, screens);
  if (options.once) {
    store.dispatch(observations);
    const t = observations.at(-1)?.observedAt ?? 0;
    return await printOnce(store, ctx, () => t, options.demo ? `demo: ${name}` : name);
  }
  // Demos of a few minutes of real time play faster by default; --speed overrides.
  const speed = options.demo && options.speed === 1 ? (options.output === 'tui' ? 4 : 50) : options.speed;
  const player = replay(observations, (o) => store.dispatch(o), {
    speed,
    maxGapMs: options.output === 'tui' ? 8_000 : 1_000,
    signal: abort.signal,
  });
  if (options.output === 'tui') {
    return await showTui(store, ctx, { target: options.demo ? `demo: ${name}` : name, now: player.clock, requestLogs: () => undefined });
  }
  const { startPrinter } = await import('./output/printer.ts');
  const printer = startPrinter(store, printerOptions(ctx, false, player.clock));
  await player.done;
  store.flush();
  printer.stop();
  return 0;
}

async function replayGroup(
  ctx: Ctx,
  store: Store,
  observations: readonly Observation[],
  found: import('./app/rollout-session.ts').Screen[] | undefined,
): Promise<number> {
  const { options, abort } = ctx;
  const group = await import('./app/rollout-session.ts');
  const { replay } = await import('./sources/recording.ts');
  const io = await sessionIo(ctx);
  // A pod recording without a header naming its pod (--until): the pod it holds.
  const screens = found ?? group.recordedPodScreen(observations, options);
  const first = observations[0]?.observedAt ?? 0;
  if (options.once) {
    store.dispatch(observations);
    const last = observations.at(-1)?.observedAt ?? 0;
    return await group.present(io, store, {
      screens,
      now: () => last,
      ready: Promise.resolve(),
      done: Promise.resolve(),
      startedAt: first,
      end: 'replay',
    });
  }
  const speed = options.demo && options.speed === 1 ? (options.output === 'tui' ? 4 : 50) : options.speed;
  // The player starts once the screen or the printer is there, so that no moment goes unprinted.
  let player: ReturnType<typeof replay> | undefined;
  let played: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (played = resolve));
  const start = (): void => {
    player = replay(observations, (o) => store.dispatch(o), {
      speed,
      maxGapMs: options.output === 'tui' ? 8_000 : 1_000,
      signal: abort.signal,
    });
    void player.done.then(played);
  };
  const now = (): number => player?.clock() ?? first;
  return await group.present(io, store, { screens, now, ready: Promise.resolve(), done, startedAt: first, end: 'replay', start });
}

function printerOptions(ctx: Ctx, once: boolean, now: () => number) {
  const { options, io } = ctx;
  return {
    format: options.output === 'json' ? ('json' as const) : ('text' as const),
    out: io.stdout,
    once,
    width: textWidth(options, io),
    color: ctx.color,
    now,
    clock: ctx.clock,
    containers: options.containers,
    timeline: options.timeline,
    cursor: options.cursor,
  };
}

async function runCluster(ctx: Ctx): Promise<number> {
  const { options, io, abort } = ctx;
  // What the first requests need; the group session's module for workloads, selectors and --until.
  const [
    { resolveKubeconfig },
    { KubeClient },
    { resolveTarget, targetLabel },
    { startPodSource },
    { fetchLogTail },
    { createTracer },
    group,
  ] = await Promise.all([
    import('./kube/kubeconfig.ts'),
    import('./kube/client.ts'),
    import('./kube/resolve-target.ts'),
    import('./kube/pod-source.ts'),
    import('./kube/logs.ts'),
    import('./kube/trace.ts'),
    isGroupSession(options) ? import('./app/rollout-session.ts') : undefined,
  ]);
  perfMark('cluster: modules loaded');
  const trace = createTracer(options.verbosity, (s) => void io.stderr.write(s));
  const config = resolveKubeconfig({ ...options.kube, env: io.env });
  perfMark('cluster: kubeconfig resolved');
  for (const f of config.files) trace?.line(6, `Config loaded from file:  ${f}`);
  // The store (and the model behind it) loads once the first requests are on their way, as the
  // view does below: what the source reports before it is there waits, in order, in `early`.
  let made: Store | undefined;
  const early: (readonly Observation[])[] = [];
  const dispatch = (o: readonly Observation[]): void => void (made ? made.dispatch(o) : early.push(o));
  // Made once; asked for by whoever needs it first.
  const loadStore = async (): Promise<Store> => {
    const { createStore } = await import('./store/store.ts');
    made ??= createStore({ source: 'cluster', notifyIntervalMs: options.output === 'tui' ? 100 : options.once ? 0 : 50 });
    for (const o of early.splice(0)) made.dispatch(o);
    return made;
  };
  let emit = dispatch;
  const now = (): number => Date.now();
  const warned = new Set<string>();
  const client = new KubeClient(config, options.requestTimeoutMs, {
    trace,
    stdinIsTTY: stdinIsTTY(io),
    env: io.env,
    onWarning: (text) => {
      if (options.kube.warningsAsErrors)
        return ctx.stop(
          new Stop(undefined, new UserError(`the server warned: ${text}`, 'Drop --warnings-as-errors to go on despite warnings.')),
        );
      if (warned.has(text)) return;
      warned.add(text);
      emit([{ kind: 'note', observedAt: now(), level: 'warning', text: `server warning: ${text}` }]);
    },
  });
  let recorder: Awaited<ReturnType<(typeof import('./sources/recording.ts'))['openRecorder']>> | undefined;
  try {
    if (options.record !== undefined) {
      const { openRecorder } = await import('./sources/recording.ts');
      const r = openRecorder(
        options.record,
        { context: config.contextName, namespace: options.scope.allNamespaces ? null : config.namespace, target: options.target },
        { raw: options.recordRaw, onError: (e) => ctx.stop(new Stop(undefined, e)) },
      );
      recorder = r;
      emit = (o) => {
        r.write(o);
        dispatch(o);
      };
    }
    const selected = (c: string): boolean => !options.containers || options.containers.includes(c);
    const fetchLog = async (ns: string, pod: string, container: string, previous: boolean) =>
      selected(container)
        ? fetchLogTail(client, ns, pod, container, { previous, tailLines: Math.max(options.logLines, 1), signal: abort.signal })
        : { lines: [], note: 'not fetched: -c selected other containers' };
    // Workloads, selectors, --until: the group session (src/app/rollout-session.ts).
    if (group)
      return await group.runClusterGroup(await sessionIo(ctx), {
        client,
        store: await loadStore(),
        emit,
        now,
        namespace: config.namespace,
        fetchLog,
      });
    const started = (async () => {
      const target = await resolveTarget(client, config.namespace, options.target!, options.scope);
      // --once prints what the first lists say: no watches (each would open a connection of its own).
      const listOnly = options.once && !options.wait ? { listWatch: { watch: false } } : {};
      return { target, source: await startPodSource({ client, target, emit, now, waitForPod: options.wait, ...listOnly }, abort.signal) };
    })();
    // Load the view while the answers travel: once the requests are on their way, as evaluating
    // its modules holds the main thread, and the connections' handshakes with it.
    const settled = started.then(
      () => undefined,
      () => undefined,
    );
    const sent = Promise.race([client.sent(), settled]);
    const stored = sent.then(loadStore);
    stored.catch(() => undefined); // awaited below, unless the requests failed first
    const view = stored.then((): Promise<unknown> =>
      options.once || options.output !== 'tui' ? import('./output/printer.ts') : import('./ui/run-tui.tsx'),
    );
    view.then(
      () => perfMark('cluster: view modules loaded'),
      () => undefined,
    );
    // Log tails are observations too: they go through `emit`, so a recording keeps them.
    const startLogs = async () =>
      options.logLines > 0
        ? (await import('./log-follower.ts')).followLogs({ ...(await stored), dispatch: emit }, fetchLog, now)
        : undefined;

    if (options.output === 'tui' && !options.once) {
      // A slow server: the terminal UI does not wait for it. Once the pods have not come back for
      // a moment, it draws, says it is connecting, and takes keys while the answers travel.
      const slow = await Promise.race([
        started.then(
          () => false,
          () => false,
        ),
        new Promise<boolean>((r) => setTimeout(() => r(true), SLOW_SERVER_MS).unref()),
      ]);
      // Its store is made now: the requests may not even be on their way (a connection that hangs).
      if (slow)
        return await tuiBeforeTheAnswer(ctx, await loadStore(), started, startLogs, targetLabel(options.target!, options.scope), now);
    }

    const { target, source } = await started;
    perfMark('cluster: pods listed');
    const store = await stored;
    void source.eventsReady.then(() => perfMark('cluster: events listed'));
    const logs = await startLogs();
    // The first picture carries the events and the logs of the instances that had already ended:
    // --once waits for them; the terminal UI a moment, so that its first frame is whole (one
    // frame instead of three, each costly while the code is cold) without keeping a slow server's
    // answer from the screen.
    const complete = Promise.all([source.eventsReady, logs?.initial]);
    await Promise.race([complete, new Promise((r) => setTimeout(r, options.once ? 10_000 : 300).unref())]);
    perfMark('cluster: events and logs in');
    try {
      if (options.once) {
        if (abort.signal.aborted) throw new Error('interrupted');
        return await printOnce(store, ctx, now, target.label);
      }
      if (options.output === 'tui') {
        const code = await showTui(store, ctx, { target: target.label, now, requestLogs: (uid, c) => logs?.requestCurrent(uid, c) });
        // The watch gave up meanwhile (the UI said so, offline, until q): the same in one line.
        const failure = source.failure();
        if (failure) throw failure;
        return code;
      }
      const { startPrinter } = await import('./output/printer.ts');
      const printer = startPrinter(store, printerOptions(ctx, false, now));
      await Promise.race([
        source.done,
        new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve(), { once: true })),
      ]);
      store.flush();
      printer.stop();
      // The watch gave up (credentials no longer accepted, access revoked): one line, exit 1.
      const failure = source.failure();
      if (failure) throw failure;
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

async function printOnce(store: Store, ctx: Ctx, now: () => number, target = ''): Promise<number> {
  const { startPrinter } = await import('./output/printer.ts');
  store.flush();
  if (ctx.options.export) {
    await writeExportFile(store, ctx, now(), target);
    if (!ctx.options.export.print) return 0;
  }
  const printer = startPrinter(store, printerOptions(ctx, true, now));
  printer.stop();
  perfMark('once: printed');
  return 0;
}

/** --export: the picture as SVG, HTML or Markdown; one line on stderr says where it went. */
async function writeExportFile(store: Store, ctx: Ctx, now: number, target: string): Promise<void> {
  const { options, io } = ctx;
  const [{ writeExport }, { toSessionView }, { stateFromSpec, WHOLE_LIFE }, { zoneOffset }, transform] = await Promise.all([
    import('./output/export.ts'),
    import('./model/index.ts'),
    import('./render/window.ts'),
    import('./render/clock.ts'),
    viewTransform(options),
  ]);
  const e = options.export!;
  const view = transform(toSessionView(store.getState(), now));
  let bytes: number;
  try {
    // A workload target will add its rollout here (`rollout:` of ExportOptions) once the rollout view exists.
    bytes = writeExport(e.file, view, {
      format: e.format,
      theme: e.theme,
      target,
      width: options.width ?? 120,
      clock: ctx.clock,
      timeline: stateFromSpec(options.timeline, WHOLE_LIFE, now, zoneOffset(ctx.clock, now)),
      cursor: options.cursor,
    });
  } catch (err) {
    throw new UserError(
      `cannot write --export ${e.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      'Check that the directory exists and is writable.',
    );
  }
  io.stderr.write(
    `podlife: wrote ${visible(e.file)} (${e.format}, ${view.pods.length} pod${view.pods.length === 1 ? '' : 's'}, ${Math.ceil(bytes / 1024)} KiB)\n`,
  );
}

/** How long the terminal UI waits for the pods' first list before it draws without them. */
const SLOW_SERVER_MS = 500;

/**
 * The terminal UI of a session whose server has not answered yet: it says it is connecting and
 * takes keys; the pods, events and logs arrive when they do. A failure to start (unknown pod,
 * forbidden, unreachable) ends it, and so does a quit; either way the failure, or a watch that gave
 * up meanwhile, is one line once the UI is gone.
 */
async function tuiBeforeTheAnswer(
  ctx: Ctx,
  store: Store,
  started: Promise<{ source: RunningSource }>,
  startLogs: () => Promise<LogFollower | undefined>,
  label: string,
  now: () => number,
): Promise<number> {
  const { abort } = ctx;
  let logs: LogFollower | undefined;
  let running: { source: RunningSource } | undefined;
  let failed: unknown;
  void started.then(
    async (s) => {
      running = s;
      if (!abort.signal.aborted) logs = await startLogs();
    },
    (e: unknown) => {
      if (!abort.signal.aborted) failed = e;
      abort.abort();
    },
  );
  try {
    const code = await showTui(store, ctx, { target: label, now, requestLogs: (uid, c) => logs?.requestCurrent(uid, c) });
    if (failed !== undefined) throw failed;
    const failure = running?.source.failure();
    if (failure) throw failure;
    return code;
  } finally {
    logs?.stop();
  }
}

async function showTui(
  store: Store,
  ctx: Ctx,
  o: { target: string; now: () => number; requestLogs: (podUid: string, container: string) => void },
): Promise<number> {
  const { io, abort, options } = ctx;
  const transform = await viewTransform(options);
  const [{ runTui }, { stateFromSpec }, { initialUi }, { zoneOffset }] = await Promise.all([
    import('./ui/run-tui.tsx'),
    import('./render/window.ts'),
    import('./render/screen.ts'),
    import('./render/clock.ts'),
  ]);
  perfMark('tui: modules loaded');
  return runTui(store, {
    target: o.target,
    actions: { requestLogs: o.requestLogs },
    stdout: io.stdout,
    stdin: io.stdin,
    now: o.now,
    signal: abort.signal,
    color: ctx.color,
    clock: ctx.clock,
    transform,
    timeline: stateFromSpec(options.timeline, initialUi.timeline, o.now(), zoneOffset(ctx.clock, o.now())),
  });
}
