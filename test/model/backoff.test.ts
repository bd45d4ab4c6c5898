import assert from 'node:assert/strict';
import { test } from 'vitest';
import { backoffView, countdownText, parseBackoffDelay } from '../../src/model/backoff.ts';
import { formatGoDuration, parseGoDuration } from '../../src/model/time.ts';

test.each<[string, number | undefined]>([
  ['back-off 10s restarting failed container=app pod=crashloop_default(6f1d)', 10],
  ['back-off 40s restarting failed container=app pod=web-0_shop(uid)', 40],
  ['Back-off 40s restarting failed container=nginx pod=nginx-7c5b_default(a1b2)', 40],
  ['back-off 1m20s restarting failed container=app pod=x_y(z)', 80],
  ['back-off 2m40s restarting failed container=app pod=x_y(z)', 160],
  ['Back-off 5m0s restarting failed container=app pod=x_y(z)', 300],
  ['Back-off restarting failed container app in pod x_y(z)', undefined], // the BackOff event: no delay
  ['Back-off pulling image "nginx:doesnotexist"', undefined],
  ['', undefined],
  // A delay no Go time.Duration can hold was not written by a kubelet.
  ['back-off 99999999999999h restarting failed container=app pod=x_y(z)', undefined],
  [`back-off ${'9'.repeat(400)}s restarting failed container=app pod=x_y(z)`, undefined],
])('the delay is read from the kubelet message %j -> %j', (msg, want) => {
  assert.equal(parseBackoffDelay(msg), want, msg);
});

test.each(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '1h0m0s'])('Go duration %s round-trips as the kubelet prints it', (s) => {
  assert.equal(formatGoDuration(parseGoDuration(s)!), s);
});

test('Go durations: fractions, milliseconds, not durations', () => {
  assert.equal(parseGoDuration('1.5s'), 1.5);
  assert.equal(parseGoDuration('300ms'), 0.3);
  assert.equal(parseGoDuration('forty'), undefined);
  assert.equal(parseGoDuration('40'), undefined);
});

test('next attempt = last finishedAt + stated delay; never from restartCount', () => {
  const finished = Date.parse('2026-11-25T05:35:01Z');
  const b = backoffView({
    waitingReason: 'CrashLoopBackOff',
    waitingMessage: 'back-off 40s restarting failed container=app pod=p_ns(u)',
    restartCount: 9,
    lastFinishedAt: finished,
    observedDelays: [],
  });
  assert.equal(b?.delaySeconds, 40);
  assert.equal(b?.nextAttemptAt, finished + 40_000);
  assert.equal(b?.estimated, false);
  assert.equal(b?.attempt, 10);
  assert.equal(countdownText(b!, finished + 17_000, formatGoDuration), 'next restart in 23s, back-off 40s, attempt 10');
  assert.match(countdownText(b!, finished + 41_000, formatGoDuration), /^restart due now/);
  // A message without a delay: the last stated one, doubled, is an estimate; with none, unknown.
  const est = backoffView({
    waitingReason: 'CrashLoopBackOff',
    waitingMessage: undefined,
    restartCount: 3,
    lastFinishedAt: finished,
    observedDelays: [{ seconds: 20, at: 0 }],
  });
  assert.equal(est?.delaySeconds, 40);
  assert.equal(est?.estimated, true);
  assert.match(countdownText(est!, finished, formatGoDuration), /\(estimated\)/);
  const unknown = backoffView({
    waitingReason: 'CrashLoopBackOff',
    waitingMessage: undefined,
    restartCount: 3,
    lastFinishedAt: finished,
    observedDelays: [],
  });
  assert.equal(unknown?.delaySeconds, undefined);
  assert.equal(unknown?.nextAttemptAt, undefined);
  const pull = backoffView({
    waitingReason: 'ImagePullBackOff',
    waitingMessage: 'Back-off pulling image "x"',
    restartCount: 0,
    lastFinishedAt: undefined,
    observedDelays: [],
  });
  assert.equal(pull?.kind, 'image-pull');
  assert.equal(
    backoffView({
      waitingReason: 'ContainerCreating',
      waitingMessage: undefined,
      restartCount: 0,
      lastFinishedAt: undefined,
      observedDelays: [],
    }),
    undefined,
  );
});

test('image pull back-off: estimated from the failed-pull events (10s doubling), checked against the real kubelet', async () => {
  const { recording } = await import('../helpers/fixtures.ts');
  const { initialState, reduce, toSessionView } = await import('../../src/model/index.ts');
  let s = initialState({ source: 'replay' });
  const predictions = new Map<number, number>(); // failed pulls so far -> predicted next pull
  const pulls: number[] = []; // when the kubelet really pulled again (a "Failed to pull image" event's lastTimestamp)
  for (const o of recording('missing-image')) {
    s = reduce(s, [o]);
    if (o.kind === 'event' && o.object.reason === 'Failed' && o.object.message?.startsWith('Failed to pull image'))
      pulls.push(Date.parse(o.object.lastTimestamp!));
    const b = toSessionView(s, o.observedAt).pods[0]?.containers[0]?.backoff;
    if (b?.kind === 'image-pull' && b.nextAttemptAt !== undefined) {
      assert.equal(b.estimated, true);
      predictions.set(b.attempt! - 1, b.nextAttemptAt);
    }
  }
  assert.ok(pulls.length >= 3, `pulls: ${pulls.length}`);
  assert.deepEqual([...predictions.keys()].slice(0, 2), [1, 2]);
  for (const [failed, at] of predictions) {
    const real = pulls[failed]; // the pull after `failed` failures
    if (real === undefined) continue;
    const drift = (real - at) / 1000;
    assert.ok(
      drift >= 0 && drift <= 8,
      `after ${failed} failed pulls: predicted ${new Date(at).toISOString()}, real ${new Date(real).toISOString()}`,
    );
  }
});
