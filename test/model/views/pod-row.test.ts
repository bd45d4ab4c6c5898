// The light pod rows (src/model/views/pod-row.ts) on every recording made against the real cluster:
// at every moment, each pod's row says what its detailed view says (kubectl's STATUS, READY,
// RESTARTS and AGE), made once per record; the clock-dependent texts are made for the time asked;
// findings only for failing pods; the SIGKILL countdown of a terminating pod.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  ageText,
  humanDuration,
  initialState,
  podRow,
  podViewOf,
  reduce,
  restartsText,
  sigkillText,
  type ModelState,
} from '../../../src/model/index.ts';
import { FAILING_WAIT_REASONS } from '../../../src/model/types.ts';
import { recording, recordingNames } from '../../helpers/fixtures.ts';

/** The state after each distinct observation time of a recording. */
function* moments(name: string): Generator<{ state: ModelState; at: number }> {
  const obs = recording(name);
  let state = initialState({ source: 'replay' });
  for (let i = 0; i < obs.length; i++) {
    state = reduce(state, [obs[i]!]);
    if (obs[i + 1]?.observedAt !== obs[i]!.observedAt) yield { state, at: obs[i]!.observedAt };
  }
}

describe('rows agree with the detailed pod view', () => {
  test.each(recordingNames())('%s: at every moment, STATUS, READY, RESTARTS and AGE as the pod view prints them', (name) => {
    let checked = 0;
    for (const { state, at } of moments(name)) {
      for (const rec of state.pods.values()) {
        const row = podRow(rec, state);
        const view = podViewOf(state, rec, at);
        assert.equal(row.status, view.status, `${name} ${rec.name} at ${at}`);
        assert.equal(row.ready, view.ready);
        assert.equal(row.restarts, view.restarts);
        assert.equal(restartsText(row, at), view.restartsText);
        assert.equal(ageText(row, at), view.createdAt === undefined ? '<unknown>' : humanDuration(at - view.createdAt));
        assert.equal(row.statusTone, view.statusTone);
        assert.equal(row.node, view.node);
        assert.equal(podRow(rec, state), row, 'made once per record');
        if (row.health !== 'failing') assert.deepEqual(row.findings, []);
        checked++;
      }
    }
    assert.ok(checked > 0);
  });
});

describe('the strip', () => {
  test.each(recordingNames())('%s: while STATUS names a waiting reason that fails, the strip draws the wait, not the phase', (name) => {
    for (const { state, at } of moments(name)) {
      for (const rec of state.pods.values()) {
        const row = podRow(rec, state);
        if (!FAILING_WAIT_REASONS.has(row.status.replace(/^Init:/, ''))) continue;
        // What a column at `at` shows: the last segment drawn over it (renderLane draws in order).
        const shown = row.strip.segments.filter((s) => s.from <= at && (s.to ?? Infinity) >= at).at(-1);
        assert.equal(shown?.state, 'waiting', `${name} ${rec.name} at ${at}: ${row.status} drawn as ${JSON.stringify(shown)}`);
      }
    }
  });
});

describe('health and findings', () => {
  const last = (name: string): { state: ModelState; at: number } => {
    let m: { state: ModelState; at: number } | undefined;
    for (const x of moments(name)) m = x;
    return m!;
  };

  test.each([
    ['crashloop', 'crashloop', 'failing', /^crash loop: the process exits with 1/],
    ['oom', 'oom', 'failing', /OOM/],
    ['missing-image', 'missing-image', 'failing', /cannot be pulled/],
    ['config-error', 'config-error', 'failing', /cannot create the container/],
    ['unschedulable', 'unschedulable', 'failing', /^cannot be scheduled/],
    ['sidecar', 'sidecar', 'healthy', undefined],
  ] as const)('%s: pod %s is %s', (rec, pod, health, finding) => {
    const { state } = last(rec);
    const r = [...state.pods.values()].find((p) => p.name === pod && !p.replaced)!;
    const row = podRow(r, state);
    assert.equal(row.health, health);
    if (finding)
      assert.ok(
        row.findings.some((f) => finding.test(f)),
        JSON.stringify(row.findings),
      );
    else assert.deepEqual(row.findings, []);
  });

  test('a crash-looping container names the back-off the kubelet stated, also once it runs again', () => {
    let seenWaiting = false;
    let seenRunning = false;
    for (const { state } of moments('crashloop')) {
      const rec = [...state.pods.values()][0];
      if (!rec) continue;
      const c = podRow(rec, state).containers[0]!;
      if (c.restartCount === 0) continue;
      if (c.state === 'waiting' && c.reason === 'CrashLoopBackOff') {
        seenWaiting = true;
        assert.ok(c.backOffSeconds !== undefined && c.backOffSeconds >= 10, JSON.stringify(c));
      }
      if (c.state === 'running' && rec.containers.get(c.name)!.delays.length > 0) {
        seenRunning = true;
        assert.equal(c.backOffSeconds, rec.containers.get(c.name)!.delays.at(-1)!.seconds);
      }
    }
    assert.ok(seenWaiting && seenRunning);
  });

  test('a terminating pod counts down to its SIGKILL deadline, then says it is due', () => {
    let seen = false;
    for (const { state, at } of moments('grace')) {
      const rec = [...state.pods.values()][0];
      if (!rec) continue;
      const row = podRow(rec, state);
      if (!row.deleting || row.deletionAt === undefined) {
        assert.equal(sigkillText(row, at), undefined);
        continue;
      }
      seen = true;
      assert.match(sigkillText(row, row.deletionAt - 4_200)!, /^SIGKILL in 5s$/);
      assert.match(sigkillText(row, row.deletionAt + 3_000)!, /^SIGKILL due 3s ago$/);
      assert.ok(row.strip.markers.some((m) => m.kind === 'deadline'));
    }
    assert.ok(seen);
  });
});
