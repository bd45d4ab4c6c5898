// A Document as SVG: a grid of terminal columns in a monospace font. Each segment sits at its
// column (wide characters take two); state fills (ready, running, waiting) are drawn as rectangles,
// so the lanes read the same whatever font the viewer has. Light or dark page from the theme.

import type { Document } from '../render/document.ts';
import { glyphOf, type GlyphKey } from '../render/glyphs.ts';
import { columns, type Line } from '../render/line.ts';
import { PAGES, toneColour, type PageTheme } from '../render/theme.ts';

export const FONT = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";
export const FONT_SIZE = 13;
/** The advance of one column in the font above (0.6 em, as monospace fonts have it). */
export const CELL_W = 7.8;
export const LINE_H = 17;
const PAD = 16;

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The document's lines: title, subtitle, then each section after a blank line. */
export function documentLines(doc: Document): Line[] {
  const out: Line[] = [[{ text: doc.title, bold: true }], [{ text: doc.subtitle, dim: true }]];
  for (const s of doc.sections) out.push([], ...s.lines);
  return out;
}

const n = (v: number): string => String(Math.round(v * 100) / 100);

export function toSvg(doc: Document, theme: PageTheme): string {
  const page = PAGES[theme];
  const lines = documentLines(doc);
  const cols = Math.max(40, ...lines.map((l) => l.reduce((w, s) => w + columns(s.text), 0)));
  const width = PAD * 2 + cols * CELL_W;
  const height = PAD * 2 + lines.length * LINE_H;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="${escapeXml(FONT)}" font-size="${FONT_SIZE}" style="white-space:pre">`,
    `<title>${escapeXml(`${doc.title} ${doc.subtitle}`)}</title>`,
    `<rect width="100%" height="100%" fill="${page.background}"/>`,
  );
  lines.forEach((line, row) => {
    const top = PAD + row * LINE_H;
    const base = top + LINE_H * 0.76;
    let col = 0;
    for (const s of line) {
      const w = columns(s.text);
      if (w === 0) continue;
      const x = PAD + col * CELL_W;
      const colour = toneColour(s.tone, theme);
      const fill = s.glyph ? glyphOf(s.glyph as GlyphKey).fill : undefined;
      const opacity = s.dim ? page.dimOpacity : 1;
      if (s.inverse) out.push(`<rect x="${n(x)}" y="${n(top)}" width="${n(w * CELL_W)}" height="${LINE_H}" fill="${colour}"/>`);
      if (fill !== undefined) {
        out.push(
          `<rect x="${n(x)}" y="${n(top + 1)}" width="${n(w * CELL_W)}" height="${LINE_H - 2}" fill="${colour}" fill-opacity="${n(fill * opacity)}"><title>${escapeXml(glyphOf(s.glyph as GlyphKey).legend)}</title></rect>`,
        );
      } else {
        // Each word at its own column: no reliance on how a viewer treats spaces, wide characters
        // keep their two columns.
        let c = col;
        for (const part of s.text.split(/( +)/)) {
          const pw = columns(part);
          if (part !== '' && !part.startsWith(' ')) {
            const attrs = [
              `x="${n(PAD + c * CELL_W)}"`,
              `y="${n(base)}"`,
              `fill="${s.inverse ? page.background : colour}"`,
              ...(pw > 1 ? [`textLength="${n(pw * CELL_W)}"`, 'lengthAdjust="spacingAndGlyphs"'] : []),
              ...(s.bold ? ['font-weight="700"'] : []),
              ...(opacity < 1 ? [`fill-opacity="${opacity}"`] : []),
            ];
            out.push(`<text ${attrs.join(' ')}>${escapeXml(part)}</text>`);
          }
          c += pw;
        }
      }
      col += w;
    }
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
