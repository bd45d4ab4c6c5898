// Soak: podlife watching a label selector for a long time under steady churn, with its connection
// cut every few minutes. Prints numbers and whether the end state is right; asserts nothing in a test.
//
//   node_modules/.bin/node --import tsx bench/soak.ts [--minutes 60] [--pods 20] [--writes-per-second 2]
//                                                     [--cut-every 180] [--no-tui] [--max-old-space MB]
//                                                     [--heap] [--heap-every 15]
//
// Against the cluster of cluster/ (or PODLIFE_E2E_KUBECONFIG), in a namespace of its own:
// - `--pods` pods that are never scheduled, whose status this script writes through the status
//   subresource as a kubelet would (the container runs, exits 1, is restarted with a new container
//   ID, ...), `--writes-per-second` writes in all, plus a kubelet-style BackOff event every 5th write
//   (same event object, count going up);
// - `podlife -l ... -o json` and the terminal UI (tmux) reach the API server through a loopback fault
//   proxy that cuts every connection every `--cut-every` seconds;
// - RSS (and CPU) of both podlife processes sampled at the start, every minute and at the end: the
//   series, and the trend (least-squares slope) over the whole run and its second half;
// - at the end: every container instance the writer ended is shown ended exactly once (none lost,
//   none twice), and each pod's last "pod" line equals what a fresh `podlife --once` lists;
// - with --heap, also what both processes really keep (heap snapshots), at the start, every
//   --heap-every minutes and at the end.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxy } from '../test/helpers/fault-proxy.ts';
import { kubeconfigPath, kubectl, launcher, newNamespace, podlife, Streaming } from '../test/e2e/helpers/env.ts';
import { isConnection, lastPod, objectState, parsed } from '../test/e2e/helpers/json-lines.ts';
import { statusFor, unschedulablePod, type Step } from '../test/e2e/helpers/pod-status.ts';
import { TmuxSession } from '../test/e2e/helpers/tmux.ts';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const minutes = arg('--minutes', 60);
const podCount = Math.round(arg('--pods', 20));
const writesPerSecond = arg('--writes-per-second', 2);
const cutEverySeconds = arg('--cut-every', 180);
const withTui = !process.argv.includes('--no-tui');
// Caps podlife's V8 old space (MB): RSS that grows only because the collector is lazy stays under
// the cap; data that is really retained beyond it ends the process (out of memory).
const maxOldSpace = arg('--max-old-space', 0);
// --heap: what both podlife processes really keep, from heap snapshots (V8 collects everything
// first) at the start, every --heap-every minutes and at the end. RSS alone cannot tell a leak from
// a collector that is in no hurry.
const heapDir = process.argv.includes('--heap') ? mkdtempSync(join(tmpdir(), 'podlife-soak-heap-')) : undefined;
const heapEveryMinutes = arg('--heap-every', 15);
const podlifeNodeOptions = [
  maxOldSpace ? `--max-old-space-size=${maxOldSpace}` : '',
  heapDir ? `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${heapDir}` : '',
]
  .filter(Boolean)
  .join(' ');
const podlifeEnv = (kc: string): Record<string, string> => ({
  KUBECONFIG: kc,
  ...(podlifeNodeOptions ? { NODE_OPTIONS: podlifeNodeOptions } : {}),
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (s: string): void => void process.stdout.write(s + '\n');

// --- the writer: the API server directly, with the admin's certificate ---
const adminText = readFileSync(kubeconfigPath(), 'utf8');
const field = (name: string): string => new RegExp(`${name}:\\s*(\\S+)`).exec(adminText)![1]!;
const server = new URL(field('server'));
const tls = {
  ca: readFileSync(field('certificate-authority')),
  cert: readFileSync(field('client-certificate')),
  key: readFileSync(field('client-key')),
};

function api(method: string, path: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      {
        host: server.hostname,
        port: Number(server.port),
        path,
        method,
        ...tls,
        headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(data);
  });
}

// --- process probes ---
function rssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kb / 1024;
  } catch {
    return undefined;
  }
}

function cpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Live heap of a podlife process (MB): a heap snapshot taken on SIGUSR2, its objects summed. */
async function liveHeapMb(pid: number | undefined): Promise<number | undefined> {
  if (!pid || !heapDir) return undefined;
  const before = new Set(readdirSync(heapDir));
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return undefined;
  }
  const deadline = Date.now() + 120_000;
  let last = -1;
  while (Date.now() < deadline) {
    await sleep(500);
    const file = readdirSync(heapDir).find((f) => !before.has(f) && f.includes(`.${pid}.`) && f.endsWith('.heapsnapshot'));
    if (!file) continue;
    const path = join(heapDir, file);
    const size = statSync(path).size;
    if (size === 0 || size !== last) {
      last = size; // still being written
      continue;
    }
    try {
      const snap = JSON.parse(readFileSync(path, 'utf8')) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[] };
      const fields = snap.snapshot.meta.node_fields;
      const self = fields.indexOf('self_size');
      let total = 0;
      for (let i = 0; i < snap.nodes.length; i += fields.length) total += snap.nodes[i + self]!;
      unlinkSync(path);
      return total / 1e6;
    } catch {
      last = -1; // not complete yet
    }
  }
  return undefined;
}

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number | undefined {
  if (points.length < 2) return undefined;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? undefined : num / den;
}

