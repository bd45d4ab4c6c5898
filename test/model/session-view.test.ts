// toSessionView: the view-model every view draws, on the real recordings and on broken variations
// of real objects (drawn by the text and JSON printers too: what a user of -f would see).

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { initialState, reduce, toSessionView, type InstanceCause, type PodView } from '../../src/model/index.ts';
import type { PodJson } from '../../src/model/kube-json.ts';
import { toJsonPod } from '../../src/output/json.ts';
import { formatPicture } from '../../src/output/text.ts';
import { parseObjectsFile } from '../../src/sources/file.ts';
import { finalView, lastTime, podSnapshots, recording, recordingNames, replayStepwise, vary } from '../helpers/fixtures.ts';

test.each(recordingNames())('%s: a coherent picture: order, time axis, containers as the last object says', (name) => {
  const obs = recording(name);
  const state = replayStepwise(obs);
  const now = lastTime(obs);
  const view = toSessionView(state, now);
  // Current lives first, then by namespace/name.
  const currentFlags = view.pods.map((p) => p.current);
  assert.deepEqual(
    currentFlags,
    [...currentFlags].sort((a, b) => Number(b) - Number(a)),
  );
  for (const pod of view.pods) {
    const rec = state.pods.get(pod.uid)!;
    assert.deepEqual(
      pod.containers.map((c) => c.name),
      rec.snapshot.containers.map((c) => c.name),
    );
    for (const c of pod.containers) {
      const s = rec.snapshot.containers.find((x) => x.name === c.name)!.status;
      assert.equal(c.state, s?.state?.state ?? 'unknown');
      assert.equal(c.restartCount, s?.restartCount ?? 0);
      // Instances oldest first; at most the last one runs.
      assert.deepEqual(
        c.instances.map((i) => i.attempt),
        [...c.instances.map((i) => i.attempt)].sort((a, b) => a - b),
      );
      assert.ok(
        c.instances.slice(0, -1).every((i) => !i.running),
        `${name}/${c.name}: only the last instance may run`,
      );
      for (const seg of c.lane.segments) assert.ok(seg.to === undefined || seg.to >= seg.from, `${name}/${c.name} ${seg.label}`);
    }
    assert.ok(pod.timeRange.from <= pod.timeRange.to);
    for (const seg of [...pod.lane.segments, ...pod.containers.flatMap((c) => c.lane.segments)]) assert.ok(seg.from >= pod.timeRange.from);
    assert.ok(!pod.gaps.some((g) => g.startsWith('unreadable')), pod.gaps.join('; '));
  }
});

test('the same record at the same time gives the same PodView object; another time a new one', () => {
  const obs = recording('crashloop');
  const state = replayStepwise(obs);
  const t = lastTime(obs);
  const a = toSessionView(state, t).pods[0]!;
  assert.equal(toSessionView(state, t).pods[0], a);
  assert.notEqual(toSessionView(state, t + 1000).pods[0], a);
});

// What ended each instance, from evidence only, on the scenarios recorded on the real cluster.
test.each<[string, string, InstanceCause]>([
  ['oom', 'hog', 'oom'],
  ['liveness', 'exec', 'liveness'],
  ['poststart', 'app', 'postStart'],
  ['grace', 'app', 'grace-period'],
  ['eviction', 'writer', 'eviction'],
  ['crashloop', 'app', 'exit'],
])('%s: instances of %s ended by %s', (name, container, cause) => {
  const c = finalView(name).pods[0]!.containers.find((x) => x.name === container)!;
  const causes = c.instances.filter((i) => !i.running).map((i) => i.cause);
  assert.ok(causes.includes(cause), `${name}/${container}: ${causes.join(', ')}`);
});

/** The view of one real pod object with changes, as a file gives it, with both printers' output. */
function asFile(name: string, change: (d: any) => void): { pod: PodView; text: string; json: Record<string, any> } {
  const obs = recording(name);
  const raw = vary(podSnapshots(obs).at(-1)!, change) as PodJson;
  const now = lastTime(obs);
  const view = toSessionView(reduce(initialState({ source: 'file' }), [{ kind: 'pod', verb: 'list', observedAt: now, object: raw }]), now);
  const pod = view.pods[0]!;
  return { pod, text: formatPicture(view, pod, { width: 120, color: false }), json: toJsonPod(pod, now) as Record<string, any> };
}

