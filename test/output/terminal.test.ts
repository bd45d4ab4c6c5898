// What reaches a terminal: colour decided per stream, widths in terminal columns, control
// characters shown rather than obeyed, clock times in a named zone, -c narrowing the views.
// Real recordings, with their text changed where a case needs it.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import stringWidth from 'string-width';
import { makeClock, UTC_CLOCK } from '../../src/output/clock.ts';
import { jsonLine, selectContainers, startPrinter } from '../../src/output/printer.ts';
import { clipColumns, columns, useColor, visible, visibleDeep } from '../../src/output/terminal.ts';
import { formatEventLine, formatPicture, paint } from '../../src/output/text.ts';
import { layout, initialUi, lineText } from '../../src/ui/layout.ts';
import { createStore } from '../../src/store/store.ts';
import { eventsSince, type LifecycleEvent, type SessionView } from '../../src/model/index.ts';
import { finalView, recording, replayAll } from '../helpers/fixtures.ts';

test('colour per stream: --color always/never win; auto reads FORCE_COLOR, NO_COLOR, TERM=dumb, then the terminal', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  const cases: [Parameters<typeof useColor>[0], { isTTY: boolean }, NodeJS.ProcessEnv, boolean][] = [
    ['always', pipe, { NO_COLOR: '1' }, true],
    ['never', tty, { FORCE_COLOR: '1' }, false],
    ['auto', tty, {}, true],
    ['auto', pipe, {}, false],
    ['auto', tty, { NO_COLOR: '1' }, false],
    ['auto', tty, { NO_COLOR: '' }, true], // no-color.org: set and not empty
    ['auto', tty, { TERM: 'dumb' }, false],
    ['auto', pipe, { FORCE_COLOR: '1' }, true],
    ['auto', pipe, { FORCE_COLOR: '' }, true],
    ['auto', tty, { FORCE_COLOR: '0' }, false],
    ['auto', tty, { FORCE_COLOR: 'false' }, false],
    ['auto', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
  ];
  for (const [mode, stream, env, want] of cases)
    assert.equal(useColor(mode, stream, env), want, `${mode} ${stream.isTTY} ${JSON.stringify(env)}`);
});

