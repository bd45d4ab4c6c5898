// Ink's Output, with a quicker way to the same frame for the screens podlife draws: one text per
// row, written at the left edge (the pod screen is a list of lines, the rollout screen one text of
// as many lines as rows).
//
// Ink builds every frame from scratch: it tokenises each text's ANSI codes into styled cells,
// fills a width x height grid of cell objects, and turns every row back into a string. At 120x40
// that is most of a frame's CPU, and the one-second clock pays it for a frame in which a few ages
// changed. For a frame made only of single-line writes at x = 0, one per row, without clips, a
// row's string is a function of the written text and the text's transformers alone, so each
// distinct line is turned into its row once and remembered across frames. Any other frame (a
// clip, a write elsewhere, two writes on a row, a text of several lines) is built by Ink's own
// code. test/ui/fast-output.test.ts checks both give the same string on the screens' frames and
// on the edge cases (wide and zero-width characters, styles open at the end, overlong lines).
//
// scripts/build.mjs makes Ink's renderer use withFastRows(Output) in the bundle.

import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize } from '@alcalzone/ansi-tokenize';
import { SGR_CODE, SIMPLE_CHARS } from '../output/string-width-fast.ts';
import { remember } from './memo-text.ts';

type Transformer = (line: string, index: number) => string;

interface InkOperation {
  readonly type: 'write' | 'clip' | 'unclip';
  readonly x?: number;
  readonly y?: number;
  readonly text?: string;
  readonly transformers?: readonly Transformer[];
}

/** What podlife relies on in Ink's Output class (ink/build/output.js): its constructor, operations and get(). */
export interface InkOutputLike {
  readonly width: number;
  readonly height: number;
  readonly operations: readonly InkOperation[];
  get(): { output: string; height: number };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base takes any arguments
export type InkOutputClass = new (...args: any[]) => InkOutputLike;

// As Ink does: a standalone invisible character takes no cell.
const ignorable = /^\p{Default_Ignorable_Code_Point}+$/u;

// A screen is at most a few hundred rows, and a frame replaces a few dozen: a few frames' worth.
const MEMO_LINES = 512;

type Codes = Parameters<typeof ansiCodesToString>[0];

function sameStyle(a: Codes, b: Codes): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
  return true;
}

/** What Ink's own path does with a text: its tokens, each character styled, the styles written back. */
function normaliseTokens(text: string): { text: string; codes: Codes } {
  let codes: Codes = [];
  let last: Codes | undefined;
  let out = '';
  for (const t of tokenize(text)) {
    if (t.type === 'ansi') {
      codes = reduceAnsiCodesIncremental(codes, [t]);
      continue;
    }
    if (t.type !== 'char' || ignorable.test(t.value)) continue;
    if (last === undefined) out += ansiCodesToString(codes);
    else if (last !== codes && !sameStyle(last, codes)) out += ansiCodesToString(diffAnsiCodes(last, codes));
    last = codes;
    out += t.value;
  }
  return { text: last === undefined ? out : out + ansiCodesToString(diffAnsiCodes(last, [])), codes };
}

/** No escape but complete SGR codes, no C1 CSI, no carriage return (which would join the newline after it into one character). */
const CUTTABLE = new RegExp(`^(?:[^\\x1b\\x9b\\r]|${SGR_CODE})*$`);

// The lines podlife draws are SGR codes and characters each of which is a grapheme of its own
// (none of them invisible; string-width-fast.ts). For them the styles follow from the SGR codes
// alone, and the characters between two codes are written as they are: the style after a code is
// remembered per style before it and code, and the codes that go from one style to another are
// remembered per pair, so a line is made without a token, a styled character or a Set (the
// tokenizer's own functions make each remembered answer once). Bounded: all is forgotten past
// MEMO_STYLES answers (a theme has a few dozen).
const PLAIN_SGR = new RegExp(`^(?:${SGR_CODE}|[${SIMPLE_CHARS}])*$`);
const MEMO_STYLES = 4096;
const NONE: Codes = [];

