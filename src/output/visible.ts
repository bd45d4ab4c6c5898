// Text from a cluster or a file, made safe to print: control characters (ESC, BEL, CR, ...) and
// the Unicode marks that reorder or hide text become visible symbols instead of acting on the
// terminal. No dependencies: the error path (run.ts) uses it before anything else is loaded.

// C0 controls, DEL, C1 controls, and the Unicode format characters that reorder or hide text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_G = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/g;

function symbol(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c === 0x09) return ' '; // a tab is whitespace; one column keeps widths exact
  if (c < 0x20) return String.fromCharCode(0x2400 + c); // ␀ .. ␟ (␛ for ESC, ␊ for a newline)
  if (c === 0x7f) return '\u2421'; // ␡
  return '\ufffd'; // C1 controls and direction/format marks
}

/** The text with every control character replaced by a visible symbol of one column. */
export function visible(s: string): string {
  return UNSAFE.test(s) ? s.replace(UNSAFE_G, symbol) : s;
}
