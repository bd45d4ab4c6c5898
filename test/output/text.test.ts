// The text picture on recorded scenarios (the JSON lines: json.test.ts; the printers: printer.test.ts).

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { formatPicture } from '../../src/output/text.ts';
import { finalView } from '../helpers/fixtures.ts';

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
