// string-width with a fast path, put in its place in the bundle for every importer (Ink, its
// helpers, terminal.ts) by scripts/build.mjs. Text made only of characters that are each a whole
// grapheme, visible, and joined to nothing (Latin-1 but the soft hyphen, Latin Extended, and the
// symbol blocks the views draw with: general punctuation less its invisible marks, arrows, math and
// technical symbols, box drawing, blocks, geometric shapes, symbols, dingbats) is measured by its
// East Asian Width alone, as string-width measures such a character; anything else goes to
// string-width. Why: string-width segments graphemes and runs a compiled emoji regex on every
// cluster, ~40 ms on the first screen of the terminal UI and most of a frame's measuring after.
// test/output/string-width-fast.test.ts checks the fast path against string-width character by character.

import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { eastAsianWidth } from 'get-east-asian-width';

/** The characters each of which is a whole grapheme, visible, of one code unit and joined to nothing (see above). */
export const SIMPLE_CHARS = '\\u0020-\\u007e\\u00a0-\\u00ac\\u00ae-\\u02ff\\u2010-\\u2027\\u2030-\\u205e\\u2190-\\u2bff';
const SIMPLE = new RegExp(`^[${SIMPLE_CHARS}]*$`);

/** An SGR code of digits and semicolons (the colours and styles the views write), as a pattern's source. */
export const SGR_CODE = '\\x1b\\[[0-9;]*m';
const SGR = new RegExp(SGR_CODE, 'g');

/** The text without its escape codes: SGR codes (what the views write) by a short expression, anything else by strip-ansi's. */
function withoutAnsi(text: string): string {
  const plain = text.replace(SGR, '');
  return plain.includes('\x1b') || plain.includes('\x9b') ? stripAnsi(text) : plain;
}

/** The width of `text` if the fast path can tell it, else undefined. */
export function simpleWidth(text: string): number | undefined {
  const plain = text.includes('\x1b') || text.includes('\x9b') ? withoutAnsi(text) : text;
  if (!SIMPLE.test(plain)) return undefined;
  let width = 0;
  for (let i = 0; i < plain.length; i++) {
    const c = plain.charCodeAt(i);
    width += c < 0x1100 ? 1 : eastAsianWidth(c);
  }
  return width;
}

export default function fastStringWidth(text: string, options?: Parameters<typeof stringWidth>[1]): number {
  if (options === undefined && typeof text === 'string') {
    const w = simpleWidth(text);
    if (w !== undefined) return w;
  }
  return stringWidth(text, options);
}
