// Text and JSON printers on recorded scenarios.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { toJsonPod } from '../../src/output/json.ts';
import { formatPicture } from '../../src/output/text.ts';
import { finalView } from '../helpers/fixtures.ts';

test('the picture at 80 and 120 columns: header, containers, timeline lanes that fit, findings', () => {
  for (const width of [80, 120]) {
    const view = finalView('crashloop');
    const pod = view.pods[0]!;
    const text = formatPicture(view, pod, { width, color: false });
    assert.match(text, /STATUS (CrashLoopBackOff|Error|Running)  READY [01]\/1  RESTARTS \d+/);
    assert.match(text, /app \(regular\)/);
    assert.match(text, /#0 \d\d:\d\d:\d\d-\d\d:\d\d:\d\d ran 2s  Error exit 1/);
    const lanes = text.split('\n').filter((l) => /^  (pod|app) +\S/.test(l) && !/\(regular\)/.test(l));
    assert.equal(lanes.length, 2, text);
    for (const l of lanes) assert.equal(l.length, width, `lane width at ${width}: ${JSON.stringify(l)}`);
    assert.match(text, /\[error\] app: crash loop/);
    assert.doesNotMatch(text, /\x1b\[/, 'no colour when off');
  }
});

test('colour on: ANSI only around words, the same text once stripped', () => {
  const view = finalView('oom');
  const plain = formatPicture(view, view.pods[0]!, { width: 100, color: false });
  const coloured = formatPicture(view, view.pods[0]!, { width: 100, color: true });
  assert.notEqual(plain, coloured);
  assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
});

test('JSON carries the documented fields, null for unknown', () => {
  const view = finalView('oom');
  const j = toJsonPod(view.pods[0]!, view.now) as Record<string, any>;
  for (const k of ['namespace', 'name', 'uid', 'phase', 'status', 'ready', 'restarts', 'conditions', 'containers', 'events', 'findings'])
    assert.ok(k in j, k);
  assert.equal(j['status'], 'OOMKilled');
  assert.equal(j['ready'], '0/1');
  assert.equal(typeof j['restarts'], 'number');
  const c = j['containers'][0];
  assert.deepEqual(
    Object.keys(c)
      .filter((k) =>
        [
          'name',
          'type',
          'state',
          'reason',
          'message',
          'exitCode',
          'signal',
          'ready',
          'started',
          'restartCount',
          'lastTermination',
          'instances',
          'restarts',
          'backoff',
        ].includes(k),
      )
      .sort(),
    [
      'backoff',
      'exitCode',
      'instances',
      'lastTermination',
      'message',
      'name',
      'ready',
      'reason',
      'restartCount',
      'restarts',
      'signal',
      'started',
      'state',
      'type',
    ],
  );
  assert.equal(c.state, 'terminated');
  assert.equal(c.reason, 'OOMKilled');
  assert.equal(c.exitCode, 137);
  assert.equal(c.signal, 'SIGKILL');
  assert.equal(c.message, null);
  assert.equal(c.type, 'regular');
  assert.ok(j['findings'].some((f: { title: string }) => /OOM-killed/.test(f.title)));
});

test('an events-only file (kubectl get events -o json) shows the events per pod instead of failing', async () => {
  const { recording } = await import('../helpers/fixtures.ts');
  const { parseObjectsFile } = await import('../../src/sources/file.ts');
  const { createStore } = await import('../../src/store/store.ts');
  const { startPrinter } = await import('../../src/output/printer.ts');
  const events = recording('unschedulable').flatMap((o) => (o.kind === 'event' ? [o.object] : []));
  assert.ok(events.length > 0);
  const parsed = parseObjectsFile(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: events }), 'events.json');
  for (const format of ['text', 'json'] as const) {
    const store = createStore({ source: 'file', notifyIntervalMs: 0 });
    store.dispatch(parsed.observations);
    let out = '';
    startPrinter(store, {
      format,
      out: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
      once: true,
      width: 100,
      color: false,
      now: () => parsed.asOf,
    }).stop();
    if (format === 'text') {
      assert.match(out, /\/unschedulable  \(no Pod object given: its events only\)/);
      assert.match(out, /Warning FailedScheduling/);
    } else {
      const line = JSON.parse(out.trim().split('\n')[0]!);
      assert.equal(line.kind, 'events');
      assert.equal(line.pod, 'unschedulable');
      assert.ok(line.events.some((e: { reason: string }) => e.reason === 'FailedScheduling'));
    }
  }
});
