// diffPod: the one interpreter of a change, on consecutive snapshots of the real recordings and on
// variations of them.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { diffPod } from '../../src/model/diff-pod.ts';
import type { DraftEvent } from '../../src/model/lifecycle-event.ts';
import { lifecycleText } from '../../src/model/lifecycle-text.ts';
import type { PodJson } from '../../src/model/kube-json.ts';
import { podSnapshot, type PodSnapshot } from '../../src/model/snapshot.ts';
import { podSnapshots, recording, recordingNames, replayStepwise, vary } from '../helpers/fixtures.ts';

/** Consecutive snapshots of each pod (by UID) of a recording, as the reducer sees them. */
function pairs(name: string): { prev: PodSnapshot | undefined; next: PodSnapshot; observedAt: number }[] {
  const last = new Map<string, PodSnapshot>();
  const out: { prev: PodSnapshot | undefined; next: PodSnapshot; observedAt: number }[] = [];
  for (const o of recording(name)) {
    if (o.kind !== 'pod') continue;
    const next = podSnapshot(o.object, o.observedAt);
    const prev = last.get(next.uid);
    if (prev?.resourceVersion === next.resourceVersion) continue;
    out.push({ prev, next, observedAt: o.observedAt });
    last.set(next.uid, next);
  }
  return out;
}

const logged = (events: readonly DraftEvent[]): DraftEvent[] => events.filter((e) => !e.quiet);
const text = (e: DraftEvent): string => lifecycleText({ ...e, seq: 0 });

test.each(recordingNames())('%s: an unchanged snapshot gives only quiet events', (name) => {
  for (const { next, observedAt } of pairs(name)) assert.deepEqual(logged(diffPod(next, next, observedAt)).map(text), []);
});

test.each(recordingNames())('%s: every restart is a higher restartCount or a new containerID, and says how many were missed', (name) => {
  for (const { prev, next, observedAt } of pairs(name)) {
    for (const e of diffPod(prev, next, observedAt)) {
      if (e.kind !== 'container-restarted') continue;
      const p = prev!.containers.find((c) => c.name === e.container)!.status!;
      const n = next.containers.find((c) => c.name === e.container)!.status!;
      const newID = (n.state?.containerID ?? n.containerID) !== (p.state?.containerID ?? p.containerID);
      assert.ok(n.restartCount > p.restartCount || newID, `${name}: ${e.container} restarted without evidence`);
      assert.equal(e.restartCount, n.restartCount);
      assert.equal(e.missed, Math.max(0, n.restartCount - p.restartCount - 1));
    }
  }
});

test.each(recordingNames())('%s: terminations carry the instance facts the reducer folds', (name) => {
  for (const { prev, next, observedAt } of pairs(name)) {
    for (const e of diffPod(prev, next, observedAt)) {
      if (e.kind !== 'container-terminated') continue;
      assert.equal(e.containerID, e.termination.containerID);
      assert.equal(e.exitCode, e.termination.exitCode);
      assert.equal(e.reason, e.termination.reason);
      assert.ok(e.attempt >= -1);
    }
  }
});

// The reducer folds only the diff's events: the instances it keeps are exactly those the diff
// reported, by containerID, and each ended one was reported terminated (logged or quiet).
test.each(recordingNames())('%s: the instances kept are the ones the diff reported', (name) => {
  const running = new Map<string, Set<string>>();
  const ended = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, id: string | undefined): void => {
    if (id !== undefined) m.set(k, (m.get(k) ?? new Set()).add(id));
  };
  for (const { prev, next, observedAt } of pairs(name))
    for (const e of diffPod(prev, next, observedAt)) {
      const k = `${e.podUid}/${e.container}`;
      if (e.kind === 'container-running' && e.current) add(running, k, e.containerID);
      if (e.kind === 'container-terminated' && e.attempt >= 0) add(ended, k, e.containerID);
    }
  const state = replayStepwise(recording(name));
  for (const pod of state.pods.values())
    for (const c of pod.containers.values()) {
      const k = `${pod.uid}/${c.name}`;
      for (const i of c.instances) {
        if (i.containerID === undefined) continue;
        assert.ok(running.get(k)?.has(i.containerID) || ended.get(k)?.has(i.containerID), `${name}: ${k} ${i.containerID} not reported`);
        if (!i.running && i.exitCode !== undefined)
          assert.ok(ended.get(k)?.has(i.containerID), `${name}: ${i.containerID} ended unreported`);
      }
    }
});

/** Two snapshots of a real pod: the last one of a recording, and a variation of it. */
function change(name: string, pick: (p: PodJson) => boolean, edit: (d: any) => void, observedAt = Date.parse('2030-01-01T00:00:00Z')) {
  const raw = podSnapshots(recording(name)).filter(pick).at(-1)!;
  const prev = podSnapshot(raw, observedAt);
  const next = podSnapshot(
    vary(raw, (d) => {
      d.metadata.resourceVersion = '999999';
      edit(d);
    }),
    observedAt,
  );
  return diffPod(prev, next, observedAt);
}

const running = (p: PodJson): boolean => p.status?.containerStatuses?.[0]?.state?.running != null;

