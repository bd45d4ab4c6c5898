// Recordings: reading them (every recording of the project, and the ways a file can be wrong),
// writing them with --record (a round trip gives back the same observations; a path that cannot be
// written is one line), and replaying them at their own pace, faster, with long gaps shortened,
// stopped by an abort. Replay time is driven by fake timers, never slept on.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, test, vi } from 'vitest';
import { UserError } from '../../src/kube/errors.ts';
import type { Observation } from '../../src/model/index.ts';
import { openRecorder, parseRecording, replay } from '../../src/sources/recording.ts';
import { recording, recordingNames, recordingsDir } from '../helpers/fixtures.ts';

describe('reading', () => {
  test.each(recordingNames())('%s: every line after the header is an observation, in time order', (name) => {
    const text = readFileSync(join(recordingsDir, `${name}.jsonl`), 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    assert.equal((JSON.parse(lines[0]!) as { kind: string }).kind, 'recording');
    const obs = parseRecording(text, name);
    assert.equal(obs.length, lines.length - 1);
    const times = obs.map((o) => o.observedAt);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.ok(obs.some((o) => o.kind === 'pod'));
  });

  test('the header is skipped; the observations come back as written', () => {
    const rec = '{"kind":"recording","version":1}\n{"kind":"note","observedAt":5,"level":"info","text":"hi"}\n';
    assert.deepEqual(parseRecording(rec, 'r.jsonl'), [{ kind: 'note', observedAt: 5, level: 'info', text: 'hi' }]);
  });

  test.each([
    [
      'a line that is not JSON',
      '{"kind":"recording","version":1}\n{"kind":"note","observedAt":5,"level":"info","text":"hi"}\nnope\n',
      /^r\.jsonl:3: malformed recording line \(not JSON\)$/,
    ],
    ['no kind', '{"observedAt":5}\n', /^r\.jsonl:1: not an observation/],
    ['an unknown kind', '{"kind":"deployment","observedAt":5}\n', /^r\.jsonl:1: not an observation/],
    ['observedAt as a string', '{"kind":"pod","observedAt":"2024-01-01T00:00:00Z"}\n', /^r\.jsonl:1: not an observation/],
    ['a JSON value that is not an object', '\n\n42\n', /^r\.jsonl:3: not an observation/],
    ['an empty file', '', /^r\.jsonl holds no observations$/],
    ['a header only', '{"kind":"recording","version":1}\n', /^r\.jsonl holds no observations$/],
  ])('%s: one line naming the place, and a hint', (_, text, re) => {
    assert.throws(
      () => parseRecording(text, 'r.jsonl'),
      (e: unknown) => e instanceof UserError && re.test(e.message) && (e.hint ?? '').length > 0,
    );
  });
});

describe('writing (--record)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlife-rec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(['crashloop', 'jobs'])('%s: written and read back, the same observations after a header', async (name) => {
    const obs = recording(name);
    const path = join(dir, `${name}.jsonl`);
    const r = openRecorder(path, { context: 'ctx', namespace: 'ns', target: { kind: 'pod', name } });
    for (let i = 0; i < obs.length; i += 5) r.write(obs.slice(i, i + 5));
    await r.close();
    const text = readFileSync(path, 'utf8');
    assert.deepEqual(JSON.parse(text.split('\n')[0]!), {
      kind: 'recording',
      version: 1,
      context: 'ctx',
      namespace: 'ns',
      target: { kind: 'pod', name },
    });
    assert.deepEqual(parseRecording(text, path), obs);
  });

  test('a path that cannot be opened: one line at once, before anything is watched', () => {
    const path = join(dir, 'no-such-dir', 'r.jsonl');
    assert.throws(
      () => openRecorder(path, {}),
      (e: unknown) => e instanceof UserError && e.message === `cannot write ${path}: ENOENT` && /--record/.test(e.hint ?? ''),
    );
  });

  test.skipIf(!existsSync('/dev/full'))('a write that fails later (a full disk): close() says so in one line', async () => {
    const r = openRecorder('/dev/full', {});
    r.write(recording('oom'));
    await assert.rejects(r.close(), (e: unknown) => e instanceof UserError && e.message === 'cannot write /dev/full: ENOSPC');
  });
});

