// Part of the composition root: when the model reports that a container instance ended, fetch
// that instance's log tail and hand it back to the model as a 'logs' observation, so every crash
// keeps its last lines even after the kubelet has dropped them (it keeps only the previous
// instance's log). Data still flows one way: source -> model -> view; this is a source that the
// composition root triggers from the model's lifecycle events.

import type { LogTail } from './kube/logs.ts';
import { eventsSince, lastSeq, type ModelState, type Observation, type PodRecord } from './model/index.ts';
import type { Store } from './store/store.ts';

export type FetchLog = (namespace: string, pod: string, container: string, previous: boolean) => Promise<LogTail>;

export interface LogFollower {
  /** Settles when the logs of the instances that had ended before we started are in (--once waits). */
  readonly initial: Promise<void>;
  /** Fetch the current instance's log now (the TUI's `l` key). */
  requestCurrent(podUid: string, container: string): void;
  /**
   * The log tails of a pod's instances that ended (the current one when it is terminated, else the
   * previous one) fetched, or already there: what a failure report prints. Settles when they are in.
   */
  ensure(podUid: string): Promise<void>;
  stop(): void;
}

/** What the follower needs of one container: read from the pod's snapshot, no view built. */
function containerFacts(
  rec: PodRecord,
  name: string,
): { containerID: string | undefined; lastTerminationID: string | undefined; terminated: boolean; lastTerminated: boolean } | undefined {
  const e = rec.snapshot.containers.find((x) => x.name === name);
  if (!e) return undefined;
  const s = e.status;
  const cur = s?.state;
  const last = s?.lastState?.state === 'terminated' ? s.lastState : undefined;
  return {
    containerID: cur?.containerID ?? s?.containerID,
    lastTerminationID: last?.containerID,
    terminated: cur?.state === 'terminated',
    lastTerminated: last !== undefined,
  };
}

export function followLogs(store: Store, fetchLog: FetchLog, now: () => number): LogFollower {
  let seq = lastSeq(store.getState());
  const fetched = new Map<string, Promise<void>>(); // pod uid + containerID already fetched
  let stopped = false;
  const pending = new Set<Promise<void>>();

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
    const pod = state.pods.get(podUid);
    const c = pod ? containerFacts(pod, container) : undefined;
    if (!pod || !c || pod.deleted) return undefined;
    let previous: boolean;
    let id: string | undefined;
    if (forceCurrent) {
      previous = false;
      id = c.containerID;
    } else if (containerID !== undefined && c.containerID === containerID) {
      previous = false; // the instance that ended is still the current one
      id = containerID;
    } else if (containerID === undefined || c.lastTerminationID === containerID) {
      previous = true;
      id = c.lastTerminationID ?? containerID;
    } else {
      return undefined; // older than the previous instance: the kubelet no longer has its log
    }
    const key = `${podUid}/${container}/${id ?? '?'}/${previous}`;
    if (!forceCurrent && fetched.has(key)) return fetched.get(key);
    const p = fetchLog(pod.namespace, pod.name, container, previous)
      .then((tail) =>
        dispatch({ kind: 'logs', observedAt: now(), podUid, container, containerID: id, previous, lines: tail.lines, note: tail.note }),
      )
      .catch(() => undefined)
      .finally(() => pending.delete(p));
    fetched.set(key, p);
    pending.add(p);
    return p;
  };

  /** Instances that ended and whose logs the kubelet still has: the current one when terminated, else the previous one. */
  const fetchEnded = (state: ModelState, pod: PodRecord): (Promise<void> | undefined)[] => {
    const out: (Promise<void> | undefined)[] = [];
    for (const e of pod.snapshot.containers) {
      const c = containerFacts(pod, e.name)!;
      if (c.terminated && c.containerID) out.push(fetchFor(state, pod.uid, e.name, c.containerID, false));
      else if (c.lastTerminated) out.push(fetchFor(state, pod.uid, e.name, c.lastTerminationID, false));
    }
    return out;
  };

  // Instances that ended before we started watching: their logs are the `--previous` ones.
  const initialFetches: (Promise<void> | undefined)[] = [];
  const start = store.getState();
  const current = [...start.pods.values()]
    .filter((p) => !p.deleted && !p.replaced)
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  for (const pod of current) initialFetches.push(...fetchEnded(start, pod));

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
    ensure(podUid) {
      const state = store.getState();
      const pod = state.pods.get(podUid);
      return pod ? Promise.all(fetchEnded(state, pod)).then(() => undefined) : Promise.resolve();
    },
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
