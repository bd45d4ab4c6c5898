// The logs fold: a log tail goes to its instance (by containerID, else the last ended one).

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { eventsSince, lifecycleText, reduce } from '../../../src/model/index.ts';
import type { Observation } from '../../../src/model/observation.ts';
import { lastTime, recording, replayStepwise } from '../../helpers/fixtures.ts';

const obs = recording('oom');
const base = replayStepwise(obs.filter((o) => o.kind !== 'logs'));
const pod = [...base.pods.values()][0]!;
const hog = pod.containers.get('hog')!;
const t = lastTime(obs);
const logs = (o: Partial<Extract<Observation, { kind: 'logs' }>>): Observation => ({
  kind: 'logs',
  observedAt: t + 1,
  podUid: pod.uid,
  container: 'hog',
  containerID: undefined,
  previous: true,
  lines: ['allocating', 'allocating more'],
  note: undefined,
  ...o,
});

test.each<[string, Partial<Extract<Observation, { kind: 'logs' }>>, number]>([
  ['by containerID', { containerID: hog.instances[0]!.containerID }, 0],
  ['previous, no ID: the last ended instance', { previous: true }, hog.instances.findLastIndex((i) => !i.running)],
  ['current, no ID: the last instance', { previous: false }, hog.instances.length - 1],
])('a log tail attaches %s', (_what, o, index) => {
  const s = reduce(base, [logs(o)]);
  const inst = [...s.pods.values()][0]!.containers.get('hog')!.instances[index]!;
  assert.deepEqual(inst.logTail, ['allocating', 'allocating more']);
  const e = eventsSince(s, base.seq);
  assert.equal(e.length, 1);
  assert.equal(lifecycleText(e[0]!), `log tail of instance ${inst.attempt} (2 lines)`);
});

test('the same lines again, or lines for an unknown pod or container, change nothing', () => {
  const s = reduce(base, [logs({})]);
  assert.equal(reduce(s, [logs({ observedAt: t + 2 })]), s);
  assert.equal(reduce(base, [logs({ podUid: 'nope' })]), base);
  assert.equal(reduce(base, [logs({ container: 'nope' })]), base);
});

test('no lines: the note says why', () => {
  const s = reduce(base, [logs({ lines: [], note: 'logs forbidden by RBAC' })]);
  assert.match(lifecycleText(eventsSince(s, base.seq)[0]!), /^no log lines for instance \d+: logs forbidden by RBAC$/);
});
