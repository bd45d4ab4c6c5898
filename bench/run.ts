// Benchmarks that print numbers, side by side with kubectl in the same run. Never assertions.
//
//   npm run bench                       # the model's tables, then against the cluster of cluster/
//                                       # (or PODLIFE_E2E_KUBECONFIG)
//   npm run bench -- --runs 20 --pods 10000
//   npm run bench -- --model-only       # or PODLIFE_BENCH_MODEL_ONLY=1: no cluster
//   npm run bench:model                 # the model's tables only (vitest bench)
//
// 1. The model alone (bench/model.bench.ts, vitest's benchmark mode): a real recording reduced and
//    viewed, a fleet of N pods cloned from it (--pods, default 5000), and the model's heap.
// 2. First screen: wall time and peak RSS of `kubectl get pod`, `kubectl describe pod` and
//    `kubectl podlife --once` (text and JSON) on the same crash-looping pod, median of N runs.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { kubeconfigPath, kubectl, launcher, newNamespace, root, waitFor } from '../test/e2e/helpers/env.ts';

const arg = (name: string): number | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || undefined : undefined;
};
const runs = arg('--runs') ?? 10;
const pods = arg('--pods');
const modelOnly = process.argv.includes('--model-only') || ['1', 'true'].includes(process.env['PODLIFE_BENCH_MODEL_ONLY'] ?? '');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; rssMb: number } {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { env, encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    const kb = Number(r.stderr.trim().split('\n').at(-1));
    rss.push(kb / 1024);
  }
  return { ms: median(times), rssMb: median(rss) };
}

async function firstScreen(): Promise<void> {
  const kc = kubeconfigPath();
  const ns = await newNamespace('bench');
  try {
    await kubectl(['apply', '-n', ns.name, '-f', join(root, 'test', 'scenarios', 'crashloop.yaml')]);
    const pod = (await kubectl(['get', 'pods', '-n', ns.name, '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    await waitFor(
      async () =>
        Number(
          (await kubectl(['get', 'pod', pod, '-n', ns.name, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])).stdout.trim(),
        ) >= 1,
      120_000,
      'a restart',
    );
    const env = { ...process.env, KUBECONFIG: kc };
    const rows: [string, string, string[]][] = [
      ['kubectl get pod', 'kubectl', ['get', 'pod', pod, '-n', ns.name]],
      ['kubectl describe pod', 'kubectl', ['describe', 'pod', pod, '-n', ns.name]],
      // What a user runs by hand to learn the same (status, describe, events, the last crash's log).
      [
        'kubectl get+describe+events+logs -p',
        'sh',
        [
          '-c',
          `kubectl get pod ${pod} -n ${ns.name} && kubectl describe pod ${pod} -n ${ns.name} && kubectl get events -n ${ns.name} --field-selector involvedObject.name=${pod} && kubectl logs ${pod} -n ${ns.name} --previous`,
        ],
      ],
      ['kubectl podlife --once', launcher, [pod, '-n', ns.name, '--once', '--log-lines', '0']],
      ['kubectl podlife --once (with logs)', launcher, [pod, '-n', ns.name, '--once']],
      ['kubectl podlife --once -o json', launcher, [pod, '-n', ns.name, '--once', '-o', 'json', '--log-lines', '0']],
      ['kubectl podlife --help', launcher, ['--help']],
    ];
    console.log(`\nFirst screen, median of ${runs} runs (pod ${ns.name}/${pod}):`);
    console.log('  command                                  wall ms   peak RSS MB');
    for (const [label, cmd, args] of rows) {
      const m = measure(cmd, args, env);
      console.log(`  ${label.padEnd(40)} ${m.ms.toFixed(0).padStart(7)}   ${m.rssMb.toFixed(1).padStart(10)}`);
    }
  } finally {
    await ns.cleanup();
  }
}

/** The model's benchmarks: vitest's benchmark mode, in a child process with this Node. */
function modelBench(): number {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const r = spawnSync(process.execPath, [vitest, 'bench', '--run'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...(pods ? { PODLIFE_BENCH_PODS: String(pods) } : {}) },
  });
  return r.status ?? 1;
}

const status = modelBench();
if (modelOnly) console.log('\nFirst screen against the cluster: skipped (--model-only or PODLIFE_BENCH_MODEL_ONLY).');
else await firstScreen();
process.exitCode = status;
