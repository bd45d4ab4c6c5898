// The events fold: Kubernetes Events attached to their pod, folded by count, waiting for their pod.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { eventsSince, initialState, lifecycleText, reduce } from '../../../src/model/index.ts';
import type { EventJson } from '../../../src/model/kube-json.ts';
import { LIMITS } from '../../../src/model/reduce/state.ts';
import { lastTime, recording, recordingNames, replayStepwise, vary } from '../../helpers/fixtures.ts';

test.each(recordingNames())('%s: every Event about a pod seen is attached to it (by UID), once per key', (name) => {
  const obs = recording(name);
  const state = replayStepwise(obs);
  const attached = new Set([...state.pods.values()].flatMap((p) => [...p.events.keys()]));
  for (const o of obs) {
    if (o.kind !== 'event' || o.object.involvedObject?.kind !== 'Pod') continue;
    const uid = o.object.involvedObject.uid;
    if (uid && !state.pods.has(uid)) continue; // a life we never saw
    assert.ok(attached.has(o.object.metadata.uid!), `${name}: ${o.object.reason} not attached`);
  }
});

test('a repeated Event is logged when its count grows, not when it is sent again unchanged', () => {
  const obs = recording('crashloop');
  const s0 = replayStepwise(obs);
  const t = lastTime(obs);
  const backoff = obs.filter((o): o is Extract<typeof o, { kind: 'event' }> => o.kind === 'event' && o.object.reason === 'BackOff').at(-1)!;
  assert.equal(reduce(s0, [{ ...backoff, observedAt: t + 1 }]), s0, 'unchanged: same state');
  const grown = vary(backoff.object, (d) => {
    d.count = (d.count ?? 1) + 1;
    d.lastTimestamp = new Date(t).toISOString();
  });
  const s1 = reduce(s0, [{ kind: 'event', verb: 'modified', observedAt: t + 2, object: grown }]);
  const logged = eventsSince(s1, s0.seq);
  assert.equal(logged.length, 1);
  assert.match(lifecycleText(logged[0]!), new RegExp(`^Warning BackOff: .* \\(x${grown.count} over \\d+s\\)$`));
});

test('Events before their pod wait (bounded) and are attached when it appears; deleted Events are ignored', () => {
  const obs = recording('config-error');
  const event = obs.find((o): o is Extract<typeof o, { kind: 'event' }> => o.kind === 'event')!;
  const t = event.observedAt;
  const many = Array.from({ length: LIMITS.eventsPerPod + 10 }, (_, i) => ({
    ...event,
    object: vary(event.object, (d: EventJson & { metadata: { uid: string } }) => (d.metadata.uid = `e-${i}`)),
  }));
  const s = reduce(initialState({ source: 'replay' }), many);
  const key = `${event.object.involvedObject!.namespace}/${event.object.involvedObject!.name}`;
  assert.equal(s.pendingEvents.get(key)!.length, LIMITS.eventsPerPod);
  assert.equal(reduce(s, [{ ...event, verb: 'deleted', observedAt: t + 1 }]), s);
  const pod = obs.find((o) => o.kind === 'pod')!;
  const s2 = reduce(s, [pod]);
  assert.equal(s2.pendingEvents.get(key), undefined);
  assert.equal([...s2.pods.values()][0]!.events.size, LIMITS.eventsPerPod);
});

test('an Event about something that is not a pod is not kept', () => {
  const event = recording('crashloop').find((o): o is Extract<typeof o, { kind: 'event' }> => o.kind === 'event')!;
  const rs = vary(event.object, (d) => (d.involvedObject = { kind: 'ReplicaSet', name: 'web-1', namespace: 'ns' }));
  const s0 = initialState({ source: 'replay' });
  assert.equal(reduce(s0, [{ ...event, object: rs }]).pendingEvents.size, 0);
});
