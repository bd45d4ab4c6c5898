// Recordings: reading them (every recording of the project, and the ways a file can be wrong),
// writing them with --record (a round trip gives back the same observations, with --record-raw; by
// default without the secret-shaped fields the views never read, in a 0600 file; a path that cannot
// be written is one line), and replaying them at their own pace, faster, with long gaps shortened,
// stopped by an abort. Replay time is driven by fake timers, never slept on.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, test, vi } from 'vitest';
import { UserError } from '../../src/kube/errors.ts';
import type { Observation, PodJson } from '../../src/model/index.ts';
import { initialState, reduce, toSessionView } from '../../src/model/index.ts';
import { openRecorder, parseRecording, redactPod, replay } from '../../src/sources/recording.ts';
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
    const r = openRecorder(path, { context: 'ctx', namespace: 'ns', target: { kind: 'pod', name } }, { raw: true });
    for (let i = 0; i < obs.length; i += 5) r.write(obs.slice(i, i + 5));
    await r.close();
    const text = readFileSync(path, 'utf8');
    assert.deepEqual(JSON.parse(text.split('\n')[0]!), {
      kind: 'recording',
      version: 1,
      raw: true,
      context: 'ctx',
      namespace: 'ns',
      target: { kind: 'pod', name },
    });
    assert.deepEqual(parseRecording(text, path), obs);
    // Without --record-raw: the same observations, each pod without its secret-shaped fields.
    const redacted = join(dir, `${name}-redacted.jsonl`);
    const d = openRecorder(redacted, {});
    d.write(obs);
    await d.close();
    assert.deepEqual(
      parseRecording(readFileSync(redacted, 'utf8'), redacted),
      obs.map((o) => (o.kind === 'pod' ? { ...o, object: redactPod(o.object) } : o)),
    );
  });

  test('a path that cannot be opened: one line at once, before anything is watched', () => {
    const path = join(dir, 'no-such-dir', 'r.jsonl');
    assert.throws(
      () => openRecorder(path, {}),
      (e: unknown) =>
        e instanceof UserError &&
        e.message === `cannot write the recording ${path}: its directory does not exist` &&
        /--record/.test(e.hint ?? ''),
    );
  });

  test.skipIf(!existsSync('/dev/full'))('a write that fails later (a full disk): close() says so in one line', async () => {
    const r = openRecorder('/dev/full', {});
    r.write(recording('oom'));
    await assert.rejects(
      r.close(),
      (e: unknown) => e instanceof UserError && e.message === 'cannot write the recording /dev/full: no space left on the device',
    );
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

describe('private by default (--record)', () => {
  const SECRET = 'p4ssw0rd-value';

  function podWithSecrets(): PodJson {
    const pod = recording('crashloop').find((o): o is Extract<Observation, { kind: 'pod' }> => o.kind === 'pod')!
      .object as unknown as Record<string, any>;
    const c = pod['spec'].containers[0];
    return {
      ...pod,
      metadata: {
        ...pod['metadata'],
        annotations: {
          keep: 'me',
          'kubectl.kubernetes.io/last-applied-configuration': `{"env":[{"name":"DB_PASSWORD","value":"${SECRET}"}]}`,
        },
      },
      spec: {
        ...pod['spec'],
        containers: [
          {
            ...c,
            env: [
              { name: 'DB_PASSWORD', value: SECRET },
              { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            ],
            livenessProbe: {
              httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'Authorization', value: `Bearer ${SECRET}` }] },
              periodSeconds: 5,
            },
          },
        ],
      },
    } as unknown as PodJson;
  }

  test('redaction leaves out env values, last-applied-configuration and probe header values, and nothing the views read', () => {
    const pod = podWithSecrets();
    const red = redactPod(pod);
    assert.ok(!JSON.stringify(red).includes(SECRET));
    const c = (red as any).spec.containers[0];
    assert.deepEqual(
      c.env.map((e: { name: string }) => e.name),
      ['DB_PASSWORD', 'FROM_SECRET'],
    );
    assert.deepEqual(c.env[1].valueFrom, { secretKeyRef: { name: 's', key: 'k' } });
    assert.equal((red as any).metadata.annotations.keep, 'me');
    assert.equal(c.livenessProbe.httpGet.path, '/healthz');
    assert.ok(JSON.stringify(pod).includes(SECRET), 'the input is not changed');
    // The views draw the same picture from the redacted pod.
    const view = (p: PodJson) => {
      const v = toSessionView(
        reduce(initialState({ source: 'replay' }), [{ kind: 'pod', verb: 'list', observedAt: 1_800_000_000_000, object: p }]),
        1_800_000_000_000,
      );
      return JSON.stringify(v);
    };
    assert.equal(view(red), view(pod));
  });

  test('the recording is 0600, redacted by default, raw with --record-raw, and replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlife-rec-'));
    const obs: Observation[] = [{ kind: 'pod', verb: 'list', observedAt: 5, object: podWithSecrets() }];
    for (const raw of [false, true]) {
      const file = join(dir, `r-${raw}.jsonl`);
      writeFileSync(file, 'old content\n', { mode: 0o644 }); // an existing world-readable file is tightened
      const r = openRecorder(file, { context: 'x' }, { raw });
      r.write(obs);
      await r.close();
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const text = readFileSync(file, 'utf8');
      assert.equal(text.includes(SECRET), raw);
      assert.equal(parseRecording(text, file).length, 1);
    }
  });

  test('a recording that cannot be written: one line naming the file and why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlife-rec-'));
    const cases: [string, RegExp][] = [
      [join(dir, 'missing', 'r.jsonl'), /cannot write the recording .*r\.jsonl: its directory does not exist/],
      [dir, /cannot write the recording .*: it is a directory/],
    ];
    for (const [path, re] of cases)
      assert.throws(
        () => openRecorder(path, {}),
        (e: unknown) => e instanceof UserError && re.test(e.message) && !e.message.includes('\n'),
      );
    // A full disk shows up on write: reported once through onError.
    const errors: UserError[] = [];
    const r = openRecorder('/dev/full', {}, { onError: (e) => errors.push(e) });
    r.write([{ kind: 'note', observedAt: 1, level: 'info', text: 'x'.repeat(100_000) }]);
    await assert.rejects(r.close(), (e: unknown) => e === errors[0]);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /cannot write the recording \/dev\/full: no space left on the device/);
  });
});