test('widths are terminal columns: CJK and emoji take two, combining marks none; clipping never splits a character', () => {
  assert.equal(columns('abc'), 3);
  assert.equal(columns('コンテナ'), 8);
  assert.equal(columns('e\u0301'), 1);
  assert.equal(columns('\x1b[31mred\x1b[39m'), 3);
  const clipped = clipColumns('イメージの取得に失敗しました', 9);
  assert.ok(stringWidth(clipped) <= 9, clipped);
  assert.match(clipped, /…$/);
  assert.equal(clipColumns('short', 9), 'short');
  assert.equal(stringWidth(clipColumns('\x1b[33mイメージの取得に失敗しました\x1b[39m', 9).replace(/\x1b\[[0-9;]*m/g, '')), 9);
});

function withEventMessage(view: SessionView, message: string): SessionView {
  const pod = view.pods[0]!;
  return { ...view, pods: [{ ...pod, events: pod.events.map((e, i) => (i === pod.events.length - 1 ? { ...e, message } : e)) }] };
}

test('a Japanese event message at --width 60: the event lines fit 60 columns', () => {
  const view = withEventMessage(
    finalView('missing-image'),
    'イメージ "registry.example/app:v2" の取得に失敗しました: 接続が拒否されました (ErrImagePull)',
  );
  const text = formatPicture(view, view.pods[0]!, { width: 60, color: false });
  const events = text.split('\n').filter((l) => /^  \d\d:\d\d:\d\d  (Warning|Normal) /.test(l));
  assert.ok(
    events.some((l) => l.includes('イメージ')),
    text,
  );
  for (const l of events) assert.ok(stringWidth(l) <= 60, `${stringWidth(l)} columns: ${l}`);
  // A real Kubernetes Event as the model hands it to the line printer, its message in Japanese.
  const ev = eventsSince(replayAll(recording('missing-image')), 0).find((x) => x.kind === 'event');
  assert.ok(ev && ev.kind === 'event');
  const e: LifecycleEvent = { ...ev, message: '警告: イメージの取得に失敗しました。レジストリに接続できません。もう一度お試しください。' };
  // A long event wraps onto indented lines (nothing is cut), each of them within the width.
  const line = formatEventLine(e, paint(false), { showPod: true, width: 60 });
  for (const l of line.split('\n')) assert.ok(stringWidth(l) <= 60, `${stringWidth(l)}: ${l}`);
  assert.ok(line.replace(/\n +/g, '').includes('もう一度お試しください。'), line);
  for (const l of layout(view, { ...initialUi, expanded: true }, { width: 60, height: 40 }, 'x').map(lineText))
    assert.ok(stringWidth(l) <= 60, l);
});

const HOSTILE = 'bad\x1b[2J\x1b]0;pwned\x07 line\r\nnext\u202eevil\u009b31m';

test('control characters in names, messages and log lines are shown, never written raw', () => {
  assert.equal(visible('a\x1bb\x07c\rd\ne\tf\x7f'), 'a␛b␇c␍d␊e f␡');
  assert.equal(visible('x\u202ey\u009bz'), 'x\ufffdy\ufffdz');
  const view = finalView('crashloop');
  const once = visibleDeep(view);
  assert.equal(visibleDeep(once), once, 'nothing left to change: the same object');
  const plain = { a: ['x', { b: 'y' }], n: 1 };
  assert.equal(visibleDeep(plain), plain);
  const hostile = withEventMessage(view, HOSTILE);
  const pod = hostile.pods[0]!;
  const withLog = {
    ...hostile,
    pods: [
      {
        ...pod,
        containers: pod.containers.map((c) => ({ ...c, instances: c.instances.map((i) => ({ ...i, logTail: [HOSTILE] })) })),
      },
    ],
  };
  for (const color of [false, true]) {
    const text = formatPicture(withLog, withLog.pods[0]!, { width: 120, color });
    const raw = text.replace(/\x1b\[[0-9;]*m/g, color ? '' : '\x1b-left');
    assert.doesNotMatch(raw, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/, 'no control character but newlines');
    assert.ok(text.includes('bad␛[2J␛]0;pwned␇ line␍␊next\ufffdevil\ufffd31m'), 'the message, visible');
  }
  const lines = layout(withLog, { ...initialUi, expanded: true }, { width: 200, height: 60 }, HOSTILE).map(lineText);
  for (const l of lines) assert.doesNotMatch(l, /[\x00-\x1f\x7f-\x9f\u202e]/, l);
  // JSON escapes what a terminal could act on, and still parses to the same text.
  const j = jsonLine({ message: HOSTILE });
  assert.doesNotMatch(j.trimEnd(), /[\x00-\x1f\x7f-\x9f\u202e]/);
  assert.deepEqual(JSON.parse(j), { message: HOSTILE });
});

test('clock times in the zone asked for, the zone named; UTC for the goldens', () => {
  const t = Date.UTC(2025, 0, 15, 12, 0, 5);
  assert.equal(UTC_CLOCK.time(t), '12:00:05');
  assert.equal(UTC_CLOCK.dateTime(t), '2025-01-15 12:00:05');
  const tokyo = makeClock('Asia/Tokyo');
  assert.equal(tokyo.time(t), '21:00:05');
  assert.equal(tokyo.label(t), 'UTC+09:00');
  const ny = makeClock('America/New_York');
  assert.equal(ny.time(t), '07:00:05');
  assert.equal(ny.label(t), 'EST');
  assert.equal(ny.label(Date.UTC(2025, 6, 1)), 'EDT');
  assert.equal(makeClock('Asia/Kolkata').label(t), 'UTC+05:30');
  const view = finalView('crashloop');
  const utc = formatPicture(view, view.pods[0]!, { width: 100, color: false, clock: UTC_CLOCK });
  const local = formatPicture(view, view.pods[0]!, { width: 100, color: false, clock: tokyo });
  const timeline = (s: string): string => /Timeline .*/.exec(s)![0];
  const [, from] = /Timeline (\d\d:\d\d:\d\d)/.exec(timeline(utc))!;
  const [, fromTokyo] = /Timeline (\d\d:\d\d:\d\d)/.exec(timeline(local))!;
  assert.equal((Number(fromTokyo!.slice(0, 2)) - Number(from!.slice(0, 2)) + 24) % 24, 9);
  assert.match(timeline(utc), / UTC \(/);
  assert.match(timeline(local), / UTC\+09:00 \(/);
  assert.match(local, /observed from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+09:00/);
});

test('-c narrows the views to those containers: rows, lanes, events and findings; pod-level ones stay', () => {
  const view = finalView('sidecar');
  const names = view.pods[0]!.containers.map((c) => c.name);
  assert.ok(names.length >= 2, names.join());
  const one = names[0]!;
  const narrowed = selectContainers(view, [one]);
  const pod = narrowed.pods[0]!;
  assert.deepEqual(
    pod.containers.map((c) => c.name),
    [one],
  );
  assert.ok(pod.events.every((e) => e.container === undefined || e.container === one));
  assert.ok(pod.findings.every((f) => f.container === undefined || f.container === one));
  assert.equal(selectContainers(view, undefined), view);
  // A name no pod has is reported with the names there are.
  const typo = selectContainers(view, ['nope']);
  assert.equal(typo.pods[0]!.containers.length, 0);
  assert.match(typo.notes.at(-1)!.text, new RegExp(`-c: no container named "nope" in pod sidecar \\(containers: ${names.join(', ')}\\)`));
  // The streaming text printer drops the other containers' lines.
  let out = '';
  const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
  const p = startPrinter(store, {
    format: 'text',
    out: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
    once: false,
    width: 120,
    color: false,
    now: () => 0,
    containers: [one],
  });
  store.dispatch(recording('sidecar'));
  p.stop();
  const tagged = out.split('\n').flatMap((l) => /^\d\d:\d\d:\d\d[~ ] \[([^\]]+)\]/.exec(l)?.[1] ?? []);
  assert.ok(tagged.length > 0);
  assert.deepEqual([...new Set(tagged)], [one]);
});
