// Ink's text functions, remembered over the strings they were last given. Ink sanitises the string
// of every text node each time Yoga measures it and each time it is drawn (ink/build/squash-text-
// nodes.js: sanitizeAnsi tokenises the text's escape codes); a frame of the pod or rollout screen
// is some forty lines of which a clock tick changes a few, so most of that work repeats the last
// frame's. scripts/build.mjs gives Ink's squashTextNodes memoText(sanitizeAnsi) and its text
// measurement measureLines(measureText) in the bundle (scripts/ink-wraps.mjs).
//
// Only for pure functions of the string. Two generations of at most `max` entries each: a string
// not asked for since the generation before the last is forgotten, so memory stays bounded
// whatever the screen shows.
//
// A text of several lines made only of SGR codes and characters that are not escapes (the rollout
// screen draws its frame as one such text) is taken line by line, each line remembered on its own:
// for these texts Ink's sanitiser works line by line (nothing it keeps or drops spans a newline;
// test/ui/memo-text.test.ts holds it to that on generated texts), and a tick changes a few lines.

import stringWidth from 'string-width';
import { SGR_CODE, SIMPLE_CHARS } from '../output/string-width-fast.ts';

/** f, remembered over two generations of at most `max` strings. */
export function remember<V>(f: (text: string) => V, max = 2048): (text: string) => V {
  let current = new Map<string, V>();
  let previous = new Map<string, V>();
  return (text) => {
    let out = current.get(text);
    if (out !== undefined) return out;
    out = previous.has(text) ? previous.get(text)! : f(text);
    current.set(text, out);
    if (current.size >= max) {
      previous = current;
      current = new Map();
    }
    return out;
  };
}

/** Lines joined by newlines, with no escape other than a complete SGR code and no C1 control. */
const SGR_LINES = /^(?:[^\x1b\x80-\x9f]|\x1b\[[0-9:;]*m)*$/;

/**
 * SGR codes of digits and semicolons, and characters each a visible grapheme of its own, in lines:
 * what podlife's screens draw. Ink's sanitiser gives such a text back as it is (it keeps SGR codes,
 * moves them only past combining marks, and strips controls; test/ui/memo-text.test.ts holds it to
 * that), so it is not asked.
 */
const PLAIN_SGR_LINES = new RegExp(`^(?:${SGR_CODE}|[\n${SIMPLE_CHARS}])*$`);

/** f (Ink's sanitiser), remembered; a text it gives back as it is is not asked for (see above). */
export function memoText(f: (text: string) => string, max = 2048): (text: string) => string {
  const one = remember(f, max);
  // The last text of several lines and its answer: Ink asks for a text when Yoga measures it and again when it is drawn.
  let lastText: string | undefined;
  let lastOut = '';
  return (text) => {
    if (PLAIN_SGR_LINES.test(text)) return text;
    if (!text.includes('\n') || !SGR_LINES.test(text)) return one(text);
    if (text !== lastText) [lastText, lastOut] = [text, text.split('\n').map(one).join('\n')];
    return lastOut;
  };
}

interface Dimensions {
  readonly width: number;
  readonly height: number;
}

/**
 * Ink's measureText (its widest line's columns and its number of lines) for a text of several
 * lines, from each line's remembered width, without Ink's own cache of whole texts: that keeps the
 * last 4,096 texts measured, and the rollout screen's frame is one text of a few kilobytes, new
 * every second. A text of one line is Ink's.
 */
export function measureLines(real: (text: string) => Dimensions, max = 2048): (text: string) => Dimensions {
  const lineWidth = remember((line) => stringWidth(line), max);
  let last: { text: string; dims: Dimensions } | undefined;
  return (text) => {
    if (!text.includes('\n')) return real(text);
    if (last?.text === text) return last.dims;
    const lines = text.split('\n');
    let width = 0;
    for (const line of lines) width = Math.max(width, lineWidth(line));
    last = { text, dims: { width, height: lines.length } };
    return last.dims;
  };
}
