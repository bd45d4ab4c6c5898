// The reducer as a whole (src/model/reduce/index.ts) on real observation streams recorded from the
// test cluster.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { eventsSince, initialState, lifecycleText, reduce, toSessionView } from '../../../src/model/index.ts';
import type { Observation } from '../../../src/model/observation.ts';
import { lastTime, podSnapshots, recording, recordingNames, replayAll, replayStepwise, vary } from '../../helpers/fixtures.ts';

test('crash loop: every instance kept with exit code, run time and its own log tail', () => {
  const obs = recording('crashloop');
  const view = toSessionView(replayStepwise(obs), lastTime(obs));
  const app = view.pods[0]!.containers.find((c) => c.name === 'app')!;
  const ended = app.instances.filter((i) => !i.running);
  assert.ok(ended.length >= 4, `instances ended: ${ended.length}`);
  for (const i of ended) {
    assert.equal(i.exitCode, 1, `instance ${i.attempt}`);
    assert.equal(i.reason, 'Error');
    assert.ok(i.durationMs !== undefined && i.durationMs >= 1000 && i.durationMs <= 4000, `instance ${i.attempt} ran ${i.durationMs}ms`);
    assert.equal(i.cause, 'exit');
  }
  // Attempts are consecutive from 0: the watcher saw the whole life.
  assert.deepEqual(
    app.instances.map((i) => i.attempt),
    app.instances.map((_, k) => k),
  );
  const withLogs = ended.filter((i) => i.logTail?.some((l) => l.includes('fatal: /etc/app/config.yaml')));
  assert.ok(withLogs.length >= ended.length - 1, `log tails kept for ${withLogs.length} of ${ended.length} instances`);
  assert.deepEqual(view.pods[0]!.gaps, []);
});

test('crash loop: the back-off delays the kubelet stated, in order', () => {
  const obs = recording('crashloop');
  const state = replayStepwise(obs);
  const delays = [...state.pods.values()][0]!.containers.get('app')!.delays.map((d) => d.seconds);
  assert.deepEqual(delays.slice(0, 3), [10, 20, 40]);
});

test.each(recordingNames())('%s: each termination is reported once per instance', (name) => {
  const state = replayStepwise(recording(name));
  const seen = new Set<string>();
  for (const e of eventsSince(state, 0)) {
    if (e.kind !== 'container-terminated' || e.containerID === undefined) continue;
    const key = `${e.podUid}/${e.container}/${e.containerID}`;
    assert.ok(!seen.has(key), `${name}: ${key} reported twice`);
    seen.add(key);
  }
});

test.each(recordingNames())('%s: deterministic: the same stream gives the same view, batched or one by one', (name) => {
  const obs = recording(name);
  const t = lastTime(obs);
  const a = JSON.stringify(toSessionView(replayAll(obs), t));
  const b = JSON.stringify(toSessionView(replayStepwise(obs), t));
  assert.equal(a, b, name);
});

test('unchanged input returns the same state object', () => {
  const obs = recording('oom');
  const s = replayStepwise(obs);
  const podObs = obs.filter((o) => o.kind === 'pod');
  assert.equal(reduce(s, [podObs.at(-1)!]), s);
  assert.equal(reduce(s, []), s);
});

test('a pod recreated under the same name is a new life; the previous one stays visible', () => {
  const obs = recording('sidecar');
  const snaps = podSnapshots(obs);
  const t = lastTime(obs);
  const first = snaps.at(-1)!;
  const second = vary(snaps[0]!, (d) => {
    d.metadata.uid = 'b0b0b0b0-0000-4000-8000-000000000002';
    d.metadata.resourceVersion = '999999';
    d.metadata.creationTimestamp = new Date(t + 5000).toISOString();
  });
  const s = reduce(replayStepwise(obs), [
    { kind: 'pod', verb: 'deleted', observedAt: t + 1000, object: first },
    { kind: 'pod', verb: 'added', observedAt: t + 5000, object: second },
  ] satisfies Observation[]);
  const view = toSessionView(s, t + 6000);
  assert.equal(view.pods.length, 2);
  assert.equal(view.pods[0]!.uid, second.metadata.uid);
  assert.equal(view.pods[0]!.life, 2);
  assert.equal(view.pods[0]!.current, true);
  assert.equal(view.pods[1]!.current, false);
  assert.equal(view.pods[1]!.deleted, true);
  assert.ok(eventsSince(s, 0).some((e) => e.kind === 'new-life' && e.podUid === second.metadata.uid));
});

test('a relist that no longer reports a pod marks it deleted (it went while we were away)', () => {
  const obs = recording('sidecar');
  const s0 = replayStepwise(obs);
  const t = lastTime(obs);
  const s1 = reduce(s0, [
    { kind: 'relist-start', resource: 'pods', observedAt: t + 1 },
    { kind: 'relist-done', resource: 'pods', observedAt: t + 2 },
  ]);
  const v = toSessionView(s1, t + 3);
  assert.equal(v.pods[0]!.deleted, true);
  assert.match(eventsSince(s1, s0.seq).map(lifecycleText).join('\n'), /deleted while the watch was disconnected/);
});

test('events that arrive before their pod are attached when it appears', () => {
  const obs = recording('config-error');
  const events = obs.filter((o) => o.kind === 'event');
  const pods = obs.filter((o) => o.kind === 'pod');
  assert.ok(events.length > 0 && pods.length > 0);
  const s = reduce(reduce(initialState({ source: 'replay' }), events), pods);
  const v = toSessionView(s, lastTime(obs));
  assert.ok(v.pods[0]!.events.length >= 1);
});

test('started late: history is reconstructed from the object and marked as such', () => {
  const obs = recording('liveness');
  const snaps = podSnapshots(obs);
  const late = snaps.at(-1)!;
  const t = lastTime(obs) + 60_000;
  const s = reduce(initialState({ source: 'cluster' }), [{ kind: 'pod', verb: 'list', observedAt: t, object: late }]);
  const log = eventsSince(s, 0);
  assert.ok(log.some((e) => e.reconstructed && e.kind === 'pod-created'));
  assert.ok(log.filter((e) => e.reconstructed).every((e) => e.at <= t));
  const v = toSessionView(s, t);
  const restarted = v.pods[0]!.containers.filter((c) => c.restartCount > 1);
  assert.ok(restarted.length > 0);
  assert.ok(
    v.pods[0]!.gaps.some((g) => /ended before watching began/.test(g)),
    v.pods[0]!.gaps.join('; '),
  );
  for (const c of restarted) assert.ok(c.instances.every((i) => i.source === 'api'));
});

test.each(recordingNames())('%s: the state keeps no wire object (nor its metadata or managedFields), only snapshots', (name) => {
  const obs = recording(name);
  const inputs = new Set<unknown>(obs.flatMap((o) => (o.kind === 'pod' || o.kind === 'event' ? [o.object] : [])));
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    assert.ok(!inputs.has(v), `${path} is a wire object`);
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
    for (const [k, x] of entries) {
      const wire = ['metadata', 'managedFields', 'involvedObject'].includes(String(k));
      assert.ok(!(wire && x !== null && typeof x === 'object'), `${path}.${String(k)}`);
      walk(x, `${path}.${String(k)}`);
    }
  };
  walk(replayStepwise(obs), 'state');
});
