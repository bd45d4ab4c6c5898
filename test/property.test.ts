// Property: whatever the API server, a file or a foreign tool hands over, the model and every view
// (the JSON and text printers, streaming and --once, and the TUI layout) draw a picture: nothing
// throws; no NaN, undefined, Invalid Date or [object Object] reaches the output; JSON numbers stay
// numbers. Inputs are real recordings and fixtures with fields dropped, nulled, mistyped, given
// unknown values, huge strings and numbers, malformed and future timestamps, duplicate and ghost
// containers (test/helpers/mutate.ts). PODLIFE_PROPERTY_SEED / PODLIFE_PROPERTY_RUNS vary the search.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { test } from 'vitest';
import { toSessionView, type Observation, type SessionView } from '../src/model/index.ts';
import { startPrinter } from '../src/output/printer.ts';
import { parseObjectsFile } from '../src/sources/file.ts';
import { createStore } from '../src/store/store.ts';
import { initialUi, layout, lineText } from '../src/ui/layout.ts';
import { publicFixtures, recording, recordingNames } from './helpers/fixtures.ts';
import { mutate, mutation, type Mutation } from './helpers/mutate.ts';

const seed = Number(process.env['PODLIFE_PROPERTY_SEED'] ?? 20261201);
const scale = Number(process.env['PODLIFE_PROPERTY_RUNS'] ?? 1);

interface Base {
  readonly name: string;
  readonly source: 'replay' | 'file';
  readonly observations: readonly Observation[];
}

const bases: Base[] = [
  ...recordingNames().map((name): Base => ({ name, source: 'replay', observations: recording(name) })),
  ...publicFixtures().map((f): Base => ({ name: f.name, source: 'file', observations: parseObjectsFile(f.text, f.name).observations })),
];

/** Pod and Event observations of all bases: the objects single-object cases start from. */
const objects = bases.flatMap((b) =>
  b.observations.filter((o) => o.kind === 'pod' || o.kind === 'event').map((o) => ({ base: b, observation: o })),
);

const FORBIDDEN = /NaN|undefined|Invalid Date|\[object Object\]|Infinity/;
/** Numeric fields of the JSON lines: a number, or null for unknown; never a string. */
const NUMERIC = new Set([
  'seq',
  'life',
  'restarts',
  'restartCount',
  'exitCode',
  'signalNumber',
  'attempt',
  'count',
  'delaySeconds',
  'durationSeconds',
  'gracePeriodSeconds',
]);

function checkJson(v: unknown, key: string, where: string): void {
  if (typeof v === 'number') assert.ok(Number.isFinite(v), `${where}: ${key} = ${v}`);
  // A container's "restarts" is its list of ended instances; the pod's is a count.
  if (NUMERIC.has(key) && !(key === 'restarts' && Array.isArray(v)))
    assert.ok(v === null || typeof v === 'number', `${where}: "${key}" is ${JSON.stringify(v)}, not a number`);
  if (Array.isArray(v)) v.forEach((x) => checkJson(x, '', where));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) checkJson(x, k, where);
}

/** Every number in the view-model is finite, and every time one a clock can show. */
const TIME_KEY = /(At|^at|^from|^to|^now|^deadline|Time|Since|^since)$/;
function checkView(v: unknown, path: string): void {
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (typeof v === 'number') assert.ok(Number.isFinite(v) && (!TIME_KEY.test(key) || Math.abs(v) <= 8.64e15), `view ${path} = ${v}`);
  else if (Array.isArray(v)) v.forEach((x, i) => checkView(x, `${path}[${i}]`));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) checkView(x, `${path}.${k}`);
}

