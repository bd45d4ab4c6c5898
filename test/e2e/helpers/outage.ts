// What every fault test checks once its outages are over: each missed transition was shown once
// (not once from a relist and again from a watch event), podlife never gave up, and its long-running
// model equals one built from a fresh list.

import assert from 'node:assert/strict';
import { podlife, type Streaming } from './env.ts';
import type { Step } from './pod-status.ts';
import { assertNoCrash, lastPod, objectState, parsed } from './json-lines.ts';

export async function assertRecovered(
  json: Streaming,
  steps: readonly { lifecycle: string; containerID: string }[],
  target: { pod: string; namespace: string; env: Record<string, string> },
): Promise<void> {
  const all = parsed(json.lines);
  for (const { lifecycle, containerID } of steps) {
    const n = all.filter((l) => l.kind === 'lifecycle' && l['type'] === lifecycle && l['containerID'] === containerID).length;
    assert.equal(n, 1, `${lifecycle} ${containerID} shown ${n} times`);
  }
  assert.equal(all.filter((l) => l.kind === 'connection' && l['state'] === 'offline').length, 0, 'never gave up');
  assert.equal(json.proc.exitCode, null, 'still running');
  const fresh = await podlife([target.pod, '-n', target.namespace, '--once', '-o', 'json', '--log-lines', '0'], { env: target.env });
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.deepEqual(objectState(lastPod(json.lines, target.pod)), objectState(lastPod(fresh.stdout.split('\n'), target.pod)));
  assertNoCrash(json.stderr, assert.ok);
}

/** One transition per outage: the container runs, exits 1, is restarted (started at t0). */
export interface OutageStep {
  readonly step: Step;
  readonly lifecycle: string;
  readonly containerID: string;
  /** What the terminal UI shows once it has the transition. */
  readonly screen: RegExp;
}

export function outageSteps(t0: number): OutageStep[] {
  return [
    {
      step: { kind: 'running', id: 'c1', startedAt: t0, restarts: 0 },
      lifecycle: 'container-running',
      containerID: 'containerd://c1',
      screen: /READY 1\/1/,
    },
    {
      step: { kind: 'terminated', id: 'c1', startedAt: t0, finishedAt: t0 + 3_000, exitCode: 1, restarts: 0 },
      lifecycle: 'container-terminated',
      containerID: 'containerd://c1',
      screen: /READY 0\/1/,
    },
    {
      step: {
        kind: 'running',
        id: 'c2',
        startedAt: t0 + 5_000,
        restarts: 1,
        last: { id: 'c1', startedAt: t0, finishedAt: t0 + 3_000, exitCode: 1 },
      },
      lifecycle: 'container-restarted',
      containerID: 'containerd://c2',
      screen: /RESTARTS 1/,
    },
  ];
}
