// Render lines as terminal text: with ANSI colours from the theme (a terminal), or plain (a pipe,
// --no-color). The text printer's only serialiser.

import type { Line, Seg } from '../render/line.ts';
import { TONES } from '../render/theme.ts';

function segAnsi(s: Seg): string {
  let t = s.text;
  if (t === '') return '';
  if (s.tone) t = `\x1b[${TONES[s.tone].ansi}m${t}\x1b[39m`;
  if (s.inverse) t = `\x1b[7m${t}\x1b[27m`;
  if (s.dim) t = `\x1b[2m${t}\x1b[22m`;
  if (s.bold) t = `\x1b[1m${t}\x1b[22m`;
  return t;
}

export function lineToText(line: Line, color: boolean): string {
  let out = '';
  for (const s of line) out += color ? segAnsi(s) : s.text;
  return out;
}

export function linesToText(lines: readonly Line[], color: boolean): string {
  return lines.map((l) => lineToText(l, color)).join('\n') + '\n';
}
