// Property: whatever workloads, owner-side events and pods the API server or a file hands over,
// the group views draw a picture: the rollout screen, the group printers (progress lines, owner
// events, workload lines, --once), and every --until decision; nothing throws, no NaN, undefined,
// Invalid Date or [object Object] reaches the output, JSON numbers stay numbers. Inputs are the
// rollout fixtures' polls (test/fixtures/rollout) with objects mutated (test/helpers/mutate.ts).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { test } from 'vitest';
import { decideGroup, groupSelector, topWorkloads, UNTIL_TARGETS, type GroupTarget, type Observation } from '../src/model/index.ts';
import { startPrinter } from '../src/output/printer.ts';
import { createStore } from '../src/store/store.ts';
import { lineText } from '../src/ui/layout.ts';
import { initialRolloutUi, rolloutLayout } from '../src/ui/rollout-layout.ts';
import { mutate, mutation, type Mutation } from './helpers/mutate.ts';
import { loadRolloutFixture, observationsAt, rolloutFixtureNames } from './helpers/rollout-fixtures.ts';

const seed = Number(process.env['PODLIFE_PROPERTY_SEED'] ?? 20261201);
const scale = Number(process.env['PODLIFE_PROPERTY_RUNS'] ?? 1);

const streams = rolloutFixtureNames().map((name) => {
  const fx = loadRolloutFixture(name);
  return { name, observations: fx.snapshots.flatMap((s) => observationsAt(s)) };
});

const FORBIDDEN = /NaN|undefined|Invalid Date|\[object Object\]|Infinity/;

function checkJson(v: unknown, where: string): void {
  if (typeof v === 'number') assert.ok(Number.isFinite(v), `${where}: ${v}`);
  if (Array.isArray(v)) v.forEach((x) => checkJson(x, where));
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) checkJson(x, where);
}

function collect(): { out: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  return { out: { write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream, text: () => chunks.join('') };
}

function mutated(o: Observation, ms: readonly Mutation[]): Observation {
  if (o.kind !== 'pod' && o.kind !== 'event' && o.kind !== 'workload') return o;
  return { ...o, object: mutate(o.object, ms) } as Observation;
}

function exercise(observations: readonly Observation[]): void {
  const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
  for (const o of observations) store.dispatch([o]);
  const state = store.getState();
  const now = state.lastObservedAt ?? 0;
  const ns = [...state.workloads.values()][0]?.snapshot.namespace ?? 'default';
  const targets: GroupTarget[] = [...topWorkloads(state), { kind: 'pods', label: '-l x', namespace: ns }];
  const outputs: string[] = [];
  for (const target of targets) {
    const group = groupSelector(target, { failRestarts: 2 });
    const view = group(state);
    for (const until of UNTIL_TARGETS) {
      const d = decideGroup(view, until, now, now - 1);
      assert.ok(['reached', 'failed', 'timed-out', 'waiting'].includes(d.outcome));
      outputs.push(d.reason, ...d.evidence);
    }
    for (const size of [
      { width: 40, height: 12 },
      { width: 120, height: 50 },
    ]) {
      const f = rolloutLayout(
        { view, connection: state.connection, notes: state.notes, label: 'x', targets: 1 },
        initialRolloutUi,
        size,
        now + 5_000,
      );
      const lines = f.lines.map(lineText);
      assert.ok(lines.length <= size.height);
      for (const l of lines) assert.ok([...l].length <= size.width, `wider than ${size.width}: ${l}`);
      outputs.push(lines.join('\n'));
    }
    for (const format of ['text', 'json'] as const) {
      const once = collect();
      startPrinter(store, { format, out: once.out, once: true, width: 100, color: false, now: () => now, group });
      outputs.push(once.text());
      if (format === 'json') for (const l of once.text().split('\n').filter(Boolean)) checkJson(JSON.parse(l), 'json --once');
    }
  }
  // Streaming, observation by observation.
  const live = createStore({ source: 'replay', notifyIntervalMs: 0 });
  const sinks = { text: collect(), json: collect() };
  let at = observations[0]?.observedAt ?? 0;
  const group = groupSelector(targets[0]!, { failRestarts: 2 });
  const printers = (['text', 'json'] as const).map((format) =>
    startPrinter(live, { format, out: sinks[format].out, once: false, width: 100, color: false, now: () => at, group }),
  );
  for (const o of observations) {
    at = Math.max(at, o.observedAt);
    live.dispatch([o]);
  }
  for (const p of printers) p.stop();
  for (const l of sinks.json.text().split('\n').filter(Boolean)) checkJson(JSON.parse(l), 'json');
  outputs.push(sinks.text.text(), sinks.json.text());
  const all = outputs.join('\n');
  const bad = FORBIDDEN.exec(all);
  assert.ok(!bad, `output holds "${bad?.[0]}": …${all.slice(Math.max(0, (bad?.index ?? 0) - 120), (bad?.index ?? 0) + 40)}…`);
}

test('a rollout fixture, some of its objects mutated: every group view draws it', () => {
  const hits = fc.array(fc.record({ index: fc.nat(), ms: fc.array(mutation, { minLength: 1, maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 6,
  });
  fc.assert(
    fc.property(fc.nat(), fc.nat(), hits, (which, from, hs) => {
      const base = streams[which % streams.length]!;
      // A stretch from somewhere to the end (the owner may be missing, or listed late).
      const stretch = [...base.observations.slice(from % Math.max(1, base.observations.length - 5))];
      const mutable = stretch.flatMap((o, i) => (o.kind === 'workload' || o.kind === 'event' || o.kind === 'pod' ? [i] : []));
      // Each object mutated once, with every mutation that hit it (as test/property.test.ts does).
      const byIndex = new Map<number, Mutation[]>();
      for (const h of hs) {
        const i = mutable[h.index % mutable.length];
        if (i !== undefined) byIndex.set(i, [...(byIndex.get(i) ?? []), ...h.ms]);
      }
      for (const [i, ms] of byIndex) stretch[i] = mutated(stretch[i]!, ms);
      exercise(stretch);
    }),
    { seed, numRuns: 60 * scale },
  );
});
