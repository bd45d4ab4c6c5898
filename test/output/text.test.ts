// The text picture on recorded scenarios (the JSON lines: json.test.ts; the printers: printer.test.ts).

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { formatPicture } from '../../src/output/text.ts';
import { columns, lineText, wrap } from '../../src/render/line.ts';
import { finalView, recordingNames } from '../helpers/fixtures.ts';

test.each([80, 120])('the picture at %d columns: header, containers, timeline lanes that fit, findings', (width) => {
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
});

test('colour on: ANSI only around words, the same text once stripped', () => {
  const view = finalView('oom');
  const plain = formatPicture(view, view.pods[0]!, { width: 100, color: false });
  const coloured = formatPicture(view, view.pods[0]!, { width: 100, color: true });
  assert.notEqual(plain, coloured);
  assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
});

test('long lines wrap at spaces into indented continuation lines, each segment keeping its style; nothing is cut', () => {
  const got = wrap([{ text: 'message: ' }, { text: 'failed to start: exec: "x": not found', tone: 'error' }], 20, '    ');
  assert.deepEqual(got, [
    [{ text: 'message: ' }, { text: 'failed to', tone: 'error' }],
    [{ text: '    ' }, { text: 'start: exec:', tone: 'error' }],
    [{ text: '    ' }, { text: '"x": not found', tone: 'error' }],
  ]);
  // A word longer than a line is split, never dropped; terminal columns, not code units.
  assert.deepEqual(wrap([{ text: 'abcdefghij' }], 4, '  ').map(lineText), ['abcd', '  ef', '  gh', '  ij']);
  assert.deepEqual(wrap([{ text: '日本語のテキスト' }], 6, '').map(lineText), ['日本語', 'のテキ', 'スト']);
  assert.deepEqual(wrap([{ text: 'short' }], 20, '  ').map(lineText), ['short']);
});

test.each(recordingNames())('%s: the picture fits its width and cuts no message (only log lines may be clipped)', (name) => {
  const view = finalView(name);
  for (const pod of view.pods) {
    const lines = formatPicture(view, pod, { width: 100, color: false }).split('\n');
    lines.forEach((l, k) => {
      if (/^ {2}▸ /.test(l)) return; // the cursor's facts: a summary of what the lanes show
      assert.ok(columns(l) <= 100, `${name} line ${k}: ${l}`);
      if (!/^ {8}\| /.test(l)) assert.ok(!l.endsWith('…'), `${name}: cut: ${l}`);
    });
  }
});
