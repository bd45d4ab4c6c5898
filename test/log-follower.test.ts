// The log follower on real recordings with their log observations taken out: it must ask for the
// same logs the live session asked for (the recordings hold what it fetched live), for the instances
// that had ended before it started, never twice for one instance, never for an instance the
// kubelet no longer keeps, and nothing after stop().

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { LogTail } from '../src/kube/logs.ts';
import { followLogs, type FetchLog } from '../src/log-follower.ts';
import { toSessionView, type Observation } from '../src/model/index.ts';
import { createStore, type Store } from '../src/store/store.ts';
import { recording, recordingNames } from './helpers/fixtures.ts';

type LogsObservation = Extract<Observation, { kind: 'logs' }>;

const withoutLogs = (obs: readonly Observation[]): Observation[] => obs.filter((o) => o.kind !== 'logs');
const recordedLogs = (obs: readonly Observation[]): LogsObservation[] => obs.filter((o): o is LogsObservation => o.kind === 'logs');

/** A store that also keeps the log observations dispatched to it. */
function storeWithLog(): { store: Store; dispatched: LogsObservation[] } {
  const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
  const dispatched: LogsObservation[] = [];
  return {
    store: {
      ...store,
      dispatch(o) {
        for (const x of o) if (x.kind === 'logs') dispatched.push(x);
        store.dispatch(o);
      },
    },
    dispatched,
  };
}

