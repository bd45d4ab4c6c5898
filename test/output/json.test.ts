// The JSON lines of -o json on every recording: the fields the README documents and no others,
// null (never a missing key) for unknown, RFC 3339 times, durations that agree with their times.
// test/golden.test.ts pins the exact lines; this file pins the contract they keep.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { eventsSince, initialState, reduce, toSessionView } from '../../src/model/index.ts';
import { toJsonEvents, toJsonLifecycle, toJsonPod } from '../../src/output/json.ts';
import { parseObjectsFile } from '../../src/sources/file.ts';
import { fileState, finalView, recording, recordingNames, replayStepwise } from '../helpers/fixtures.ts';

const names = recordingNames();

// The README's "JSON output" example: the keys it shows for a pod line and a lifecycle line.
const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const example = /## JSON output[\s\S]*?```jsonc\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const [podExample = '', lifecycleExample = ''] = example.split(/\n(?=\{"kind": "lifecycle")/);
const keysOf = (text: string): Set<string> => new Set([...text.matchAll(/"([A-Za-z]+)":/g)].map((m) => m[1]!));

/** Every key of an object, nested objects and arrays of objects included. */
function allKeys(v: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) allKeys(x, into);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      into.add(k);
      allKeys(x, into);
    }
  return into;
}

/** [path, value] of every leaf whose key names a time. */
function times(v: unknown, path = ''): [string, unknown][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => times(x, `${path}[${i}]`));
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) =>
    /At$|Timestamp$|^deadline$|^lastTransitionTime$|^observedFrom$/.test(k)
      ? [[`${path}.${k}`, x] as [string, unknown]]
      : times(x, `${path}.${k}`),
  );
}

const podLines = names.flatMap((name) => {
  const view = finalView(name);
  return view.pods.map((p) => [`${name}/${p.name}`, toJsonPod(p, view.now) as Record<string, any>] as const);
});
/** Pod lines at every step of a recording: fields that exist only for a while (a hook running, a stop under way). */
const stepLines = names.flatMap((name) => {
  let state = initialState({ source: 'replay' });
  return recording(name).flatMap((o, k) => {
    state = reduce(state, [o]);
    return toSessionView(state, o.observedAt).pods.map(
      (p) => [`${name} step ${k}/${p.name}`, toJsonPod(p, o.observedAt) as Record<string, any>] as const,
    );
  });
});