test('restartCount "3" reads as 3: RESTARTS 3, never 03; JSON numbers stay numbers', () => {
  const { pod, text, json } = asFile('crashloop', (d) => {
    d.status.containerStatuses[0].restartCount = String(d.status.containerStatuses[0].restartCount);
  });
  const want = podSnapshots(recording('crashloop')).at(-1)!.status!.containerStatuses![0]!.restartCount!;
  assert.equal(pod.restarts, want);
  assert.match(text, new RegExp(`RESTARTS ${want} \\(`));
  assert.equal(json['restarts'], want);
  assert.equal(json['containers'][0].restartCount, want);
  assert.ok(pod.gaps.some((g) => /^unreadable status\.containerStatuses\{app\}\.restartCount: the string/.test(g)));
  assert.match(text, /Not known[\s\S]*unreadable status\.containerStatuses\{app\}\.restartCount/);
});

test("Python YAML's timestamps: the picture is drawn with the pod's real times, not as of 1970", () => {
  const py = (t: string): string =>
    new Date(Date.parse(t))
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '+00:00');
  const { pod, text } = asFile('crashloop', (d) => {
    d.metadata.creationTimestamp = py(d.metadata.creationTimestamp);
    d.status.startTime = py(d.status.startTime);
    for (const s of d.status.containerStatuses)
      for (const st of [s.state, s.lastState])
        for (const v of Object.values(st ?? {}) as Record<string, string>[])
          for (const k of ['startedAt', 'finishedAt']) if (v?.[k]) v[k] = py(v[k]);
  });
  const raw = podSnapshots(recording('crashloop')).at(-1)!;
  assert.equal(pod.createdAt, Date.parse(raw.metadata.creationTimestamp!));
  assert.equal(
    pod.containers[0]!.lastTermination?.finishedAt,
    Date.parse(raw.status!.containerStatuses![0]!.lastState!.terminated!.finishedAt!),
  );
  assert.doesNotMatch(text, /<invalid>|1970/);
  assert.deepEqual(
    pod.gaps.filter((g) => g.startsWith('unreadable')),
    [],
  );
});

test('a timestamp far in the future is a note, not "980y ago"', () => {
  const { pod, text } = asFile('crashloop', (d) => (d.metadata.creationTimestamp = '3006-01-01T00:00:00Z'));
  assert.equal(pod.createdAt, undefined);
  assert.doesNotMatch(text, /\d+y/);
  assert.ok(
    pod.gaps.some((g) => /metadata\.creationTimestamp: 3006-01-01T00:00:00Z is later than the observation by more than a day/.test(g)),
  );
});

// The inputs issue #11 found crashing the text output: each draws, with a "?" where a name was.
test.each<[string, (d: any) => void, RegExp]>([
  ['a condition without a type', (d) => delete d.status.conditions[0].type, /^ {2}\? +\S/m],
  ['a container without a name', (d) => delete d.spec.containers[0].name, /^ {2}\? \(regular\)/m],
  [
    'a container status without a name',
    (d) => delete d.status.containerStatuses[0].name,
    /unreadable status\.containerStatuses\[0\]\.name: missing/,
  ],
  ['a probe that is a number', (d) => (d.spec.containers[0].livenessProbe = 5), /unreadable spec\.containers\{app\}\.livenessProbe: 5/],
  [
    'a back-off message with an absurd delay',
    (d) =>
      (d.status.containerStatuses[0].state = {
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 99999999999999h restarting failed container=app pod=x_y(z)' },
      }),
    /back-off delay not stated/,
  ],
  ['conditions as an object', (d) => (d.status.conditions = { Ready: 'True' }), /Conditions\n {2}\(none reported\)/],
])('text output: %s', (_what, change, want) => {
  const { text, json } = asFile('crashloop', change);
  assert.match(text, want);
  assert.doesNotMatch(text + JSON.stringify(json), /undefined|NaN|Invalid Date|\[object Object\]/);
});

test('-f with an object nested a hundred thousand deep and Python timestamps: drawn, the deep field named', () => {
  const raw = podSnapshots(recording('crashloop')).at(-1)!;
  const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
  const py = raw.metadata.creationTimestamp!.replace('T', ' ').replace('Z', '+00:00');
  const text = JSON.stringify(vary(raw, (d) => (d.metadata.creationTimestamp = py))).replace(/"status":\{/, `"status":{"message":${deep},`);
  const parsed = parseObjectsFile(text, 'deep.json');
  assert.ok(parsed.asOf > Date.parse('2026-01-01T00:00:00Z'), 'as of the file, not of 1970');
  const state = reduce(initialState({ source: 'file' }), parsed.observations);
  const view = toSessionView(state, parsed.asOf);
  const pod = view.pods[0]!;
  assert.equal(pod.createdAt, Date.parse(raw.metadata.creationTimestamp!));
  assert.ok(pod.gaps.includes('unreadable status.message: an object where a string belongs, ignored'), pod.gaps.join('; '));
  assert.match(formatPicture(view, pod, { width: 100, color: false }), /STATUS Error  READY 0\/1  RESTARTS 5 \(/);
});
