// Lanes as lists of spans: one open span (to undefined) at the end at most.

import type { Span } from './state.ts';

/** Close the open span, if any, at `at`. */
export function closeSpans(spans: readonly Span[], at: number): readonly Span[] {
  const last = spans.at(-1);
  if (!last || last.to !== undefined) return spans;
  return [...spans.slice(0, -1), { ...last, to: Math.max(at, last.from) }];
}

/**
 * Open `next` unless the open span already is that state (same list back); the open span closes
 * at `at` (never before it began, never after `next` begins). With no `next`, only the close.
 */
export function pushSpan(spans: readonly Span[], next: Span | undefined, at: number, limit: number): readonly Span[] {
  const open = spans.at(-1);
  if (next && open && open.to === undefined && open.state === next.state && open.label === next.label) return spans;
  if (!next && (!open || open.to !== undefined)) return spans;
  let out =
    open && open.to === undefined
      ? [...spans.slice(0, -1), { ...open, to: Math.max(open.from, Math.min(at, next?.from ?? at)) }]
      : [...spans];
  if (next) out.push({ ...next, from: open && next.from < open.from ? Math.max(open.from, next.from) : next.from });
  if (out.length > limit) out = out.slice(out.length - limit);
  return out;
}
