// Benchmarks that print numbers, side by side with kubectl in the same run. Never assertions.
//
//   npm run bench                       # against the cluster of cluster/ (or PODLIFE_E2E_KUBECONFIG)
//   npm run bench -- --runs 20
//
// 1. First screen: wall time and peak RSS of `kubectl get pod`, `kubectl describe pod` and
//    `kubectl podlife --once` (text and JSON) on the same crash-looping pod, median of N runs.
// 2. The model alone: observations reduced per second and the cost of one view, on a real
//    recording (the built-in demo) and on a synthetic fleet of N pods cloned from it.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialState, reduce, toSessionView, type Observation, type PodJson } from '../src/model/index.ts';
import { parseRecording } from '../src/sources/recording.ts';
import { kubeconfigPath, kubectl, launcher, newNamespace, root, waitFor } from '../test/e2e/helpers/env.ts';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;
const fleet = Number(process.argv[process.argv.indexOf('--pods') + 1]) || 5000;

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

function modelBench(): void {
  const text = readFileSync(join(root, 'recordings', 'crashloop.jsonl'), 'utf8');
  const recording = parseRecording(text, 'demo');
  let t0 = performance.now();
  const reps = 200;
  let state = initialState({ source: 'replay' });
  for (let i = 0; i < reps; i++) {
    state = initialState({ source: 'replay' });
    for (const o of recording) state = reduce(state, [o]);
  }
  const perObs = (performance.now() - t0) / (reps * recording.length);
  const last = recording.at(-1)!.observedAt;
  t0 = performance.now();
  for (let i = 0; i < reps; i++) toSessionView(state, last + i * 1000);
  const perView = (performance.now() - t0) / reps;
  console.log(`\nModel on the demo recording (${recording.length} observations):`);
  console.log(
    `  reduce: ${(1000 / perObs).toFixed(0)} observations/s (${(perObs * 1000).toFixed(1)} µs each); toSessionView: ${perView.toFixed(2)} ms`,
  );

  // A fleet cloned from the last real pod snapshot of the recording.
  const lastPod = [...recording].reverse().find((o): o is Extract<Observation, { kind: 'pod' }> => o.kind === 'pod')!.object;
  // Each clone is parsed from text, as a watch delivers it: no structure shared between pods.
  const podText = JSON.stringify(lastPod);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  t0 = performance.now();
  let fleetState = initialState({ source: 'cluster' });
  const batch: Observation[] = [];
  for (let i = 0; i < fleet; i++) {
    const parsed = JSON.parse(podText) as PodJson;
    const pod: PodJson = {
      ...parsed,
      metadata: {
        ...parsed.metadata,
        name: `${lastPod.metadata.name}-${i}`,
        uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      },
    };
    batch.push({ kind: 'pod', verb: 'list', observedAt: last, object: pod });
  }
  fleetState = reduce(fleetState, batch);
  const listMs = performance.now() - t0;
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - before) / 1048576;
  t0 = performance.now();
  toSessionView(fleetState, last + 1000);
  const viewMs = performance.now() - t0;
  console.log(`\nFleet of ${fleet} pods (clones of the recording's last pod):`);
  console.log(
    `  initial list reduced in ${listMs.toFixed(0)} ms; model heap ${heapMb.toFixed(1)} MB; one full view ${viewMs.toFixed(0)} ms; process RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`,
  );
}

modelBench();
if (!process.argv.includes('--model-only')) await firstScreen();
