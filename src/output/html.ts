// A Document as a self-contained HTML page: the lines in a <pre>, each segment a <span> whose class
// names its tone and style; the theme's colours in one <style>. Light or dark page.

import type { Document } from '../render/document.ts';
import type { Line } from '../render/line.ts';
import { PAGES, TONES, type PageTheme } from '../render/theme.ts';
import { escapeXml, FONT, FONT_SIZE, LINE_H } from './svg.ts';

function lineHtml(line: Line): string {
  return line
    .map((s) => {
      const cls = [s.tone ? `t-${s.tone}` : '', s.bold ? 'b' : '', s.dim ? 'd' : '', s.inverse ? 'i' : ''].filter(Boolean);
      const text = escapeXml(s.text);
      return cls.length > 0 ? `<span class="${cls.join(' ')}">${text}</span>` : text;
    })
    .join('');
}

export function toHtml(doc: Document, theme: PageTheme): string {
  const page = PAGES[theme];
  const tones = Object.entries(TONES)
    .map(([t, c]) => `.t-${t}{color:${c[theme]}}`)
    .join('');
  const css =
    `body{margin:0;background:${page.background};color:${page.foreground}}` +
    `pre{font-family:${FONT};font-size:${FONT_SIZE}px;line-height:${LINE_H}px;margin:16px}` +
    `section{margin:0}h1{font:700 ${FONT_SIZE + 2}px ${FONT};margin:16px 16px 0}p.sub{font:${FONT_SIZE}px ${FONT};margin:2px 16px 0;opacity:${page.dimOpacity}}` +
    `${tones}.b{font-weight:700}.d{opacity:${page.dimOpacity}}.i{background:${page.foreground};color:${page.background}}`;
  const body = doc.sections
    .map((s) => `<section aria-label="${escapeXml(s.title)}"><pre>\n${s.lines.map(lineHtml).join('\n')}\n</pre></section>`)
    .join('\n');
  return (
    `<!doctype html>\n<html lang="en" data-theme="${theme}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="color-scheme" content="${theme}">\n<title>${escapeXml(`${doc.title} ${doc.subtitle}`)}</title>\n<style>${css}</style>\n</head>\n<body>\n` +
    `<h1>${escapeXml(doc.title)}</h1>\n<p class="sub">${escapeXml(doc.subtitle)}</p>\n${body}\n</body>\n</html>\n`
  );
}
