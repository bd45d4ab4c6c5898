// Plain-text views: one line per lifecycle event while streaming, and the picture of a pod. Both are
// drawn by src/render as styled lines; this module writes them with or without ANSI colours.

import type { EventView, LifecycleEvent, PodView, SessionView, Severity, Tone } from '../model/index.ts';
import type { Clock } from '../render/clock.ts';
import { eventLines, eventsOnlyLines, renderPicture, type PictureOptions } from '../render/pod.ts';
import { TONES } from '../render/theme.ts';
import { lineToText, linesToText } from './ansi.ts';

export { instanceLine } from '../render/pod.ts';

export interface Paint {
  tone(s: string, tone: Tone | Severity): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** Colours for the printer's own comment lines, from the theme. */
export function paint(color: boolean): Paint {
  if (!color) return { tone: (s) => s, bold: (s) => s, dim: (s) => s };
  const code = (t: Tone | Severity): number | undefined =>
    t === 'warning' ? TONES.warn.ansi : t in TONES ? TONES[t as Tone].ansi : undefined;
  return {
    tone: (s, t) => (code(t) !== undefined ? `\x1b[${code(t)}m${s}\x1b[39m` : s),
    bold: (s) => `\x1b[1m${s}\x1b[22m`,
    dim: (s) => `\x1b[2m${s}\x1b[22m`,
  };
}

export function formatEventLine(e: LifecycleEvent, p: Paint | boolean, opts: { showPod: boolean; width: number; clock?: Clock }): string {
  const color = typeof p === 'boolean' ? p : p.bold('x') !== 'x';
  // A long event wraps onto indented lines: nothing is cut.
  return eventLines(e, opts)
    .map((l) => lineToText(l, color))
    .join('\n');
}

/** Events about a pod whose object is not in the input (e.g. `kubectl get events -o yaml`). */
export function formatEventsOnly(
  u: { namespace: string; pod: string; events: readonly EventView[] },
  opts: { width: number; color: boolean; clock?: Clock },
): string {
  return linesToText(eventsOnlyLines(u, opts), opts.color);
}

export function formatPicture(view: SessionView, pod: PodView, opts: PictureOptions & { color: boolean }): string {
  return linesToText(renderPicture(view, pod, opts), opts.color);
}
