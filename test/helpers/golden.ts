// Golden outputs: the JSON lines and text lines that every recording and every public fixture
// produces, computed in-process and deterministically (observations fed one at a time, the clock is
// the observation's own time, clock times printed in UTC whatever the machine's zone). test/golden/ holds them as written by the code at a known-good
// commit; test/golden.test.ts fails on any difference. Regenerate on purpose only, with
// `npm run golden:update`, and read the diff: it is a change of behaviour.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UTC_CLOCK } from '../../src/output/clock.ts';
import { startPrinter } from '../../src/output/printer.ts';
import { parseObjectsFile } from '../../src/sources/file.ts';
import { createStore } from '../../src/store/store.ts';
import {
  DEFAULT_FAIL_RESTARTS,
  groupSelector,
  type GroupTarget,
  type GroupView,
  type ModelState,
  type Observation,
} from '../../src/model/index.ts';
import { fixturesDir, publicFixtures, recording, recordingNames } from './fixtures.ts';

export const goldenDir = join(import.meta.dirname, '..', 'golden');

function collect(): { out: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const out = { write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream;
  return { out, text: () => chunks.join('') };
}

function stream(
  observations: readonly Observation[],
  source: 'replay' | 'file',
  format: 'json' | 'text',
  group?: (state: ModelState) => GroupView,
): string {
  const store = createStore({ source, notifyIntervalMs: 0 });
  let now = observations[0]?.observedAt ?? 0;
  const sink = collect();
  const printer = startPrinter(store, {
    format,
    out: sink.out,
    once: false,
    width: 120,
    color: false,
    now: () => now,
    clock: UTC_CLOCK,
    group,
  });
  for (const o of observations) {
    now = Math.max(now, o.observedAt);
    store.dispatch([o]);
  }
  printer.stop();
  const once = collect();
  startPrinter(store, { format, out: once.out, once: true, width: 120, color: false, now: () => now, clock: UTC_CLOCK, group });
  return `${sink.text()}\n--- once ---\n${once.text()}`;
}

/** Recordings of a workload (their header names it): also printed as the group session prints them. */
const GROUPS: readonly { readonly name: string; readonly target: GroupTarget }[] = [
  { name: 'rollout', target: { kind: 'workload', workloadKind: 'Deployment', namespace: 'rec-rollout-1796137066', name: 'shop' } },
  { name: 'jobs', target: { kind: 'pods', label: '-l podlife-scenario', namespace: 'rec-jobs-1795585659' } },
];

export interface GoldenCase {
  readonly name: string;
  readonly file: string;
  readonly compute: () => string;
}

export function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const name of recordingNames()) {
    for (const format of ['json', 'text'] as const) {
      cases.push({
        name: `recording ${name} (${format})`,
        file: `recording-${name}.${format === 'json' ? 'jsonl' : 'txt'}`,
        compute: () => stream(recording(name), 'replay', format),
      });
    }
  }
  for (const g of GROUPS) {
    for (const format of ['json', 'text'] as const) {
      cases.push({
        name: `recording ${g.name} as a group (${format})`,
        file: `group-${g.name}.${format === 'json' ? 'jsonl' : 'txt'}`,
        compute: () => stream(recording(g.name), 'replay', format, groupSelector(g.target, { failRestarts: DEFAULT_FAIL_RESTARTS })),
      });
    }
  }
  for (const f of publicFixtures()) {
    for (const format of ['json', 'text'] as const) {
      cases.push({
        name: `fixture ${f.name} (${format})`,
        file: `fixture-${f.name.replace(/\.[^.]+$/, '')}.${format === 'json' ? 'jsonl' : 'txt'}`,
        compute: () => {
          const parsed = parseObjectsFile(readFileSync(join(fixturesDir, 'public', f.name), 'utf8'), f.name);
          const store = createStore({ source: 'file', notifyIntervalMs: 0 });
          store.dispatch([{ kind: 'connection', observedAt: parsed.asOf, state: 'file', message: f.name }]);
          store.dispatch(parsed.observations);
          const sink = collect();
          startPrinter(store, { format, out: sink.out, once: true, width: 120, color: false, now: () => parsed.asOf, clock: UTC_CLOCK });
          return sink.text();
        },
      });
    }
  }
  return cases;
}
