// Part of the composition root: group sessions and --until. A group target (a workload, -l, -A,
// --field-selector; the workloads of a file or of a recording) is shown on the rollout screen, or
// printed as progress lines / JSON lines with "workload" lines; --until (on any target) watches
// the group's verdict and ends the session with exit 0 (reached), 3 (failed: it cannot get there
// on its own) or 4 (timed out), printing the verdict and the diagnosis of the failing pods with
// their log tails. run.ts hands over here with a small hook per source (cluster, file, replay).
//
// Live, a workload is two sources feeding one store: the workload source (the owner, its
// ReplicaSets / ControllerRevisions / Jobs, their events) and the pod source (the pods by the
// owner's selector, their events); a CronJob's pods are selected by the Job label and kept by the
// model when one of its Jobs owns them.

import { EXIT_UNTIL_FAILED, EXIT_UNTIL_TIMED_OUT, type Options } from '../cli.ts';
import type { KubeClient } from '../kube/client.ts';
import type { LogTail } from '../kube/logs.ts';
import type { ResolvedTarget } from '../kube/resolve-target.ts';
import { WORKLOAD_KIND, type TargetSpec } from '../kube/target.ts';
import type { LogFollower } from '../log-follower.ts';
import {
  decideGroup,
  followedPod,
  groupSelector,
  initialState,
  podRevision,
  reduce,
  podRow,
  podViewOf,
  sessionWith,
  topWorkloads,
  type GroupTarget,
  type GroupView,
  type ModelState,
  type Observation,
  type SessionView,
  type UntilDecision,
} from '../model/index.ts';
import type { Clock } from '../output/clock.ts';
import type { Store } from '../store/store.ts';

export interface SessionIo {
  readonly options: Options;
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly color: boolean;
  /** Columns of text output. */
  readonly width: number;
  /** -c: every pod view narrowed to those containers. */
  readonly transform: (v: SessionView) => SessionView;
}

/** A screen of the rollout view: a target, how it is named, and its memoised view. */
export interface Screen {
  readonly target: GroupTarget;
  readonly label: string;
  readonly select: (state: ModelState) => GroupView;
}

/** Ends the session when interrupted by a signal before --until was decided: run.ts exits 128+signal. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

function screenOf(target: GroupTarget, label: string, options: Options): Screen {
  if (target.kind === 'pod' && options.until !== 'deleted') return followingScreen(target, label, options);
  return { target, label, select: groupSelector(target, { failRestarts: options.failRestarts }) };
}

/**
 * One pod by name for --until ready|complete: once its controller replaced it under a new name,
 * the replacement is what has to get there (`--until deleted` stays about the named pod).
 */
function followingScreen(target: Extract<GroupTarget, { kind: 'pod' }>, label: string, options: Options): Screen {
  const selectors = new Map<string, (state: ModelState) => GroupView>();
  return {
    target,
    label,
    select: (state) => {
      const name = followedPod(state, target.namespace, target.name);
      let select = selectors.get(name);
      if (!select) selectors.set(name, (select = groupSelector({ ...target, name }, { failRestarts: options.failRestarts })));
      return select(state);
    },
  };
}

// ---- the live session ------------------------------------------------------------------------

export interface ClusterDeps {
  readonly client: KubeClient;
  readonly store: Store;
  readonly emit: (o: readonly Observation[]) => void;
  readonly now: () => number;
  /** The namespace of the context (or -n). */
  readonly namespace: string;
  readonly fetchLog: (ns: string, pod: string, container: string, previous: boolean) => Promise<LogTail>;
}

