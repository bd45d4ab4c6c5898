// The store's coalescing, with its timers and clock injected: a burst of changes costs one
// notification per interval, the first change after a quiet period goes out on the next tick,
// getState() hands out the same object until something changed, flush() delivers what is pending.
// The observations are a real recording's.

import assert from 'node:assert/strict';
import { afterEach, describe, test, vi } from 'vitest';
import { initialState, reduce, type Observation } from '../../src/model/index.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { recording } from '../helpers/fixtures.ts';

/** A hand-driven timer queue and monotonic clock. */
function fakeTime() {
  let now = 1_000;
  let nextId = 1;
  const timers = new Map<number, { at: number; ms: number; fn: () => void }>();
  const scheduled: number[] = []; // every delay asked for, in order
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number): unknown => {
      scheduled.push(ms);
      const id = nextId++;
      timers.set(id, { at: now + ms, ms, fn });
      return id;
    },
    clearTimer: (h: unknown): void => void timers.delete(h as number),
    scheduled,
    pending: () => timers.size,
    /** Move the clock forward, firing due timers in order. */
    advance(ms: number): void {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

const obs = recording('crashloop');
// Observations that change the state when fed in order (the model returns the same object for
// the others, and the store must not notify for those).
const changing: Observation[] = [];
{
  let s = initialState({ source: 'replay' });
  for (const o of obs) {
    const next = reduce(s, [o]);
    if (next !== s) changing.push(o);
    s = next;
  }
}

function counted(store: Store): { count: () => number; states: unknown[] } {
  const states: unknown[] = [];
  store.subscribe(() => states.push(store.getState()));
  return { count: () => states.length, states };
}

describe('coalescing with injected timers', () => {
  test('a burst dispatched in one go: one timer, one notification with the last state', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
    const n = counted(store);
    assert.ok(changing.length >= 10, `changing observations: ${changing.length}`);
    for (const o of changing.slice(0, 10)) store.dispatch([o]);
    assert.equal(t.scheduled.length, 1, 'one timer for the whole burst');
    t.advance(0);
    assert.equal(n.count(), 1);
    assert.equal(n.states[0], store.getState());
    assert.equal(t.pending(), 0);
  });

  test('a burst spread over 50 ms after quiet: its first change at once, the rest in one notification an interval later', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
    const n = counted(store);
    for (const o of changing.slice(0, 10)) {
      store.dispatch([o]);
      t.advance(5);
    }
    assert.equal(n.count(), 1, 'the first change went out on the next tick');
    assert.deepEqual(t.scheduled, [0, 95], 'the rest waits until an interval after that notification');
    t.advance(49);
    assert.equal(n.count(), 1);
    t.advance(1);
    assert.equal(n.count(), 2);
    assert.equal(n.states[1], store.getState());
    assert.equal(t.pending(), 0);
  });

  test('the first change after a quiet period goes out on the next tick (delay 0)', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
    const n = counted(store);
    store.dispatch([changing[0]!]);
    assert.deepEqual(t.scheduled, [0]);
    assert.equal(n.count(), 0, 'not synchronously');
    t.advance(0);
    assert.equal(n.count(), 1);
    // Quiet for longer than the interval: again at once.
    t.advance(500);
    store.dispatch([changing[1]!]);
    assert.deepEqual(t.scheduled, [0, 0]);
    t.advance(0);
    assert.equal(n.count(), 2);
  });

  test('a change soon after a notification waits for the rest of the interval', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
    const n = counted(store);
    store.dispatch([changing[0]!]);
    t.advance(0);
    t.advance(30);
    store.dispatch([changing[1]!]);
    assert.deepEqual(t.scheduled, [0, 70]);
    t.advance(69);
    assert.equal(n.count(), 1);
    t.advance(1);
    assert.equal(n.count(), 2);
  });

  test('a steady stream of changes: notifications at least an interval apart, the last one with the last state', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
    const at: number[] = [];
    const states: unknown[] = [];
    store.subscribe(() => {
      at.push(t.now());
      states.push(store.getState());
    });
    // One change every 10 ms.
    for (const o of changing) {
      store.dispatch([o]);
      t.advance(10);
    }
    t.advance(100);
    const span = changing.length * 10;
    for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= 100, `notifications at ${at.join(', ')}`);
    assert.ok(at.length >= Math.floor(span / 100), `${at.length} notifications over ${span} ms: changes are not held back`);
    assert.equal(states.at(-1), store.getState());
  });

  test('notifyIntervalMs 0 notifies synchronously, once per changing dispatch, with no timer', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 0, ...t });
    const n = counted(store);
    store.dispatch([changing[0]!]);
    store.dispatch(changing.slice(1, 5));
    assert.equal(n.count(), 2);
    assert.equal(t.scheduled.length, 0);
  });
});

