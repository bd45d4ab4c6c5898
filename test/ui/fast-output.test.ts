// src/ui/fast-output.ts against Ink's own Output class: the same frame string, on the rollout
// screen's and the pod screen's real frames (recorded rollouts and pods, colours on and off, 120x40
// and 80x24), and on generated frames made of the characters and codes that are hard to get right
// (wide, combining and invisible characters, emoji sequences, styles left open, compound and
// 256-colour SGR codes, OSC links, other CSI codes, text wider than the frame), including frames
// the quick path must hand to Ink (a clip, a write off the left edge, two writes on one row, a text
// of several lines with a style open at a newline), and texts of several lines.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { groupView } from '../../src/model/index.ts';
import { ansiLine } from '../../src/ui/ansi-line.ts';
import { fastRows, withFastRows, type InkOutputClass, type InkOutputLike } from '../../src/ui/fast-output.ts';
import { initialRolloutUi, rolloutLayout } from '../../src/ui/rollout-layout.ts';
import { SIMPLE_CHARS } from '../../src/output/string-width-fast.ts';
import { loadRolloutFixture, rolloutFixturesDir, stateAt } from '../helpers/rollout-fixtures.ts';

// Ink's Output class, from the installed Ink (its package exports do not name the file).
const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
const InkOutput = ((await import(pathToFileURL(join(inkBuild, 'output.js')).href)) as { default: InkOutputClass }).default;
const FastOutput = withFastRows(InkOutput);

type Transformer = (line: string, index: number) => string;
type Op =
  | { readonly type: 'write'; readonly x: number; readonly y: number; readonly text: string; readonly transformers: Transformer[] }
  | { readonly type: 'clip'; readonly clip: { x1?: number; x2?: number; y1?: number; y2?: number } }
  | { readonly type: 'unclip' };

interface Writable extends InkOutputLike {
  write(x: number, y: number, text: string, o: { transformers: Transformer[] }): void;
  clip(c: object): void;
  unclip(): void;
}

function frame(Class: InkOutputClass, width: number, height: number, ops: readonly Op[]): string {
  const o = new Class({ width, height }) as Writable;
  for (const op of ops) {
    if (op.type === 'write') o.write(op.x, op.y, op.text, { transformers: op.transformers });
    else if (op.type === 'clip') o.clip(op.clip);
    else o.unclip();
  }
  return o.get().output;
}

// What Ink's <Text> passes without colour props (its transform returns the text as it is), and a
// Text with props (a colour and bold around the line, as chalk writes them).
const plain: Transformer = (s) => s;
const coloured: Transformer = (s) => `\x1b[1m\x1b[38;5;208m${s}\x1b[39m\x1b[22m`;

function sameFrame(width: number, height: number, ops: readonly Op[]): void {
  assert.equal(frame(FastOutput, width, height, ops), frame(InkOutput, width, height, ops));
}

describe('the screens’ real frames', () => {
  const fixtures = readdirSync(rolloutFixturesDir).filter((f) => f.endsWith('.json'));
  test.each(fixtures.flatMap((f) => [120, 80].flatMap((w) => [true, false].map((c) => [f, w, c] as const))))(
    '%s at %i columns, colour %s: the quick path is taken and gives Ink’s frame',
    (file, width, color) => {
      const fx = loadRolloutFixture(file.replace(/\.json$/, ''));
      const height = width === 120 ? 40 : 24;
      for (const i of [0, Math.floor(fx.snapshots.length / 2), fx.snapshots.length - 1]) {
        const state = stateAt(fx, i);
        const pods = [...state.pods.values()];
        const ns = pods[0]?.namespace ?? 'default';
        const view = groupView(state, { kind: 'pods', label: '-l app', namespace: ns }, { failRestarts: 2 });
        const f = rolloutLayout(
          { view, connection: state.connection, notes: state.notes, label: `-l app -n ${ns}`, targets: 1 },
          initialRolloutUi,
          { width, height: height - 1 },
          fx.snapshots[i]!.at,
        );
        const ops: Op[] = f.lines.map((l, y) => ({ type: 'write', x: 0, y, text: ansiLine(l, color), transformers: [plain] }));
        assert.notEqual(fastRows(ops, height), undefined, 'a frame of one line per row takes the quick path');
        sameFrame(width, height, ops);
        // The rollout screen draws its lines as one text.
        const one: Op[] = [{ type: 'write', x: 0, y: 0, text: f.lines.map((l) => ansiLine(l, color)).join('\n'), transformers: [plain] }];
        assert.notEqual(fastRows(one, height), undefined, 'the frame as one text takes the quick path');
        sameFrame(width, height, one);
        // The same lines with a colour transformer, as a <Text color=…> would wrap them.
        sameFrame(
          width,
          height,
          ops.map((o) => (o.type === 'write' ? { ...o, transformers: [coloured, plain] } : o)),
        );
      }
    },
  );
});

