// The watch loop's decisions, without a server: back-off with its cap and jitter, the jittered watch
// timeout, reading the stream's lines, what follows an error (resume, relist, fail fast, ask
// onFatal) and the watchdog. test/e2e/list-watch.test.ts drives the loop itself against the real
// API server with faults injected.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { afterEach, describe, test, vi } from 'vitest';
import { ApiError, type ApiErrorKind } from '../../src/kube/client.ts';
import {
  afterError,
  backoffDelayMs,
  defaultListWatchOptions,
  describeApiError,
  parseWatchLine,
  startWatchdog,
  watchLineSplitter,
  watchTimeoutSeconds,
} from '../../src/kube/list-watch.ts';
import { podSnapshots, recording } from '../helpers/fixtures.ts';

const path = '/api/v1/namespaces/default/pods';

// Lines the project's cluster (kube-apiserver v1.34.4) sent, captured with `kubectl get --raw`:
// a watch from resourceVersion 1, and the bookmark ending the initial events of a
// sendInitialEvents watch.
const GONE_LINE =
  '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (299)","reason":"Expired","code":410}}';
const BOOKMARK_LINE =
  '{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"914","annotations":{"k8s.io/initial-events-end":"true"}},"spec":{"containers":null},"status":{}}}';

describe('back-off', () => {
  const o = { backoffInitialMs: 500, backoffMaxMs: 30_000 };

  test.each([
    // attempt, random, delay: full jitter in [base/2, base], base doubling from 500 ms up to 30 s
    [0, 0, 250],
    [0, 1, 500],
    [1, 1, 1_000],
    [2, 0.5, 1_500],
    [5, 1, 16_000],
    [6, 1, 30_000],
    [6, 0, 15_000],
    [40, 1, 30_000],
    [1e9, 0.5, 22_500],
  ])('attempt %d, random %d: %d ms', (attempt, random, delay) => {
    assert.equal(backoffDelayMs(attempt, { ...o, random: () => random }), delay);
  });

  test('the defaults: 0.5 s doubling to a 30 s cap', () => {
    const upper = Array.from({ length: 9 }, (_, i) => backoffDelayMs(i, { ...defaultListWatchOptions, random: () => 1 }));
    assert.deepEqual(upper, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  test('any attempt and any jitter: within [base/2, base], never above the cap, never below half the first delay', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 5_000, max: 120_000 }),
        (attempt, r, initial, max) => {
          const d = backoffDelayMs(attempt, { backoffInitialMs: initial, backoffMaxMs: max, random: () => r });
          const base = Math.min(max, initial * 2 ** Math.min(attempt, 20));
          return Number.isFinite(d) && d >= Math.floor(base / 2) && d <= base && d <= max && d >= Math.floor(initial / 2);
        },
      ),
    );
  });
});

describe('watch timeout', () => {
  test.each([
    [0, 192],
    [0.5, 216],
    [0.999, 240],
  ])('240 s with random %d: %d s', (random, seconds) => {
    assert.equal(watchTimeoutSeconds({ timeoutSeconds: 240, random: () => random }), seconds);
  });
});

describe('stream lines', () => {
  const enc = new TextEncoder();

  test('lines cut across chunks, several in one chunk, blank lines and CRLF', () => {
    const split = watchLineSplitter();
    assert.deepEqual(split(enc.encode('{"a":')), []);
    assert.deepEqual(split(enc.encode('1}\n{"b":2}\r\n\n  \n{"c"')), ['{"a":1}', '{"b":2}']);
    assert.deepEqual(split(enc.encode(':3}')), [], 'an unfinished line waits');
    assert.deepEqual(split(enc.encode('\n')), ['{"c":3}']);
  });

  test('a chunk boundary inside a multi-byte character', () => {
    const bytes = enc.encode('{"message":"Back-off ↻ 10s"}\n');
    const cut = bytes.indexOf(0xe2) + 1; // inside the three bytes of ↻
    const split = watchLineSplitter();
    assert.deepEqual(split(bytes.slice(0, cut)), []);
    assert.deepEqual(split(bytes.slice(cut)), ['{"message":"Back-off ↻ 10s"}']);
  });

  test('a real watch stream, byte by byte: every line comes out whole and in order', () => {
    const pods = podSnapshots(recording('crashloop'));
    const lines = pods.map((p) => JSON.stringify({ type: 'MODIFIED', object: p }));
    const bytes = enc.encode(lines.join('\n') + '\n');
    const split = watchLineSplitter();
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i += 7) out.push(...split(bytes.slice(i, i + 7)));
    assert.deepEqual(out, lines);
  });
});

