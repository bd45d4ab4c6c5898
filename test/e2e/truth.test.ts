// Issue 9, "the timeline tells the whole truth", on the real cluster. The first block asserts what
// the real kubelet does and what the real kubectl prints at the moments that matter, read through
// `kubectl get -w` (rows, pod versions, events) and `kubectl logs -f --timestamps`
// (helpers/kubectl-watch.ts): slow postStart, preStop longer than the grace period,
// activeDeadlineSeconds, a command that cannot be started, deletion of a crash-looping pod, and a
// crash loop watched late. These pass today; docs/lifecycle-facts.md explains them from the kubelet's
// source. The second block holds what podlife must say at the same moments,
// in -o json, -o text and the TUI (expectations shared with test/truth.test.ts).
// Bounds on times are lower bounds that follow from the kubelet's code (it cannot act earlier),
// never upper bounds on how fast anything runs.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  applyScenario,
  inNamespace,
  kubeconfigPath,
  kubectl,
  kubectlRow,
  launcher,
  podlife,
  Streaming,
  type KubectlRow,
} from './helpers/env.ts';
import { KubectlWatch, type ContainerStatusJson, type PodVersion } from './helpers/kubectl-watch.ts';
import { TmuxSession } from './helpers/tmux.ts';
import {
  expectDeadlineKilled,
  expectDeadlineTerminating,
  expectOneTerminationPerInstance,
  expectPostStartStream,
  expectPostStartWhileRunning,
  expectPreStopOutlivedGrace,
  expectPreStopRunning,
  expectStartErrorCause,
  expectUnknownPast,
  type PodLine,
} from '../helpers/truth.ts';

const ms = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : NaN);
const app = (v: PodVersion | undefined): ContainerStatusJson | undefined => v?.containerStatuses.find((c) => c.name === 'app');
const condition = (v: PodVersion, type: string) => v.conditions.find((c) => c.type === type);

/** A scenario in a fresh namespace, with kubectl watching its pod from before it exists. */
async function scenario(prefix: string, pod: string, body: (ns: string, w: KubectlWatch) => Promise<void>): Promise<void> {
  await inNamespace(prefix, async (ns) => {
    const w = new KubectlWatch(kubeconfigPath(), ns.name, pod, { logs: true });
    try {
      await w.ready();
      await body(ns.name, w);
      assert.deepEqual(w.stderr, [], 'kubectl complained');
    } finally {
      await w.stop();
    }
  });
}

/** podlife --once in JSON and text at (about) the same moment. */
async function once(ns: string, pod: string): Promise<{ json: PodLine; text: string }> {
  const j = await podlife([pod, '-n', ns, '--once', '-o', 'json']);
  assert.equal(j.code, 0, j.stderr);
  const t = await podlife([pod, '-n', ns, '--once', '-o', 'text', '--width', '120', '--no-color']);
  assert.equal(t.code, 0, t.stderr);
  return { json: JSON.parse(j.stdout.trim().split('\n')[0]!) as PodLine, text: t.stdout };
}

/** kubectl's row and podlife's columns at a moment when kubectl read the same before and after. */
async function sameColumns(ns: string, pod: string): Promise<{ row: KubectlRow; ours: PodLine }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = await kubectlRow(ns, pod);
    const ours = (await once(ns, pod)).json;
    const after = await kubectlRow(ns, pod);
    if (before.status !== after.status || before.ready !== after.ready || before.restarts.split(' ')[0] !== after.restarts.split(' ')[0])
      continue;
    assert.equal(ours.status, after.status);
    assert.equal(ours.ready, after.ready);
    assert.equal(String(ours.restarts), after.restarts.split(' ')[0]);
    return { row: after, ours };
  }
  throw new Error(`${pod}: no stable moment to compare`);
}