interface PodChurn {
  readonly name: string;
  uid: string;
  step: Step;
  next: number; // container instance counter
  restarts: number;
  eventCount: number;
}

async function main(): Promise<number> {
  const node = process.version;
  const kubectlVersion = (await kubectl(['version', '--client', '-o', 'json'])).stdout.match(/"gitVersion":\s*"([^"]+)"/)?.[1] ?? '?';
  log(
    `soak: ${minutes} min, ${podCount} pods, ${writesPerSecond} status writes/s (+ an event every 5th), connections cut every ${cutEverySeconds} s`,
  );
  log(
    `      runner Node ${node}, kubectl ${kubectlVersion}; podlife on its bundled Node${podlifeNodeOptions ? `, NODE_OPTIONS=${podlifeNodeOptions}` : ''}`,
  );
  const ns = await newNamespace('soak');
  const dir = mkdtempSync(join(tmpdir(), 'podlife-soak-'));
  const proxy = await startFaultProxy(server.hostname, Number(server.port));
  const kc = join(dir, 'kubeconfig');
  writeFileSync(kc, adminText.replace(server.origin, `https://127.0.0.1:${proxy.port}`));
  const selector = `soak=${ns.name.slice(-20)}`;
  const [, selValue] = selector.split('=');
  let json: Streaming | undefined;
  let tui: TmuxSession | undefined;
  try {
    const created = Date.now() - 60_000;
    const pods: PodChurn[] = [];
    for (let i = 0; i < podCount; i++) {
      const name = `soak-${i}`;
      await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: unschedulablePod(name, { soak: selValue! }) });
      const uid = (await kubectl(['get', 'pod', name, '-n', ns.name, '-o', 'jsonpath={.metadata.uid}'])).stdout;
      const p: PodChurn = { name, uid, step: { kind: 'waiting' }, next: 1, restarts: 0, eventCount: 0 };
      await api(
        'PATCH',
        `/api/v1/namespaces/${ns.name}/pods/${name}/status`,
        { status: statusFor(p.step, created) },
        'application/merge-patch+json',
      );
      pods.push(p);
    }

    json = new Streaming(['-l', selector, '-n', ns.name, '-o', 'json'], podlifeEnv(kc));
    await json.waitForLine(isConnection('live'), 60_000);
    let tuiPid: number | undefined;
    if (withTui) {
      tui = new TmuxSession([launcher, '-l', selector, '-n', ns.name], { width: 120, height: 40, env: podlifeEnv(kc) });
      await tui.waitForScreen((s) => s.includes('● live'), 60_000);
      const shell = execFileSync('tmux', ['list-panes', '-t', tui.name, '-F', '#{pane_pid}'], { encoding: 'utf8' }).trim();
      tuiPid = Number(execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]);
    }
    const jsonPid = json.proc.pid;

    // --- churn and cuts ---
    const ended: string[] = []; // container IDs the writer ended
    let writes = 0;
    let events = 0;
    let writeErrors = 0;
    let cuts = 0;
    let stopping = false;
    /** The pod's next step, and what to record once the API server has taken it. */
    const advance = (p: PodChurn): { step: Step; commit: () => void } => {
      const now = Date.now();
      const s = p.step;
      if (s.kind === 'waiting')
        return { step: { kind: 'running', id: `${p.name}-c${p.next}`, startedAt: now, restarts: p.restarts }, commit: () => undefined };
      if (s.kind === 'running')
        return {
          step: { kind: 'terminated', id: s.id, startedAt: s.startedAt, finishedAt: now, exitCode: 1, restarts: p.restarts },
          commit: () => void ended.push(`containerd://${s.id}`),
        };
      const next = p.next + 1;
      return {
        step: {
          kind: 'running',
          id: `${p.name}-c${next}`,
          startedAt: now,
          restarts: p.restarts + 1,
          last: { id: s.id, startedAt: s.startedAt, finishedAt: s.finishedAt, exitCode: s.exitCode },
        },
        commit: () => {
          p.next = next;
          p.restarts += 1;
        },
      };
    };
    const writer = (async () => {
      const interval = 1000 / writesPerSecond;
      let due = Date.now();
      for (let k = 0; !stopping; k++) {
        const p = pods[k % pods.length]!;
        const { step, commit } = advance(p);
        try {
          const r = await api(
            'PATCH',
            `/api/v1/namespaces/${ns.name}/pods/${p.name}/status`,
            { status: statusFor(step, created) },
            'application/merge-patch+json',
          );
          if (r.status >= 300) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
          commit();
          p.step = step;
          writes++;
        } catch (e) {
          writeErrors++;
          if (writeErrors <= 3) log(`      write error: ${String(e)}`);
        }
        if (k % 5 === 4) {
          const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
          p.eventCount += 1;
          const path = `/api/v1/namespaces/${ns.name}/events`;
          const name = `${p.name}.backoff`;
          const r =
            p.eventCount === 1
              ? await api('POST', path, {
                  apiVersion: 'v1',
                  kind: 'Event',
                  metadata: { name },
                  involvedObject: { kind: 'Pod', name: p.name, namespace: ns.name, uid: p.uid, fieldPath: 'spec.containers{app}' },
                  reason: 'BackOff',
                  message: 'Back-off restarting failed container app',
                  type: 'Warning',
                  count: 1,
                  firstTimestamp: now,
                  lastTimestamp: now,
                  source: { component: 'kubelet', host: 'soak' },
                }).catch(() => ({ status: 0, body: '' }))
              : await api('PATCH', `${path}/${name}`, { count: p.eventCount, lastTimestamp: now }, 'application/merge-patch+json').catch(
                  () => ({
                    status: 0,
                    body: '',
                  }),
                );
          if (r.status > 0 && r.status < 300) events++;
        }
        due += interval;
        await sleep(Math.max(0, due - Date.now()));
      }
    })();
    const cutter = setInterval(() => {
      proxy.cutAll();
      cuts++;
    }, cutEverySeconds * 1000);

    // --- samples ---
    const t0 = Date.now();
    const cpu0 = { json: cpuSeconds(jsonPid) ?? 0, tui: cpuSeconds(tuiPid) ?? 0 };
    const samples: {
      min: number;
      json: number | undefined;
      tui: number | undefined;
      jsonCpu: number | undefined;
      tuiCpu: number | undefined;
    }[] = [];
    let last = { t: t0, json: cpu0.json, tui: cpu0.tui };
    const sample = (): void => {
      const t = Date.now();
      const cj = cpuSeconds(jsonPid);
      const ct = cpuSeconds(tuiPid);
      const pct = (c: number | undefined, prev: number): number | undefined =>
        c === undefined ? undefined : ((c - prev) / ((t - last.t) / 1000)) * 100;
      const s = {
        min: (t - t0) / 60_000,
        json: rssMb(jsonPid),
        tui: rssMb(tuiPid),
        jsonCpu: t > last.t ? pct(cj, last.json) : undefined,
        tuiCpu: t > last.t ? pct(ct, last.tui) : undefined,
      };
      samples.push(s);
      last = { t, json: cj ?? last.json, tui: ct ?? last.tui };
      const f = (v: number | undefined, d = 1): string => (v === undefined ? '-' : v.toFixed(d));
      log(
        `  ${f(s.min, 1).padStart(5)} min  json RSS ${f(s.json).padStart(6)} MB  tui RSS ${f(s.tui).padStart(6)} MB  ` +
          `json CPU ${f(s.jsonCpu).padStart(5)}%  tui CPU ${f(s.tuiCpu).padStart(5)}%  writes ${writes}  events ${events}  cuts ${cuts}`,
      );
    };
    const heaps: { min: number; json: number | undefined; tui: number | undefined }[] = [];
    const heap = async (): Promise<void> => {
      if (!heapDir) return;
      const min = (Date.now() - t0) / 60_000;
      const h = { min, json: await liveHeapMb(jsonPid), tui: await liveHeapMb(tuiPid) };
      heaps.push(h);
      const f = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(1));
      log(`  ${min.toFixed(1).padStart(5)} min  live heap (heap snapshot): json ${f(h.json)} MB  tui ${f(h.tui)} MB`);
    };
    log('     t        podlife -o json    podlife TUI');
    sample();
    await heap();
    const end = t0 + minutes * 60_000;
    let nextHeap = t0 + heapEveryMinutes * 60_000;
    while (Date.now() < end) {
      await sleep(Math.min(60_000 - ((Date.now() - t0) % 60_000), end - Date.now()));
      if (Date.now() < end - 1_000) sample();
      if (Date.now() >= nextHeap && Date.now() < end - 30_000) {
        await heap();
        nextHeap += heapEveryMinutes * 60_000;
      }
    }
    stopping = true;
    clearInterval(cutter);
    await writer;
    // Quiet: no new line from podlife for 5 s (at most a minute).
    for (let n = json.lines.length, quietSince = Date.now(), limit = Date.now() + 60_000; Date.now() < limit; await sleep(500)) {
      if (json.lines.length !== n) {
        n = json.lines.length;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= 5_000) break;
    }
    sample();
    await heap();

    // --- the end state ---
    const lines = parsed(json.lines);
    const terminatedShown = new Map<string, number>();
    for (const l of lines)
      if (l.kind === 'lifecycle' && l['type'] === 'container-terminated' && typeof l['containerID'] === 'string')
        terminatedShown.set(l['containerID'], (terminatedShown.get(l['containerID']) ?? 0) + 1);
    const lost = ended.filter((id) => !terminatedShown.has(id));
    const twice = [...terminatedShown].filter(([, n]) => n > 1).map(([id]) => id);
    const reconnects = lines.filter((l) => l.kind === 'connection' && l['state'] === 'reconnecting').length;
    const fresh = await podlife(['-l', selector, '-n', ns.name, '--once', '-o', 'json', '--log-lines', '0'], {
      env: { KUBECONFIG: kubeconfigPath() },
    });
    const freshLines = fresh.stdout.split('\n');
    const differ = pods.filter(
      (p) => JSON.stringify(objectState(lastPod(json!.lines, p.name))) !== JSON.stringify(objectState(lastPod(freshLines, p.name))),
    );
    const tuiLive = tui ? tui.screen().includes('● live') : undefined;

    const rows = (k: 'json' | 'tui'): [number, number][] => samples.filter((s) => s[k] !== undefined).map((s) => [s.min, s[k]!]);
    const trend = (k: 'json' | 'tui'): string => {
      const all = rows(k);
      if (all.length === 0) return 'not measured';
      const whole = slope(all);
      const half = slope(all.filter(([m]) => m >= minutes / 2));
      const perHour = (v: number | undefined): string => (v === undefined ? '-' : `${(v * 60 >= 0 ? '+' : '') + (v * 60).toFixed(1)} MB/h`);
      const first = all[0]![1];
      const lastRss = all.at(-1)![1];
      const max = Math.max(...all.map(([, y]) => y));
      return `start ${first.toFixed(1)} MB, end ${lastRss.toFixed(1)} MB, max ${max.toFixed(1)} MB; trend ${perHour(whole)} over the run, ${perHour(half)} over its second half`;
    };
    const cpuAvg = (c: number | undefined, c0: number): string =>
      c === undefined ? '-' : `${(((c - c0) / ((Date.now() - t0) / 1000)) * 100).toFixed(2)}%`;
    log('');
    log(
      `soak done after ${((Date.now() - t0) / 60_000).toFixed(1)} min: ${writes} status writes (${writeErrors} failed), ${events} event writes, ${cuts} cuts`,
    );
    log(`  podlife -o json RSS: ${trend('json')}; CPU ${cpuAvg(cpuSeconds(jsonPid), cpu0.json)} of a core on average`);
    if (withTui) log(`  podlife TUI RSS:     ${trend('tui')}; CPU ${cpuAvg(cpuSeconds(tuiPid), cpu0.tui)} of a core on average`);
    for (const k of ['json', 'tui'] as const) {
      const pts = heaps.filter((h) => h[k] !== undefined).map((h): [number, number] => [h.min, h[k]!]);
      if (pts.length < 2) continue;
      const perHour = (slope(pts) ?? 0) * 60;
      log(
        `  podlife ${k === 'json' ? '-o json' : 'TUI    '} live heap: start ${pts[0]![1].toFixed(1)} MB, end ${pts.at(-1)![1].toFixed(1)} MB; trend ${perHour >= 0 ? '+' : ''}${perHour.toFixed(1)} MB/h`,
      );
    }
    log(`  reconnections seen (-o json): ${reconnects}; still running: json ${json.proc.exitCode === null}, TUI live ${tuiLive ?? '-'}`);
    log(
      `  instances ended by the writer: ${ended.length}; shown ended: ${terminatedShown.size}; lost: ${lost.length}; shown twice: ${twice.length}`,
    );
    if (lost.length) log(`    lost: ${lost.slice(0, 5).join(' ')}`);
    if (twice.length) log(`    twice: ${twice.slice(0, 5).join(' ')}`);
    log(
      `  final model equals a fresh list: ${differ.length === 0 ? `yes (${pods.length} pods)` : `NO for ${differ.map((p) => p.name).join(', ')}`}`,
    );
    const stderr = json.stderr.trim();
    if (stderr) log(`  podlife stderr: ${stderr.split('\n').slice(0, 3).join(' | ')}`);
    return differ.length === 0 && lost.length === 0 && twice.length === 0 && json.proc.exitCode === null ? 0 : 1;
  } finally {
    tui?.kill();
    await json?.stop();
    await proxy.close();
    await ns.cleanup();
    rmSync(dir, { recursive: true, force: true });
    if (heapDir) rmSync(heapDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`soak: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