export async function runClusterGroup(io: SessionIo, d: ClusterDeps): Promise<number> {
  const { options } = io;
  const { client, emit, now } = d;
  const startedAt = now();
  const spec = options.target as TargetSpec;
  const [{ resolveTarget, podTarget }, { startPodSource }] = await Promise.all([
    import('../kube/resolve-target.ts'),
    import('../kube/pod-source.ts'),
  ]);
  let podResolved: ResolvedTarget;
  let target: GroupTarget;
  let label: string;
  const ready: Promise<unknown>[] = [];
  const done: Promise<unknown>[] = [];
  if (spec.kind === 'workload') {
    const { resolveWorkload, startWorkloadSource, WORKLOAD_API } = await import('../kube/workload-source.ts');
    const kind = WORKLOAD_KIND[spec.resource];
    const wt = { kind, namespace: d.namespace, name: spec.name };
    const resolved = await resolveWorkload(client, wt, io.signal);
    // A CronJob's pods carry no common label: every Job pod of the namespace, kept by the model when one of its Jobs owns them.
    const selector = resolved.podSelector ?? 'batch.kubernetes.io/job-name';
    label = `${WORKLOAD_API[kind].short}/${spec.name}`;
    podResolved = { ...podTarget(d.namespace, { kind: 'selector', selector }, options.scope), label };
    target = { kind: 'workload', workloadKind: kind, namespace: d.namespace, name: spec.name };
    const ws = await startWorkloadSource({ client, target: wt, resolved, emit, now }, io.signal);
    ready.push(ws.ready);
    done.push(ws.done);
  } else {
    podResolved = await resolveTarget(client, d.namespace, spec, options.scope);
    label = podResolved.label;
    target =
      spec.kind === 'pod'
        ? { kind: 'pod', namespace: podResolved.namespace ?? d.namespace, name: spec.name }
        : { kind: 'pods', label, namespace: podResolved.namespace };
  }
  const source = await startPodSource({ client, target: podResolved, emit, now, waitForPod: options.wait }, io.signal);
  ready.push(source.eventsReady);
  done.push(source.done);
  const settled = Promise.race([Promise.all(ready), new Promise((r) => setTimeout(r, 10_000).unref())]).then(() => undefined);

  const { followLogs } = await import('../log-follower.ts');
  const logs = options.logLines > 0 ? followLogs({ ...d.store, dispatch: emit }, d.fetchLog, now) : undefined;
  try {
    if (options.once) {
      await settled;
      await logs?.initial;
      if (io.signal.aborted) throw new Interrupted();
    }
    return await present(io, d.store, {
      screens: [screenOf(target, `${label}${podResolved.namespace ? ` -n ${podResolved.namespace}` : ''}`, options)],
      now,
      ready: settled,
      done: Promise.all(done).then(() => undefined),
      logs,
      startedAt,
      end: 'live',
    });
  } finally {
    logs?.stop();
  }
}

// ---- files and recordings --------------------------------------------------------------------

/** The rollouts a file holds (its workloads no other workload in it controls); none: the pod views as before. */
export function fileScreens(state: ModelState, options: Options): Screen[] {
  return topWorkloads(state).map((t) => screenOf(t, `${WORKLOAD_SHORT[t.workloadKind]}/${t.name} -n ${t.namespace}`, options));
}

const WORKLOAD_SHORT: Readonly<Record<string, string>> = {
  Deployment: 'deploy',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  ReplicaSet: 'rs',
  Job: 'job',
  CronJob: 'cronjob',
};

/**
 * What a recording watched (its header: `target` and `namespace`), as the screens to show: a
 * workload, or the pods of a selector. undefined: one pod (the pod screen), or no header.
 */
export function recordingScreens(
  header: Readonly<Record<string, unknown>> | undefined,
  options: Options,
  observations: readonly Observation[],
): Screen[] | undefined {
  const t = header?.['target'] as TargetSpec | undefined;
  const ns = typeof header?.['namespace'] === 'string' ? header['namespace'] : undefined;
  if (!t || typeof t !== 'object') return undefined;
  // Recorded before podlife watched workloads: the workload's pods only.
  if (t.kind === 'workload' && !observations.some((o) => o.kind === 'workload')) {
    const label = `${t.resource}/${t.name} (its pods: recorded without the workload)`;
    return [screenOf({ kind: 'pods', label, namespace: ns }, label, options)];
  }
  if (t.kind === 'workload' && ns && t.resource in WORKLOAD_KIND) {
    const kind = WORKLOAD_KIND[t.resource];
    return [
      screenOf(
        { kind: 'workload', workloadKind: kind, namespace: ns, name: t.name },
        `${WORKLOAD_SHORT[kind]}/${t.name} -n ${ns}`,
        options,
      ),
    ];
  }
  if (t.kind === 'selector' || t.kind === 'all') {
    const label = t.kind === 'selector' ? `-l ${t.selector}` : 'all pods';
    return [screenOf({ kind: 'pods', label, namespace: ns ?? undefined }, label, options)];
  }
  if (t.kind === 'pod' && options.until && ns) return [screenOf({ kind: 'pod', namespace: ns, name: t.name }, `pod/${t.name}`, options)];
  return undefined;
}