describe('getState identity', () => {
  test('the same object until something changed; a new one after a change', () => {
    const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
    const first = store.getState();
    assert.equal(store.getState(), first);
    store.dispatch([]);
    assert.equal(store.getState(), first, 'an empty dispatch changes nothing');
    store.dispatch(obs);
    const filled = store.getState();
    assert.notEqual(filled, first);
    assert.equal(store.getState(), filled);
  });

  test('an observation the model ignores keeps the state object and notifies no one', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
    store.dispatch(obs);
    t.advance(100);
    const n = counted(store);
    const before = store.getState();
    // The recording's last connection observation again: nothing new.
    const again = [...obs].reverse().find((o) => o.kind === 'connection')!;
    assert.equal(reduce(before, [again]), before, 'the model returns the same state for a repeat');
    store.dispatch([again]);
    assert.equal(store.getState(), before);
    assert.equal(t.scheduled.length, 1, 'no timer');
    t.advance(1000);
    assert.equal(n.count(), 0);
  });

  test('a start state is kept as given', () => {
    const start = reduce(initialState({ source: 'file' }), obs);
    const store = createStore({ source: 'file' }, start);
    assert.equal(store.getState(), start);
  });
});

describe('flush and subscriptions', () => {
  test('flush delivers a pending notification now and cancels its timer', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
    const n = counted(store);
    store.dispatch([changing[0]!]);
    t.advance(0);
    store.dispatch([changing[1]!]);
    assert.equal(t.pending(), 1);
    store.flush();
    assert.equal(n.count(), 2);
    assert.equal(t.pending(), 0, 'timer cleared');
    t.advance(1000);
    assert.equal(n.count(), 2, 'no second delivery of the same change');
  });

  test('flush with nothing pending notifies no one', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
    const n = counted(store);
    store.flush();
    store.dispatch([changing[0]!]);
    t.advance(0);
    store.flush();
    assert.equal(n.count(), 1);
  });

  test('after a flush the interval counts from the flush', () => {
    const t = fakeTime();
    const store = createStore({ source: 'replay', notifyIntervalMs: 100, ...t });
    store.dispatch([changing[0]!]);
    store.flush();
    t.advance(40);
    store.dispatch([changing[1]!]);
    assert.deepEqual(t.scheduled, [0, 60]);
  });

  test('unsubscribe stops notifications; a listener that unsubscribes another during a notification does not skip it', () => {
    const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
    const calls: string[] = [];
    let offB: () => void = () => undefined;
    const offA = store.subscribe(() => {
      calls.push('a');
      offB();
    });
    offB = store.subscribe(() => calls.push('b'));
    store.dispatch([changing[0]!]);
    assert.deepEqual(calls, ['a', 'b'], 'listeners of this notification are fixed when it starts');
    store.dispatch([changing[1]!]);
    assert.deepEqual(calls, ['a', 'b', 'a']);
    offA();
    store.dispatch([changing[2]!]);
    assert.deepEqual(calls, ['a', 'b', 'a']);
  });
});

describe('default timers', () => {
  afterEach(() => void vi.useRealTimers());

  test('setTimeout and performance.now by default: a burst is one notification', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const store = createStore({ source: 'replay', notifyIntervalMs: 100 });
    const n = counted(store);
    for (const o of changing.slice(0, 5)) store.dispatch([o]);
    assert.equal(n.count(), 0);
    vi.advanceTimersByTime(0);
    assert.equal(n.count(), 1);
    for (const o of changing.slice(5, 10)) store.dispatch([o]);
    vi.advanceTimersByTime(99);
    assert.equal(n.count(), 1);
    vi.advanceTimersByTime(1);
    assert.equal(n.count(), 2);
  });
});
