// The group screen at scale, side by side with `kubectl get pods -w` on the same stream. Prints
// numbers; asserts nothing. Against the project's cluster (cluster/, or PODLIFE_E2E_KUBECONFIG):
//
//   node_modules/.bin/node --import tsx bench/scale-rollout.ts [--pods 1000,5000] [--events 1000] [--idle 10] [--events-quiet 420]
//
// For each pod count N, in a fresh namespace:
// 1. N real pods that cannot be scheduled (a nodeSelector no node has): Pending, cheap for the node;
// 2. `kubectl podlife -l app=scale` in its terminal UI (tmux, 120x40: the rollout screen of the
//    pods) and `kubectl get pods -l app=scale -w` (output to a file), both started before the pods;
// 3. once both show N pods: resident memory (VmRSS) of each;
// 4. idle: CPU of each over --idle seconds with nothing happening (the UI's clock ticks), once the
//    namespace's Events (which podlife watches too) have been quiet for 10 s;
// 5. churn: --events status updates through the status subresource (a condition whose message
//    changes), so that each watcher receives that many MODIFIED events; CPU of each from the first
//    update until it has taken in the last one (kubectl: its line count; podlife: quiet again);
// 6. frames, in this process: the same pods read from the API into a store, the rollout screen
//    (RolloutApp) drawn by Ink to a fake 120x40 terminal; from a key (the selection moves), from
//    the strips' zoom and pan keys (+, [, 0) and from a change (one pod modified, dispatched, the
//    changes spaced beyond the screen's pacing) to Ink's write of the new frame: the wall time, the
//    process's CPU and the main thread's, p50 / p95 / max ms.
// The namespace is deleted afterwards.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { changeFrames, keyFrames, mountRolloutScreen } from './fake-tty.ts';
import { frameText as fmt, threadCpuMs } from './stats.ts';
import './ink-as-built.ts';

// React's production build, as the bundle runs it (scripts/build.mjs defines NODE_ENV).
process.env['NODE_ENV'] = 'production';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const podCounts = arg('--pods', '1000,5000').split(',').map(Number);
const events = Number(arg('--events', '1000'));
const idleSeconds = Number(arg('--idle', '10'));
const eventsQuietS = Number(arg('--events-quiet', '420'));
const root = join(import.meta.dirname, '..');
const kubeconfig =
  process.env['PODLIFE_E2E_KUBECONFIG'] ?? join(process.env['PODLIFE_CLUSTER_DIR'] ?? '/tmp/podlife-cluster', 'kubeconfig');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const k = (...args: string[]): string => execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8' });

// ---- a small HTTPS client for many requests at once (kubectl would take a process each) -------

const kc = parse(readFileSync(kubeconfig, 'utf8')) as {
  clusters: { cluster: Record<string, string> }[];
  users: { user: Record<string, string> }[];
};
const cluster = kc.clusters[0]!.cluster;
const user = kc.users[0]!.user;
const file = (path: string | undefined, data: string | undefined): Buffer | undefined =>
  data ? Buffer.from(data, 'base64') : path ? readFileSync(path) : undefined;
const agent = new Agent({
  keepAlive: true,
  maxSockets: 16,
  ca: file(cluster['certificate-authority'], cluster['certificate-authority-data']),
  cert: file(user['client-certificate'], user['client-certificate-data']),
  key: file(user['client-key'], user['client-key-data']),
});
const server = new URL(cluster['server']!);