describe.concurrent('issue 9: what the real kubelet does and the real kubectl says', () => {
  test('slow postStart that succeeds: ContainerCreating and Pending while the hook runs; running since before it', async () => {
    await scenario('e2e-truth-poststart', 'poststart-slow', async (ns, w) => {
      await applyScenario('poststart-slow.yaml', ns);
      const started = await w.until((x) => x.eventsNamed('Started')[0], 60_000, 'the Started event');
      // The hook runs right after Started and sleeps 8 s: 1.5 s later is a moment inside it.
      await new Promise((r) => setTimeout(r, 1500));
      const during = Date.now();
      const row = await kubectlRow(ns, 'poststart-slow');
      assert.deepEqual([row.ready, row.status], ['0/1', 'ContainerCreating']);
      const inHook = w.lastPod()!;
      assert.equal(inHook.phase, 'Pending');
      assert.equal(app(inHook)?.state?.waiting?.reason, 'ContainerCreating');
      assert.equal(app(inHook)?.state?.running, undefined);
      assert.ok(!app(inHook)?.containerID, 'no containerID reported yet');

      const running = await w.until((x) => x.pods.find((p) => app(p)?.state?.running), 60_000, 'running');
      const runningRow = await w.until((x) => x.rows.find((r) => r.status === 'Running'), 10_000, 'a Running row');
      assert.equal(runningRow.ready, '1/1');
      assert.equal(running.phase, 'Running');
      // The API dates the start before a moment at which it still said ContainerCreating.
      assert.ok(ms(app(running)!.state!.running!.startedAt) <= during, `startedAt ${app(running)!.state!.running!.startedAt}`);
      // Every version between Started and running says waiting ContainerCreating, phase Pending.
      for (const v of w.pods.filter((p) => p.at >= started.at && p.at < running.at)) {
        assert.equal(v.phase, 'Pending');
        assert.equal(app(v)?.state?.waiting?.reason, 'ContainerCreating');
      }
      // The hook ran between the start and the first running report: its lines are dated so.
      const hookStart = await w.until((x) => x.logs.find((l) => l.line === 'postStart: registering'), 30_000, 'the hook start line');
      const hookEnd = await w.until((x) => x.logs.find((l) => l.line === 'postStart: registered'), 30_000, 'the hook end line');
      assert.ok(ms(hookStart.time) < during, 'the hook was running at the moment kubectl said ContainerCreating');
      assert.ok(ms(hookEnd.time) >= during, 'and had not finished');
      assert.ok(ms(hookEnd.time) <= running.at, 'running is reported only after the hook returned');
      assert.deepEqual(w.eventsNamed('FailedPostStartHook'), []);
    });
  });

  test('preStop longer than the grace period: Killing, the hook for the grace period, SIGTERM, SIGKILL 2 s later', async () => {
    await scenario('e2e-truth-prestop', 'prestop-long', async (ns, w) => {
      await applyScenario('prestop-long.yaml', ns);
      await w.until((x) => x.rows.find((r) => r.status === 'Running' && r.ready === '1/1'), 60_000, 'Running 1/1');
      const requested = Date.now();
      await kubectl(['delete', 'pod', 'prestop-long', '-n', ns, '--wait=false']);
      const deleting = await w.until((x) => x.pods.find((p) => p.deletionTimestamp), 15_000, 'the deletionTimestamp');
      assert.equal(deleting.deletionGracePeriodSeconds, 5);
      const deadline = ms(deleting.deletionTimestamp);
      // deletionTimestamp = request time + grace (second precision): the SIGKILL deadline, in the future.
      assert.ok(
        deadline >= Math.floor((requested + 5000) / 1000) * 1000 - 1000 && deadline <= requested + 5000 + 2000,
        deleting.deletionTimestamp!,
      );
      const killing = await w.until((x) => x.eventsNamed('Killing')[0], 15_000, 'Killing');
      assert.equal(killing.eventType, 'Normal');
      assert.equal(killing.message, 'Stopping container app');
      // While the hook runs, the container is running and ready: kubectl prints 1/1 Terminating.
      const row = await kubectlRow(ns, 'prestop-long');
      if (!w.pods.some((p) => app(p)?.state?.terminated)) assert.deepEqual([row.ready, row.status], ['1/1', 'Terminating']);
      assert.ok(w.rows.some((r) => r.status === 'Terminating' && r.ready === '1/1'));

      const sigterm = await w.until((x) => x.logs.find((l) => l.line === 'got SIGTERM, ignoring it'), 30_000, 'SIGTERM in the log');
      const gone = await w.until((x) => x.pods.find((p) => p.type === 'DELETED'), 30_000, 'the pod deleted');
      const term = w.pods.map((p) => app(p)?.state?.terminated).find((t) => t)!;
      assert.equal(term.exitCode, 137);
      assert.equal(term.reason, 'Error');
      // SIGTERM only when the grace period has run out for the hook (not at deletion)...
      assert.ok(ms(sigterm.time) >= ms(killing.firstTimestamp) + 5000 - 1000, `SIGTERM at ${sigterm.time}`);
      assert.ok(ms(sigterm.time) >= deadline - 1000, 'SIGTERM at the deadline, not before');
      // ...and SIGKILL 2 s after it: no earlier than Killing + 5 s + 2 s (finishedAt and the event's
      // time are truncated to the second; the trap logs SIGTERM up to 1 s late, after its `sleep 1`).
      assert.ok(
        ms(term.finishedAt) >= ms(killing.firstTimestamp) + 6000,
        `SIGKILL at ${term.finishedAt}, Killing at ${killing.firstTimestamp}`,
      );
      assert.ok(ms(term.finishedAt) + 1000 > ms(sigterm.time), 'SIGKILL after SIGTERM');
      assert.ok(ms(term.finishedAt) >= deadline, 'the container outlived the deadline');
      const failedHook = w.eventsNamed('FailedPreStopHook');
      assert.equal(failedHook.length, 1);
      assert.equal(failedHook[0]!.eventType, 'Warning');
      assert.equal(failedHook[0]!.message, 'PreStopHook failed');
      assert.ok(failedHook[0]!.at >= sigterm.at - 1000, 'the hook fails when the container dies, after SIGTERM');
      assert.deepEqual(w.eventsNamed('ExceededGracePeriod'), [], 'an API deletion never emits ExceededGracePeriod');
      // After the kill: phase Failed, kubectl prints the container's reason, not Terminating.
      assert.ok(w.rows.some((r) => r.status === 'Error' && r.ready === '0/1'));
      assert.equal(gone.phase, 'Failed');
      // The kubelet removes the object itself with grace 0: the last versions no longer carry the deadline.
      assert.equal(gone.deletionGracePeriodSeconds, 0);
    });
  });

  test('activeDeadlineSeconds: DeadlineExceeded, Ready=False at once, 1/1 Running for the grace period, then Failed', async () => {
    await scenario('e2e-truth-deadline', 'deadline', async (ns, w) => {
      await applyScenario('deadline.yaml', ns);
      const exceeded = await w.until((x) => x.eventsNamed('DeadlineExceeded')[0], 60_000, 'DeadlineExceeded');
      assert.equal(exceeded.eventType, 'Normal');
      assert.equal(exceeded.message, 'Pod was active on the node longer than the specified deadline');
      assert.equal(exceeded.fieldPath, null, 'about the pod, not a container');
      const startTime = ms(w.pods.find((p) => p.startTime)?.startTime);
      assert.ok(ms(exceeded.firstTimestamp) >= startTime + 15_000, 'not before startTime + activeDeadlineSeconds');
      const killing = await w.until((x) => x.eventsNamed('Killing')[0], 15_000, 'Killing');
      assert.equal(killing.message, 'Stopping container app');
      // During the grace period: phase Running, no reason, the container running and ready, but the
      // pod's Ready condition already False (PodFailed). kubectl prints 1/1 Running.
      const row = await kubectlRow(ns, 'deadline');
      if (!w.pods.some((p) => app(p)?.state?.terminated)) {
        assert.deepEqual([row.ready, row.status], ['1/1', 'Running']);
        const v = w.lastPod()!;
        assert.equal(v.phase, 'Running');
        assert.equal(v.reason, null);
        assert.equal(app(v)?.ready, true);
        assert.ok(app(v)?.state?.running);
        assert.equal(condition(v, 'Ready')?.status, 'False');
        assert.equal(condition(v, 'Ready')?.reason, 'PodFailed');
        assert.equal(condition(v, 'ContainersReady')?.reason, 'PodFailed');
      }
      const sigterm = await w.until((x) => x.logs.find((l) => l.line === 'got SIGTERM, ignoring it'), 30_000, 'SIGTERM in the log');
      assert.ok(ms(sigterm.time) >= ms(killing.firstTimestamp), 'SIGTERM after Killing (no preStop)');
      const failed = await w.until((x) => x.pods.find((p) => p.phase === 'Failed'), 60_000, 'phase Failed');
      assert.equal(failed.reason, 'DeadlineExceeded');
      assert.equal(failed.message, 'Pod was active on the node longer than the specified deadline');
      const term = app(failed)!.state!.terminated!;
      assert.equal(term.exitCode, 137);
      assert.equal(term.reason, 'Error');
      assert.ok(ms(term.finishedAt) >= ms(killing.firstTimestamp) + 7000, 'SIGKILL no earlier than the 8 s grace period after Killing');
      assert.equal(app(failed)!.restartCount, 0, 'no restart, although restartPolicy is Always');
      // The terminal phase, reason and message were held back while the container ran.
      assert.ok(!w.pods.some((p) => p.reason === 'DeadlineExceeded' && w.pods.indexOf(p) < w.pods.indexOf(failed)));
      const lastRow = await w.until((x) => x.rows.find((r) => r.status === 'Error'), 10_000, 'an Error row');
      assert.equal(lastRow.ready, '0/1', 'kubectl prints the container reason, not DeadlineExceeded');
      assert.deepEqual(w.eventsNamed('ExceededGracePeriod'), []);
    });
  });

  test.each([
    ['not-executable', 'exec: "/etc/passwd": permission denied'],
    ['no-such-binary', 'exec: "no-such-binary": executable file not found in $PATH'],
  ] as const)('%s: RunContainerError, lastState StartError exit 128, never started; the cause at the end', async (name, cause) => {
    await scenario(`e2e-truth-${name}`, name, async (ns, w) => {
      await applyScenario(`${name}.yaml`, ns);
      const first = await w.until((x) => x.pods.find((p) => app(p)?.lastState?.terminated), 60_000, 'a last termination');
      const c = app(first)!;
      assert.equal(c.state?.waiting?.reason, 'RunContainerError');
      assert.ok(c.state?.waiting?.message?.endsWith(`${cause}: unknown`), c.state?.waiting?.message);
      const t = c.lastState!.terminated!;
      assert.equal(t.reason, 'StartError');
      assert.equal(t.exitCode, 128);
      assert.ok(t.message?.endsWith(`${cause}: unknown`), t.message);
      assert.ok(!t.startedAt || ms(t.startedAt) === 0, `never started: ${t.startedAt}`);
      assert.ok(
        w.pods.every((p) => !app(p)?.state?.terminated && !app(p)?.state?.running),
        'never reported terminated or running, only waiting',
      );
      assert.equal(first.phase, 'Running', 'phase Running although no process ran');
      const failed = w.eventsNamed('Failed')[0]!;
      assert.equal(failed.eventType, 'Warning');
      assert.match(failed.message, /^Error: failed to create containerd task: /);
      assert.ok(failed.message.endsWith(`${cause}: unknown`), failed.message);
      await w.until((x) => x.rows.find((r) => r.status === 'CrashLoopBackOff'), 60_000, 'CrashLoopBackOff');
      assert.ok(w.rows.some((r) => r.status === 'RunContainerError' && r.ready === '0/1'));
      assert.deepEqual(w.eventsNamed('Started'), [], 'no Started event');
      await sameColumns(ns, name);
    });
  });

  test('crash-looping pod deleted: the same instance goes from lastState back to state; no new termination', async () => {
    await scenario('e2e-truth-cl-delete', 'crashloop-delete', async (ns, w) => {
      await applyScenario('crashloop-delete.yaml', ns);
      const waiting = await w.until(
        (x) => x.pods.find((p) => app(p)?.state?.waiting?.reason === 'CrashLoopBackOff' && (app(p)?.restartCount ?? 0) >= 2),
        120_000,
        'CrashLoopBackOff after two restarts',
      );
      const before = app(w.lastPod())!;
      assert.equal(before.state?.waiting?.reason, 'CrashLoopBackOff', 'still waiting when deleted');
      const instance = before.lastState!.terminated!;
      const killingsBefore = w.eventsNamed('Killing').length;
      await kubectl(['delete', 'pod', 'crashloop-delete', '-n', ns, '--wait=false']);
      const gone = await w.until((x) => x.pods.find((p) => p.type === 'DELETED'), 30_000, 'the pod deleted');
      const after = w.pods.filter((p) => p.deletionTimestamp && p.at > waiting.at).map((p) => app(p)!);
      const reported = after.find((c) => c.state?.terminated)!;
      assert.ok(reported, 'reported terminated after the deletion');
      assert.equal(reported.state!.terminated!.containerID, instance.containerID, 'the same instance');
      assert.equal(reported.state!.terminated!.finishedAt, instance.finishedAt);
      assert.equal(reported.state!.terminated!.exitCode, instance.exitCode);
      assert.equal(reported.restartCount, before.restartCount, 'no new restart');
      assert.deepEqual(reported.lastState ?? {}, {}, 'lastState emptied');
      assert.equal(w.eventsNamed('Killing').length, killingsBefore, 'nothing ran, nothing to kill');
      assert.ok(w.rows.some((r) => r.status === 'Terminating' && r.ready === '0/1'));
      assert.equal(gone.phase, 'Failed');
      // Each instance terminated once: distinct containerIDs = restartCount + 1.
      const ids = new Set(
        w.pods.flatMap((p) => [app(p)?.state?.terminated?.containerID, app(p)?.lastState?.terminated?.containerID].filter((x) => x)),
      );
      assert.equal(ids.size, reported.restartCount! + 1);
    });
  });

  test('crash loop watched late: the API keeps one termination and the last transitions only', async () => {
    await scenario('e2e-truth-cl-late', 'crashloop', async (ns, w) => {
      await applyScenario('crashloop.yaml', ns);
      await w.until((x) => (app(x.lastPod())?.restartCount ?? 0) >= 3, 150_000, 'three restarts');
      const { row, ours } = await sameColumns(ns, 'crashloop');
      const now = JSON.parse((await kubectl(['get', 'pod', 'crashloop', '-n', ns, '-o', 'json'])).stdout) as {
        status: { containerStatuses: ContainerStatusJson[]; conditions: { type: string; status: string; lastTransitionTime: string }[] };
        metadata: { creationTimestamp: string };
      };
      const c = now.status.containerStatuses[0]!;
      assert.ok(c.restartCount! >= 3, row.restarts);
      assert.equal(ours.restarts, c.restartCount);
      // One last termination, of the previous instance; the ones before it are gone from the API.
      const seen = new Set(w.pods.flatMap((p) => [app(p)?.state?.terminated?.containerID].filter((x) => x)));
      assert.ok(seen.size >= 3, 'the watch saw at least three instances end');
      const kept = [c.state?.terminated?.containerID, c.lastState?.terminated?.containerID].filter((x) => x);
      assert.ok(kept.length <= 2 && kept.length < seen.size, 'the object keeps fewer terminations than happened');
      // Ready changed several times; the object keeps the last transition only.
      const ready = now.status.conditions.find((x) => x.type === 'Ready')!;
      const readyTrueSeen = w.pods.filter((p) => condition(p, 'Ready')?.status === 'True');
      assert.ok(readyTrueSeen.length >= 2, 'Ready was True more than once');
      assert.ok(
        readyTrueSeen.some((p) => p.at < ms(ready.lastTransitionTime) - 5000),
        'earlier Ready periods are not in the object',
      );
      // Events fold repeats: their counts and first/last times are what is left of the history.
      const startedEvt = (await kubectl(['get', 'events', '-n', ns, '--field-selector', 'reason=Started', '-o', 'json'])).stdout;
      const evs = (JSON.parse(startedEvt) as { items: { count: number; firstTimestamp: string; lastTimestamp: string }[] }).items;
      assert.equal(evs.length, 1, 'one folded Started event');
      assert.ok(evs[0]!.count >= c.restartCount!, `Started x${evs[0]!.count}`);
      assert.ok(ms(evs[0]!.firstTimestamp) < ms(evs[0]!.lastTimestamp));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Phase B: podlife at the same moments, in -o json, -o text and the TUI. Expectations:
// test/helpers/truth.ts (shared with test/truth.test.ts on the recordings).

describe('issue 9 phase B: podlife tells the same truth', () => {
  test('postStart: an inferred postStart segment while the hook runs; running is not backdated', async () => {
    await scenario('e2e-truthb-poststart', 'poststart-slow', async (ns, w) => {
      const s = new Streaming(['poststart-slow', '-n', ns, '--wait', '-o', 'text', '--width', '120', '--no-color']);
      try {
        await s.waitForLine((l) => l.includes('does not exist yet'), 20_000);
        await applyScenario('poststart-slow.yaml', ns);
        const started = await w.until((x) => x.eventsNamed('Started')[0], 60_000, 'Started');
        expectPostStartWhileRunning(await once(ns, 'poststart-slow'), ms(started.firstTimestamp));
        const running = await w.until((x) => x.pods.find((p) => app(p)?.state?.running), 60_000, 'running');
        await s.waitForLine((l) => /\[app\] ready/.test(l), 20_000);
        expectPostStartStream(s.lines, running.at);
      } finally {
        await s.stop();
      }
    });
  });

  test('preStop longer than the grace period: termination as its own phase, the exact cause, countdown frozen at deletion', async () => {
    await scenario('e2e-truthb-prestop', 'prestop-long', async (ns, w) => {
      await applyScenario('prestop-long.yaml', ns);
      await w.until((x) => x.rows.find((r) => r.status === 'Running'), 60_000, 'Running');
      const json = new Streaming(['prestop-long', '-n', ns, '-o', 'json']);
      const text = new Streaming(['prestop-long', '-n', ns, '-o', 'text', '--width', '120', '--no-color']);
      const tui = new TmuxSession([launcher, 'prestop-long', '-n', ns], { width: 120, height: 40, env: { KUBECONFIG: kubeconfigPath() } });
      try {
        await json.waitForLine((l) => l.startsWith('{"kind":"pod"'), 20_000);
        await kubectl(['delete', 'pod', 'prestop-long', '-n', ns, '--wait=false']);
        const killing = await w.until((x) => x.eventsNamed('Killing')[0], 15_000, 'Killing');
        // The pods and the events are two kubectl watches: the Killing event can be printed before the deleted pod.
        const deleted = await w.until((x) => x.pods.find((p) => p.deletionTimestamp), 15_000, 'the deleted pod');
        const deadline = ms(deleted.deletionTimestamp);
        expectPreStopRunning(await once(ns, 'prestop-long'), ms(killing.firstTimestamp), deadline);
        const screen = await tui.waitForScreen((sc) => /s left, grace 5s/.test(sc), 10_000);
        const left = Number(/\((\d+)s left, grace 5s\)/.exec(screen)![1]);
        assert.ok(left <= 5, `countdown ${left}s with a 5s grace period`);
        assert.match(screen, /preStop hook running/);
        await w.until((x) => x.pods.find((p) => p.type === 'DELETED'), 30_000, 'deleted');
        // The deleted life's clock stops at the deletion: no countdown, the age frozen.
        const a = await tui.waitForScreen((sc) => /deleted/.test(sc), 10_000);
        await new Promise((r) => setTimeout(r, 3000));
        const b = tui.screen();
        assert.doesNotMatch(b, /s left/);
        assert.equal(/age (\S+)/.exec(a)?.[1], /age (\S+)/.exec(b)?.[1], 'age frozen');
        await json.stop();
        await text.stop();
        const last = json.lines.filter((l) => l.startsWith('{"kind":"pod"')).at(-1)!;
        const picture = text.lines.slice(text.lines.findIndex((l) => /^\S+\/prestop-long {2}uid/.test(l))).join('\n');
        expectPreStopOutlivedGrace({ json: JSON.parse(last) as PodLine, text: picture });
        assert.equal(
          (JSON.parse(last) as PodLine).deletion?.deadline,
          new Date(deadline).toISOString(),
          'the deadline, not the final rewrite',
        );
      } finally {
        tui.kill();
        await json.stop();
        await text.stop();
      }
    });
  });

  test('activeDeadlineSeconds: the cause and a countdown during the grace period; the cause after', async () => {
    await scenario('e2e-truthb-deadline', 'deadline', async (ns, w) => {
      await applyScenario('deadline.yaml', ns);
      const killing = await w.until((x) => x.eventsNamed('Killing')[0], 60_000, 'Killing');
      expectDeadlineTerminating(await once(ns, 'deadline'), ms(killing.firstTimestamp), Date.now());
      await w.until((x) => x.pods.find((p) => p.phase === 'Failed'), 60_000, 'Failed');
      expectDeadlineKilled(await once(ns, 'deadline'));
    });
  });

  test.each(['not-executable', 'no-such-binary'] as const)(
    '%s: the cause extracted and never cut, in text, JSON and the details pane',
    async (name) => {
      await scenario(`e2e-truthb-${name}`, name, async (ns, w) => {
        await applyScenario(`${name}.yaml`, ns);
        await w.until((x) => x.rows.find((r) => r.status === 'CrashLoopBackOff'), 60_000, 'CrashLoopBackOff');
        expectStartErrorCause(await once(ns, name), name);
        const tui = new TmuxSession([launcher, name, '-n', ns], { width: 100, height: 40, env: { KUBECONFIG: kubeconfigPath() } });
        try {
          await tui.waitForScreen((sc) => sc.includes('● live'), 20_000);
          tui.keys('Enter');
          const details = await tui.waitForScreen((sc) => /details/.test(sc), 5_000);
          const joined = details.replace(/\s*\n\s*/g, ' ');
          const cause =
            name === 'not-executable'
              ? 'exec: "/etc/passwd": permission denied'
              : 'exec: "no-such-binary": executable file not found in $PATH';
          assert.ok(joined.includes(cause), `the details pane wraps the message and keeps its cause:\n${details}`);
        } finally {
          tui.kill();
        }
      });
    },
  );

  test('crash-looping pod deleted: one termination per instance, none at the deletion', async () => {
    await scenario('e2e-truthb-cl-delete', 'crashloop-delete', async (ns, w) => {
      const json = new Streaming(['crashloop-delete', '-n', ns, '--wait', '-o', 'json']);
      const text = new Streaming(['crashloop-delete', '-n', ns, '--wait', '-o', 'text', '--width', '120', '--no-color']);
      try {
        await json.waitForLine((l) => l.includes('does not exist yet'), 20_000);
        await text.waitForLine((l) => l.includes('does not exist yet'), 20_000);
        await applyScenario('crashloop-delete.yaml', ns);
        await w.until(
          (x) => x.pods.find((p) => app(p)?.state?.waiting?.reason === 'CrashLoopBackOff' && (app(p)?.restartCount ?? 0) >= 2),
          120_000,
          'CrashLoopBackOff',
        );
        await kubectl(['delete', 'pod', 'crashloop-delete', '-n', ns, '--wait=false']);
        await w.until((x) => x.pods.find((p) => p.type === 'DELETED'), 30_000, 'deleted');
        await json.waitForLine((l) => /"type":"deleted"/.test(l), 10_000);
        await json.stop();
        await text.stop();
        const lines = json.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { kind: string });
        const final = lines.filter((l): l is PodLine => l.kind === 'pod').at(-1)!;
        expectOneTerminationPerInstance({ json: lines, text: text.lines }, final);
      } finally {
        await json.stop();
        await text.stop();
      }
    });
  });

  test('crash loop watched late: the unreconstructable past is unknown, never drawn ready', async () => {
    await scenario('e2e-truthb-cl-late', 'crashloop', async (ns, w) => {
      await applyScenario('crashloop.yaml', ns);
      await w.until((x) => (app(x.lastPod())?.restartCount ?? 0) >= 3, 150_000, 'three restarts');
      const p = await once(ns, 'crashloop');
      const pod = JSON.parse((await kubectl(['get', 'pod', 'crashloop', '-n', ns, '-o', 'json'])).stdout) as {
        metadata: { creationTimestamp: string };
        status: { containerStatuses: ContainerStatusJson[] };
      };
      const c = pod.status.containerStatuses[0]!;
      const oldestKnown = ms(c.lastState?.terminated?.startedAt ?? c.state?.terminated?.startedAt ?? c.state?.running?.startedAt);
      expectUnknownPast(p, ms(pod.metadata.creationTimestamp), oldestKnown, Date.now());
    });
  });
});
