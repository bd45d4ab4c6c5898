// Benchmarks that print numbers, side by side with kubectl (and k9s) in the same run. Never assertions.
//
//   npm run bench                         # everything: the model, then against the cluster of cluster/
//                                         # (or PODLIFE_E2E_KUBECONFIG); a few minutes
//   npm run bench -- --model-only         # or PODLIFE_BENCH_MODEL_ONLY=1: no cluster
//   npm run bench -- --only model,first-screen,latency,scale --runs 5 --changes 40 --scale 1000,5000
//   npm run bench -- --scale-target 'deploy/web'   # scale: another podlife view of the same pods
//   npm run bench -- --baseline ../main   # also first screen of another built checkout (before/after)
//   npm run bench -- --rtt 20,50          # first screen also over links with these round trips (ms; default 20)
//   npm run bench:model                   # the model's tables only (vitest bench)
//
// 1. The model alone (bench/model.bench.ts, vitest's benchmark mode).
// 2. First complete screen of one crash-looping pod in a pseudo-terminal, cold and warm
//    (bench/first-screen.ts): kubectl get / describe, podlife --once and its terminal UI, from the
//    script and from the release binary (built here for linux/amd64 unless --no-release); on
//    loopback, then over a link with a round trip (--rtt: the fault tests' proxy, delaying the server's bytes).
// 3. Update latency (bench/latency.ts): status writes to one pod, acknowledgement -> visible, for
//    podlife's UI and -o json, kubectl get -w and k9s.
// 4. Scale (bench/scale.ts): 1,000 and 5,000 pending pods with status churn, for podlife's
//    selector view, kubectl get -w and k9s: memory, CPU per 1,000 events, idle CPU, terminal bytes.
//
// k9s is built from its Go module into ~/.cache/kubectl-podlife (bench/build-k9s.sh) when Go is
// there; without it its rows say so. Each part prints its table as it ends; one table of all at the end.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigPath, kubectl, launcher, newNamespace, root, waitFor } from '../test/e2e/helpers/env.ts';
import { proxiedKubeconfig } from '../test/helpers/fault-proxy.ts';
import { connect, createPods } from './api.ts';
import { firstScreen, type ScreenCommand } from './first-screen.ts';
import { lineWatcher, screenWatcher, updateLatency, type Change, type Watcher } from './latency.ts';
import { podlifeFrames, scale, type ScaleWatcher } from './scale.ts';
import { fmt, table } from './stats.ts';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const num = (name: string, dflt: number): number => Number(flag(name) ?? dflt) || dflt;
const runs = num('--runs', 5);
const changes = num('--changes', 40);
const scaleSizes = (flag('--scale') ?? '1000,5000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const rate = num('--rate', 200);
const churnSec = num('--churn', 15);
const idleSec = num('--idle', 10);
const scaleTarget = flag('--scale-target');
const only = new Set((flag('--only') ?? 'model,first-screen,latency,scale').split(','));
const modelOnly = argv.includes('--model-only') || ['1', 'true'].includes(process.env['PODLIFE_BENCH_MODEL_ONLY'] ?? '');
const withRelease = !argv.includes('--no-release');
// Another build of podlife (a checkout with dist/ built, e.g. main) to run beside this one: before/after.
const baseline = flag('--baseline');
// The first screen again over links with these round trips (test/helpers/fault-proxy.ts on
// loopback, every byte of the server that much late, as a cluster not on this machine would be);
// 0 for loopback only.
const roundTrips = (flag('--rtt') ?? '20')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);

const summary: string[] = [];
const say = (s: string): void => {
  console.log(s);
  summary.push(s);
};

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')[0]!;
  } catch {
    return 'not available';
  }
}

/** The model's benchmarks: vitest's benchmark mode, in a child process with this Node. */
function modelBench(): number {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const pods = flag('--pods');
  const r = spawnSync(process.execPath, [vitest, 'bench', '--run'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...(pods ? { PODLIFE_BENCH_PODS: pods } : {}) },
  });
  return r.status ?? 1;
}

