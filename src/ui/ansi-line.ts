// One laid-out line as one string with SGR codes, for Ink to draw as a single <Text>: a screen of
// 40 lines is 40 text nodes instead of one per span, and a line that did not change is the same
// string, so React skips it (memo compares strings by value).

import type { Line } from './layout.ts';

const FG: Readonly<Record<string, number>> = { ok: 32, progress: 36, warn: 33, error: 31, muted: 90 };
/** A tone's place in STYLES (0: none). */
const TONE_INDEX: Readonly<Record<string, number>> = Object.fromEntries(Object.keys(FG).map((tone, i) => [tone, i + 1]));

// The SGR parameters of every style a span can have (tone x bold x dim x inverse), made once: the
// one-second clock redraws every line whose age changed, and a line is a dozen spans.
const STYLES: readonly string[] = Array.from({ length: (Object.keys(FG).length + 1) * 8 }, (_, key) => {
  const codes: number[] = [];
  if (key >> 3 > 0) codes.push(Object.values(FG)[(key >> 3) - 1]!);
  if (key & 4) codes.push(1);
  if (key & 2) codes.push(2);
  if (key & 1) codes.push(7);
  return codes.join(';');
});

export function ansiLine(line: Line, color: boolean): string {
  let out = '';
  let style = '';
  let text = '';
  const flush = (): void => {
    if (text === '') return;
    out += style ? `\x1b[${style}m${text}\x1b[0m` : text;
    text = '';
  };
  for (const s of line) {
    const tone = color && s.tone ? (TONE_INDEX[s.tone] ?? 0) : 0;
    const next = STYLES[(tone << 3) | (s.bold ? 4 : 0) | (s.dim ? 2 : 0) | (s.inverse ? 1 : 0)]!;
    if (next !== style) {
      flush();
      style = next;
    }
    text += s.text;
  }
  flush();
  return out;
}
