// src/ui/memo-text.ts: the remembered function gives what the function gives, for Ink's own
// sanitiser on the strings a screen holds and on generated ones, and forgets what was not asked for
// in two generations (its memory is bounded); measureLines measures as Ink does.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { test } from 'vitest';
import { measureLines, memoText, remember } from '../../src/ui/memo-text.ts';

const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
const { default: sanitizeAnsi } = (await import(pathToFileURL(join(inkBuild, 'sanitize-ansi.js')).href)) as {
  default: (text: string) => string;
};

const pieces = [
  'a',
  'web-7b6f77bdbf-vnj7p',
  ' ',
  '\u001b[1m',
  '\u001b[31m',
  '\u001b[38:5:196m',
  '\u001b[0m',
  '\u001b[2J',
  '\u001b]8;;https://example.invalid\u0007link\u001b]8;;\u0007',
  '\u0007',
  '\t',
  '\n',
  '\r\n',
  'e\u0301',
  '\u0301',
  '界',
  '👩‍👩‍👧',
  '█▇▆',
  '\u009b31m',
];

test('the same strings as Ink’s sanitiser, asked once or many times, in any order', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((xs) => xs.join('')),
          fc.string({ maxLength: 30 }),
        ),
        {
          maxLength: 60,
        },
      ),
      fc.integer({ min: 1, max: 8 }),
      (texts, max) => {
        const memo = memoText(sanitizeAnsi, max);
        for (const t of [...texts, ...texts.toReversed(), ...texts]) assert.equal(memo(t), sanitizeAnsi(t), JSON.stringify(t));
      },
    ),
    { numRuns: 300 },
  );
});

test('remembers the strings of the last two generations and forgets the older ones', () => {
  const asked: string[] = [];
  const memo = remember((t) => {
    asked.push(t);
    return t.toUpperCase();
  }, 3);
  for (const t of ['a', 'b']) memo(t);
  assert.deepEqual(asked, ['a', 'b']);
  memo('a');
  memo('b');
  assert.deepEqual(asked, ['a', 'b'], 'asked again: remembered');
  memo('c'); // the first generation is full (a, b, c) and becomes the previous one
  for (const t of ['d', 'e', 'f']) memo(t); // the second is full: it is the previous one now, a, b, c are forgotten
  memo('g');
  asked.length = 0;
  assert.equal(memo('d'), 'D');
  assert.equal(memo('a'), 'A');
  assert.deepEqual(asked, ['a'], 'd came from the previous generation, a was made again');
});

// The lines the screens draw: SGR codes of digits and semicolons, characters each a visible
// grapheme of its own (string-width-fast.ts's SIMPLE_CHARS), newlines.
const sgrCodes = ['\u001b[1m', '\u001b[22m', '\u001b[31m', '\u001b[39m', '\u001b[0m', '\u001b[m', '\u001b[38;5;208m', '\u001b[2;7m'];
const simple = ['a', 'Z', ' ', '0', '·', '─', '›', '✗', '│', '█', 'é', '←', '⏵', '¬', '\u00a0'];
const screenText = fc.array(fc.constantFrom(...sgrCodes, ...simple, ...simple, '\n'), { maxLength: 200 }).map((xs) => xs.join(''));

test('a text of screen lines is one Ink’s sanitiser gives back as it is: the memo does not ask it', () => {
  const asked: string[] = [];
  const memo = memoText((t) => {
    asked.push(t);
    return sanitizeAnsi(t);
  });
  fc.assert(
    fc.property(screenText, (t) => {
      assert.equal(sanitizeAnsi(t), t, JSON.stringify(t));
      assert.equal(memo(t), t);
    }),
    { numRuns: 2000 },
  );
  assert.deepEqual(asked, []);
  assert.equal(memo('a\u001b[2Jb'), 'ab', 'a text with another escape is sanitised');
});

test('texts of several lines with any content: Ink’s sanitiser’s answer, line by line where it may be', () => {
  const line = fc.array(fc.constantFrom(...pieces, ...sgrCodes, ...simple), { maxLength: 12 }).map((xs) => xs.join(''));
  fc.assert(
    fc.property(fc.array(line, { minLength: 2, maxLength: 8 }), (lines) => {
      const memo = memoText(sanitizeAnsi, 4);
      const text = lines.join('\n');
      assert.equal(memo(text), sanitizeAnsi(text), JSON.stringify(text));
      assert.equal(memo(text), sanitizeAnsi(text), 'asked again');
    }),
    { numRuns: 2000 },
  );
});

const { default: measureText } = (await import(pathToFileURL(join(inkBuild, 'measure-text.js')).href)) as {
  default: (text: string) => { width: number; height: number };
};

test('measureLines gives Ink’s measure of a text, without keeping the texts of several lines', () => {
  const measure = measureLines(measureText, 4);
  const anyText = fc.array(fc.constantFrom(...pieces, ...simple, '\n', '界界', '👍🏽'), { maxLength: 30 }).map((xs) => xs.join(''));
  fc.assert(
    fc.property(fc.array(fc.oneof(anyText, screenText), { maxLength: 10 }), (texts) => {
      for (const t of [...texts, ...texts]) assert.deepEqual(measure(t), measureText(t), JSON.stringify(t));
    }),
    { numRuns: 1000 },
  );
});