describe('watch events', () => {
  test.each(['ADDED', 'MODIFIED', 'DELETED'])('%s: the object and its resourceVersion', (type) => {
    const pod = podSnapshots(recording('crashloop')).at(-1)!;
    const ev = parseWatchLine(JSON.stringify({ type, object: pod }), path);
    assert.equal(ev.type, type);
    assert.deepEqual(ev.object, pod);
    assert.equal(ev.resourceVersion, pod.metadata.resourceVersion);
    assert.ok(ev.resourceVersion);
  });

  test('a bookmark advances the resourceVersion and carries no pod', () => {
    const ev = parseWatchLine(BOOKMARK_LINE, path);
    assert.equal(ev.type, 'BOOKMARK');
    assert.equal(ev.resourceVersion, '914');
  });

  test('410 Gone as an ERROR event: kind gone, with the server message and code', () => {
    assert.throws(
      () => parseWatchLine(GONE_LINE, path),
      (e: unknown) => e instanceof ApiError && e.kind === 'gone' && e.status === 410 && /too old resource version/.test(e.message),
    );
  });

  test.each([
    ['another ERROR code', '{"type":"ERROR","object":{"kind":"Status","code":500,"message":"etcdserver: request timed out"}}', 'server'],
    ['an ERROR without a status', '{"type":"ERROR"}', 'server'],
    ['a line that is not JSON', '{"type":"MODIFIED","object":{', 'bad-response'],
  ])('%s', (_, line, kind) => {
    assert.throws(
      () => parseWatchLine(line, path),
      (e: unknown) => e instanceof ApiError && e.kind === kind && e.url === path,
    );
  });
});

describe('after an error', () => {
  const err = (kind: ApiErrorKind, status?: number): ApiError => new ApiError(kind, `${kind} happened`, status, path);

  test.each<ApiErrorKind>(['unreachable', 'timeout', 'forbidden', 'gone', 'server'])(
    'before the first list succeeded, %s fails fast',
    (kind) => {
      assert.deepEqual(afterError(err(kind), { rv: undefined, lastRv: undefined, listedOnce: false }), { action: 'reject-first' });
    },
  );

  test('410 Gone relists at once, whatever was seen', () => {
    assert.deepEqual(afterError(err('gone', 410), { rv: '100', lastRv: '120', listedOnce: true }), { action: 'relist', rv: undefined });
  });

  test.each([
    // rv (from the list or the last watch), lastRv (seen on the failed watch), resume from
    ['100', '120', '120'],
    ['100', undefined, '100'],
    [undefined, '120', undefined], // a failed relist: list again
    [undefined, undefined, undefined],
  ])('a dropped watch from rv %s having seen %s resumes from %s', (rv, lastRv, resume) => {
    const step = afterError(err('unreachable'), { rv, lastRv, listedOnce: true });
    assert.equal(step.action, 'back-off');
    assert.equal(step.action === 'back-off' ? step.rv : 'x', resume);
  });

  test.each<[ApiErrorKind, boolean]>([
    ['forbidden', true],
    ['unauthorized', true],
    ['credentials', true],
    ['not-found', true],
    ['unreachable', false],
    ['timeout', false],
    ['server', false],
    ['bad-response', false],
  ])('%s: back off; handed to onFatal first: %s', (kind, askFatal) => {
    const step = afterError(err(kind), { rv: '5', lastRv: undefined, listedOnce: true });
    assert.deepEqual(step, { action: 'back-off', rv: '5', askFatal, message: describeApiError(err(kind)) });
  });

  test.each([
    [new ApiError('unreachable', 'ECONNREFUSED', undefined, path), 'cannot reach the API server: ECONNREFUSED'],
    [new ApiError('timeout', 'no data from the watch for 300s', undefined, path), 'timed out: no data from the watch for 300s'],
    [new ApiError('aborted', 'aborted', undefined, path), 'aborted'],
    [new ApiError('gone', 'too old resource version: 1 (299)', 410, path), 'resourceVersion too old (410 Gone), relisting'],
    [new ApiError('server', 'etcdserver: leader changed', 500, path), '500: etcdserver: leader changed'],
    [new ApiError('bad-response', 'malformed watch event', undefined, path), 'malformed watch event'],
    [
      new ApiError('unauthorized', 'Unauthorized', 401, path),
      'the API server rejected the credentials (401 Unauthorized): log in again or refresh them',
    ],
    [
      new ApiError('credentials', 'getting credentials: exec: executable x failed with exit code 1', undefined, path),
      'getting credentials: exec: executable x failed with exit code 1: log in again or fix the credentials',
    ],
  ])('the reconnecting message for %s', (e, text) => {
    assert.equal(describeApiError(e), text);
  });
});

describe('watchdog', () => {
  afterEach(() => void vi.useRealTimers());

  test('fires once after the given quiet time; every arm() starts the wait again; stop() ends it', () => {
    vi.useFakeTimers();
    let stalls = 0;
    const dog = startWatchdog(1_000, () => stalls++);
    dog.arm();
    vi.advanceTimersByTime(999);
    dog.arm(); // data arrived
    vi.advanceTimersByTime(999);
    assert.equal(stalls, 0);
    vi.advanceTimersByTime(1);
    assert.equal(stalls, 1);
    vi.advanceTimersByTime(10_000);
    assert.equal(stalls, 1, 'once');
    dog.arm();
    dog.stop();
    vi.advanceTimersByTime(10_000);
    assert.equal(stalls, 1, 'stopped');
    assert.equal(vi.getTimerCount(), 0, 'no timer left behind');
  });

  test('its timer does not keep the process alive', () => {
    let unref = 0;
    const dog = startWatchdog(1_000, () => undefined, {
      set: ((fn: () => void, ms: number) => {
        const t = setTimeout(fn, ms);
        const real = t.unref.bind(t);
        t.unref = () => (unref++, real());
        return t;
      }) as typeof setTimeout,
      clear: clearTimeout,
    });
    dog.arm();
    dog.stop();
    assert.equal(unref, 1);
  });
});
