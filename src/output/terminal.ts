// What a terminal needs from the printers and the UI alike:
// - colour decided per stream, as other CLIs decide it: --color always|never, else FORCE_COLOR
//   (non-empty and not 0/false forces it), NO_COLOR (non-empty turns it off), TERM=dumb (off), else
//   whether that stream is a terminal;
// - widths in terminal columns (a CJK character or an emoji takes two, a combining mark none), not
//   UTF-16 code units;
// - text from the cluster or a file made safe to print: control characters (ESC, BEL, CR, ...) and
//   bidirectional overrides become visible symbols instead of acting on the terminal.

import stringWidth from 'string-width';

export { useColor, type ColorMode } from './color.ts';

export { visible } from './visible.ts';
import { visible } from './visible.ts';

/**
 * `visible` applied to every string in a plain data structure (a view, an event), returning the
 * same object wherever nothing changed (so memoised views stay equal).
 */
export function visibleDeep<T>(value: T): T {
  if (typeof value === 'string') return visible(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = visibleDeep(value[i] as unknown);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const w = visibleDeep(v as unknown);
      if (w !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = w;
    }
    return (out ?? value) as T;
  }
  return value;
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/y;
// eslint-disable-next-line no-control-regex
const SGR_G = /\x1b\[[0-9;]*m/g;
const PLAIN = /^[\x20-\x7e]*$/;
// ASCII and the one-column symbols the views draw (middle dot, ellipsis, arrows, box drawing,
// blocks, geometric shapes, check marks): their width is their length, without string-width.
const NARROW = /^[\x20-\x7e\u00b7\u2026\u203a\u2190-\u21ff\u2500-\u25fc\u25ff\u2713\u2717]*$/;
// Made when first needed: a Segmenter costs milliseconds to create, and most text is plain.
let segmenter: Intl.Segmenter | undefined;

/** Terminal columns of a string; colour codes take none. */
export function columns(s: string): number {
  const plain = s.includes('\x1b') ? s.replace(SGR_G, '') : s;
  return NARROW.test(plain) ? plain.length : stringWidth(plain);
}

/** Clips to `width` columns, ending in "…" when cut; colour codes are kept whole (and reset when cut). */
export function clipColumns(s: string, width: number): string {
  if (width <= 0) return '';
  if (!s.includes('\x1b') && NARROW.test(s)) return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
  if (columns(s) <= width) return s;
  let out = '';
  let used = 0;
  let i = 0;
  while (i < s.length) {
    SGR.lastIndex = i;
    const m = SGR.exec(s);
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    const next = s.indexOf('\x1b', i);
    const chunk = s.slice(i, next < 0 ? s.length : next);
    for (const { segment } of (segmenter ??= new Intl.Segmenter()).segment(chunk)) {
      const w = PLAIN.test(segment) ? segment.length : stringWidth(segment);
      if (used + w > width - 1) {
        out += '…';
        return out.includes('\x1b[') ? `${out}\x1b[0m` : out;
      }
      out += segment;
      used += w;
    }
    i += chunk.length;
  }
  return out;
}

/** Pads with spaces to `width` columns (never cuts). */
export function padColumns(s: string, width: number): string {
  const w = columns(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}