describe('replay', () => {
  afterEach(() => void vi.useRealTimers());

  /** Replays with fake timers to the end; returns each batch with the fake real time it came at. */
  async function play(obs: readonly Observation[], speed: number, maxGapMs: number, abortAfter?: number) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const abort = new AbortController();
    const t0 = performance.now();
    const batches: { realMs: number; clock: number | undefined; batch: readonly Observation[] }[] = [];
    // The first batch is due at once: it is emitted before replay() returns (no clock yet).
    let player: ReturnType<typeof replay> | undefined = undefined;
    player = replay(
      obs,
      (batch) => {
        batches.push({ realMs: performance.now() - t0, clock: player?.clock(), batch });
        if (batches.length === abortAfter) abort.abort();
      },
      { speed, maxGapMs, signal: abort.signal },
    );
    await vi.runAllTimersAsync();
    await player.done;
    return { batches, player };
  }

  test.each(['crashloop', 'jobs', 'grace'])('%s: every observation once, in order, grouped by observedAt', async (name) => {
    const obs = recording(name);
    const { batches } = await play(obs, 1, 1e12);
    assert.deepEqual(
      batches.flatMap((b) => b.batch),
      obs,
    );
    for (const b of batches) assert.equal(new Set(b.batch.map((o) => o.observedAt)).size, 1);
    for (let i = 1; i < batches.length; i++) assert.ok(batches[i]!.batch[0]!.observedAt > batches[i - 1]!.batch[0]!.observedAt);
  });

  test.each([1, 4, 50])('at speed %d, the recorded spacing divided by the speed; the clock is the recorded time', async (speed) => {
    const obs = recording('crashloop');
    const { batches } = await play(obs, speed, 1e12);
    assert.ok(batches.filter((b) => b.clock !== undefined).length > 10);
    // Timers fire on whole milliseconds: each gap is right to within one.
    for (let i = 1; i < batches.length; i++) {
      const real = batches[i]!.realMs - batches[i - 1]!.realMs;
      const recorded = batches[i]!.batch[0]!.observedAt - batches[i - 1]!.batch[0]!.observedAt;
      assert.ok(Math.abs(real - recorded / speed) <= 1, `${recorded} ms recorded took ${real} ms`);
    }
    for (const b of batches) {
      const t = b.batch[0]!.observedAt;
      if (b.clock !== undefined) assert.ok(b.clock >= t && b.clock - t <= speed, `clock() ${b.clock - t} ms after what was just played`);
    }
  });

  test('quiet stretches longer than maxGapMs are shortened to it', async () => {
    const obs = recording('liveness');
    const maxGapMs = 1_000;
    const { batches } = await play(obs, 1, maxGapMs);
    const gaps = batches
      .slice(1)
      .map((b, i) => ({ real: b.realMs - batches[i]!.realMs, recorded: b.batch[0]!.observedAt - batches[i]!.batch[0]!.observedAt }));
    assert.ok(
      gaps.some((g) => g.recorded > maxGapMs),
      'the recording has long gaps',
    );
    for (const g of gaps) assert.ok(g.real <= Math.min(g.recorded, maxGapMs) + 1, JSON.stringify(g));
    const total = batches.at(-1)!.realMs;
    assert.ok(total < obs.at(-1)!.observedAt - obs[0]!.observedAt, `${total} ms in all`);
  });

  test('an abort stops the replay: nothing more is emitted, done settles', async () => {
    const obs = recording('crashloop');
    const { batches } = await play(obs, 1, 1e12, 3);
    assert.equal(batches.length, 3);
  });

  test('the clock moves on at the replay speed, also after the last observation', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const obs = recording('oom');
    const player = replay(obs, () => undefined, { speed: 10, maxGapMs: 1e12, signal: new AbortController().signal });
    assert.equal(player.clock(), obs[0]!.observedAt);
    await vi.runAllTimersAsync();
    await player.done;
    const end = player.clock();
    assert.ok(end >= obs.at(-1)!.observedAt);
    await vi.advanceTimersByTimeAsync(100);
    assert.equal(player.clock(), end + 1_000);
  });
});
