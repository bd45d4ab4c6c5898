// --export FILE: the picture of the watched pods written as SVG, HTML or Markdown (chosen by the
// file's extension), in a light or dark theme. Only serialises the render model's document.

import { writeFileSync } from 'node:fs';
import type { SessionView } from '../model/index.ts';
import { documentOf, type DocumentOptions } from '../render/document.ts';
import type { PageTheme } from '../render/theme.ts';
import { toHtml } from './html.ts';
import { toMarkdown } from './markdown.ts';
import { toSvg } from './svg.ts';

export type ExportFormat = 'svg' | 'html' | 'md';

/** The format a file name asks for; undefined for an extension podlife does not write. */
export function exportFormat(file: string): ExportFormat | undefined {
  const m = /\.(svg|html?|md|markdown)$/i.exec(file);
  if (!m) return undefined;
  const ext = m[1]!.toLowerCase();
  return ext === 'svg' ? 'svg' : ext.startsWith('htm') ? 'html' : 'md';
}

export interface ExportOptions extends DocumentOptions {
  readonly format: ExportFormat;
  readonly theme: PageTheme;
}

export function renderExport(view: SessionView, o: ExportOptions): string {
  const doc = documentOf(view, {
    target: o.target,
    width: o.width,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.timeline ? { timeline: o.timeline } : {}),
    cursor: o.cursor,
    ...(o.rollout ? { rollout: o.rollout } : {}),
  });
  return o.format === 'svg' ? toSvg(doc, o.theme) : o.format === 'html' ? toHtml(doc, o.theme) : toMarkdown(doc);
}

export function writeExport(file: string, view: SessionView, o: ExportOptions): number {
  const text = renderExport(view, o);
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}
