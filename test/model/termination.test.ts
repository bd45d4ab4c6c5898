// The kubelet's stop of a container as a timeline (kuberuntime_container.go killContainer: Killing,
// preStop for at most the grace period, SIGTERM, SIGKILL when what is left of the grace period has
// passed and never less than 2 s after SIGTERM), the grace period each kill path uses, the runtime's
// start errors, on numbers taken from the recordings (docs/lifecycle-facts.md §2, §5).

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { commandProblem, runtimeCause } from '../../src/model/runtime-message.ts';
import { evictedResource, gracePeriodFor, secondsLeft, stopTimeline, type StopInput } from '../../src/model/termination.ts';
import { podSnapshot } from '../../src/model/snapshot.ts';
import { podSnapshots, recording, vary } from '../helpers/fixtures.ts';

const S = (t: string): number => Date.parse(`2026-12-01T${t}Z`);
const stop = (x: Partial<StopInput>): StopInput => ({
  startedAt: S('13:08:51'),
  message: 'Stopping container app',
  gracePeriodSeconds: 5,
  preStop: undefined,
  preStopFailedAt: undefined,
  endedAt: undefined,
  ...x,
});

describe('stopTimeline', () => {
  test('preStop running: SIGTERM at the end of the grace period at the latest, SIGKILL not known yet', () => {
    const t = stopTimeline(stop({ preStop: 'exec sleep 20' }), S('13:08:53'));
    assert.equal(t.step, 'preStop');
    assert.equal(t.sigtermAt, S('13:08:56'));
    assert.equal(t.sigkillAt, undefined);
  });

  test("a deletion's grace period ends at its deletionTimestamp, even when the kubelet's Killing came a second later", () => {
    const t = stopTimeline(stop({ startedAt: S('14:27:35'), preStop: 'exec sleep 20', graceEndsAt: S('14:27:39') }), S('14:27:37'));
    assert.deepEqual([t.step, t.sigtermAt, t.sigkillAt], ['preStop', S('14:27:39'), undefined]);
    const late = stopTimeline(
      stop({ startedAt: S('14:27:35'), preStop: 'exec sleep 20', graceEndsAt: S('14:27:39'), endedAt: S('14:27:42') }),
      S('14:27:43'),
    );
    assert.equal(late.minimumAfterPreStop, true);
    // Without a preStop hook: SIGKILL at the end of the grace period, never less than 2 s after SIGTERM.
    const plain = stopTimeline(stop({ startedAt: S('14:27:38'), graceEndsAt: S('14:27:39') }), S('14:27:38'));
    assert.deepEqual([plain.sigtermAt, plain.sigkillAt], [S('14:27:38'), S('14:27:40')]);
  });

  test('the kubelet counts from its Killing: a hook that returned is not taken for one that outlived the grace period', () => {
    // As seen on a busy cluster (grace scenario): delete at 14:54:01, deletionTimestamp 14:54:07, the
    // kubelet's Killing 14:54:03; the 3s hook returned; SIGKILL at Killing + 6s; no FailedPreStopHook.
    const returned = stopTimeline(
      stop({
        startedAt: S('14:54:03'),
        gracePeriodSeconds: 6,
        preStop: 'exec sh -c sleep 3',
        graceEndsAt: S('14:54:07'),
        endedAt: S('14:54:09'),
      }),
      S('14:54:10'),
    );
    assert.equal(returned.minimumAfterPreStop, false);
    assert.equal(returned.sigkillAt, S('14:54:09'));
    // The same timing with FailedPreStopHook at the kill: the hook died with the container.
    const died = stopTimeline(
      stop({
        startedAt: S('14:54:03'),
        gracePeriodSeconds: 6,
        preStop: 'exec sleep 20',
        graceEndsAt: S('14:54:07'),
        preStopFailedAt: S('14:54:09'),
        endedAt: S('14:54:09'),
      }),
      S('14:54:10'),
    );
    assert.equal(died.minimumAfterPreStop, true);
    assert.deepEqual([died.sigtermAt, died.preStopEndedAt], [S('14:54:07'), undefined]);
  });

  test('preStop still running when the grace period ends: SIGTERM then, SIGKILL at most 2 s later', () => {
    const t = stopTimeline(stop({ preStop: 'exec sleep 20' }), S('13:08:57'));
    assert.equal(t.step, 'sigterm');
    assert.deepEqual([t.sigtermAt, t.sigkillAt], [S('13:08:56'), S('13:08:58')]);
  });

  test('prestop-long as recorded: ended 2 s after the grace period, the kubelet minimum after an unfinished preStop', () => {
    const t = stopTimeline(stop({ preStop: 'exec sleep 20', preStopFailedAt: S('13:08:58'), endedAt: S('13:08:58') }), S('13:08:59'));
    assert.equal(t.step, 'ended');
    assert.equal(t.minimumAfterPreStop, true);
    assert.deepEqual([t.sigtermAt, t.sigkillAt, t.preStopEndedAt], [S('13:08:56'), S('13:08:58'), undefined]);
  });

  test('grace as recorded: a preStop that returned in time, SIGKILL at the end of the grace period (when SIGTERM came is not known)', () => {
    const t = stopTimeline(
      stop({ startedAt: S('05:43:14'), gracePeriodSeconds: 6, preStop: 'exec sh -c sleep 3', endedAt: S('05:43:20') }),
      S('05:43:21'),
    );
    assert.equal(t.minimumAfterPreStop, false);
    assert.deepEqual([t.sigtermAt, t.sigkillAt], [undefined, S('05:43:20')]);
  });

  test('a preStop hook that fails early: SIGTERM then, SIGKILL after what is left of the grace period in whole seconds', () => {
    const t = stopTimeline(stop({ gracePeriodSeconds: 30, preStop: 'exec /stop', preStopFailedAt: S('13:08:53') }), S('13:08:54'));
    assert.equal(t.step, 'sigterm');
    assert.deepEqual([t.preStopEndedAt, t.sigtermAt, t.sigkillAt], [S('13:08:53'), S('13:08:53'), S('13:09:21')]);
  });

  test('deadline as recorded: no preStop, SIGTERM at Killing, SIGKILL a grace period later', () => {
    const t = stopTimeline(stop({ startedAt: S('13:01:03'), gracePeriodSeconds: 8 }), S('13:01:06'));
    assert.equal(t.step, 'sigterm');
    assert.deepEqual([t.sigtermAt, t.sigkillAt], [S('13:01:03'), S('13:01:11')]);
    assert.equal(stopTimeline(stop({ startedAt: S('13:01:03'), gracePeriodSeconds: 8 }), S('13:01:12')).step, 'sigkill');
  });

  test.each([0, 1])('a grace period of %ds still gives the process 2 s between SIGTERM and SIGKILL', (g) => {
    const t = stopTimeline(stop({ gracePeriodSeconds: g }), S('13:08:51'));
    assert.equal(t.sigkillAt, S('13:08:53'));
  });

  test('a grace period of 0 skips the preStop hook', () => {
    const t = stopTimeline(stop({ gracePeriodSeconds: 0, preStop: 'exec sleep 20' }), S('13:08:51'));
    assert.equal(t.preStop, undefined);
    assert.equal(t.step, 'sigterm');
  });

  test('the countdown never shows more than the grace period, nor less than 0', () => {
    assert.equal(secondsLeft(S('13:08:56') + 900, S('13:08:50'), 5), 5);
    assert.equal(secondsLeft(S('13:08:56'), S('13:08:53.5'), 5), 3);
    assert.equal(secondsLeft(S('13:08:56'), S('13:09:00'), 5), 0);
  });
});

