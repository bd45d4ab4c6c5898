// Styled lines: what every view draws. A line is a list of segments; each segment has text and a
// style from the one theme (a tone, bold, dim, inverse). Widths are terminal columns (a CJK
// character or an emoji takes two, a combining mark none), never UTF-16 code units. The terminal UI
// draws these lines with Ink, the text printer writes them with or without ANSI colours, and the
// exporters serialise them as SVG, HTML or Markdown.

import stringWidth from 'string-width';
import type { Tone } from '../model/index.ts';
import { columns } from '../output/terminal.ts';

export { columns };

export type { Tone };

export interface Seg {
  readonly text: string;
  /** undefined: the default foreground. */
  readonly tone?: Tone | undefined;
  readonly bold?: boolean | undefined;
  readonly dim?: boolean | undefined;
  readonly inverse?: boolean | undefined;
  /** The glyph-table key of a timeline cell (glyphs.ts): exporters draw fills as shapes, tests check the legend. */
  readonly glyph?: string | undefined;
}
export type Line = readonly Seg[];

const PLAIN = /^[\x20-\x7e]*$/;
// Made on first use: creating a segmenter costs ~7 ms (ICU), and plain text never needs one.
let segmenter: Intl.Segmenter | undefined;
/** The graphemes of `s`: printable ASCII is one per character. */
const graphemes = (s: string): Iterable<string> =>
  PLAIN.test(s) ? s : Array.from((segmenter ??= new Intl.Segmenter()).segment(s), (g) => g.segment);

/** The first `width` columns of a string, ending in "…" when cut. */
export function clip(s: string, width: number): string {
  if (width <= 0) return '';
  if (PLAIN.test(s)) return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
  if (stringWidth(s) <= width) return s;
  return take(s, width - 1) + '…';
}

/** The longest prefix of `s` that fits in `width` columns (never splits a grapheme). */
function take(s: string, width: number): string {
  let out = '';
  let used = 0;
  for (const segment of graphemes(s)) {
    const w = PLAIN.test(segment) ? segment.length : stringWidth(segment);
    if (used + w > width) break;
    out += segment;
    used += w;
  }
  return out;
}

/** Pads with spaces to `width` columns (never cuts). */
export function pad(s: string, width: number): string {
  const w = columns(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

export function lineText(line: Line): string {
  let s = '';
  for (const x of line) s += x.text;
  return s;
}

export function lineColumns(line: Line): number {
  let n = 0;
  for (const x of line) n += columns(x.text);
  return n;
}

/** A line cut to `width` columns: when it is wider, its first width-1 columns and "…". */
export function fit(line: Line, width: number): Line {
  if (lineColumns(line) <= width) return line;
  if (width <= 0) return [];
  const out: Seg[] = [];
  let left = width - 1;
  for (const s of line) {
    const w = columns(s.text);
    if (w <= left) {
      out.push(s);
      left -= w;
      continue;
    }
    const t = take(s.text, left);
    out.push({ ...s, text: `${t}…`, glyph: undefined });
    return out;
  }
  return out;
}

/** Shorthands for building lines. */
export const seg = (text: string, style: Omit<Seg, 'text'> = {}): Seg => ({ text, ...style });
export const plain = (text: string): Line => [{ text }];
export const dimLine = (text: string): Line => [{ text, dim: true }];
export const toneLine = (text: string, tone: Tone | undefined): Line => [{ text, tone }];

/** A style applied to every segment of a line (the text printer's `p.dim(...)` around a whole line). */
export function styled(line: Line, style: Omit<Seg, 'text'>): Line {
  return line.map((s) => ({ ...s, ...style }));
}

/**
 * A line wrapped to `width` columns at spaces (a word longer than a line is split at a grapheme),
 * the continuation lines starting with `indent`; each segment keeps its style. Nothing is cut: a
 * long message takes more lines (a runtime's error names its cause at its end).
 */
export function wrap(line: Line, width: number, indent: string): Line[] {
  if (lineColumns(line) <= width) return [line];
  const units: { text: string; w: number; k: number }[] = [];
  line.forEach((s, k) => {
    for (const segment of graphemes(s.text))
      units.push({ text: segment, w: PLAIN.test(segment) ? segment.length : stringWidth(segment), k });
  });
  const rows: (typeof units)[] = [];
  let i = 0;
  let room = Math.max(1, width);
  while (i < units.length) {
    let used = 0;
    let j = i;
    while (j < units.length && used + units[j]!.w <= room) used += units[j++]!.w;
    if (j >= units.length) {
      rows.push(units.slice(i));
      break;
    }
    // Break at the last space of the row (the space is dropped), unless the row would be empty.
    let cut = -1;
    for (let k = j; k > i; k--)
      if (units[k]!.text === ' ') {
        cut = k;
        break;
      }
    if (cut > i && units.slice(i, cut).some((u) => u.text !== ' ')) {
      rows.push(units.slice(i, cut));
      i = cut + 1;
    } else {
      rows.push(units.slice(i, Math.max(j, i + 1)));
      i = Math.max(j, i + 1);
    }
    room = Math.max(1, width - columns(indent));
  }
  return rows.map((row, r) => {
    const out: Seg[] = r > 0 ? [{ text: indent }] : [];
    for (let a = 0; a < row.length;) {
      let b = a;
      while (b < row.length && row[b]!.k === row[a]!.k) b++;
      const src = line[row[a]!.k]!;
      out.push({
        ...src,
        text: row
          .slice(a, b)
          .map((u) => u.text)
          .join(''),
      });
      a = b;
    }
    return out;
  });
}
