// foldContainers: instances, spans and back-off delays from the diff's events only.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { diffPod } from '../../../src/model/diff-pod.ts';
import type { DraftEvent } from '../../../src/model/lifecycle-event.ts';
import { foldContainers } from '../../../src/model/reduce/containers.ts';
import { LIMITS, type ContainerRecord } from '../../../src/model/reduce/state.ts';
import { podSnapshot, type PodSnapshot } from '../../../src/model/snapshot.ts';
import { recording, recordingNames, replayStepwise } from '../../helpers/fixtures.ts';

/** Folds a recording's pod snapshots as the reducer does: every intermediate container map, and the last one per pod. */
function fold(name: string): { steps: Map<string, ContainerRecord>[]; final: Map<string, Map<string, ContainerRecord>> } {
  const last = new Map<string, { snap: PodSnapshot; containers: Map<string, ContainerRecord> }>();
  const steps: Map<string, ContainerRecord>[] = [];
  for (const o of recording(name)) {
    if (o.kind !== 'pod') continue;
    const snap = podSnapshot(o.object, o.observedAt);
    const prev = last.get(snap.uid);
    if (prev?.snap.resourceVersion === snap.resourceVersion) continue;
    const containers = foldContainers(prev?.containers, snap.containers, diffPod(prev?.snap, snap, o.observedAt), o.observedAt);
    last.set(snap.uid, { snap, containers });
    steps.push(containers);
  }
  return { steps, final: new Map([...last].map(([uid, x]) => [uid, x.containers])) };
}

test.each(recordingNames())("%s: the reducer's containers are the diff's events folded, nothing else", (name) => {
  const state = replayStepwise(recording(name));
  const { final } = fold(name);
  for (const pod of state.pods.values()) {
    const mine = final.get(pod.uid)!;
    // Log tails come from 'logs' observations, the hook beliefs and the Events' occurrences from
    // Events (reduce/hooks.ts), not from the pod: compare without them.
    const strip = (m: ReadonlyMap<string, ContainerRecord>) =>
      [...m.values()].map((c) => ({
        ...c,
        hook: undefined,
        hookSpans: [],
        occurrences: [],
        instances: c.instances.map((i) => ({ ...i, logTail: undefined, logNote: undefined })),
      }));
    assert.deepEqual(strip(mine), strip(pod.containers), `${name}/${pod.name}`);
  }
});

test.each(recordingNames())('%s: lanes are well formed: spans in order, at most the last one open', (name) => {
  for (const m of fold(name).steps)
    for (const c of m.values()) {
      c.spans.forEach((s, i) => {
        if (i < c.spans.length - 1) assert.notEqual(s.to, undefined, `${name}/${c.name}: span ${i} (${s.label}) left open`);
        if (s.to !== undefined) assert.ok(s.to >= s.from, `${name}/${c.name}: ${s.label} ends before it begins`);
        const next = c.spans[i + 1];
        if (next) assert.ok(next.from >= s.from, `${name}/${c.name}: ${next.label} before ${s.label}`);
      });
      assert.ok(c.instances.length <= LIMITS.instances);
      assert.ok(c.instances.filter((i) => i.running).length <= 1, `${name}/${c.name}: two running instances`);
    }
});

// Hand-made events, to pin the fold rules the recordings do not reach.
const T = Date.UTC(2026, 10, 25, 6);
const entry = { name: 'app', type: 'regular' as const, spec: undefined, status: undefined };
function e(detail: Record<string, unknown>, h: Partial<DraftEvent> = {}): DraftEvent {
  return {
    at: T,
    observedAt: T,
    reconstructed: false,
    podUid: 'u',
    namespace: 'ns',
    pod: 'p',
    container: 'app',
    severity: 'info',
    reason: undefined,
    containerID: undefined,
    exitCode: undefined,
    ...h,
    ...detail,
  } as DraftEvent;
}
const term = (id: string, exitCode: number) => ({
  state: 'terminated' as const,
  reason: 'Error',
  message: undefined,
  startedAt: T - 5000,
  finishedAt: T - 1000,
  exitCode,
  signal: undefined,
  containerID: id,
});

test('a previous instance with attempt -1 (lastState while restartCount is 0) is not an instance', () => {
  const c = foldContainers(
    undefined,
    [entry],
    [e({ kind: 'container-terminated', attempt: -1, current: false, termination: term('c://x', 1), firstSight: true, span: undefined })],
    T,
  ).get('app')!;
  assert.deepEqual(c.instances, []);
});

test('a new running instance ends the one still marked running; its termination fills in the facts', () => {
  const first = foldContainers(
    undefined,
    [entry],
    [
      e(
        { kind: 'container-running', attempt: 0, current: true, startedAt: T - 5000, ready: false, firstSight: true, span: undefined },
        { containerID: 'c://a' },
      ),
    ],
    T,
  );
  const second = foldContainers(
    first,
    [entry],
    [
      e(
        { kind: 'container-terminated', attempt: 0, current: false, termination: term('c://a', 1), firstSight: false, span: undefined },
        { containerID: 'c://a', quiet: true },
      ),
      e({ kind: 'container-restarted', restartCount: 3, missed: 2 }),
      e(
        {
          kind: 'container-running',
          attempt: 3,
          current: true,
          startedAt: T,
          ready: true,
          firstSight: false,
          span: { state: 'ready', label: 'ready', from: T, reconstructed: false },
        },
        { containerID: 'c://b' },
      ),
    ],
    T + 1000,
  ).get('app')!;
  assert.deepEqual(
    second.instances.map((i) => [i.attempt, i.containerID, i.running, i.exitCode, i.source]),
    [
      [0, 'c://a', false, 1, 'api'],
      [3, 'c://b', true, undefined, 'observed'],
    ],
  );
  assert.equal(second.missedInstances, 2);
  assert.deepEqual(
    second.spans.map((s) => [s.state, s.from, s.to]),
    [['ready', T, undefined]],
  );
});

test('back-off delays: a new delay, or the same delay after a new exit, is recorded; a restatement is not', () => {
  const backoff = (s: number, finished: number) => e({ kind: 'backoff', delaySeconds: s, lastFinishedAt: finished });
  let m = foldContainers(undefined, [entry], [backoff(10, T)], T);
  m = foldContainers(m, [entry], [backoff(10, T)], T + 1000);
  m = foldContainers(m, [entry], [backoff(20, T + 2000)], T + 3000);
  m = foldContainers(m, [entry], [backoff(20, T + 5000)], T + 6000);
  assert.deepEqual(
    m.get('app')!.delays.map((d) => [d.seconds, d.at]),
    [
      [10, T],
      [20, T + 3000],
      [20, T + 6000],
    ],
  );
});

test('a container that has no status yet gets a record; unchanged, the same record comes back', () => {
  const m = foldContainers(undefined, [entry], [], T);
  const c = m.get('app')!;
  assert.deepEqual([c.instances, c.spans, c.delays], [[], [], []]);
  assert.equal(foldContainers(m, [entry], [], T + 1000).get('app'), c);
});