describe('gracePeriodFor', () => {
  const grace = podSnapshots(recording('grace'));
  const deleting = podSnapshot(
    grace.find((p) => p.metadata.deletionTimestamp)!,
    S('05:43:15'),
  );
  const liveness = podSnapshot(
    vary(podSnapshots(recording('liveness')).at(-1)!, (d) => {
      d.spec.terminationGracePeriodSeconds = 30;
      d.spec.containers[0].livenessProbe.terminationGracePeriodSeconds = 3;
    }),
    S('05:44:00'),
  );
  test.each<[string, () => number | undefined, number | undefined]>([
    ['a deletion: its grace period', () => gracePeriodFor(deleting, undefined, 6, 'app', 'Stopping container app'), 6],
    [
      "a liveness kill: the probe's own terminationGracePeriodSeconds",
      () => gracePeriodFor(liveness, undefined, undefined, 'exec', 'Container exec failed liveness probe, will be restarted'),
      3,
    ],
    [
      "a liveness kill without one: the pod's",
      () => gracePeriodFor(liveness, undefined, undefined, 'http', 'Container http failed liveness probe, will be restarted'),
      30,
    ],
    [
      'any other kill: spec.terminationGracePeriodSeconds',
      () => gracePeriodFor(liveness, undefined, undefined, 'exec', 'FailedPostStartHook'),
      30,
    ],
  ])('%s', (_name, got, want) => assert.equal(got(), want));
});

describe("the runtime's words", () => {
  const chain =
    'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ';
  test.each<[string, string | undefined, 'not-found' | 'not-executable' | undefined]>([
    [`${chain}exec: "/etc/passwd": permission denied: unknown`, 'exec: "/etc/passwd": permission denied', 'not-executable'],
    [
      `${chain}exec: "no-such-binary": executable file not found in $PATH: unknown`,
      'exec: "no-such-binary": executable file not found in $PATH',
      'not-found',
    ],
    [
      `${chain}exec: "/app/run": stat /app/run: no such file or directory: unknown`,
      'exec: "/app/run": stat /app/run: no such file or directory',
      'not-found',
    ],
    [`${chain}exec: "/data": is a directory: unknown`, 'exec: "/data": is a directory', 'not-executable'],
    [
      `${chain}error during container init: error mounting "/x" to rootfs at "/y": no such file or directory: unknown`,
      'error during container init: error mounting "/x" to rootfs at "/y": no such file or directory',
      undefined,
    ],
    ['exec: "app": executable file not found in $PATH', 'exec: "app": executable file not found in $PATH', 'not-found'],
  ])('%s', (message, cause, problem) => {
    assert.equal(runtimeCause(message), cause);
    assert.equal(commandProblem(message), problem);
  });

  test.each<[string, string | undefined]>([
    ['The node was low on resource: memory. Threshold quantity: 100Mi, available: 52Mi. ', 'the node is low on memory'],
    ['The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 1Mi. ', 'the node is low on ephemeral-storage'],
    ['Usage of EmptyDir volume "scratch" exceeds the limit "8Mi". ', 'emptyDir volume "scratch" over its 8Mi limit'],
    ['Container app exceeded its local ephemeral storage limit "1Gi". ', "container app's ephemeral storage over its 1Gi limit"],
    [
      'Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. ',
      "the pod's ephemeral storage over its containers' limits",
    ],
    ['something else', undefined],
  ])('eviction: %s', (message, resource) => assert.equal(evictedResource(message), resource));
});