/** The pod a recording holds, for --until when its header does not name it. */
export function recordedPodScreen(observations: readonly Observation[], options: Options): Screen[] {
  return podScreen(reduce(initialState({ source: 'replay' }), observations), options);
}

/** A pod of a file or recording, for --until on the pod screen: its current lives by name. */
export function podScreen(state: ModelState, options: Options): Screen[] {
  const rec = [...state.pods.values()].find((p) => !p.deleted && !p.replaced) ?? [...state.pods.values()][0];
  if (!rec) return [];
  return [screenOf({ kind: 'pod', namespace: rec.namespace, name: rec.name }, `pod/${rec.name}`, options)];
}

export interface PresentOptions {
  readonly screens: readonly Screen[];
  readonly now: () => number;
  /** The sources listed once: --once prints then, --until decides from then on. */
  readonly ready: Promise<void>;
  /** The sources ended (a replay played to its end; live: after abort or a fatal error). */
  readonly done: Promise<void>;
  readonly logs?: LogFollower | undefined;
  readonly startedAt: number;
  /** How the input ends without a decision: live (it does not), a file (one picture), a replay (it plays out). */
  readonly end: 'live' | 'file' | 'replay';
  /** Called once the screen or the printer is listening (a replay starts playing then). */
  readonly start?: () => void;
}

// ---- presenting a group ----------------------------------------------------------------------

/** Every screen's decision in one: failed when one failed, reached when all are, else the first still waiting. */
function decideAll(
  state: ModelState,
  screens: readonly Screen[],
  until: NonNullable<Options['until']>,
  now: number,
  timeoutAt: number | undefined,
) {
  let first: { d: UntilDecision; view: GroupView } | undefined;
  let waiting: { d: UntilDecision; view: GroupView } | undefined;
  for (const s of screens) {
    const view = s.select(state);
    const d = decideGroup(view, until, now, timeoutAt);
    first ??= { d, view };
    if (d.outcome === 'failed') return { d, view };
    if (d.outcome !== 'reached') waiting ??= { d, view };
  }
  return waiting ?? first;
}