function api(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        agent,
        host: server.hostname,
        port: server.port,
        path,
        method,
        headers: {
          accept: 'application/json',
          ...(data ? { 'content-type': contentType, 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

// ---- processes -------------------------------------------------------------------------------

/** utime + stime of a process, in seconds. */
function cpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
/** The process tmux runs in its pane, and the node process under the launcher. */
function podlifePid(session: string): number {
  const pane = Number(execFileSync('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  // pane shell -> launcher (sh) -> node: the deepest descendant whose command is node.
  let best = pane;
  for (let depth = 0; depth < 4; depth++) {
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${best}/task/${best}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      break;
    }
    if (!children.length) break;
    best = children[0]!;
  }
  return best;
}
const screen = (session: string): string => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });

async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
  return Date.now() - t0;
}

/** Waits until a process's CPU stops moving (nothing left to do), returning its CPU then. */
async function quiet(pid: number, timeoutMs: number): Promise<number> {
  let last = cpu(pid);
  const t0 = Date.now();
  for (;;) {
    await sleep(700);
    const c = cpu(pid);
    if (c - last < 0.02 || Date.now() - t0 > timeoutMs) return c;
    last = c;
  }
}

// ---- one run ---------------------------------------------------------------------------------

async function run(n: number): Promise<void> {
  // An earlier run's namespace still deleting its thousands of pods keeps the API server busy:
  // kubectl's watch then fell minutes behind (seen twice). Start once it is gone.
  const deleting = (): string[] =>
    k('get', 'namespaces', '-o', 'name')
      .split('\n')
      .filter((l) => l.startsWith('namespace/bench-scale-'));
  if (deleting().length) {
    console.log(`  waiting for ${deleting().join(', ')} to be deleted`);
    await until('the earlier benchmark namespaces to be deleted', () => deleting().length === 0, 600_000);
  }
  const ns = `bench-scale-${n}-${Date.now().toString(36)}`;
  k('create', 'namespace', ns);
  await until(
    'the default service account',
    () => {
      try {
        k('get', 'serviceaccount', 'default', '-n', ns);
        return true;
      } catch {
        return false;
      }
    },
    30_000,
  );
  const session = `podlife-bench-${process.pid}-${n}`;
  const out = join(tmpdir(), `kubectl-watch-${process.pid}-${n}.txt`);
  writeFileSync(out, '');
  const evOut = join(tmpdir(), `kubectl-events-${process.pid}-${n}.txt`);
  writeFileSync(evOut, '');
  const eventLines = (): number => readFileSync(evOut, 'utf8').split('\n').length - 1;
  let watch: ChildProcess | undefined;
  let eventWatch: ChildProcess | undefined;
  try {
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '120',
      '-y',
      '40',
      '-e',
      `KUBECONFIG=${kubeconfig}`,
      `'${join(root, 'bin', 'kubectl-podlife')}' -l app=scale -n ${ns} --log-lines 0; sleep 600`,
    ]);
    watch = spawn('sh', ['-c', `exec kubectl --kubeconfig '${kubeconfig}' get pods -n ${ns} -l app=scale -w --no-headers > '${out}'`], {
      stdio: 'ignore',
    });
    eventWatch = spawn(
      'sh',
      ['-c', `exec kubectl --kubeconfig '${kubeconfig}' get events -n ${ns} -w --watch-only --no-headers -o name > '${evOut}'`],
      { stdio: 'ignore' },
    );
    await sleep(2000);
    const pid = podlifePid(session);
    const kpid = watch.pid!;

    // 1. the pods
    const t0 = Date.now();
    const names = Array.from({ length: n }, (_, i) => `scale-${i}`);
    await pool(names, 16, async (name) => {
      const r = await api('POST', `/api/v1/namespaces/${ns}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { app: 'scale' } },
        spec: {
          nodeSelector: { 'podlife.bench/none': 'nowhere' },
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'app', image: 'docker.io/podlife/busybox:1', imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
        },
      });
      if (r.status >= 300) throw new Error(`create ${name}: ${r.status} ${r.text.slice(0, 200)}`);
    });
    const created = Date.now() - t0;
    const lines = (): number => readFileSync(out, 'utf8').split('\n').length - 1;
    await until('kubectl to list the pods', () => lines() >= n, 300_000);
    await until('podlife to show the pods', () => screen(session).includes(`${n} Pending`), 120_000);
    // The scheduler's first attempts (condition updates, events) settle: kubectl's output stops growing.
    let seen = lines();
    for (let quietFor = 0, waited = 0; quietFor < 10_000 && waited < 120_000; waited += 1000) {
      await sleep(1000);
      const now = lines();
      quietFor = now === seen ? quietFor + 1000 : 0;
      seen = now;
    }
    await quiet(pid, 20_000);
    await quiet(kpid, 20_000);
    const rss = [rssMb(pid), rssMb(kpid)];

    // 2. idle. podlife also watches the namespace's Events, which kubectl get pods does not: the
    //    scheduler retries pods it cannot place and writes a FailedScheduling event for each try
    //    (at 5,000 pods, about 50 a second for several minutes). Idle is measured once that stream
    //    has been quiet for 10 s too (waiting up to --events-quiet seconds); the events that came in
    //    during the measurement are printed beside it.
    let evSeen = eventLines();
    let evQuiet = 0;
    for (let waited = 0; evQuiet < 10_000 && waited < eventsQuietS * 1000; waited += 1000) {
      await sleep(1000);
      const now = eventLines();
      evQuiet = now === evSeen ? evQuiet + 1000 : 0;
      evSeen = now;
    }
    const idle0 = [cpu(pid), cpu(kpid)];
    const ev0 = eventLines();
    // In windows of 10 s, so that a collection or a burst inside the measurement shows as one.
    const windows: string[] = [];
    const threads0 = threadCpuMs(pid)!;
    for (let left = idleSeconds; left > 0; left -= 10) {
      const w = Math.min(10, left);
      const [c, e] = [cpu(pid), eventLines()];
      await sleep(w * 1000);
      const came = eventLines() - e;
      windows.push(`${(((cpu(pid) - c) / w) * 100).toFixed(2)}${came > 0 ? ` (${came} events)` : ''}`);
    }
    const threads1 = threadCpuMs(pid)!;
    const idle = [(cpu(pid) - idle0[0]!) / idleSeconds, (cpu(kpid) - idle0[1]!) / idleSeconds];
    const idleEvents = eventLines() - ev0;

    // 3. churn through the status subresource
    const before = lines();
    const c0 = [cpu(pid), cpu(kpid)];
    const tc = Date.now();
    await pool(
      Array.from({ length: events }, (_, i) => i),
      16,
      async (i) => {
        const r = await api(
          'PATCH',
          `/api/v1/namespaces/${ns}/pods/scale-${i % n}/status`,
          {
            status: {
              conditions: [
                {
                  type: 'podlife.bench/Tick',
                  status: 'True',
                  reason: 'Tick',
                  message: `tick ${i}`,
                  lastTransitionTime: new Date().toISOString(),
                },
              ],
            },
          },
          'application/strategic-merge-patch+json',
        );
        if (r.status >= 300) throw new Error(`patch: ${r.status} ${r.text.slice(0, 200)}`);
      },
    );
    const patchMs = Date.now() - tc;
    await until('kubectl to print every update', () => lines() >= before + events, 300_000).catch((e: unknown) => {
      throw new Error(`${String(e)}: ${lines() - before} of ${events} lines`);
    });
    const churn = [(await quiet(pid, 30_000)) - c0[0]!, (await quiet(kpid, 30_000)) - c0[1]!];
    // The idle cost over the same wall time is not the events' cost: subtract it.
    const wall = (Date.now() - tc) / 1000;
    const perK = churn.map((c, i) => ((c - idle[i]! * wall) / events) * 1000);
    const rssAfter = [rssMb(pid), rssMb(kpid)];

    console.log(
      `\n${n} pending pods (created in ${(created / 1000).toFixed(1)} s), ${events} status updates (sent in ${(patchMs / 1000).toFixed(1)} s):`,
    );
    console.log('                                     kubectl podlife -l (TUI)   kubectl get pods -w   ratio');
    const row = (label: string, a: number, b: number, unit: string, digits = 1): void =>
      console.log(
        `  ${label.padEnd(34)} ${`${a.toFixed(digits)} ${unit}`.padStart(23)}   ${`${b.toFixed(digits)} ${unit}`.padStart(19)}   ${(a / b).toFixed(2)}x`,
      );
    row('RSS after the list', rss[0]!, rss[1]!, 'MB');
    row('RSS after the updates', rssAfter[0]!, rssAfter[1]!, 'MB');
    row(`idle CPU (% of a core), ${idleEvents} events in`, idle[0]! * 100, idle[1]! * 100, '%', 2);
    console.log(
      `    podlife's idle by 10 s window (%): ${windows.join(', ')}; main thread ${((threads1.main - threads0.main) / (idleSeconds * 10)).toFixed(2)} %, other threads ${((threads1.v8 + threads1.other - threads0.v8 - threads0.other) / (idleSeconds * 10)).toFixed(2)} %`,
    );
    row(`CPU per 1000 watch events`, perK[0]! * 1000, perK[1]! * 1000, 'ms', 0);

    // 4. frames, in this process, on the same pods
    await frames(ns, n);
  } finally {
    watch?.kill('SIGKILL');
    eventWatch?.kill('SIGKILL');
    try {
      execFileSync('tmux', ['kill-session', '-t', session]);
    } catch {
      // gone
    }
    k('delete', 'namespace', ns, '--wait=false');
    rmSync(out, { force: true });
    rmSync(evOut, { force: true });
  }
}

/**
 * Frames of the real rollout screen (RolloutApp in Ink, drawing to a fake 120x40 terminal in this
 * process) on the same pods: the time from a key (the selection moves) and from a change (one pod
 * modified, dispatched to the store) to Ink's write of the new frame.
 */
async function frames(ns: string, n: number): Promise<void> {
  const [model, { createStore }] = await Promise.all([import('../src/model/index.ts'), import('../src/store/store.ts')]);
  const list = JSON.parse((await api('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=app%3Dscale`)).text) as { items: unknown[] };
  const t = Date.now();
  const store = createStore({ source: 'cluster', notifyIntervalMs: 0 });
  store.dispatch([
    { kind: 'relist-start', resource: 'pods', observedAt: t },
    ...list.items.map((object) => ({ kind: 'pod' as const, verb: 'list' as const, observedAt: t, object: object as never })),
    { kind: 'relist-done', resource: 'pods', observedAt: t },
  ]);
  const select = model.groupSelector({ kind: 'pods', label: '-l app=scale', namespace: ns }, { failRestarts: 2 });
  const { stdout, stdin, app } = await mountRolloutScreen(store, select, `-l app=scale -n ${ns}`);
  // The CPU this process spent from the input to Ink's write: the frame's cost (the screen paces how
  // often it takes a new state, so wall time would measure the pace, not the work).
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const keys = await keyFrames(stdout, stdin);
  // The strips' window: + zooms in, [ pans back, 0 follows now again (each a new frame: the axis and its title change).
  const windowKeys = new Map<string, number[]>([
    ['+', []],
    ['[', []],
    ['0', []],
  ]);
  for (let i = 0; i < 30; i++)
    for (const [key, xs] of windowKeys) {
      const wrote = stdout.nextWrite();
      const a = cpuMs();
      stdin.type(key);
      // A key that changes nothing draws nothing: not a frame.
      if (await Promise.race([wrote.then(() => true), sleep(2000).then(() => false)])) xs.push(cpuMs() - a);
    }
  // Pods on screen, so that the change is a new frame (Ink writes only what differs).
  const onScreen = new Set(
    model
      .podsOf(select(store.getState()))
      .slice(0, 10)
      .map((p) => p.uid),
  );
  const changes = await changeFrames(
    store,
    stdout,
    (list.items as { metadata: { uid: string; resourceVersion: string }; status: Record<string, unknown> }[]).filter((p) =>
      onScreen.has(p.metadata.uid),
    ),
  );
  app.unmount();
  app.cleanup();
  console.log(`  frame after a key, wall (the rollout screen in Ink, ${n} pods): ${fmt(keys.wall)}`);
  console.log(`    CPU of the process:                                     ${fmt(keys.all)}`);
  console.log(`    CPU of the main thread:                                 ${fmt(keys.main)}`);
  for (const [key, xs] of windowKeys)
    console.log(`  frame after ${key} (the strips' window), CPU:                ${xs.length ? fmt(xs) : 'no frame'} (${xs.length} frames)`);
  console.log(`  frame after a change, wall (reduce, view, layout, Ink):     ${fmt(changes.wall)}`);
  console.log(`    CPU of the process:                                     ${fmt(changes.all)}`);
  console.log(`    CPU of the main thread:                                 ${fmt(changes.main)}`);
}

for (const n of podCounts) await run(n);
agent.destroy();
