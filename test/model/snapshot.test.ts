// Wire JSON -> snapshots: every real object reads without a note and with the facts it carries;
// any broken object still reads, with what could not be read named.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { EventJson, PodJson } from '../../src/model/kube-json.ts';
import { eventFacts, podSnapshot, type PodSnapshot } from '../../src/model/snapshot.ts';
import { parseObjectsFile } from '../../src/sources/file.ts';
import { podSnapshots, publicFixtures, recording, recordingNames, vary } from '../helpers/fixtures.ts';

const AFTER_ALL = Date.parse('2030-01-01T00:00:00Z');

/** Every pod and event object of the recordings and fixtures, with the time it was observed. */
const realObjects = [
  ...recordingNames().map((name) => ({ name: `recording ${name}`, observations: recording(name) })),
  ...publicFixtures().map((f) => ({ name: `fixture ${f.name}`, observations: parseObjectsFile(f.text, f.name).observations })),
];

test.each(realObjects)('$name: every pod reads without a note, with the facts of the wire object', ({ observations }) => {
  for (const o of observations) {
    if (o.kind !== 'pod') continue;
    const raw = o.object;
    const s = podSnapshot(raw, o.observedAt);
    assert.deepEqual(s.unreadable, [], `${raw.metadata.name}`);
    assert.equal(s.name, raw.metadata.name);
    assert.equal(s.uid, raw.metadata.uid);
    assert.equal(s.namespace, raw.metadata.namespace);
    assert.equal(s.resourceVersion, raw.metadata.resourceVersion);
    assert.equal(s.phase, raw.status?.phase);
    assert.equal(s.createdAt, Date.parse(raw.metadata.creationTimestamp!));
    assert.equal(s.conditions.length, (raw.status?.conditions ?? []).length);
    const statuses = [
      ...(raw.status?.initContainerStatuses ?? []),
      ...(raw.status?.containerStatuses ?? []),
      ...(raw.status?.ephemeralContainerStatuses ?? []),
    ];
    for (const w of statuses) {
      const c = s.containers.find((x) => x.name === w.name)?.status;
      assert.ok(c, `status of ${w.name}`);
      assert.equal(c.restartCount, w.restartCount ?? 0);
      assert.equal(c.ready, w.ready ?? false);
      assert.equal(c.containerID, w.containerID || undefined);
      const state = Object.keys(w.state ?? {}).find((k) => (w.state as Record<string, unknown>)[k]);
      assert.equal(c.state?.state, state);
      if (w.lastState?.terminated) assert.equal(c.lastState?.exitCode, w.lastState.terminated.exitCode);
    }
    // Containers in lifecycle order: init (and sidecars), regular, ephemeral; every spec and status once.
    const specNames = [...(raw.spec?.initContainers ?? []), ...(raw.spec?.containers ?? []), ...(raw.spec?.ephemeralContainers ?? [])].map(
      (c) => c.name,
    );
    assert.deepEqual(
      s.containers.filter((c) => c.spec).map((c) => c.name),
      specNames,
    );
  }
});

test.each(realObjects)('$name: every event reads without a note', ({ observations }) => {
  for (const o of observations) {
    if (o.kind !== 'event') continue;
    const f = eventFacts(o.object, o.observedAt);
    assert.deepEqual(f.unreadable, [], `${o.object.reason}`);
    assert.equal(f.reason, o.object.reason);
    assert.ok(f.count >= 1);
    assert.ok(f.lastAt === undefined || f.firstAt === undefined || f.lastAt >= f.firstAt);
  }
});

/** A real pod with several containers, conditions and probes: the liveness scenario's last object. */
const base = (): PodJson => podSnapshots(recording('liveness')).at(-1)!;
const read = (change: (d: any) => void): PodSnapshot => podSnapshot(vary(base(), change), AFTER_ALL);
const noted = (s: PodSnapshot, field: RegExp): void =>
  assert.ok(
    s.unreadable.some((n) => field.test(n)),
    `a note naming ${field}; got: ${s.unreadable.join(' | ')}`,
  );

