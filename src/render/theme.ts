// The one theme: every tone's colour in every medium. The terminal UI (Ink colour names), the text
// printer (ANSI SGR codes) and the exporters (light and dark pages) all read it from here.

import type { Tone } from './line.ts';

export interface ToneColours {
  /** SGR foreground code for ANSI output. */
  readonly ansi: number;
  /** Ink's colour name (chalk). */
  readonly ink: string;
  readonly light: string;
  readonly dark: string;
}

export const TONES: Readonly<Record<Tone, ToneColours>> = {
  ok: { ansi: 32, ink: 'green', light: '#1a7f37', dark: '#3fb950' },
  progress: { ansi: 36, ink: 'cyan', light: '#0969da', dark: '#58a6ff' },
  warn: { ansi: 33, ink: 'yellow', light: '#9a6700', dark: '#d29922' },
  error: { ansi: 31, ink: 'red', light: '#cf222e', dark: '#f85149' },
  muted: { ansi: 90, ink: 'gray', light: '#6e7781', dark: '#8b949e' },
};

export type PageTheme = 'light' | 'dark';

export interface PageColours {
  readonly background: string;
  readonly foreground: string;
  /** Dim text is drawn with this opacity. */
  readonly dimOpacity: number;
}

export const PAGES: Readonly<Record<PageTheme, PageColours>> = {
  light: { background: '#ffffff', foreground: '#1f2328', dimOpacity: 0.62 },
  dark: { background: '#0d1117', foreground: '#e6edf3', dimOpacity: 0.6 },
};

export function toneColour(tone: Tone | undefined, theme: PageTheme): string {
  return tone ? TONES[tone][theme] : PAGES[theme].foreground;
}
