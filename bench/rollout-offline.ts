// The rollout screen at scale without a cluster: what bench/scale-rollout.ts measures in its own
// process (the store, the group view, the real RolloutApp in Ink on a fake 120x40 terminal), on N
// pending pods cloned from a real one (recordings/unschedulable.jsonl: an unschedulable pod as the
// apiserver sent it, managedFields and all), each parsed from text as a watch delivers it. Prints
// numbers; asserts nothing.
//
//   node_modules/.bin/node --max-semi-space-size=8 --import tsx bench/rollout-offline.ts [--pods 5000] [--heap FILE] [--cpu-prof-frames]
//
// 1. heap: what the store's state keeps, what the group view adds, what Ink's screen adds (after a
//    full collection each time), and the process RSS;
// 2. frames: from a key (the selection moves) and from a change (one pod on screen modified,
//    dispatched, the changes spaced beyond the screen's pacing) to Ink's write of the new frame: the
//    wall time, the process's CPU and the main thread's, p50 / p95 / max ms;
// 3. idle: the CPU of the screen's one-second clock over --idle seconds (nothing changes), after a
//    full collection and --settle seconds (10); on Linux split into the main thread and V8's helpers.
// --heap FILE writes a heap snapshot once the screen is up; --cpu-prof-frames FILE a CPU profile of
// the key and change frames.

import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { changeFrames, keyFrames, mountRolloutScreen } from './fake-tty.ts';
import { frameText as fmt, threadCpuMs } from './stats.ts';
import './ink-as-built.ts';

process.env['NODE_ENV'] = 'production';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const n = Number(arg('--pods', '5000'));
const idleSeconds = Number(arg('--idle', '5'));
const heapFile = process.argv.includes('--heap') ? arg('--heap', 'rollout.heapsnapshot') : undefined;
const profFile = process.argv.includes('--cpu-prof-frames') ? arg('--cpu-prof-frames', 'frames.cpuprofile') : undefined;
const root = join(import.meta.dirname, '..');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
};
const rssMb = (): number => process.memoryUsage().rss / 1048576;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const [model, { createStore }] = await Promise.all([import('../src/model/index.ts'), import('../src/store/store.ts')]);

// The pod as the apiserver listed it, without the recording's own namespace and label.
const lines = readFileSync(join(root, 'recordings', 'unschedulable.jsonl'), 'utf8')
  .trim()
  .split('\n');
const recorded = lines.map((l) => JSON.parse(l) as { kind: string; object?: { metadata: Record<string, unknown> } });
const lastPod = recorded.filter((o) => o.kind === 'pod').at(-1)!.object!;
// The scheduler's FailedScheduling Event about it: every pending pod gets one.
const lastEvent = recorded.filter((o) => o.kind === 'event').at(-1)!.object!;
const eventText = JSON.stringify(lastEvent);
const ns = 'bench-scale';
const text = JSON.stringify(lastPod);
const created = Date.now() - 60_000;
type PodJson = { metadata: Record<string, unknown> & { uid: string; resourceVersion: string }; status: Record<string, unknown> };
function pods(count = n): PodJson[] {
  return Array.from({ length: count }, (_, i) => {
    const p = JSON.parse(text) as PodJson;
    p.metadata = {
      ...p.metadata,
      name: `scale-${i}`,
      namespace: ns,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(10_000 + i),
      creationTimestamp: new Date(created + i).toISOString().replace(/\.\d+Z$/, 'Z'),
      labels: { app: 'scale' },
    };
    return p;
  });
}

function events(count = n): unknown[] {
  return Array.from({ length: count }, (_, i) => {
    const e = JSON.parse(eventText) as { metadata: Record<string, unknown>; involvedObject: Record<string, unknown> };
    e.metadata = {
      ...e.metadata,
      name: `scale-${i}.18eb3365c5a345f6`,
      namespace: ns,
      uid: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    };
    e.involvedObject = {
      ...e.involvedObject,
      name: `scale-${i}`,
      namespace: ns,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    };
    return e;
  });
}