/** Answers kept per (style, key) pair; all forgotten past MEMO_STYLES of them. */
class PairMemo<K, V> {
  private count = 0;
  private table = new WeakMap<Codes, Map<K, V>>();
  constructor(private readonly make: (a: Codes, b: K) => V) {}
  get(a: Codes, b: K): V {
    if (this.count > MEMO_STYLES) [this.count, this.table] = [0, new WeakMap()];
    let byB = this.table.get(a);
    if (byB === undefined) this.table.set(a, (byB = new Map()));
    let v = byB.get(b);
    if (v === undefined) {
      byB.set(b, (v = this.make(a, b)));
      this.count++;
    }
    return v;
  }
}
/** The style after an SGR code. */
const styleAfter = new PairMemo<string, Codes>((codes, sgr) => reduceAnsiCodesIncremental(codes, tokenize(sgr) as Codes));
/** The codes from one style to another (from NONE: the codes that open a style). */
const change = new PairMemo<Codes, string>((from, to) => (sameStyle(from, to) ? '' : ansiCodesToString(diffAnsiCodes(from, to))));

/**
 * The text as Ink re-emits it (styledCharsToString(styledCharsFromTokens(tokenize(text))) without
 * its invisible characters): its characters with the fewest style changes, every style closed at
 * the end.
 */
export function normalise(text: string): string {
  return normaliseWithEnd(text).text;
}

/** normalise(), and whether the text leaves every style closed (a text of several lines may then be cut at its newlines). */
function normaliseWithEnd(text: string): { text: string; closed: boolean } {
  if (!PLAIN_SGR.test(text)) {
    const n = normaliseTokens(text);
    return { text: n.text, closed: n.codes.length === 0 && CUTTABLE.test(text) };
  }
  let codes = NONE;
  let last: Codes | undefined;
  let out = '';
  for (let i = 0; i < text.length;) {
    if (text.charCodeAt(i) === 0x1b) {
      const end = text.indexOf('m', i) + 1;
      codes = styleAfter.get(codes, text.slice(i, end));
      i = end;
      continue;
    }
    let j = text.indexOf('\x1b', i);
    if (j < 0) j = text.length;
    out += last === codes ? '' : change.get(last ?? NONE, codes);
    last = codes;
    out += text.slice(i, j);
    i = j;
  }
  return { text: last === undefined ? out : out + change.get(last, NONE), closed: codes.length === 0 };
}

// A text as Ink hands it to the transformers, and a transformed line as it ends in its row: Ink's
// row is the line's cells then blank unstyled cells, made into a string and trimmed at the end;
// the line's own closing codes stand where the blanks begin, so that is the line alone, trimmed.
const written = remember(normaliseWithEnd, MEMO_LINES);
const rowOf = remember((line) => normalise(line).trimEnd(), MEMO_LINES);

/** Ink's Output class with the one-text-per-row frames built from remembered rows (see the top of this file). */
export function withFastRows<T extends InkOutputClass>(Base: T): T {
  return class FastRowsOutput extends Base {
    override get(): { output: string; height: number } {
      const rows = fastRows(this.operations, this.height);
      return rows === undefined ? super.get() : { output: rows.join('\n'), height: this.height };
    }
  };
}

/**
 * The frame's rows when every operation is a write at x = 0 whose lines have rows of their own
 * (a text of several lines is its lines on consecutive rows when each line but the last leaves
 * every style closed: Ink carries a style open at a newline onto the next line); undefined otherwise.
 */
export function fastRows(operations: readonly InkOperation[], height: number): string[] | undefined {
  const rows = new Array<string | undefined>(height).fill(undefined);
  for (const op of operations) {
    const { x, y, text, transformers } = op;
    if (op.type !== 'write' || x !== 0 || y === undefined || text === undefined || !Number.isInteger(y) || y < 0) return undefined;
    const lines = text.includes('\n') ? text.split('\n') : [text];
    if (y + lines.length > height) return undefined;
    for (let i = 0; i < lines.length; i++) {
      if (rows[y + i] !== undefined) return undefined;
      const w = written(lines[i]!);
      if (i < lines.length - 1 && !w.closed) return undefined;
      let line = w.text;
      for (const t of transformers ?? []) line = t(line, i);
      // Even unchanged by its transformers, the line is tokenised again: Ink's second pass can order
      // the closing codes differently from its first.
      rows[y + i] = rowOf(line);
    }
  }
  return rows.map((r) => r ?? '');
}
