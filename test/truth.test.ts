// Issue 9 on the recordings of its scenarios. The captures of test/fixtures/truth/ hold what the real
// kubectl printed at every change while each scenario was recorded; podlife's STATUS / READY /
// RESTARTS for the very same pod versions (same resourceVersion, taken from the recording) must be
// the same. The second block holds phase B's expectations (test/helpers/truth.ts): what podlife
// says at the moments that matter, and the legend of every recording's picture.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { PodJson } from '../src/model/index.ts';
import { startPrinter } from '../src/output/printer.ts';
import { createStore } from '../src/store/store.ts';
import { recordingNames } from './helpers/fixtures.ts';
import {
  expectDeadlineKilled,
  expectDeadlineTerminating,
  expectLegendExplainsEveryGlyph,
  expectOneTerminationPerInstance,
  expectPostStartStream,
  expectPostStartWhileRunning,
  expectPreStopOutlivedGrace,
  expectPreStopRunning,
  expectStartErrorCause,
  expectUnknownPast,
  ms,
  parseTimeline,
  pictureAt,
  streamsOf,
  truthFixture,
  truthRecording,
  truthScenarios,
  type PodLine,
} from './helpers/truth.ts';

/** podlife's columns for one pod object, as `-f` would print them. */
function columnsOf(pod: PodJson, at: number): { status: string; ready: string; restarts: number } {
  const store = createStore({ source: 'file', notifyIntervalMs: 0 });
  store.dispatch([{ kind: 'pod', verb: 'list', observedAt: at, object: pod }]);
  let out = '';
  const sink = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream;
  startPrinter(store, { format: 'json', out: sink, once: true, width: 120, color: false, now: () => at });
  const line = JSON.parse(out.split('\n')[0]!) as PodLine;
  return { status: line.status, ready: line.ready, restarts: line.restarts };
}

