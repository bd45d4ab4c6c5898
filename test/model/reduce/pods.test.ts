// The pods fold: lives by UID, the pod lane, deletion, relists, unchanged versions.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { eventsSince, initialState, lifecycleText, reduce } from '../../../src/model/index.ts';
import type { Observation } from '../../../src/model/observation.ts';
import { lastTime, podSnapshots, recording, recordingNames, replayStepwise, vary } from '../../helpers/fixtures.ts';

test.each(recordingNames())('%s: the pod lane is well formed and ends in the last STATUS', (name) => {
  const state = replayStepwise(recording(name));
  for (const pod of state.pods.values()) {
    const spans = pod.podSpans;
    assert.ok(spans.length > 0, pod.name);
    spans.forEach((s, i) => {
      if (i < spans.length - 1) assert.notEqual(s.to, undefined, `${name}/${pod.name}: ${s.label} left open`);
      if (s.to !== undefined) assert.ok(s.to >= s.from);
    });
    if (pod.deleted) assert.notEqual(spans.at(-1)!.to, undefined, 'a deleted pod has no open span');
  }
});

test.each(recordingNames())('%s: seen late, the phase history before the first observation is rebuilt and marked', (name) => {
  for (const raw of podSnapshots(recording(name)).slice(-1)) {
    const t = lastTime(recording(name)) + 60_000;
    const s = reduce(initialState({ source: 'cluster' }), [{ kind: 'pod', verb: 'list', observedAt: t, object: raw }]);
    const pod = [...s.pods.values()][0]!;
    const created = Date.parse(raw.metadata.creationTimestamp!);
    assert.equal(pod.podSpans[0]!.from, created);
    assert.equal(pod.podSpans[0]!.label, 'Pending');
    assert.ok(pod.podSpans.slice(0, -1).every((x) => x.reconstructed));
    assert.equal(pod.podSpans.at(-1)!.reconstructed, false);
    const seen = eventsSince(s, 0).at(-1)!;
    assert.equal(seen.kind, 'pod-seen');
    assert.match(lifecycleText(seen), /^watching: STATUS \S+, READY \d+\/\d+, RESTARTS \d+, phase \w+$/);
  }
});

test('the deletion as first requested is kept: the deadline and grace period of the first deletionTimestamp', () => {
  const obs = recording('grace');
  const state = replayStepwise(obs);
  const pod = [...state.pods.values()][0]!;
  const first = podSnapshots(obs).find((p) => p.metadata.deletionTimestamp)!;
  assert.deepEqual(pod.deletionRequest, {
    deadline: Date.parse(first.metadata.deletionTimestamp!),
    gracePeriodSeconds: first.metadata.deletionGracePeriodSeconds,
  });
  const firstSeen = obs.find((o) => o.kind === 'pod' && o.object.metadata.deletionTimestamp)!;
  assert.equal(pod.deletionSeenAt, firstSeen.observedAt);
});

test('an object with the resourceVersion already folded changes nothing', () => {
  const obs = recording('crashloop');
  const s = replayStepwise(obs);
  const last = obs.filter((o) => o.kind === 'pod').at(-1)!;
  assert.equal(reduce(s, [{ ...last, observedAt: last.observedAt + 5000 }]), s);
});

test('a late watch event about a deleted pod is ignored; a deleted verb marks it deleted once', () => {
  const obs = recording('sidecar');
  const s0 = replayStepwise(obs);
  const last = podSnapshots(obs).at(-1)!;
  const t = lastTime(obs);
  const s1 = reduce(s0, [{ kind: 'pod', verb: 'deleted', observedAt: t + 1, object: last }]);
  const s2 = reduce(s1, [
    { kind: 'pod', verb: 'modified', observedAt: t + 2, object: vary(last, (d) => (d.metadata.resourceVersion = '1')) },
    { kind: 'pod', verb: 'deleted', observedAt: t + 3, object: last },
  ]);
  assert.equal(s2.pods.get(last.metadata.uid!)!.deletedAt, t + 1);
  assert.equal(eventsSince(s2, 0).filter((e) => e.kind === 'deleted').length, 1);
});

test('lives: every UID under a name, in the order seen; the earlier one is marked replaced', () => {
  const obs = recording('sidecar');
  const raw = podSnapshots(obs).at(-1)!;
  const t = lastTime(obs);
  const lives = ['b0b0b0b0-0000-4000-8000-000000000002', 'b0b0b0b0-0000-4000-8000-000000000003'];
  const s = reduce(
    replayStepwise(obs),
    lives.map((uid, i): Observation => ({
      kind: 'pod',
      verb: 'added',
      observedAt: t + 1000 * (i + 1),
      object: vary(raw, (d) => (d.metadata.uid = uid)),
    })),
  );
  assert.deepEqual(s.lives.get(`${raw.metadata.namespace}/${raw.metadata.name}`), [raw.metadata.uid, ...lives]);
  assert.deepEqual(
    [...s.pods.values()].map((p) => [p.life, p.replaced]),
    [
      [1, true],
      [2, true],
      [3, false],
    ],
  );
});