const heap0 = heapMb();
const rss0 = rssMb();
const store = createStore({ source: 'cluster' });
const select = model.groupSelector({ kind: 'pods', label: '-l app=scale', namespace: ns }, { failRestarts: 2 });
const { stdout, stdin, app } = await mountRolloutScreen(store, select, `-l app=scale -n ${ns}`);

// 1. The pods arrive as a watch delivers them while they are created at --rate a second: ADDED (no
//    conditions yet), MODIFIED a second later (the scheduler's PodScheduled=False), and the
//    scheduler's FailedScheduling Event; one observation per watch event, each parsed from its text.
const rate = Number(arg('--rate', '270'));
// The texts are made when sent, from one template each (as a watch reads a new line each time):
// the benchmark keeps no copy of the pods.
const podTemplate = JSON.stringify(pods(1)[0]).replaceAll('scale-0', 'scale-@').replaceAll('000000000000', '@@@@@@@@@@@@');
const eventTemplate = JSON.stringify(events(1)[0]).replaceAll('scale-0', 'scale-@').replaceAll('000000000000', '@@@@@@@@@@@@');
const fill = (template: string, i: number): string =>
  template.replaceAll('scale-@', `scale-${i}`).replaceAll('@@@@@@@@@@@@', String(i).padStart(12, '0'));
const podText = { at: (i: number): string => fill(podTemplate, i) };
const eventTexts = { at: (i: number): string => fill(eventTemplate, i) };
let rv = 100_000;
const watch = (verb: 'added' | 'modified', text: string, edit?: (p: PodJson) => void): void => {
  const p = JSON.parse(text) as PodJson;
  p.metadata.resourceVersion = String(++rv);
  edit?.(p);
  store.dispatch([{ kind: 'pod', verb, observedAt: Date.now(), object: p as never }]);
};
const cpuIngest0 = cpuMs();
const tIngest = Date.now();
store.dispatch([
  { kind: 'relist-start', resource: 'pods', observedAt: tIngest },
  { kind: 'relist-done', resource: 'pods', observedAt: tIngest },
  { kind: 'connection', state: 'live', observedAt: tIngest, message: undefined },
]);
let peakRss = 0;
for (let sent = 0, scheduled = 0; scheduled < n;) {
  await sleep(20);
  const due = Math.min(n, Math.floor(((Date.now() - tIngest) / 1000) * rate));
  for (; sent < due; sent++)
    watch('added', podText.at(sent), (p) => {
      p.status = { phase: 'Pending', qosClass: 'BestEffort' };
    });
  const schedDue = Math.min(sent, Math.floor(((Date.now() - tIngest - 1000) / 1000) * rate));
  for (; scheduled < schedDue; scheduled++) {
    watch('modified', podText.at(scheduled));
    store.dispatch([{ kind: 'event', verb: 'added', observedAt: Date.now(), object: JSON.parse(eventTexts.at(scheduled)) as never }]);
  }
  peakRss = Math.max(peakRss, rssMb());
}
await sleep(3000);
const ingestCpu = cpuMs() - cpuIngest0;
const rssList = rssMb();

// 2. Churn: --events status writes (a condition whose message changes) at about 130 a second.
const churnEvents = Number(arg('--events', '1000'));
const cpuChurn0 = cpuMs();
const tChurn = Date.now();
for (let i = 0; i < churnEvents;) {
  await sleep(20);
  const due = Math.min(churnEvents, Math.floor(((Date.now() - tChurn) / 1000) * 130));
  for (; i < due; i++)
    watch('modified', podText.at(i % n), (p) => {
      (p.status['conditions'] as unknown[]).push({
        type: 'podlife.bench/Tick',
        status: 'True',
        reason: 'Tick',
        message: `tick ${i}`,
        lastTransitionTime: new Date().toISOString(),
      });
    });
  peakRss = Math.max(peakRss, rssMb());
}
await sleep(3000);
const churnCpu = cpuMs() - cpuChurn0;
const churnWall = Date.now() - tChurn;
const rssChurn = rssMb();