/** A fetcher that answers from what the recording holds (or `lines`), and keeps the calls. */
function fetcher(answer: (call: number) => Promise<LogTail> = async () => ({ lines: ['a line'], note: undefined })) {
  const calls: { pod: string; container: string; previous: boolean }[] = [];
  const fetchLog: FetchLog = (_ns, pod, container, previous) => {
    calls.push({ pod, container, previous });
    return answer(calls.length - 1);
  };
  return { calls, fetchLog };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
const withLogs = recordingNames().filter((n) => recordedLogs(recording(n)).length > 0);

describe('while watching', () => {
  test.each(withLogs)('%s: the same log fetches as the live session, one observation at a time', async (name) => {
    const obs = recording(name);
    const live = recordedLogs(obs);
    const { store, dispatched } = storeWithLog();
    let now = obs[0]!.observedAt;
    const f = fetcher(async (i) => ({ lines: live[i]?.lines ?? [], note: live[i]?.note }));
    const follower = followLogs(store, f.fetchLog, () => now);
    for (const o of withoutLogs(obs)) {
      now = o.observedAt;
      store.dispatch([o]);
    }
    await settle();
    follower.stop();
    const key = (l: LogsObservation): string => `${l.podUid} ${l.container} ${l.containerID} previous=${l.previous}`;
    assert.deepEqual(dispatched.map(key), live.map(key));
    assert.deepEqual(
      dispatched.map((l) => l.lines),
      live.map((l) => l.lines),
    );
  });

  test('many restarts in one notification: only the instances the kubelet still keeps (current and previous)', async () => {
    const obs = withoutLogs(recording('crashloop'));
    const { store, dispatched } = storeWithLog();
    const f = fetcher();
    const follower = followLogs(store, f.fetchLog, () => obs.at(-1)!.observedAt);
    store.dispatch(obs);
    await settle();
    follower.stop();
    const c = toSessionView(store.getState(), obs.at(-1)!.observedAt).pods[0]!.containers[0]!;
    const terminated = c.instances.filter((i) => !i.running).length;
    assert.ok(terminated >= 3, `${terminated} ended instances`);
    assert.ok(dispatched.length >= 1 && dispatched.length <= 2, `${dispatched.length} fetches`);
    for (const d of dispatched)
      assert.ok(
        (d.previous && d.containerID === c.lastTermination?.containerID) || (!d.previous && d.containerID === c.containerID),
        JSON.stringify(d),
      );
  });
});

describe('starting on a pod that already has a history', () => {
  test('restarted containers (liveness kills): one --previous fetch each; initial settles once the lines are in the model', async () => {
    const obs = withoutLogs(recording('liveness'));
    const { store, dispatched } = storeWithLog();
    store.dispatch(obs);
    const now = obs.at(-1)!.observedAt;
    const f = fetcher(async () => ({ lines: ['killed by the kubelet'], note: undefined }));
    const follower = followLogs(store, f.fetchLog, () => now);
    await follower.initial;
    const containers = toSessionView(store.getState(), now).pods[0]!.containers;
    assert.deepEqual(f.calls.map((c) => `${c.container} previous=${c.previous}`).sort(), ['exec previous=true', 'http previous=true']);
    for (const c of containers) {
      assert.equal(c.state, 'running');
      const d = dispatched.find((x) => x.container === c.name)!;
      assert.equal(d.containerID, c.lastTermination?.containerID);
      assert.notEqual(d.containerID, c.containerID);
      assert.ok(c.instances.some((i) => i.containerID === d.containerID && i.logTail?.includes('killed by the kubelet')));
    }
    // A later change that ends no instance fetches nothing more.
    store.dispatch([{ kind: 'note', observedAt: now + 1, level: 'info', text: 'unrelated' }]);
    await settle();
    assert.equal(f.calls.length, 2);
    follower.stop();
  });

  test.each([
    ['oom', 'hog', false],
    ['jobs', 'work', false],
    ['crashloop', 'app', false], // ends terminated: the current instance is the one that ended
    ['poststart', 'app', false], // in back-off: the kubelet serves the last instance as the current log
  ])('%s: %s ended and was not started again: its current log', async (name, container, previous) => {
    const obs = withoutLogs(recording(name));
    const { store } = storeWithLog();
    store.dispatch(obs);
    const f = fetcher();
    const follower = followLogs(store, f.fetchLog, () => obs.at(-1)!.observedAt);
    await follower.initial;
    follower.stop();
    assert.ok(f.calls.length >= 1);
    for (const c of f.calls) assert.deepEqual([c.container, c.previous], [container, previous]);
  });

  test('a pod with nothing ended: no fetch, initial settles at once', async () => {
    const obs = withoutLogs(recording('probes'));
    const { store } = storeWithLog();
    store.dispatch(obs);
    const f = fetcher();
    const follower = followLogs(store, f.fetchLog, () => obs.at(-1)!.observedAt);
    await follower.initial;
    follower.stop();
    assert.deepEqual(f.calls, []);
  });

  test('a failed fetch is no error: initial settles, nothing is dispatched', async () => {
    const obs = withoutLogs(recording('crashloop'));
    const { store, dispatched } = storeWithLog();
    store.dispatch(obs);
    const f = fetcher(async () => {
      throw new Error('connection reset');
    });
    const follower = followLogs(store, f.fetchLog, () => obs.at(-1)!.observedAt);
    await follower.initial;
    follower.stop();
    assert.equal(f.calls.length, 1);
    assert.deepEqual(dispatched, []);
  });
});

describe('the l key and stop()', () => {
  test('requestCurrent fetches the current instance every time it is asked', async () => {
    const obs = withoutLogs(recording('liveness'));
    const { store, dispatched } = storeWithLog();
    store.dispatch(obs);
    const now = obs.at(-1)!.observedAt;
    const f = fetcher();
    const follower = followLogs(store, f.fetchLog, () => now);
    await follower.initial;
    const before = f.calls.length;
    const pod = toSessionView(store.getState(), now).pods[0]!;
    follower.requestCurrent(pod.uid, 'exec');
    follower.requestCurrent(pod.uid, 'exec');
    await settle();
    follower.stop();
    assert.deepEqual(f.calls.slice(before), [
      { pod: 'liveness', container: 'exec', previous: false },
      { pod: 'liveness', container: 'exec', previous: false },
    ]);
    const current = pod.containers.find((c) => c.name === 'exec')!.containerID;
    assert.deepEqual(
      dispatched.slice(-2).map((d) => d.containerID),
      [current, current],
    );
  });

  test('no fetch for a pod that is gone, nor for an unknown container', async () => {
    const obs = withoutLogs(recording('grace'));
    const { store } = storeWithLog();
    store.dispatch(obs);
    const now = obs.at(-1)!.observedAt;
    const pod = toSessionView(store.getState(), now).pods[0]!;
    assert.ok(pod.deleted, 'the grace recording ends with the pod deleted');
    const f = fetcher();
    const follower = followLogs(store, f.fetchLog, () => now);
    follower.requestCurrent(pod.uid, pod.containers[0]!.name);
    follower.requestCurrent('no-such-uid', 'app');
    await settle();
    follower.stop();
    assert.deepEqual(f.calls, []);
  });

  test('after stop(): no new fetches, and an answer still on its way is dropped', async () => {
    const obs = withoutLogs(recording('crashloop'));
    const { store, dispatched } = storeWithLog();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const f = fetcher(async () => {
      await gate;
      return { lines: ['late'], note: undefined };
    });
    const follower = followLogs(store, f.fetchLog, () => obs.at(-1)!.observedAt);
    let i = 0;
    while (f.calls.length === 0 && i < obs.length) store.dispatch([obs[i++]!]);
    assert.equal(f.calls.length, 1, 'a fetch is on its way');
    follower.stop();
    release();
    await settle();
    for (; i < obs.length; i++) store.dispatch([obs[i]!]);
    await settle();
    assert.equal(f.calls.length, 1);
    assert.deepEqual(dispatched, []);
  });
});