// The pieces generated lines are made of.
const pieces = [
  'a', 'Z', ' ', '  ', '0', '·', '─', '›', '✗', '│', '█', 'é', '¬', '®', '←', '⏵',
  '世', '界', '😀', '👍🏽', '👨‍👩‍👧', '🇩🇪', 'e\u0301', '\u0301', '\u200b', '\u200d', '\u00ad', '\ufe0f', '❤️', '\t',
  '\x1b[31m', '\x1b[39m', '\x1b[1m', '\x1b[22m', '\x1b[2m', '\x1b[7m', '\x1b[27m', '\x1b[0m', '\x1b[m', '\x1b[4;33m',
  '\x1b[38;5;208m', '\x1b[38;2;10;20;30m', '\x1b[48;5;17m', '\x1b[49m', '\x1b[1;31;42m', '\x1b[2J', '\x1b[K',
  '\x1b]8;;https://example.invalid\x07', '\x1b]8;;\x07', '\x9b31m', '\x1b', '[',
]; // prettier-ignore
const line = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => p.join(''));

describe('generated frames', () => {
  test('one text per row at the left edge: the quick path gives Ink’s frame', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.tuple(line, fc.boolean()), { minLength: 1, maxLength: 12 }),
        (width, rows) => {
          const ops: Op[] = rows
            .map(([text, colour], y) => ({ type: 'write' as const, x: 0, y, text, transformers: colour ? [coloured, plain] : [plain] }))
            .filter((o) => o.text !== '');
          sameFrame(width, rows.length + 2, ops);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('texts of several lines at the left edge: Ink’s frame, by the quick path when no style is left open at a newline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.tuple(fc.array(line, { minLength: 1, maxLength: 5 }), fc.boolean()), { minLength: 1, maxLength: 4 }),
        (width, texts) => {
          let y = 0;
          const ops: Op[] = [];
          for (const [lines, colour] of texts) {
            ops.push({ type: 'write', x: 0, y, text: lines.join('\n'), transformers: colour ? [coloured, plain] : [plain] });
            y += lines.length;
          }
          sameFrame(width, y + 1, ops);
        },
      ),
      { numRuns: 2000 },
    );
    const closed = ['\x1b[1ma\x1b[22m', 'b\x1b[31m─\x1b[39m', 'c'].join('\n');
    assert.notEqual(fastRows([{ type: 'write', x: 0, y: 0, text: closed, transformers: [plain] }], 3), undefined);
  });

  test('frames the quick path hands to Ink: still Ink’s frame, and the quick path says so', () => {
    const write = (x: number, y: number, text: string): Op => ({ type: 'write', x, y, text, transformers: [plain] });
    const cases: Op[][] = [
      [write(0, 0, 'abc'), write(2, 1, 'def')],
      [write(0, 0, 'abc'), write(0, 0, 'xy')],
      [write(0, 0, '\x1b[31mtwo\nlines\x1b[39m')],
      [write(0, 0, 'two\nlines'), write(0, 1, 'again')],
      [write(0, 2, 'three\nlines\nbelow')],
      [{ type: 'clip', clip: { x1: 0, x2: 3 } }, write(0, 0, 'abcdef'), { type: 'unclip' }],
      [write(0, 9, 'below the frame')],
    ];
    for (const ops of cases) {
      assert.equal(fastRows(ops, 4), undefined, JSON.stringify(ops));
      sameFrame(10, 4, ops);
    }
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -1, max: 6 }), line), { minLength: 1, maxLength: 8 }),
        (writes) =>
          sameFrame(
            12,
            5,
            writes.filter(([, , t]) => t !== '').map(([x, y, t]) => write(x, y, t)),
          ),
      ),
      { numRuns: 500 },
    );
  });

  test('the lines the quick tokens take (SGR codes and characters of one cell each) come out as the tokenizer’s', () => {
    const simple = new RegExp(`^[${SIMPLE_CHARS}]$`);
    const sgr = pieces.filter((p) => /^\x1b\[[0-9;]*m$/.test(p));
    const chars = pieces.filter((p) => simple.test(p));
    assert.ok(chars.length > 8 && sgr.length > 8);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...sgr, ...chars), { maxLength: 60 }), (p) => {
        const text = p.join('');
        sameFrame(80, 1, text === '' ? [] : [{ type: 'write', x: 0, y: 0, text, transformers: [plain] }]);
      }),
      { numRuns: 2000 },
    );
  });
});