// The inputs issue #11 found crashing the model, and their neighbours: each reads, with a note.
test.each<[string, (d: any) => void, (s: PodSnapshot) => void]>([
  [
    'a null entry in conditions',
    (d) => (d.status.conditions[1] = null),
    (s) => {
      noted(s, /^status\.conditions\[1\]: null where an object belongs, skipped/);
      assert.equal(s.conditions.length, base().status!.conditions!.length - 1);
    },
  ],
  ['a string entry in conditions', (d) => d.status.conditions.push('Ready'), (s) => noted(s, /^status\.conditions\[\d\]: "Ready"/)],
  [
    'conditions that are not a list',
    (d) => (d.status.conditions = { Ready: 'True' }),
    (s) => noted(s, /^status\.conditions: an object where a list/),
  ],
  [
    'containerStatuses that are not a list',
    (d) => (d.status.containerStatuses = 'running'),
    (s) => {
      noted(s, /^status\.containerStatuses: "running" where a list belongs/);
      assert.ok(s.containers.every((c) => c.type !== 'regular' || c.status === undefined));
    },
  ],
  ['spec.containers as an object', (d) => (d.spec.containers = { name: 'x' }), (s) => noted(s, /^spec\.containers: an object/)],
  [
    'a probe that is a number',
    (d) => (d.spec.containers[0].livenessProbe = 5),
    (s) => {
      noted(s, /^spec\.containers\{\w+\}\.livenessProbe: 5 where an object belongs/);
      assert.ok(s.specs.regular[0]!.probes.every((p) => p.kind !== 'liveness'));
    },
  ],
  [
    'a condition without a type',
    (d) => delete d.status.conditions[0].type,
    (s) => {
      noted(s, /^status\.conditions\[0\]\.type: missing, shown as "\?"/);
      assert.equal(s.conditions[0]!.type, '?');
    },
  ],
  [
    'a container without a name',
    (d) => delete d.spec.containers[0].name,
    (s) => {
      noted(s, /^spec\.containers\[0\]\.name: missing, shown as "\?"/);
      assert.equal(s.specs.regular[0]!.name, '?');
    },
  ],
  [
    'two containers with the same name',
    (d) => d.spec.containers.push(d.spec.containers[0]),
    (s) => {
      noted(s, /a second entry named/);
      assert.equal(s.specs.regular.length, base().spec!.containers!.length);
    },
  ],
  [
    'a status without a spec (a ghost) is kept',
    (d) => d.status.containerStatuses.push({ ...d.status.containerStatuses[0], name: 'ghost' }),
    (s) => assert.equal(s.containers.find((c) => c.name === 'ghost')?.spec, undefined),
  ],
  [
    'restartCount as a string: read as the number, noted',
    (d) => (d.status.containerStatuses[0].restartCount = '3'),
    (s) => {
      noted(s, /restartCount: the string "3" where a number belongs, read as 3/);
      assert.equal(s.statuses.regular[0]!.restartCount, 3);
    },
  ],
  [
    'restartCount as a word: unknown (0), noted',
    (d) => (d.status.containerStatuses[0].restartCount = 'three'),
    (s) => {
      noted(s, /restartCount: "three" where a number belongs, ignored/);
      assert.equal(s.statuses.regular[0]!.restartCount, 0);
    },
  ],
  [
    'a huge exit code is not an int32',
    (d) => (d.status.containerStatuses[0].lastState = { terminated: { exitCode: 2 ** 40, reason: 'Error' } }),
    (s) => {
      noted(s, /exitCode: 1099511627776 is out of range/);
      assert.equal(s.statuses.regular[0]!.lastState?.exitCode, undefined);
    },
  ],
  [
    'a non-finite number (YAML .inf)',
    (d) => (d.spec.containers[0].livenessProbe.periodSeconds = Infinity),
    (s) => noted(s, /periodSeconds: Infinity is not a usable number/),
  ],
  [
    'ready as the string "true"',
    (d) => (d.status.containerStatuses[0].ready = 'true'),
    (s) => {
      noted(s, /ready: the string "true" where a boolean belongs, read as true/);
      assert.equal(s.statuses.regular[0]!.ready, true);
    },
  ],
  [
    'a state with an unknown key',
    (d) => (d.status.containerStatuses[0].state = { exploded: {} }),
    (s) => {
      noted(s, /state\.exploded: not a container state/);
      assert.equal(s.statuses.regular[0]!.state, undefined);
    },
  ],
  [
    'an object nested thousands deep where a string belongs',
    (d) => {
      let v: unknown = 'x';
      for (let i = 0; i < 100_000; i++) v = { v };
      d.status.message = v;
    },
    (s) => {
      noted(s, /^status\.message: an object where a string belongs, ignored/);
      assert.equal(s.message, undefined);
    },
  ],
  [
    'the whole status is a number',
    (d) => (d.status = 7),
    (s) => {
      noted(s, /^status: 7 where an object belongs/);
      assert.equal(s.phase, undefined);
    },
  ],
  [
    "Python YAML's timestamps read as times, without a note",
    (d) => (d.metadata.creationTimestamp = '2026-11-25 05:43:05+00:00'),
    (s) => {
      assert.equal(s.createdAt, Date.UTC(2026, 10, 25, 5, 43, 5));
      assert.deepEqual(s.unreadable, []);
    },
  ],
  [
    'a timestamp that is not one',
    (d) => (d.status.startTime = 'last tuesday'),
    (s) => {
      noted(s, /^status\.startTime: "last tuesday" is not a time, ignored/);
      assert.equal(s.startTime, undefined);
    },
  ],
  [
    'a number of names is read as text',
    (d) => (d.spec.nodeName = 42),
    (s) => {
      noted(s, /^spec\.nodeName: 42 where a string belongs, read as text/);
      assert.equal(s.nodeName, '42');
    },
  ],
  [
    'quantities written as numbers (cpu: 1) are quantities',
    (d) => (d.spec.containers[0].resources = { limits: { cpu: 1, memory: '64Mi' } }),
    (s) => {
      assert.equal(s.specs.regular[0]!.limits.cpu, '1');
      assert.deepEqual(s.unreadable, []);
    },
  ],
])('%s', (_what, change, check) => {
  check(read(change));
});