test.each<[string, () => DraftEvent[], string[]]>([
  [
    'restartCount jumped by three: a restart, two not observed',
    () =>
      change('crashloop', running, (d) => {
        const s = d.status.containerStatuses[0];
        s.restartCount += 3;
        s.containerID = 'containerd://new';
        s.state = { running: { startedAt: '2026-11-25T06:00:00Z' } };
      }),
    // Stamped when reported; the process's own start is told beside it when it is seconds earlier.
    [
      '[app] restarted (restart {n}); 2 restart(s) in between were not observed',
      '[app] running (instance {n}); the process started 06:00:00',
    ],
  ],
  [
    'a new containerID with the same restartCount is a restart',
    () => change('crashloop', running, (d) => (d.status.containerStatuses[0].containerID = 'containerd://other')),
    ['[app] restarted (restart {n})'],
  ],
  [
    'running to waiting with the termination only in lastState: the termination is reported first',
    () =>
      change('crashloop', running, (d) => {
        const s = d.status.containerStatuses[0];
        s.lastState = {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: s.state.running.startedAt,
            finishedAt: '2026-11-25T05:50:00Z',
            containerID: s.containerID,
          },
        };
        s.state = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=app pod=x_y(z)' } };
        s.ready = false;
      }),
    [
      '[app] terminated: Error, exit 1 after {run}',
      '[app] waiting: CrashLoopBackOff',
      '[app] back-off 40s (next attempt at 05:50:40)',
      '[app] not ready',
    ],
  ],
  [
    'deletion: the end of the grace period (deletionTimestamp) and the grace period',
    () =>
      change(
        'sidecar',
        () => true,
        (d) => {
          d.metadata.deletionTimestamp = '2026-11-25T06:00:30Z';
          d.metadata.deletionGracePeriodSeconds = 30;
        },
      ),
    ['deleting: grace period 30s, ends 06:00:30 (deletionTimestamp)'],
  ],
  [
    'a condition that changed reason only',
    () =>
      change(
        'oom',
        () => true,
        (d) => {
          const c = d.status.conditions.find((x: { type: string }) => x.type === 'Ready');
          c.reason = 'SomethingElse';
        },
      ),
    ['Ready=False (SomethingElse{any})'],
  ],
  [
    'a status reason appears (eviction)',
    () =>
      change(
        'sidecar',
        () => true,
        (d) => {
          d.status.reason = 'Evicted';
          d.status.message = 'The node was low on resource: memory.';
        },
      ),
    ['Evicted: The node was low on resource: memory.'],
  ],
])('%s', (_what, events, want) => {
  const got = logged(events()).map((e) => `${e.container ? `[${e.container}] ` : ''}${text(e)}`);
  assert.equal(got.length, want.length, got.join('\n'));
  want.forEach((w, i) => {
    const re = new RegExp(
      `^${w
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{n\}/g, '\\d+')
        .replace(/\{run\}/g, '\\S+')
        .replace(/\{any\}/g, '.*')}$`,
    );
    assert.match(got[i]!, re);
  });
});

test('first sight: the past the object carries is reconstructed from its timestamps and marked as such', () => {
  const raw = podSnapshots(recording('liveness')).at(-1)!;
  const t = Date.parse('2026-11-25T07:00:00Z');
  const events = diffPod(undefined, podSnapshot(raw, t), t);
  const created = events.find((e) => e.kind === 'pod-created')!;
  assert.equal(created.at, Date.parse(raw.metadata.creationTimestamp!));
  assert.equal(created.reconstructed, true);
  // The previous instance of a restarted container: its start and its end, reconstructed.
  const restarted = raw.status!.containerStatuses!.find((s) => (s.restartCount ?? 0) > 0 && s.lastState?.terminated)!;
  const prev = events.filter(
    (e) => e.container === restarted.name && !e.quiet && (e.kind === 'container-running' || e.kind === 'container-terminated'),
  );
  const last = restarted.lastState!.terminated!;
  assert.deepEqual(
    prev.filter((e) => e.containerID === last.containerID).map((e) => [e.kind, e.at, e.reconstructed]),
    [
      ['container-running', Date.parse(last.startedAt!), true],
      ['container-terminated', Date.parse(last.finishedAt!), true],
    ],
  );
  // Nothing is dated after the observation.
  for (const e of logged(events)) assert.ok(e.at <= t, `${e.kind} at ${e.at}`);
});

test('the back-off delay is reported once per new delay, restated quietly for the reducer', () => {
  const pods = pairs('crashloop');
  const backoffs = pods.flatMap(({ prev, next, observedAt }) => diffPod(prev, next, observedAt).filter((e) => e.kind === 'backoff'));
  assert.ok(backoffs.length > 0);
  const spoken = backoffs.filter((e) => !e.quiet).map((e) => (e.kind === 'backoff' ? e.delaySeconds : 0));
  assert.deepEqual(spoken.slice(0, 3), [10, 20, 40]);
  for (const e of backoffs) assert.equal(e.reason, 'CrashLoopBackOff');
});

test.each(recordingNames())('%s: one current-state event per container status and observation', (name) => {
  for (const { prev, next, observedAt } of pairs(name)) {
    const events = diffPod(prev, next, observedAt);
    for (const c of next.containers) {
      const states = events.filter(
        (e) =>
          e.container === c.name &&
          ((e.kind === 'container-running' && e.current) ||
            (e.kind === 'container-terminated' && e.current) ||
            e.kind === 'container-waiting' ||
            e.kind === 'container-unknown'),
      );
      assert.equal(states.length, c.status ? 1 : 0, `${name}: ${c.name}`);
    }
  }
});