function collect(): { out: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  return { out: { write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream, text: () => chunks.join('') };
}

/** Runs the model and every printer on the observations; returns what they wrote. */
function exercise(observations: readonly Observation[], source: 'replay' | 'file'): void {
  const store = createStore({ source, notifyIntervalMs: 0 });
  let now = observations[0]?.observedAt ?? 0;
  const sinks = { text: collect(), json: collect() };
  const opts = (format: 'text' | 'json', once: boolean, out: NodeJS.WritableStream) => ({
    format,
    out,
    once,
    width: 100,
    color: false,
    now: () => now,
  });
  const printers = [startPrinter(store, opts('text', false, sinks.text.out)), startPrinter(store, opts('json', false, sinks.json.out))];
  for (const o of observations) {
    now = Math.max(now, o.observedAt);
    store.dispatch([o]);
  }
  for (const p of printers) p.stop();
  const once = { text: collect(), json: collect() };
  startPrinter(store, opts('text', true, once.text.out));
  startPrinter(store, opts('json', true, once.json.out));

  const view: SessionView = toSessionView(store.getState(), now);
  checkView(view, 'view');
  const screens: string[] = [];
  view.pods.slice(0, 3).forEach((pod, podIndex) => {
    for (const size of [
      { width: 40, height: 12 },
      { width: 120, height: 50 },
    ])
      for (const selected of [0, Math.max(0, pod.containers.length - 1)]) {
        const lines = layout(view, { ...initialUi, podIndex, selected, expanded: true }, size, 'pod/x').map(lineText);
        assert.ok(lines.length <= size.height, `layout: ${lines.length} lines at height ${size.height}`);
        for (const l of lines)
          assert.ok(l.length <= size.width, `layout line wider than ${size.width}: ${JSON.stringify(l.slice(0, 200))}`);
        screens.push(lines.join('\n'));
      }
  });

  for (const [what, text] of [
    ['text', sinks.text.text()],
    ['text --once', once.text.text()],
    ['json', sinks.json.text()],
    ['json --once', once.json.text()],
    ['layout', screens.join('\n')],
  ] as const) {
    const bad = FORBIDDEN.exec(text);
    assert.ok(!bad, `${what} output holds "${bad?.[0]}": …${text.slice(Math.max(0, (bad?.index ?? 0) - 120), (bad?.index ?? 0) + 40)}…`);
  }
  for (const [what, text] of [
    ['json', sinks.json.text()],
    ['json --once', once.json.text()],
  ] as const)
    for (const line of text.split('\n').filter(Boolean)) checkJson(JSON.parse(line), '', what);
}

function mutated(o: Observation, ms: readonly Mutation[]): Observation {
  if (o.kind !== 'pod' && o.kind !== 'event') return o;
  return { ...o, object: mutate(o.object, ms) } as Observation;
}

test('one object, mutated, as a file gives it: the model and every printer draw it', () => {
  // Now and then not an object at all.
  const notAnObject = fc.option(fc.constantFrom<unknown>(null, 5, 'pod', [], [{}], { metadata: null }), { freq: 20 });
  fc.assert(
    fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), notAnObject, (pick, ms, garbage) => {
      const { base, observation } = objects[pick % objects.length]!;
      const o = garbage === null ? mutated(observation, ms) : ({ ...observation, object: garbage } as Observation);
      exercise([o], base.source === 'file' ? 'file' : 'replay');
    }),
    { seed, numRuns: 2500 * scale },
  );
});

test('a stretch of a recording, some objects mutated: every change is drawn', () => {
  const window = fc.record({ base: fc.nat(), start: fc.nat(), length: fc.integer({ min: 2, max: 12 }) });
  const hits = fc.array(fc.record({ index: fc.nat(), ms: fc.array(mutation, { minLength: 1, maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 4,
  });
  fc.assert(
    fc.property(window, hits, (w, hs) => {
      const base = bases[w.base % bases.length]!;
      const all = base.observations;
      const start = w.start % all.length;
      const stretch = [...all.slice(start, start + w.length)];
      const byIndex = new Map<number, Mutation[]>();
      for (const h of hs) byIndex.set(h.index % stretch.length, [...(byIndex.get(h.index % stretch.length) ?? []), ...h.ms]);
      for (const [i, ms] of byIndex) stretch[i] = mutated(stretch[i]!, ms);
      exercise(stretch, base.source);
    }),
    { seed, numRuns: 700 * scale },
  );
});