test('a timestamp later than the observation: kept within a minute, noted as clock skew within a day, unknown beyond', () => {
  const pod = base();
  const at = Date.parse(pod.status!.startTime!);
  const within = podSnapshot(pod, at - 30_000);
  assert.equal(within.startTime, at);
  assert.ok(!within.unreadable.some((n) => n.startsWith('status.startTime')));
  const later = Date.parse('2026-11-25T07:00:00Z'); // after every time of the object
  const skewed = podSnapshot(
    vary(pod, (d) => (d.status.startTime = '2026-11-25T07:05:00Z')),
    later,
  );
  assert.equal(skewed.startTime, later + 5 * 60_000);
  assert.deepEqual(skewed.unreadable, ['status.startTime: 2026-11-25T07:05:00Z is 5m later than the observation (clock skew?)']);
  const future = podSnapshot(
    vary(pod, (d) => (d.status.startTime = '2996-01-01T00:00:00Z')),
    at,
  );
  assert.equal(future.startTime, undefined);
  noted(future, /^status\.startTime: 2996-01-01T00:00:00Z is later than the observation by more than a day, ignored/);
  // The deletion deadline is in the future by design.
  const deleting = podSnapshot(
    vary(pod, (d) => {
      d.metadata.deletionTimestamp = '2996-01-01T00:00:00Z';
      d.metadata.deletionGracePeriodSeconds = 30;
    }),
    at,
  );
  assert.deepEqual(deleting.deletion, { deadline: Date.UTC(2996, 0, 1), gracePeriodSeconds: 30 });
});

test('notes are bounded: a broken object does not fill the screen', () => {
  const s = read((d) => {
    d.status.conditions = Array.from({ length: 100 }, () => null);
  });
  assert.equal(s.unreadable.length, 13);
  assert.match(s.unreadable.at(-1)!, /^88 more unreadable field\(s\)$/);
});

test.each<unknown>([null, undefined, 5, 'pod', [], [{}], { metadata: 5 }, { metadata: { name: ['x'] } }])('%j reads as a pod', (v) => {
  const s = podSnapshot(v, AFTER_ALL);
  assert.equal(typeof s.name, 'string');
  assert.equal(typeof s.uid, 'string');
  assert.deepEqual(s.containers, []);
});

test.each<[string, Partial<EventJson> | unknown, (f: ReturnType<typeof eventFacts>) => void]>([
  [
    'events.k8s.io series: count and last time from the series',
    {
      metadata: { name: 'e', namespace: 'ns', uid: 'u1' },
      involvedObject: { kind: 'Pod', name: 'p', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      type: 'Warning',
      eventTime: '2026-11-25T05:43:05.557556Z',
      series: { count: 7, lastObservedTime: '2026-11-25T05:50:00.000000Z' },
    },
    (f) => {
      assert.equal(f.count, 7);
      assert.equal(f.firstAt, Date.UTC(2026, 10, 25, 5, 43, 5) + 557);
      assert.equal(f.lastAt, Date.UTC(2026, 10, 25, 5, 50));
      assert.equal(f.container, 'app');
      assert.equal(f.key, 'u1');
    },
  ],
  [
    'an event about another kind is not about a pod',
    { metadata: { name: 'e' }, involvedObject: { kind: 'ReplicaSet', name: 'rs' }, reason: 'SuccessfulCreate' },
    (f) => assert.equal(f.podName, undefined),
  ],
  [
    'no metadata, count as a string, message as a number',
    { involvedObject: { name: 'p' }, reason: 'Failed', count: '4', message: 12 },
    (f) => {
      assert.equal(f.count, 4);
      assert.equal(f.message, '12');
      assert.ok(f.unreadable.some((n) => /^count: the string "4"/.test(n)));
      assert.ok(f.unreadable.some((n) => /^message: 12 where a string belongs/.test(n)));
    },
  ],
  ['not an object at all', 'Warning', (f) => assert.equal(f.podName, undefined)],
])('event: %s', (_what, input, check) => {
  check(eventFacts(input, AFTER_ALL));
});
