// The store owns the model state. Sources dispatch observations; subscribers are notified at most
// once per `notifyIntervalMs` (coalesced), so a burst of watch events costs one re-render. The
// reducer runs at once on the first dispatch after a quiet period (to know whether anything
// changed); while a notification is pending, later observations are queued and reduced together
// when the state is next read (getState, the notification): one pass over a burst instead of one
// per watch event (each pass copies the pod map once). `getState()` hands out the same object
// until something changed, which is what React's useSyncExternalStore needs to skip renders.

import { initialState, reduce, type ModelState, type Observation } from '../model/index.ts';

export interface StoreOptions {
  readonly source: 'cluster' | 'file' | 'replay';
  /** Minimum time between two notifications; 0 notifies synchronously (tests, printers). */
  readonly notifyIntervalMs?: number;
  /** Timer functions, injectable for tests. */
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
  /** Monotonic clock in ms, injectable for tests. */
  readonly now?: () => number;
}

export interface Store {
  getState(): ModelState;
  dispatch(observations: readonly Observation[]): void;
  subscribe(listener: () => void): () => void;
  /** Deliver a pending notification now (before exit, so the last frame/lines are complete). */
  flush(): void;
}

export function createStore(options: StoreOptions, start?: ModelState): Store {
  let state = start ?? initialState({ source: options.source });
  const listeners = new Set<() => void>();
  const interval = options.notifyIntervalMs ?? 100;
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h: unknown) => clearTimeout(h as NodeJS.Timeout));
  let pending = false;
  let timer: unknown;
  let queued: Observation[] = [];
  const drain = (): ModelState => {
    if (queued.length > 0) {
      const batch = queued;
      queued = [];
      state = reduce(state, batch);
    }
    return state;
  };
  const now = options.now ?? (() => performance.now());
  let lastNotifiedAt = -Infinity;

  const notify = (): void => {
    drain();
    pending = false;
    timer = undefined;
    lastNotifiedAt = now();
    for (const l of [...listeners]) l();
  };

  return {
    getState: drain,
    dispatch(observations) {
      if (observations.length === 0) return;
      if (pending) {
        for (const o of observations) queued.push(o);
        return;
      }
      const next = reduce(state, observations);
      if (next === state) return;
      state = next;
      if (interval <= 0) {
        notify();
        return;
      }
      if (pending) return;
      pending = true;
      // The first change after a quiet period goes out on the next tick; a burst is coalesced
      // into one notification per interval.
      timer = setTimer(notify, Math.max(0, lastNotifiedAt + interval - now()));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush() {
      if (!pending) return;
      if (timer !== undefined) clearTimer(timer);
      notify();
    },
  };
}
