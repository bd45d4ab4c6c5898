// Loading real captured objects for the model tests: recordings made against the real test
// cluster (recordings/, made by scripts/record-scenarios.sh) and objects from public
// sources (test/fixtures/public, each with its source in its header).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialState, reduce, toSessionView, type ModelState } from '../../src/model/index.ts';
import type { PodJson } from '../../src/model/kube-json.ts';
import type { Observation } from '../../src/model/observation.ts';
import { parseObjectsFile } from '../../src/sources/file.ts';
import { parseRecording } from '../../src/sources/recording.ts';

export const fixturesDir = join(import.meta.dirname, '..', 'fixtures');
export const recordingsDir = join(import.meta.dirname, '..', '..', 'recordings');

export function recording(name: string): Observation[] {
  return parseRecording(readFileSync(join(recordingsDir, `${name}.jsonl`), 'utf8'), `${name}.jsonl`);
}

export function recordingNames(): string[] {
  return readdirSync(recordingsDir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.replace(/\.jsonl$/, ''));
}

export function replayAll(observations: readonly Observation[], source: ModelState['source'] = 'replay'): ModelState {
  return reduce(initialState({ source }), observations);
}

/** Feed observations one at a time, as a live source would. */
export function replayStepwise(observations: readonly Observation[]): ModelState {
  let s = initialState({ source: 'replay' });
  for (const o of observations) s = reduce(s, [o]);
  return s;
}

export function lastTime(observations: readonly Observation[]): number {
  return observations.reduce((t, o) => Math.max(t, o.observedAt), 0);
}

export function finalView(name: string) {
  const obs = recording(name);
  return toSessionView(replayStepwise(obs), lastTime(obs));
}

/** Every pod object a recording carries, in order. */
export function podSnapshots(observations: readonly Observation[]): PodJson[] {
  return observations.flatMap((o) => (o.kind === 'pod' ? [o.object] : []));
}

export function publicFixtures(): { name: string; text: string }[] {
  const dir = join(fixturesDir, 'public');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  } catch {
    return [];
  }
  return files.map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

export function fileState(name: string, text: string) {
  const parsed = parseObjectsFile(text, name);
  const state = reduce(initialState({ source: 'file' }), parsed.observations);
  return { state, view: toSessionView(state, parsed.asOf), asOf: parsed.asOf };
}

/** A deep copy with changes: variations of a real object for table tests. */
export function vary<T>(obj: T, change: (draft: any) => void): T {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}