describe('the truth captures and the recordings of issue 9', () => {
  test.each(truthScenarios)('%s: a capture of the real kubectl, beside a recording of the same pod', (name) => {
    const f = truthFixture(name);
    assert.equal(f.scenario, name);
    assert.match(f.kubectlVersion ?? '', /^v1\.\d+/);
    assert.equal(f.serverVersion, 'v1.34.4');
    assert.match(f.containerRuntime ?? '', /^containerd:\/\//);
    assert.ok(f.rows.length > 0 && f.pods.length > 0 && f.events.length > 0, 'rows, pod versions and events captured');
    assert.deepEqual(f.stderr, []);
    const uids = new Set(truthRecording(name).flatMap((o) => (o.kind === 'pod' ? [o.object.metadata.uid] : [])));
    assert.deepEqual([...uids], [f.pods[0]!.uid], 'the same pod');
  });

  // `kubectl get pods -w` prints one row per watch event, in the order of the -o json watch of the
  // same pod: row i and pod version i are the same resourceVersion.
  test.each(truthScenarios)("%s: podlife's STATUS, READY, RESTARTS equal kubectl's at every captured version", (name) => {
    const f = truthFixture(name);
    assert.equal(f.rows.length, f.pods.length);
    const byRv = new Map<string, PodJson>();
    for (const o of truthRecording(name))
      if (o.kind === 'pod' && o.object.metadata.resourceVersion) byRv.set(o.object.metadata.resourceVersion, o.object);
    let compared = 0;
    f.pods.forEach((v, i) => {
      const pod = byRv.get(v.resourceVersion);
      // crashloop-late: the recording starts minutes after the capture, at a later version.
      if (!pod) return assert.equal(name, 'crashloop-late', `version ${v.resourceVersion} missing from the recording`);
      const row = f.rows[i]!;
      const ours = columnsOf(pod, ms(v.at));
      assert.deepEqual(
        { status: ours.status, ready: ours.ready, restarts: String(ours.restarts) },
        { status: row.status, ready: row.ready, restarts: row.restarts.split(' ')[0] },
        `${name} rv ${v.resourceVersion} at ${v.at}`,
      );
      compared++;
    });
    assert.ok(compared >= 3, `compared ${compared}`);
  });
});

/** The recording's first observation of an event with this reason. */
function eventObserved(name: string, reason: string): { observedAt: number; firstTimestamp: number } {
  for (const o of truthRecording(name))
    if (o.kind === 'event' && o.object.reason === reason) return { observedAt: o.observedAt, firstTimestamp: ms(o.object.firstTimestamp) };
  throw new Error(`${name}: no ${reason} event`);
}

function firstPod(name: string, pred: (p: PodJson) => boolean): { observedAt: number; object: PodJson } {
  for (const o of truthRecording(name)) if (o.kind === 'pod' && pred(o.object)) return o;
  throw new Error(`${name}: no such pod version`);
}

const lastAt = (name: string) => Math.max(...truthRecording(name).map((o) => o.observedAt));
const appStatus = (p: PodJson) => p.status?.containerStatuses?.find((c) => c.name === 'app');

describe('phase B of issue 9, on the recordings (see docs/lifecycle-facts.md)', () => {
  test('poststart-slow: while the hook runs, a postStart segment labelled inferred; running never backdated', () => {
    const started = eventObserved('poststart-slow', 'Started');
    const running = firstPod('poststart-slow', (p) => appStatus(p)?.state?.running !== undefined);
    const inside = Math.round((started.observedAt + running.observedAt) / 2);
    expectPostStartWhileRunning(pictureAt('poststart-slow', inside), started.firstTimestamp);
    expectPostStartStream(streamsOf('poststart-slow').text, running.observedAt);
  });

  test('prestop-long: preStop, then SIGTERM at the end of the grace period, then SIGKILL 2s later, named precisely', () => {
    const killing = eventObserved('prestop-long', 'Killing');
    const deleting = firstPod('prestop-long', (p) => p.metadata.deletionTimestamp != null);
    expectPreStopRunning(
      pictureAt('prestop-long', killing.observedAt + 2000),
      killing.firstTimestamp,
      ms(deleting.object.metadata.deletionTimestamp),
    );
    expectPreStopOutlivedGrace(pictureAt('prestop-long', lastAt('prestop-long')));
  });

  test('deadline: the cause, the setting and a countdown while the kubelet stops the pod; the cause after', () => {
    const killing = eventObserved('deadline', 'Killing');
    expectDeadlineTerminating(pictureAt('deadline', killing.observedAt + 3000), killing.firstTimestamp, killing.observedAt + 3000);
    expectDeadlineKilled(pictureAt('deadline', lastAt('deadline')));
  });

  test.each(['not-executable', 'no-such-binary'] as const)('%s: the runtime cause extracted, never cut', (name) => {
    expectStartErrorCause(pictureAt(name, lastAt(name)), name);
  });

  test('crashloop-delete: one termination per instance; none at the deletion', () => {
    const s = streamsOf('crashloop-delete');
    const final = s.json.filter((l): l is PodLine => l.kind === 'pod').at(-1)!;
    expectOneTerminationPerInstance(s, final);
  });

  test('crashloop-late: the past before the oldest known instance is drawn unknown, never ready', () => {
    const first = truthRecording('crashloop-late').find((o) => o.kind === 'pod')!;
    assert.ok(first.kind === 'pod');
    const last = appStatus(first.object)?.lastState?.terminated?.startedAt;
    expectUnknownPast(
      pictureAt('crashloop-late', first.observedAt + 500),
      ms(first.object.metadata.creationTimestamp),
      ms(last),
      first.observedAt,
    );
  });

  test.each([...new Set([...recordingNames(), ...truthScenarios])])('%s: the legend explains every glyph the lanes use', (name) => {
    const p = pictureAt(name, lastAt(name));
    expectLegendExplainsEveryGlyph(
      parseTimeline(
        p.text,
        p.json.containers.map((c) => c.name),
        lastAt(name),
      ),
    );
  });
});