function k9sBinary(): { path: string | undefined; why: string } {
  const r = spawnSync('bash', [join(root, 'bench', 'build-k9s.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const path = r.stdout.trim().split('\n').at(-1);
  if (r.status === 0 && path && existsSync(path)) return { path, why: '' };
  return { path: undefined, why: `k9s did not build (bench/build-k9s.sh exit ${r.status})` };
}

function releaseBinary(work: string): string | undefined {
  const out = join(work, 'release');
  const r = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'release.mjs'), '--only', 'linux/amd64', '--out', out, '--manifest', join(work, 'krew.yaml'), '--no-build'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (r.status !== 0) return undefined;
  const bin = readdirSync(out).find((n) => /_linux_amd64$/.test(n));
  return bin ? join(out, bin) : undefined;
}

// What each tool shows of a change of the latency pod.
const LAT = 'lat';
const restartRow = (n: number): RegExp => new RegExp(`^${LAT}\\s+\\S+\\s+\\S+\\s+${n}(\\s|$)`);
const podlifeTuiSees = (s: string, c: Change): boolean =>
  c.kind === 'restart' ? new RegExp(`RESTARTS ${c.restarts}\\b`).test(s) : new RegExp(`(^|\\s)Ready ${c.ready ? '✓' : '✗'}`, 'm').test(s);
const podlifeJsonSees = (l: string, c: Change): boolean =>
  l.includes(`"${LAT}"`) &&
  (c.kind === 'restart'
    ? l.includes(`containerd://bench-${c.restarts}"`) || l.includes(`"restarts":${c.restarts},`)
    : l.includes('"type":"condition"') && l.includes(`Ready=${c.ready ? 'True' : 'False'}`));
const kubectlSees = (l: string, c: Change): boolean => (c.kind === 'restart' ? restartRow(c.restarts).test(l) : l.startsWith(`${LAT} `));
const k9sSees = (s: string, c: Change): boolean | undefined =>
  c.kind === 'restart' ? s.split('\n').some((l) => new RegExp(`\\b${LAT}\\b.*CrashLoopBackOff\\s+${c.restarts}\\b`).test(l)) : undefined;

async function main(): Promise<void> {
  const status = only.has('model') || modelOnly ? modelBench() : 0;
  if (modelOnly) {
    console.log('\nAgainst the cluster: skipped (--model-only or PODLIFE_BENCH_MODEL_ONLY).');
    process.exitCode = status;
    return;
  }
  const kc = kubeconfigPath();
  const env = { ...process.env, KUBECONFIG: kc };
  const work = mkdtempSync(join(tmpdir(), 'podlife-bench-run-'));
  const k9s = only.has('latency') || only.has('scale') ? k9sBinary() : { path: undefined, why: 'not needed' };
  const binary = withRelease && only.has('first-screen') ? releaseBinary(work) : undefined;
  say(`\nkubectl-podlife benchmarks, ${new Date().toISOString()}`);
  say(`  node ${process.version} (podlife's runtime: ${version(join(root, 'node_modules', '.bin', 'node'), ['--version'])})`);
  const versions = (() => {
    try {
      return JSON.parse(execFileSync('kubectl', ['--kubeconfig', kc, 'version', '-o', 'json'], { encoding: 'utf8' })) as {
        clientVersion?: { gitVersion?: string };
        serverVersion?: { gitVersion?: string };
      };
    } catch {
      return {};
    }
  })();
  say(`  kubectl ${versions.clientVersion?.gitVersion ?? 'not available'}, server ${versions.serverVersion?.gitVersion ?? 'unknown'}`);
  say(`  k9s ${k9s.path ? `${/k9s-(v[^/]+)/.exec(k9s.path)?.[1] ?? ''} (built from its Go module)` : k9s.why}`);
  say(
    `  machine: ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at start`,
  );
  try {
    if (only.has('first-screen')) await firstScreenPart(env, binary, work);
    if (only.has('latency')) await latencyPart(kc, env, k9s.path);
    if (only.has('scale')) await scalePart(kc, env, k9s.path, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n==== all results ====\n${summary.join('\n')}`);
  process.exitCode = status;
}

async function firstScreenPart(env: NodeJS.ProcessEnv, binary: string | undefined, work: string): Promise<void> {
  const ns = await newNamespace('bench-screen');
  try {
    await kubectl(['apply', '-n', ns.name, '-f', join(root, 'test', 'scenarios', 'crashloop.yaml')]);
    const pod = 'crashloop';
    await waitFor(
      async () =>
        Number(
          (await kubectl(['get', 'pod', pod, '-n', ns.name, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])).stdout.trim(),
        ) >= 1,
      120_000,
      'a restart',
    );
    const n = ns.name;
    const tuiComplete = (s: string): boolean => /─ events ─/.test(s) && /Scheduled/.test(s) && /fatal:/.test(s);
    const podlifeRows = (label: string, exe: readonly string[]): ScreenCommand[] => [
      { label: `${label} --once`, argv: [...exe, pod, '-n', n, '--once'], done: 'exit', kind: 'podlife' },
      { label: `${label} (TUI, first complete frame)`, argv: [...exe, pod, '-n', n], done: tuiComplete, kind: 'podlife' },
    ];
    const commands: ScreenCommand[] = [
      { label: 'pty overhead (true)', argv: ['true'], done: 'exit', kind: 'none' },
      { label: 'kubectl get pod', argv: ['kubectl', 'get', 'pod', pod, '-n', n], done: 'exit', kind: 'kubectl' },
      { label: 'kubectl describe pod', argv: ['kubectl', 'describe', 'pod', pod, '-n', n], done: 'exit', kind: 'kubectl' },
      {
        label: 'kubectl get+describe+events+logs -p',
        argv: [
          'sh',
          '-c',
          `kubectl get pod ${pod} -n ${n} && kubectl describe pod ${pod} -n ${n} && kubectl get events -n ${n} --field-selector involvedObject.name=${pod} && kubectl logs ${pod} -n ${n} --previous`,
        ],
        done: 'exit',
        kind: 'kubectl',
      },
      ...podlifeRows('podlife', [launcher]),
      { label: 'podlife --once -o json', argv: [launcher, pod, '-n', n, '--once', '-o', 'json'], done: 'exit', kind: 'podlife' },
      ...(binary ? podlifeRows('podlife binary', [binary]) : []),
      ...(baseline ? podlifeRows('baseline', [join(baseline, 'bin', 'kubectl-podlife')]) : []),
    ];
    const screenTable = async (link: string, linkEnv: NodeJS.ProcessEnv): Promise<void> => {
      const rows = await firstScreen(commands, linkEnv, runs);
      const overhead = rows[0]!.warm.median;
      const describe = rows.find((r) => r.label === 'kubectl describe pod')!;
      say(
        `\nFirst complete screen, one crash-looping pod, ${link}, 120x50 pseudo-terminal: ${runs} cold + ${runs} warm runs each, alternating`,
      );
      say('  ms: median (min-max); net = median minus the pty overhead; x describe = net / net of kubectl describe pod (warm)');
      say(
        table(
          ['command', 'cold ms', 'warm ms', 'warm net', 'x describe', 'peak RSS MB'],
          rows.map((r) => [
            r.label,
            fmt(r.cold),
            fmt(r.warm),
            r.label.startsWith('pty') ? '-' : (r.warm.median - overhead).toFixed(0),
            r.label.startsWith('pty') ? '-' : ((r.warm.median - overhead) / (describe.warm.median - overhead)).toFixed(2),
            r.label.startsWith('pty') ? '-' : r.rssMb.median.toFixed(0),
          ]),
        ),
      );
      if (!binary) say('  (no release binary: --no-release, or npm run release could not build it here)');
    };
    await screenTable('API server on loopback', env);
    for (const rtt of roundTrips) {
      const { proxy: link, kubeconfig: kc } = await proxiedKubeconfig(env['KUBECONFIG']!, join(work, `kubeconfig-rtt-${rtt}`));
      link.delay(rtt);
      try {
        await screenTable(`API server ${rtt} ms away (round trip, through a delaying proxy)`, { ...env, KUBECONFIG: kc });
      } finally {
        await link.close();
      }
    }
  } finally {
    await ns.cleanup();
  }
}

async function latencyPart(kc: string, env: NodeJS.ProcessEnv, k9s: string | undefined): Promise<void> {
  const ns = await newNamespace('bench-latency');
  const api = await connect(kc);
  const k9sHome = mkdtempSync(join(tmpdir(), 'podlife-bench-k9s-'));
  try {
    const n = ns.name;
    const make = (): Watcher[] => [
      screenWatcher('podlife (TUI)', [launcher, LAT, '-n', n], env, {
        shows: (s) => /RESTARTS 0\b/.test(s),
        visible: podlifeTuiSees,
      }),
      lineWatcher('podlife -o json', [launcher, LAT, '-n', n, '-o', 'json'], env, {
        tty: false,
        shows: (l) => l.includes('"kind":"pod"') && l.includes(`"${LAT}"`),
        visible: podlifeJsonSees,
      }),
      lineWatcher('kubectl get pods -w', ['kubectl', 'get', 'pods', '-w', '-n', n], env, {
        tty: true,
        shows: (l) => l.startsWith(`${LAT} `),
        visible: kubectlSees,
      }),
      ...(k9s
        ? [
            screenWatcher(
              'k9s',
              [k9s, '--kubeconfig', kc, '-n', n, '-c', 'pods', '--readonly', '--logLevel', 'error'],
              k9sEnv(env, k9sHome),
              {
                shows: (s) => new RegExp(`\\b${LAT}\\b`).test(s),
                visible: k9sSees,
              },
            ),
          ]
        : []),
    ];
    const rows = await updateLatency(api, n, LAT, make, { changes, minGapMs: 250, maxGapMs: 650 });
    say(`\nUpdate latency: ${changes} status writes to one pod (restart bumps and Ready flips alternating, 250-650 ms apart)`);
    say("  ms from the write's acknowledgement to visible (a watch event can beat the acknowledgement: then < 0); median (min-max), p99");
    say(
      table(
        ['watcher', 'restart ms', 'restart p99', 'condition ms', 'condition p99', 'missed'],
        rows.map((r) => [
          r.label,
          fmt(r.restart),
          r.restart.n ? r.restart.p99.toFixed(0) : '-',
          fmt(r.condition),
          r.condition.n ? r.condition.p99.toFixed(0) : 'not shown',
          String(r.missed),
        ]),
      ),
    );
    if (!k9s) say('  (k9s: not built here; see bench/build-k9s.sh)');
  } finally {
    api.close();
    rmSync(k9sHome, { recursive: true, force: true });
    await ns.cleanup();
  }
}

function k9sEnv(env: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  // Its own config and state, so that a run neither reads nor changes the user's k9s settings.
  return {
    ...env,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_STATE_HOME: join(home, 'state'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
  };
}

async function scalePart(kc: string, env: NodeJS.ProcessEnv, k9s: string | undefined, work: string): Promise<void> {
  const ns = await newNamespace('bench-scale');
  const api = await connect(kc);
  const k9sHome = mkdtempSync(join(tmpdir(), 'podlife-bench-k9s-'));
  try {
    const n = ns.name;
    const labels = { app: 'bench-scale' };
    const names: string[] = [];
    say(
      `\nScale: pending pods (impossible nodeSelector), ${rate} status writes/s for ${churnSec} s after ${idleSec} s idle; 160x50 pseudo-terminals, all watchers at once`,
    );
    say(
      '  peak/end RSS MB; CPU ms per 1,000 watch events during churn; idle CPU %; terminal bytes/s and per frame (bursts < 8 ms apart); podlife frame ms from PODLIFE_PERF',
    );
    const header = [
      'watcher',
      'pods',
      'load ms',
      'RSS peak',
      'RSS end',
      'CPU/1k ev',
      'idle CPU%',
      'KB/s',
      'frames',
      'B/frame p50',
      'B/frame p95',
      'frame ms p50',
      'frame ms p95',
    ];
    for (const size of scaleSizes) {
      const t0 = performance.now();
      await createPods(api, n, 'p', names.length, size - names.length, labels);
      for (let i = names.length; i < size; i++) names.push(`p-${i}`);
      const createdIn = ((performance.now() - t0) / 1000).toFixed(1);
      const perfFile = join(work, `podlife-perf-${size}.txt`);
      const target = scaleTarget ? scaleTarget.split(' ') : ['-l', 'app=bench-scale'];
      const watchers: ScaleWatcher[] = [
        {
          label: `podlife ${target.join(' ')}`,
          argv: [launcher, ...target, '-n', n],
          env: { ...env, PODLIFE_PERF: '1' },
          stderrFile: perfFile,
        },
        { label: 'kubectl get pods -w', argv: ['kubectl', 'get', 'pods', '-w', '-l', 'app=bench-scale', '-n', n], env },
        ...(k9s
          ? [
              {
                label: 'k9s',
                argv: [k9s, '--kubeconfig', kc, '-n', n, '-c', 'pods', '--readonly', '--logLevel', 'error'],
                env: k9sEnv(env, k9sHome),
              },
            ]
          : []),
      ];
      const r = await scale(api, n, names, watchers, { ratePerSec: rate, churnSec, idleSec });
      const frames = podlifeFrames(perfFile);
      say(`  ${size} pods (created in ${createdIn} s): achieved ${r.achievedRate.toFixed(0)} writes/s, ${r.events} events`);
      say(
        table(
          header,
          r.rows.map((x, i) => [
            x.label,
            String(x.pods),
            x.loadMs.toFixed(0),
            x.rssPeakMb.toFixed(0),
            x.rssEndMb.toFixed(0),
            x.cpuMsPer1000.toFixed(0),
            x.idleCpuPct.toFixed(2),
            (x.bytesPerSec / 1024).toFixed(1),
            String(x.frames),
            Number.isFinite(x.bytesPerFrameP50) ? x.bytesPerFrameP50.toFixed(0) : '-',
            Number.isFinite(x.bytesPerFrameP95) ? x.bytesPerFrameP95.toFixed(0) : '-',
            i === 0 && frames ? frames.p50.toFixed(1) : '-',
            i === 0 && frames ? frames.p95.toFixed(1) : '-',
          ]),
        ).replace(/^/gm, '  '),
      );
    }
    if (!k9s) say('  (k9s: not built here; see bench/build-k9s.sh)');
    say('  (the rollout view is measured with --scale-target once it exists; today -l shows the selector view)');
  } finally {
    api.close();
    rmSync(k9sHome, { recursive: true, force: true });
    await ns.cleanup();
  }
}

await main();
