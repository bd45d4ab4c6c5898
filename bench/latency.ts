// Update latency: from the acknowledgement of a status write to the moment the change is on the
// screen (or, for `-o json`, in the output), for several watchers of the same pod at once.
//
// The pod can never be scheduled, so no kubelet writes its status: the generator owns it. It
// alternates two kinds of change through the status subresource, a restart (restartCount + 1 with
// a new containerID) and a flip of the Ready condition, at irregular intervals (so that the
// watchers' own ticks and throttles fall anywhere). Each watcher is told what to look for.

import { spawn } from 'node:child_process';
import { MERGE_PATCH, pendingPod, statusPatch, type Api } from './api.ts';
import { PtyRun } from './pty.ts';
import { spread, type Spread } from './stats.ts';

export type Change = { readonly kind: 'restart'; readonly restarts: number } | { readonly kind: 'condition'; readonly ready: boolean };

export interface Watcher {
  readonly label: string;
  /** Resolves once the watcher shows the pod. */
  ready(): Promise<void>;
  /** Resolves with the time the change became visible (performance.now()), or undefined if it cannot show it. */
  seen(change: Change, since: number, timeoutMs: number): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** A terminal program whose screen is read: podlife's TUI, k9s. */
export function screenWatcher(
  label: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  o: { readonly shows: (screen: string) => boolean; readonly visible: (screen: string, c: Change) => boolean | undefined },
): Watcher {
  const run = new PtyRun(argv, { cols: 160, rows: 50, env });
  return {
    label,
    ready: async () => void (await run.waitScreen(o.shows, 60_000)),
    async seen(change, _since, timeoutMs) {
      if (o.visible('', change) === undefined) return undefined;
      return run.waitScreen((s) => o.visible(s, change) === true, timeoutMs).catch(() => NaN);
    },
    stop: async () => {
      await run.stop();
      run.dispose();
    },
  };
}

/** A program that prints lines (kubectl get -w in a terminal, podlife -o json to a pipe): each line timed as it arrives. */
export function lineWatcher(
  label: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  o: { readonly tty: boolean; readonly shows: (line: string) => boolean; readonly visible: (line: string, c: Change) => boolean },
): Watcher {
  const lines: { at: number; text: string }[] = [];
  let partial = '';
  const waiters = new Set<() => void>();
  const onData = (at: number, d: Buffer): void => {
    partial += d.toString('utf8');
    const parts = partial.split(/\r?\n/);
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ at, text });
    for (const w of waiters) w();
  };
  let stop: () => Promise<void>;
  if (o.tty) {
    const run = new PtyRun(argv, { cols: 200, rows: 50, env, noEmulator: true });
    run.onChunk(onData);
    stop = async () => {
      run.kill('SIGINT');
      await Promise.race([run.exited, new Promise((r) => setTimeout(r, 2000))]);
      run.kill('SIGKILL');
    };
  } else {
    const p = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'ignore'] });
    p.stdout.on('data', (d: Buffer) => onData(performance.now(), d));
    const exited = new Promise((r) => p.on('close', r));
    stop = async () => {
      p.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      p.kill('SIGKILL');
    };
  }
  const find = (pred: (l: { at: number; text: string }) => boolean, timeoutMs: number): Promise<number> =>
    new Promise((resolve) => {
      const check = (): boolean => {
        const hit = lines.find(pred);
        if (!hit) return false;
        waiters.delete(check as () => void);
        clearTimeout(timer);
        resolve(hit.at);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check as () => void);
        resolve(NaN);
      }, timeoutMs);
      if (!check()) waiters.add(check as () => void);
    });
  return {
    label,
    ready: async () => {
      const t = await find((l) => o.shows(l.text), 60_000);
      if (Number.isNaN(t)) throw new Error(`${label} did not show the pod within 60 s`);
    },
    seen: (change, since, timeoutMs) => find((l) => l.at >= since && o.visible(l.text, change), timeoutMs),
    stop: () => stop(),
  };
}

export interface LatencyRow {
  readonly label: string;
  readonly restart: Spread;
  readonly condition: Spread;
  readonly missed: number;
}

/**
 * Runs `changes` status changes of pod `name` in `ns` (created here, deleted by the caller's
 * namespace cleanup) and returns, per watcher, the latencies from acknowledgement to visibility.
 */
export async function updateLatency(
  api: Api,
  ns: string,
  name: string,
  makeWatchers: () => Watcher[],
  o: { readonly changes: number; readonly minGapMs: number; readonly maxGapMs: number },
): Promise<LatencyRow[]> {
  const created = await api.call('POST', `/api/v1/namespaces/${ns}/pods`, pendingPod(name, { app: 'bench-latency' }));
  if (created.status !== 201) throw new Error(`creating ${name}: ${created.status} ${created.text.slice(0, 200)}`);
  let restarts = 0;
  let ready = false;
  const first = await api.call(
    'PATCH',
    `/api/v1/namespaces/${ns}/pods/${name}/status`,
    statusPatch(restarts, ready, new Date()),
    MERGE_PATCH,
  );
  if (first.status !== 200) throw new Error(`status subresource: ${first.status} ${first.text.slice(0, 300)}`);
  const watchers = makeWatchers();
  const results = watchers.map(() => ({ restart: [] as number[], condition: [] as number[], missed: 0 }));
  try {
    await Promise.all(watchers.map((w) => w.ready()));
    await new Promise((r) => setTimeout(r, 1500)); // let the first screens settle
    for (let i = 0; i < o.changes; i++) {
      const change: Change = i % 2 === 0 ? { kind: 'restart', restarts: ++restarts } : { kind: 'condition', ready: (ready = !ready) };
      const sentAt = performance.now();
      const seen = watchers.map((w) => w.seen(change, sentAt, 5_000));
      const res = await api.call(
        'PATCH',
        `/api/v1/namespaces/${ns}/pods/${name}/status`,
        statusPatch(restarts, ready, new Date()),
        MERGE_PATCH,
      );
      if (res.status !== 200) throw new Error(`status write: ${res.status} ${res.text.slice(0, 200)}`);
      const at = await Promise.all(seen);
      at.forEach((t, k) => {
        if (t === undefined) return;
        if (Number.isNaN(t)) results[k]!.missed++;
        else results[k]![change.kind].push(t - res.ackAt);
      });
      await new Promise((r) => setTimeout(r, o.minGapMs + Math.random() * (o.maxGapMs - o.minGapMs)));
    }
  } finally {
    await Promise.all(watchers.map((w) => w.stop().catch(() => undefined)));
  }
  return watchers.map((w, k) => ({
    label: w.label,
    restart: spread(results[k]!.restart),
    condition: spread(results[k]!.condition),
    missed: results[k]!.missed,
  }));
}
