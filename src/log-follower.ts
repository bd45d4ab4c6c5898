// Part of the composition root: when the model reports that a container instance ended, fetch
// that instance's log tail and hand it back to the model as a 'logs' observation, so every crash
// keeps its last lines even after the kubelet has dropped them (it keeps only the previous
// instance's log). Data still flows one way: source -> model -> view; this is a source that the
// composition root triggers from the model's lifecycle events.

import type { LogTail } from './kube/logs.ts';
import { eventsSince, lastSeq, toSessionView, type ModelState, type Observation } from './model/index.ts';
import type { Store } from './store/store.ts';

export type FetchLog = (namespace: string, pod: string, container: string, previous: boolean) => Promise<LogTail>;

export interface LogFollower {
  /** Settles when the logs of the instances that had ended before we started are in (--once waits). */
  readonly initial: Promise<void>;
  /** Fetch the current instance's log now (the TUI's `l` key). */
  requestCurrent(podUid: string, container: string): void;
  stop(): void;
}

export function followLogs(store: Store, fetchLog: FetchLog, now: () => number): LogFollower {
  let seq = lastSeq(store.getState());
  const fetched = new Set<string>(); // pod uid + containerID already fetched
  let stopped = false;
  const pending = new Set<Promise<void>>();

  // One view per state, not one per fetch: a relist or a burst of restarts across many pods asks
  // for many logs from the same state (measured: with 1,000 pods, one full view per pod).
  let lastView: { readonly state: ModelState; readonly view: ReturnType<typeof toSessionView> } | undefined;
  const viewOf = (state: ModelState): ReturnType<typeof toSessionView> =>
    lastView?.state === state ? lastView.view : (lastView = { state, view: toSessionView(state, now()) }).view;

  const dispatch = (o: Observation): void => {
    if (!stopped) store.dispatch([o]);
  };

  const fetchFor = (
    state: ModelState,
    podUid: string,
    container: string,
    containerID: string | undefined,
    forceCurrent: boolean,
  ): Promise<void> | undefined => {
    const view = viewOf(state);
    const pod = view.pods.find((p) => p.uid === podUid);
    const c = pod?.containers.find((x) => x.name === container);
    if (!pod || !c || pod.deleted) return undefined;
    let previous: boolean;
    let id: string | undefined;
    if (forceCurrent) {
      previous = false;
      id = c.containerID;
    } else if (containerID !== undefined && c.containerID === containerID) {
      previous = false; // the instance that ended is still the current one
      id = containerID;
    } else if (containerID === undefined || c.lastTermination?.containerID === containerID) {
      previous = true;
      id = c.lastTermination?.containerID ?? containerID;
    } else {
      return undefined; // older than the previous instance: the kubelet no longer has its log
    }
    const key = `${podUid}/${container}/${id ?? '?'}/${previous}`;
    if (!forceCurrent && fetched.has(key)) return undefined;
    fetched.add(key);
    const p = fetchLog(pod.namespace, pod.name, container, previous)
      .then((tail) =>
        dispatch({ kind: 'logs', observedAt: now(), podUid, container, containerID: id, previous, lines: tail.lines, note: tail.note }),
      )
      .catch(() => undefined)
      .finally(() => pending.delete(p));
    pending.add(p);
    return p;
  };

  // Instances that ended before we started watching: their logs are the `--previous` ones.
  const initialFetches: (Promise<void> | undefined)[] = [];
  for (const pod of viewOf(store.getState()).pods) {
    if (!pod.current) continue;
    for (const c of pod.containers) {
      if (c.state === 'terminated' && c.containerID) initialFetches.push(fetchFor(store.getState(), pod.uid, c.name, c.containerID, false));
      else if (c.lastTermination) initialFetches.push(fetchFor(store.getState(), pod.uid, c.name, c.lastTermination.containerID, false));
    }
  }

  const unsubscribe = store.subscribe(() => {
    const state = store.getState();
    for (const e of eventsSince(state, seq)) {
      if (e.kind === 'container-terminated' && e.container) fetchFor(state, e.podUid, e.container, e.containerID, false);
    }
    seq = lastSeq(state);
  });

  return {
    initial: Promise.all(initialFetches).then(() => undefined),
    requestCurrent(podUid, container) {
      fetchFor(store.getState(), podUid, container, undefined, true);
    },
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