describe('pod lines', () => {
  test('the README example documents every field emitted, and every field it documents is emitted', () => {
    assert.ok(podExample.includes('"kind": "pod"') && lifecycleExample.includes('"kind": "lifecycle"'), 'README example found');
    const emitted = new Set<string>();
    for (const [, j] of [...podLines, ...stepLines]) allKeys(j, emitted);
    const documented = keysOf(podExample);
    assert.deepEqual([...emitted].filter((k) => !documented.has(k)).sort(), [], 'emitted but not in the README');
    assert.deepEqual([...documented].filter((k) => !emitted.has(k)).sort(), [], 'in the README but never emitted by any recording');
  });

  test.each(podLines)('%s: unknown is null, never a missing key; the same keys on every pod line', (_, j) => {
    assert.deepEqual(JSON.parse(JSON.stringify(j)), j, 'no undefined values (JSON would drop their keys)');
    assert.deepEqual(Object.keys(j), Object.keys(podLines[0]![1]));
    for (const c of j['containers']) assert.deepEqual(Object.keys(c), Object.keys(podLines[0]![1]['containers'][0]));
  });

  test.each(podLines)('%s: times are RFC 3339 UTC strings or null', (_, j) => {
    const found = times(j);
    assert.ok(found.length > 5);
    for (const [path, t] of found) {
      if (t === null) continue;
      assert.equal(typeof t, 'string', path);
      assert.equal(new Date(t as string).toISOString(), t, `${path}: ${String(t)}`);
    }
  });

  test.each(podLines)('%s: durations are finishedAt - startedAt in seconds; restarts are the instances that ended', (_, j) => {
    for (const c of j['containers']) {
      for (const i of [...c.instances, ...(c.lastTermination ? [c.lastTermination] : [])]) {
        if (i.durationSeconds === null) continue;
        assert.ok(i.startedAt && i.finishedAt, 'a duration has both ends');
        assert.equal(i.durationSeconds, (Date.parse(i.finishedAt) - Date.parse(i.startedAt)) / 1000);
      }
      assert.deepEqual(
        c.restarts,
        c.instances.filter((i: { running: boolean }) => !i.running),
      );
      assert.deepEqual(
        c.instances.map((i: { attempt: number }) => i.attempt),
        [...c.instances.map((i: { attempt: number }) => i.attempt)].sort((a, b) => a - b),
        'instances oldest first',
      );
    }
  });

  test('an OOM kill: reason, exit code 137, SIGKILL (9), unknown message as null', () => {
    const view = finalView('oom');
    const j = toJsonPod(view.pods[0]!, view.now) as Record<string, any>;
    assert.equal(j['status'], 'OOMKilled');
    assert.equal(j['ready'], '0/1');
    assert.equal(typeof j['restarts'], 'number');
    const c = j['containers'][0];
    assert.equal(c.state, 'terminated');
    assert.equal(c.reason, 'OOMKilled');
    assert.equal(c.exitCode, 137);
    assert.equal(c.signal, 'SIGKILL');
    assert.equal(c.signalNumber, 9);
    assert.equal(c.message, null);
    assert.equal(c.type, 'regular');
    assert.ok(j['findings'].some((f: { title: string }) => /OOM-killed/.test(f.title)));
  });

  test('a crash loop: back-off with its delay and next attempt; the log tail of an ended instance', () => {
    const view = finalView('crashloop');
    const c = (toJsonPod(view.pods[0]!, view.now) as Record<string, any>)['containers'][0];
    assert.ok(c.restartCount >= 1);
    const ended = c.instances.filter((i: { running: boolean }) => !i.running);
    assert.ok(ended.some((i: { logTail: string[] | null }) => i.logTail?.some((l) => l.includes('fatal: /etc/app/config.yaml'))));
    assert.ok(ended.every((i: { exitCode: number; cause: string }) => i.exitCode === 1 && i.cause === 'exit'));
  });

  test('observedAt is the time given, not a clock read', () => {
    const view = finalView('sidecar');
    const j = toJsonPod(view.pods[0]!, Date.parse('2030-01-02T03:04:05.678Z')) as Record<string, any>;
    assert.equal(j['observedAt'], '2030-01-02T03:04:05.678Z');
  });

  test.each(['crashloop-backoff-10s-exit1.yaml', 'unschedulable-insufficient-cpu.yaml'])('a public fixture (%s) as a pod line', (f) => {
    const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'public', f), 'utf8');
    const { view } = fileState(f, text);
    const j = toJsonPod(view.pods[0]!, view.now) as Record<string, any>;
    assert.deepEqual(Object.keys(j), Object.keys(podLines[0]![1]));
    assert.equal(j['name'], parseObjectsFile(text, f).observations.find((o) => o.kind === 'pod')?.object.metadata.name);
  });
});

describe('lifecycle lines', () => {
  test.each(names)('%s: documented keys, the event kind as "type", seq increasing, times RFC 3339', (name) => {
    const events = eventsSince(replayStepwise(recording(name)), 0);
    assert.ok(events.length > 0);
    const documented = keysOf(lifecycleExample);
    let seq = 0;
    for (const e of events) {
      const j = toJsonLifecycle(e) as Record<string, any>;
      assert.deepEqual(new Set(Object.keys(j)), documented);
      assert.equal(j['kind'], 'lifecycle');
      assert.equal(j['type'], e.kind);
      assert.equal(j['uid'], e.podUid);
      assert.ok(j['seq'] > seq);
      seq = j['seq'];
      assert.equal(new Date(j['at']).toISOString(), j['at']);
      assert.equal(typeof j['text'], 'string');
      assert.deepEqual(JSON.parse(JSON.stringify(j)), j);
    }
  });
});

describe('events lines (events without their pod)', () => {
  test('the events of a pod whose object was not given', () => {
    const events = recording('unschedulable').flatMap((o) => (o.kind === 'event' ? [o.object] : []));
    const e = events.find((x) => x.reason === 'FailedScheduling')!;
    const j = toJsonEvents({
      namespace: e.metadata.namespace ?? '',
      pod: 'unschedulable',
      events: [
        {
          key: e.metadata.uid ?? 'x',
          type: 'Warning',
          reason: 'FailedScheduling',
          message: e.message ?? '',
          count: 3,
          firstAt: Date.parse('2030-01-01T00:00:00Z'),
          lastAt: Date.parse('2030-01-01T00:01:00Z'),
          container: undefined,
          source: undefined,
        },
      ],
    }) as Record<string, any>;
    assert.equal(j['kind'], 'events');
    assert.equal(j['pod'], 'unschedulable');
    assert.deepEqual(j['events'][0], {
      type: 'Warning',
      reason: 'FailedScheduling',
      message: e.message,
      count: 3,
      firstTimestamp: '2030-01-01T00:00:00.000Z',
      lastTimestamp: '2030-01-01T00:01:00.000Z',
      container: null,
      source: null,
    });
  });
});