/** The rollout screen, or the printers; and --until. Returns the exit code. */
export async function present(io: SessionIo, store: Store, p: PresentOptions): Promise<number> {
  const { options } = io;
  const screens = p.screens;
  const podScreenOnly = screens.length === 1 && screens[0]!.target.kind === 'pod';
  const group = podScreenOnly ? undefined : screens[0]?.select;
  const { startPrinter } = await import('../output/printer.ts');
  const printerOptions = (once: boolean) => ({
    format: options.output === 'json' ? ('json' as const) : ('text' as const),
    out: io.stdout,
    once,
    width: io.width,
    color: io.color,
    now: p.now,
    clock: io.clock,
    containers: options.containers,
    group,
  });

  if (options.once) {
    await p.ready;
    store.flush();
    if (podScreenOnly || !group) startPrinter(store, { ...printerOptions(true), group: undefined });
    else
      for (const s of screens) {
        startPrinter(store, { ...printerOptions(true), group: s.select });
        if (s !== screens.at(-1) && options.output !== 'json') io.stdout.write('\n');
      }
    return 0;
  }

  // --until: decided on every notification and a few times a second (timeouts).
  const stopPresenting = new AbortController();
  let decision: { d: UntilDecision; view: GroupView } | undefined;
  let watching: (() => void) | undefined;
  const until = options.until;
  const timeoutAt = until && options.timeoutMs !== undefined ? p.startedAt + options.timeoutMs : undefined;
  const startWatching = (): void => {
    if (!until || p.end === 'file') return;
    const check = (): void => {
      if (decision) return;
      const x = decideAll(store.getState(), screens, until, p.now(), timeoutAt);
      if (x && x.d.outcome !== 'waiting') {
        decision = x;
        stopPresenting.abort();
      }
    };
    const unsubscribe = store.subscribe(check);
    const timer = setInterval(check, 250);
    check();
    watching = () => {
      unsubscribe();
      clearInterval(timer);
    };
  };
  const anySignal = AbortSignal.any([io.signal, stopPresenting.signal]);
  const requestLogs = (uid: string, c: string): void => p.logs?.requestCurrent(uid, c);
  let quit = false;

  try {
    if (options.output === 'tui') {
      void p.ready.then(startWatching);
      queueMicrotask(() => p.start?.());
      // What both screens are given: the terminal, the clock, the session's end, how to draw.
      const screen = {
        stdout: io.stdout,
        stdin: io.stdin,
        now: p.now,
        signal: anySignal,
        color: io.color,
        clock: io.clock,
        transform: io.transform,
      };
      if (podScreenOnly) {
        const { runTui } = await import('../ui/run-tui.tsx');
        await runTui(store, {
          target: screens[0]!.label,
          actions: { requestLogs },
          ...screen,
        });
      } else {
        const { runRolloutTui } = await import('../ui/rollout-app.tsx');
        await runRolloutTui(store, {
          screens,
          requestLogs,
          ...screen,
          until: until ? { until, timeoutAt } : undefined,
        });
      }
      quit = !anySignal.aborted;
    } else {
      // Printed once the sources listed (the owner, its children, the pods): the first lines are a
      // coherent picture, never "does not exist" for a workload whose list was still on its way.
      await p.ready;
      const printer = startPrinter(store, printerOptions(false));
      p.start?.();
      startWatching();
      // (Decided at once, e.g. when it was already reached: the signal is aborted before anyone listens.)
      if (!anySignal.aborted)
        await Promise.race([p.done, new Promise<void>((resolve) => anySignal.addEventListener('abort', () => resolve(), { once: true }))]);
      store.flush();
      printer.stop();
    }
  } finally {
    watching?.();
  }

  if (!until) return 0;
  if (!decision) {
    // A file is one picture; a replay that played out (or was quit) is all there is: decide on what they show.
    if (p.end !== 'live' && !io.signal.aborted) {
      const x = decideAll(store.getState(), screens, until, p.now(), undefined);
      if (x)
        decision =
          x.d.outcome === 'waiting'
            ? {
                view: x.view,
                d: {
                  ...x.d,
                  outcome: 'timed-out',
                  reason: `${p.end === 'file' ? 'as of the file' : quit ? 'when the replay was quit' : 'when the recording ended'}, not ${until}: ${x.d.reason}`,
                },
              }
            : x;
    }
    if (!decision) {
      if (io.signal.aborted) throw new Interrupted();
      return quit ? 130 : 0; // q before --until was decided
    }
  }
  await report(io, store, decision.d, decision.view, p);
  return decision.d.outcome === 'reached' ? 0 : decision.d.outcome === 'failed' ? EXIT_UNTIL_FAILED : EXIT_UNTIL_TIMED_OUT;
}

/** The end of a --until watch: the verdict and the diagnosis of the pods it names, with their log tails. */
async function report(io: SessionIo, store: Store, d: UntilDecision, view: GroupView, p: PresentOptions): Promise<void> {
  const { options } = io;
  // The log tails of the failing pods: fetched now if they are not in yet (a few seconds at most).
  const uids = d.pods.flatMap((name) => {
    const rec = [...store.getState().pods.values()].find((r) => r.name === name && !r.deleted && !r.replaced);
    return rec ? [rec.uid] : [];
  });
  if (p.logs && uids.length)
    await Promise.race([Promise.all(uids.map((u) => p.logs!.ensure(u))), new Promise((r) => setTimeout(r, 5_000).unref())]);
  store.flush();
  const state = store.getState();
  const now = p.now();
  const pods = uids.flatMap((uid) => {
    const rec = state.pods.get(uid);
    if (!rec) return [];
    const pv = io.transform(sessionWith(state, [podViewOf(state, rec, now)], now, [])).pods[0]!;
    const revision = podRevision(state, podRow(rec, state));
    return [{ view: pv, revision: revision !== undefined ? `revision ${revision}` : undefined }];
  });
  if (options.output === 'json') {
    const [{ jsonLine, revisionOfPod }, { toJsonPod }, { toJsonUntil }] = await Promise.all([
      import('../output/printer.ts'),
      import('../output/json.ts'),
      import('../output/rollout-json.ts'),
    ]);
    for (const x of pods) io.stdout.write(jsonLine(toJsonPod(x.view, now, revisionOfPod(state, x.view.uid))));
    io.stdout.write(jsonLine(toJsonUntil(d, view.title, now)));
    return;
  }
  const { formatUntilReport } = await import('../output/rollout-text.ts');
  io.stdout.write(
    (options.output === 'text' ? '\n' : '') + formatUntilReport(d, view, pods, now, { width: io.width, color: io.color, clock: io.clock }),
  );
}
