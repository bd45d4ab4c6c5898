// The non-TTY views on real recordings: what the printers write as the store changes, whatever the
// batching; connection and note lines only on change; a pod line only when the pod's picture
// changed; --once; an events-only file. test/golden.test.ts pins the exact lines of the
// one-observation-at-a-time run; this file checks what must hold for any run.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { initialState, type Observation } from '../../src/model/index.ts';
import { startPrinter, type PrinterOptions } from '../../src/output/printer.ts';
import { parseObjectsFile } from '../../src/sources/file.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { recording, recordingNames } from '../helpers/fixtures.ts';

function sink(): { out: NodeJS.WritableStream; text: () => string; lines: () => string[] } {
  const chunks: string[] = [];
  return {
    out: { write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream,
    text: () => chunks.join(''),
    lines: () => chunks.join('').split('\n').filter(Boolean),
  };
}

interface Run {
  readonly store: Store;
  readonly out: ReturnType<typeof sink>;
  readonly printer: { stop(): void };
}

/** Feeds observations in batches of `batch` (interval 0: every changing dispatch is printed). */
function feed(obs: readonly Observation[], format: 'json' | 'text', batch: number, extra: Partial<PrinterOptions> = {}): Run {
  const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
  const out = sink();
  let now = obs[0]?.observedAt ?? 0;
  const printer = startPrinter(store, { format, out: out.out, once: false, width: 120, color: false, now: () => now, ...extra });
  for (let i = 0; i < obs.length; i += batch) {
    const part = obs.slice(i, i + batch);
    now = Math.max(now, ...part.map((o) => o.observedAt));
    store.dispatch(part);
  }
  printer.stop();
  return { store, out, printer };
}

const json = (lines: string[]): Record<string, any>[] => lines.map((l) => JSON.parse(l) as Record<string, any>);

describe('JSON lines while watching', () => {
  test.each(recordingNames())('%s: the same lifecycle lines whether observations come one by one or in batches', (name) => {
    const obs = recording(name);
    const one = json(feed(obs, 'json', 1).out.lines()).filter((j) => j['kind'] === 'lifecycle');
    const batched = json(feed(obs, 'json', 7).out.lines()).filter((j) => j['kind'] === 'lifecycle');
    const all = json(feed(obs, 'json', obs.length).out.lines()).filter((j) => j['kind'] === 'lifecycle');
    assert.ok(one.length > 0);
    const key = (j: Record<string, any>): string => `${j['seq']} ${j['type']} ${j['text']}`;
    assert.deepEqual(batched.map(key), one.map(key));
    assert.deepEqual(all.map(key), one.map(key));
    assert.deepEqual(
      one.map((j) => j['seq']),
      [...new Set(one.map((j) => j['seq']))],
      'no lifecycle line twice',
    );
  });

  test.each(recordingNames())('%s: a pod line only when the pod changed; the last one is the final picture', (name) => {
    const obs = recording(name);
    const lines = json(feed(obs, 'json', 1).out.lines());
    const pods = lines.filter((j) => j['kind'] === 'pod');
    assert.ok(pods.length > 0);
    const last = new Map<string, string>();
    for (const p of pods) {
      const { observedAt: _t, ...rest } = p;
      const key = JSON.stringify(rest);
      assert.notEqual(last.get(p['uid']), key, `${p['name']}: the same pod line twice in a row`);
      last.set(p['uid'], key);
    }
    // Coalesced delivery ends on the same picture of every pod.
    const whole = json(feed(obs, 'json', obs.length).out.lines()).filter((j) => j['kind'] === 'pod');
    const final = (ps: Record<string, any>[]): Map<string, string> =>
      new Map(
        ps.map((p) => {
          const { observedAt: _t, ...rest } = p;
          return [p['uid'] as string, JSON.stringify(rest)];
        }),
      );
    assert.deepEqual(final(whole), final(pods));
  });

  test('connection and note lines: one per change, in order', () => {
    const obs = recording('crashloop');
    const lines = json(feed(obs, 'json', 1).out.lines());
    const conn = lines.filter((j) => j['kind'] === 'connection').map((j) => `${j['state']} ${j['message']}`);
    // The state the store starts with is printed first, then each change the recording brings.
    const start = initialState({ source: 'replay' }).connection;
    const seen = [`${start.state} ${start.message ?? null}`];
    for (const o of obs) if (o.kind === 'connection') seen.push(`${o.state} ${o.message ?? null}`);
    assert.deepEqual(
      conn,
      seen.filter((c, i) => i === 0 || c !== seen[i - 1]),
    );
    assert.ok(conn.length >= 2);
    const notes = lines.filter((j) => j['kind'] === 'note');
    assert.deepEqual(
      notes.map((j) => j['text']),
      obs.flatMap((o) => (o.kind === 'note' ? [o.text] : [])),
    );
  });

  test('stop() is idempotent: nothing more is written after the first', () => {
    const run = feed(recording('oom'), 'json', 1);
    const before = run.out.text();
    run.printer.stop();
    run.store.dispatch([{ kind: 'note', observedAt: Date.now(), level: 'info', text: 'after stop' }]);
    assert.equal(run.out.text(), before);
  });
});

describe('text lines while watching', () => {
  test('one line per lifecycle event, the logs of an ended instance under it, then the picture on exit', () => {
    const obs = recording('crashloop');
    const text = feed(obs, 'text', 1).out.text();
    const [live = '', picture = ''] = text.split(/\n(?=\n)/);
    assert.match(live, /^# connection connecting/m);
    assert.match(live, /^# connection live/m);
    assert.match(live, /^# note: pod "crashloop" does not exist yet/m);
    assert.match(live, /\[app\] .*Error.*exit 1/);
    assert.match(live, /^ {10}\| fatal: \/etc\/app\/config\.yaml: no such file or directory$/m);
    assert.match(picture, /STATUS \S+ {2}READY [01]\/1 {2}RESTARTS \d+/);
    for (const l of live.split('\n')) assert.ok(l.length <= 120, l);
  });

  test('several pods: each line names its pod', () => {
    const text = feed(recording('jobs'), 'text', 1).out.text();
    const eventLines = text.split('\n').filter((l) => /^\d\d:\d\d:\d\d[ ~]/.test(l));
    assert.ok(eventLines.length > 3);
    const named = eventLines.filter((l) => /^\S+ +\S+\/\S+ /.test(l));
    assert.ok(named.length > eventLines.length / 2, eventLines.slice(0, 5).join('\n'));
  });

  test('colour only when asked for; the same text once stripped', () => {
    const obs = recording('liveness');
    const plain = feed(obs, 'text', 1).out.text();
    const coloured = feed(obs, 'text', 1, { color: true }).out.text();
    assert.doesNotMatch(plain, /\x1b\[/);
    assert.match(coloured, /\x1b\[/);
    assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
  });

  test('a file source prints no connection lines', () => {
    const store = createStore({ source: 'file', notifyIntervalMs: 0 });
    const out = sink();
    const obs = recording('oom');
    const printer = startPrinter(store, {
      format: 'text',
      out: out.out,
      once: false,
      width: 100,
      color: false,
      now: () => obs.at(-1)!.observedAt,
    });
    store.dispatch(obs);
    printer.stop();
    assert.doesNotMatch(out.text(), /# connection/);
    assert.match(out.text(), /OOMKilled/);
  });
});

describe('--once', () => {
  const once = (store: Store, format: 'json' | 'text', now: number): string => {
    const out = sink();
    startPrinter(store, { format, out: out.out, once: true, width: 100, color: false, now: () => now }).stop();
    return out.text();
  };

  test.each(['json', 'text'] as const)('no pods at all (%s)', (format) => {
    const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
    const text = once(store, format, 0);
    assert.equal(text, format === 'json' ? '' : 'no pods\n');
  });

  test('JSON: one pod line per pod, nothing else', () => {
    const obs = recording('jobs');
    const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
    store.dispatch(obs);
    const lines = json(once(store, 'json', obs.at(-1)!.observedAt).trim().split('\n'));
    assert.equal(lines.length, 3);
    assert.ok(lines.every((j) => j['kind'] === 'pod'));
    assert.equal(new Set(lines.map((j) => j['uid'])).size, 3);
  });

  test('text: one picture per pod, each with its own history', () => {
    const obs = recording('jobs');
    const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
    store.dispatch(obs);
    const text = once(store, 'text', obs.at(-1)!.observedAt);
    assert.equal(text.match(/^STATUS /gm)?.length, 3);
    const pictures = text.split(/\n(?=\S+\/\S+ {2}uid )/);
    assert.equal(pictures.length, 3);
    for (const pic of pictures) {
      const name = /^\S+\/(\S+) {2}uid /.exec(pic)?.[1];
      assert.ok(name, pic.slice(0, 200));
      const assigned = [...pic.matchAll(/Successfully assigned \S+\/(\S+) to/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(assigned)], [name], `${name}: only its own events`);
    }
  });

  test('an events-only file (kubectl get events -o json) shows the events per pod instead of failing', () => {
    const events = recording('unschedulable').flatMap((o) => (o.kind === 'event' ? [o.object] : []));
    assert.ok(events.length > 0);
    const parsed = parseObjectsFile(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: events }), 'events.json');
    const store = createStore({ source: 'file', notifyIntervalMs: 0 });
    store.dispatch(parsed.observations);
    const text = once(store, 'text', parsed.asOf);
    assert.match(text, /\/unschedulable {2}\(no Pod object given: its events only\)/);
    assert.match(text, /Warning FailedScheduling/);
    const line = JSON.parse(once(store, 'json', parsed.asOf).trim().split('\n')[0]!);
    assert.equal(line.kind, 'events');
    assert.equal(line.pod, 'unschedulable');
    assert.ok(line.events.some((e: { reason: string }) => e.reason === 'FailedScheduling'));
  });
});
