// A demo is a recording played through the same views: what `kubectl podlife demo NAME` (and
// --replay) draws must be what the live session drew from the same observations. The live path
// feeds the store one observation at a time as the pod source does (store source "cluster"); the
// replay path runs the real player (src/sources/recording.ts) on the recording, batching equal
// times and skipping gaps (store source "replay"). At every moment an observation arrived, the
// session view, the terminal UI's lines and the printed picture must be equal.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { startPrinter } from '../../src/output/printer.ts';
import { toSessionView, type Observation } from '../../src/model/index.ts';
import { replay } from '../../src/sources/recording.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { initialUi, layout, lineText } from '../../src/ui/layout.ts';
import { DEMOS } from '../../src/demo/catalog.ts';
import { recording, recordingNames } from '../helpers/fixtures.ts';

interface Frame {
  readonly at: number;
  readonly view: unknown;
  readonly screen: string;
  readonly picture: string;
}

function frame(store: Store, at: number): Frame {
  const { source: _source, ...view } = toSessionView(store.getState(), at) as unknown as Record<string, unknown>;
  const session = toSessionView(store.getState(), at);
  const screen = layout(session, initialUi, { width: 100, height: 45 }, 'demo').map(lineText).join('\n');
  let picture = '';
  const out = { write: (s: string) => ((picture += s), true) } as unknown as NodeJS.WritableStream;
  startPrinter(store, { format: 'text', out, once: true, width: 100, color: false, now: () => at }).stop();
  return { at, view, screen, picture };
}

function live(observations: readonly Observation[]): Frame[] {
  const store = createStore({ source: 'cluster', notifyIntervalMs: 0 });
  const frames: Frame[] = [];
  observations.forEach((o, i) => {
    store.dispatch([o]);
    if (observations[i + 1]?.observedAt !== o.observedAt) frames.push(frame(store, o.observedAt));
  });
  return frames;
}

async function replayed(observations: readonly Observation[]): Promise<Frame[]> {
  const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
  const frames: Frame[] = [];
  const player = replay(
    observations,
    (batch) => {
      store.dispatch(batch);
      frames.push(frame(store, batch[0]!.observedAt));
    },
    { speed: 1e9, maxGapMs: 1, signal: new AbortController().signal },
  );
  await player.done;
  return frames;
}

describe.concurrent('demo and replay draw what the live session drew', () => {
  test('every demo has its recording (recordings/NAME.jsonl)', () => {
    const have = new Set(recordingNames());
    for (const d of DEMOS) assert.ok(have.has(d.name), `recordings/${d.name}.jsonl`);
  });

  // The demos the README names first; each recording holds hundreds of moments.
  test.each(['crashloop', 'oom', 'liveness', 'init', 'rollout'])('%s: views equal at every moment', async (name) => {
    const observations = recording(name);
    const a = live(observations);
    const b = await replayed(observations);
    assert.equal(b.length, a.length, 'one frame per distinct observation time');
    assert.ok(a.length > 5);
    for (let i = 0; i < a.length; i++) {
      assert.equal(b[i]!.at, a[i]!.at);
      assert.deepEqual(b[i]!.view, a[i]!.view, `view at frame ${i}`);
      assert.equal(b[i]!.screen, a[i]!.screen, `screen at frame ${i}`);
      assert.equal(b[i]!.picture, a[i]!.picture, `picture at frame ${i}`);
    }
    // And the frames are not all alike (the comparison would pass for an empty view too).
    assert.notEqual(a[0]!.screen, a.at(-1)!.screen);
  });
});
