// While a notification is pending, the store queues what is dispatched and reduces it in one pass
// when the state is read: the same state as reducing each observation as it came (the reducer is
// a fold), at a fraction of the cost for a burst of watch events (the pod map is copied once).

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { eventsSince, initialState, reduce, toSessionView, type Observation } from '../../src/model/index.ts';
import { createStore } from '../../src/store/store.ts';
import { recording } from '../helpers/fixtures.ts';

function manual() {
  const timers: (() => void)[] = [];
  return {
    setTimer: (fn: () => void) => (timers.push(fn), timers.length),
    clearTimer: () => undefined,
    now: () => 0,
    fire: () => timers.splice(0).forEach((f) => f()),
    pending: () => timers.length,
  };
}

test.each(['rollout', 'crashloop', 'jobs'])('%s: a burst queued behind a pending notification reduces to the same state', (name) => {
  const obs: readonly Observation[] = recording(name);
  const t = manual();
  const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
  let notified = 0;
  store.subscribe(() => notified++);
  for (const o of obs) store.dispatch([o]);
  assert.equal(t.pending(), 1, 'one notification scheduled for the whole burst');
  t.fire();
  assert.equal(notified, 1);
  let want = initialState({ source: 'replay' });
  for (const o of obs) want = reduce(want, [o]);
  const got = store.getState();
  const at = obs.at(-1)!.observedAt;
  assert.deepEqual(toSessionView(got, at), toSessionView(want, at));
  assert.deepEqual(eventsSince(got, 0), eventsSince(want, 0));
  assert.equal(got.workloadSeq, want.workloadSeq);
  assert.deepEqual([...got.workloadEvents.keys()], [...want.workloadEvents.keys()]);
});

test('reading the state while a notification is pending gives what was dispatched so far', () => {
  const obs = recording('crashloop');
  const t = manual();
  const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
  store.dispatch(obs.slice(0, 5));
  store.dispatch(obs.slice(5, 40));
  assert.equal(store.getState(), store.getState(), 'the same object until something changes');
  assert.deepEqual(toSessionView(store.getState(), 0), toSessionView(reduce(initialState({ source: 'replay' }), obs.slice(0, 40)), 0));
});