// 3. Idle, after a full collection and --settle seconds (V8's memory reducer runs a few full
// collections once allocation stops: the churn's cost, not the idle screen's).
gc();
await sleep(Number(arg('--settle', '10')) * 1000);
const idleProf = process.argv.includes('--cpu-prof-idle') ? new Session() : undefined;
if (idleProf) {
  idleProf.connect();
  await idleProf.post('Profiler.enable');
  await idleProf.post('Profiler.setSamplingInterval', { interval: 1000 });
  await idleProf.post('Profiler.start');
}
let idleGcMs = 0;
let idleGcs = 0;
const gcWatch = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) [idleGcMs, idleGcs] = [idleGcMs + e.duration, idleGcs + 1];
});
gcWatch.observe({ entryTypes: ['gc'] });
const threads0 = threadCpuMs('self');
const i0 = cpuMs();
const w0 = stdout.writes;
await sleep(idleSeconds * 1000);
const idle = (cpuMs() - i0) / (idleSeconds * 1000);
gcWatch.disconnect();
const threads1 = threadCpuMs('self');
const idleWrites = stdout.writes - w0;
if (idleProf) {
  const { profile } = await idleProf.post('Profiler.stop');
  writeFileSync(arg('--cpu-prof-idle', 'idle.cpuprofile'), JSON.stringify(profile));
  idleProf.disconnect();
}
const heapLive = heapMb();
if (heapFile) console.log(`heap snapshot: ${writeHeapSnapshot(heapFile)}`);
const t0 = performance.now();
model.groupView(store.getState(), { kind: 'pods', label: '-l app=scale', namespace: ns }, { failRestarts: 2 });
const viewMs = performance.now() - t0;

const inspector = profFile ? new Session() : undefined;
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
  await inspector.post('Profiler.start');
}
const keys = await keyFrames(stdout, stdin);
const onScreen = new Set(
  model
    .podsOf(select(store.getState()))
    .slice(0, 10)
    .map((p) => p.uid),
);
const changes = await changeFrames(
  store,
  stdout,
  pods().filter((p) => onScreen.has(p.metadata.uid)),
);
if (inspector) {
  const { profile } = await inspector.post('Profiler.stop');
  writeFileSync(profFile!, JSON.stringify(profile));
  console.log(`CPU profile of the key and change frames: ${profFile}`);
}
app.unmount();
app.cleanup();

console.log(`${n} pending pods (${process.version}), the rollout screen 120x40 in this process:`);
console.log(
  `  RSS: ${rss0.toFixed(0)} MB before; ${rssList.toFixed(0)} after the list, ${rssChurn.toFixed(0)} after ${churnEvents} updates, peak ${peakRss.toFixed(0)}`,
);
console.log(
  `  live heap ${heapLive.toFixed(1)} MB (${(heapLive - heap0).toFixed(1)} more than before the pods); the group view built in ${viewMs.toFixed(0)} ms`,
);
console.log(
  `  CPU: the list ${ingestCpu.toFixed(0)} ms (${(((ingestCpu - 3000 * idle) / (3 * n)) * 1000).toFixed(0)} ms per 1000 watch events); the updates ${(((churnCpu - churnWall * idle) / churnEvents) * 1000).toFixed(0)} ms per 1000`,
);
console.log(
  `  idle: ${(idle * 100).toFixed(2)} % of a core over ${idleSeconds} s, ${idleWrites} writes; of it ${idleGcs} collections, ${((idleGcMs / (idleSeconds * 1000)) * 100).toFixed(2)} %` +
    (threads0 && threads1
      ? `; main thread ${(((threads1.main - threads0.main) / (idleSeconds * 1000)) * 100).toFixed(2)} %, V8 helpers ${(((threads1.v8 - threads0.v8) / (idleSeconds * 1000)) * 100).toFixed(2)} %`
      : ''),
);
console.log(`  frame after a key, wall:              ${fmt(keys.wall)}`);
console.log(`    CPU of the process:                ${fmt(keys.all)}`);
console.log(`    CPU of the main thread:            ${fmt(keys.main)}`);
console.log(`  frame after a change on screen, wall: ${fmt(changes.wall)}`);
console.log(`    CPU of the process:                ${fmt(changes.all)}`);
console.log(`    CPU of the main thread:            ${fmt(changes.main)}`);
