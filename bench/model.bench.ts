// The model alone, in vitest's benchmark mode (`npm run bench`, or `npm run bench:model` for these
// tables only). Numbers are printed, never asserted.
//
// 1. A real recording (the demo's crash loop): reducing it as a live watch delivers it (one
//    observation at a time) and as a replay does (all at once), and the view of the result.
// 2. A fleet of PODLIFE_BENCH_PODS pods (default 5000) cloned from the recording's last pod: the
//    initial list, a full view, and one watch event on top of the fleet.
// 3. The model's heap at that fleet size (the state holds what each pod costs).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'vitest';
import { initialState, reduce, toSessionView, type ModelState, type Observation, type PodJson } from '../src/model/index.ts';
import { parseRecording } from '../src/sources/recording.ts';

const root = join(import.meta.dirname, '..');
const recording = parseRecording(readFileSync(join(root, 'recordings', 'crashloop.jsonl'), 'utf8'), 'crashloop.jsonl');
const last = recording.at(-1)!.observedAt;
const fleetSize = Number(process.env['PODLIFE_BENCH_PODS']) || 5000;

const replayStepwise = (): ModelState => {
  let s = initialState({ source: 'replay' });
  for (const o of recording) s = reduce(s, [o]);
  return s;
};

/** The recording's last pod, N times, each parsed from text as a watch delivers it (no shared structure). */
function fleet(n: number): Observation[] {
  const lastPod = [...recording].reverse().find((o): o is Extract<Observation, { kind: 'pod' }> => o.kind === 'pod')!.object;
  const text = JSON.stringify(lastPod);
  return Array.from({ length: n }, (_, i) => {
    const parsed = JSON.parse(text) as PodJson;
    const pod: PodJson = {
      ...parsed,
      metadata: {
        ...parsed.metadata,
        name: `${lastPod.metadata.name}-${i}`,
        uid: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      },
    };
    return { kind: 'pod', verb: 'list', observedAt: last, object: pod };
  });
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

test(`the model on a real recording (${recording.length} observations of a crash loop)`, async ({ bench }) => {
  const final = replayStepwise();
  let tick = 0;
  const r = await bench.compare(
    bench('reduce, one observation at a time', () => void replayStepwise()),
    bench('reduce, all at once', () => void reduce(initialState({ source: 'replay' }), recording)),
    // A later `now` each time, as the UI's one-second tick asks (the same `now` is served from a cache).
    bench('toSessionView of the final state', () => void toSessionView(final, last + ++tick * 1000)),
  );
  const perObsMs = r.get('reduce, one observation at a time').latency.mean / recording.length;
  console.log(`reduce: ${fmt(1000 / perObsMs)} observations/s (${fmt(perObsMs * 1000, 1)} µs each)`);
});

test(`a fleet of ${fleetSize} pods`, async ({ bench }) => {
  const list = fleet(fleetSize);
  const state = reduce(initialState({ source: 'cluster' }), list);
  // One watch event on top of the fleet: the first pod, modified a second later.
  const first = list[0] as Extract<Observation, { kind: 'pod' }>;
  const modified: Observation = {
    kind: 'pod',
    verb: 'modified',
    observedAt: last + 1000,
    object: {
      ...first.object,
      metadata: { ...first.object.metadata, resourceVersion: `${first.object.metadata.resourceVersion ?? '0'}1` },
    },
  };
  const few = { time: 1000, iterations: 5, warmupIterations: 1 };
  let tick = 0;
  await bench.compare(
    bench(`initial list of ${fleetSize} pods reduced`, () => void reduce(initialState({ source: 'cluster' }), list)),
    bench(`full view of ${fleetSize} pods, a second later each time`, () => void toSessionView(state, last + ++tick * 1000)),
    bench(`one pod modified in a fleet of ${fleetSize}`, () => void reduce(state, [modified])),
    few,
  );
});

test(`model heap at ${fleetSize} pods`, () => {
  // gc() without starting node with --expose-gc, so that the number means the same in every run.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  // The observations are the source's, not the model's: built and dropped inside the call, so that
  // only what the state keeps is counted.
  const state = ((): ModelState => reduce(initialState({ source: 'cluster' }), fleet(fleetSize)))();
  gc();
  const heapMb = (process.memoryUsage().heapUsed - before) / 1048576;
  console.log(
    `model heap at ${fleetSize} pods: ${fmt(heapMb, 1)} MB (${fmt((heapMb * 1024) / fleetSize, 1)} KB a pod); ` +
      `process RSS ${fmt(process.memoryUsage().rss / 1048576)} MB; ${state.pods.size} pods in the state`,
  );
});
