// The bundle measures text with src/output/string-width-fast.ts in place of string-width: its fast
// path must give string-width's answer for every character it takes, and hand on the rest.

import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { test } from 'vitest';
import fastStringWidth, { simpleWidth } from '../../src/output/string-width-fast.ts';

test('every character the fast path takes has string-width’s width, alone and between others', () => {
  let taken = 0;
  for (let cp = 0; cp <= 0x2fff; cp++) {
    const ch = String.fromCodePoint(cp);
    const w = simpleWidth(ch);
    if (w === undefined) continue;
    taken++;
    assert.equal(w, stringWidth(ch), `U+${cp.toString(16).padStart(4, '0')}`);
    const s = `a${ch}${ch}\x1b[31m${ch}\x1b[0mz`;
    assert.equal(simpleWidth(s), stringWidth(s), `U+${cp.toString(16)} in a string`);
  }
  assert.ok(taken > 2000, `the fast path takes ${taken} characters`);
});

test('what the fast path does not take goes to string-width', () => {
  for (const s of ['日本語', 'e\u0301', '👍🏽', '✔️', 'a\u00adb', '\u200b', '🇩🇪', '한국', '\u0007x', 'x\u2060y']) {
    assert.equal(simpleWidth(s), undefined, JSON.stringify(s));
    assert.equal(fastStringWidth(s), stringWidth(s), JSON.stringify(s));
  }
  // Options are string-width's alone.
  assert.equal(fastStringWidth('±', { ambiguousIsNarrow: false }), stringWidth('±', { ambiguousIsNarrow: false }));
  assert.equal(
    fastStringWidth('\x1b[1mab\x1b[0m', { countAnsiEscapeCodes: true }),
    stringWidth('\x1b[1mab\x1b[0m', { countAnsiEscapeCodes: true }),
  );
  // The views' own symbols are taken.
  assert.equal(simpleWidth('─ events ─ █▒░ ✓ ✗ ● › … → ·'), stringWidth('─ events ─ █▒░ ✓ ✗ ● › … → ·'));
});
