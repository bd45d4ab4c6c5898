// One laid-out line as one string with SGR codes, for Ink to draw as a single <Text>: a screen of
// 40 lines is 40 text nodes instead of one per span, and a line that did not change is the same
// string, so React skips it (memo compares strings by value).

import type { Line } from './layout.ts';

const FG: Readonly<Record<string, number>> = { ok: 32, progress: 36, warn: 33, error: 31, muted: 90 };

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
    const codes: number[] = [];
    if (color && s.tone && FG[s.tone] !== undefined) codes.push(FG[s.tone]!);
    if (s.bold) codes.push(1);
    if (s.dim) codes.push(2);
    if (s.inverse) codes.push(7);
    const next = codes.join(';');
    if (next !== style) {
      flush();
      style = next;
    }
    text += s.text;
  }
  flush();
  return out;
}
