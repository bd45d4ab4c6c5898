// --export: SVG, HTML and Markdown serialise the render model's document; the pictures in headless
// Chromium are checked in test/browser/.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { documentOf } from '../../src/render/document.ts';
import { lineText } from '../../src/render/line.ts';
import { renderPicture } from '../../src/render/pod.ts';
import { WHOLE_LIFE } from '../../src/render/window.ts';
import { exportFormat, renderExport, writeExport } from '../../src/output/export.ts';
import { toMarkdown } from '../../src/output/markdown.ts';
import { CELL_W, toSvg } from '../../src/output/svg.ts';
import { formatPicture } from '../../src/output/text.ts';
import { finalView } from '../helpers/fixtures.ts';

const view = finalView('crashloop');
const base = { target: 'crashloop', width: 120 } as const;

test('the document holds the same lines as the text picture', () => {
  const doc = documentOf(view, base);
  assert.equal(doc.sections.length, 1);
  const text = formatPicture(view, view.pods[0]!, { width: 120, color: false });
  assert.equal(doc.sections[0]!.lines.map(lineText).join('\n') + '\n', text);
  assert.equal(doc.title, 'podlife crashloop');
  assert.equal(doc.subtitle, 'as of 2026-11-25 05:46:21 UTC');
});

test('a workload target: the rollout section (when the rollout view provides one) comes first', () => {
  const doc = documentOf(view, { ...base, rollout: () => ({ title: 'deploy/web', lines: [[{ text: 'revision 2 of 2' }]] }) });
  assert.deepEqual(
    doc.sections.map((s) => s.title),
    ['deploy/web', 'rec-crashloop-1795585383/crashloop'],
  );
});

test('SVG: every segment at its column, state fills as rectangles, text escaped, both themes', () => {
  const light = renderExport(view, { ...base, format: 'svg', theme: 'light' });
  const dark = renderExport(view, { ...base, format: 'svg', theme: 'dark' });
  assert.match(light, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="[\d.]+" height="[\d.]+"/);
  assert.match(light, /<rect width="100%" height="100%" fill="#ffffff"\/>/);
  assert.match(dark, /<rect width="100%" height="100%" fill="#0d1117"\/>/);
  assert.ok(light.trimEnd().endsWith('</svg>'));
  // The waiting state of the crash loop's lane is drawn as rectangles with their legend as a title.
  assert.match(light, /<rect [^>]*fill-opacity="0.28"><title>waiting \(back-off, errors\)<\/title><\/rect>/);
  // No raw "<" from the data: the container's "<none>" owner is escaped.
  assert.match(light, /&lt;none&gt;/);
  // Columns: the heading "Timeline" starts at column 0 of its row; the lane name "app" at column 2.
  assert.match(
    light,
    new RegExp(
      `<text x="16" y="[\\d.]+" fill="#1f2328" textLength="${8 * CELL_W}" lengthAdjust="spacingAndGlyphs" font-weight="700">Timeline</text>`,
    ),
  );
  assert.match(light, new RegExp(`<text x="${16 + 2 * CELL_W}" y="[\\d.]+" fill="#1f2328"[^>]*>app</text>`));
});

test('SVG: a wide character takes two columns', () => {
  const doc = { title: 't', subtitle: 's', sections: [{ title: 'x', lines: [[{ text: '日本' }, { text: 'ab' }]] }] };
  const svg = toSvg(doc, 'light');
  assert.match(svg, new RegExp(`<text x="16" [^>]*textLength="${4 * CELL_W}"[^>]*>日本</text>`));
  assert.match(svg, new RegExp(`<text x="${16 + 4 * CELL_W}" [^>]*>ab</text>`));
});

test('HTML: one page, a section per pod, tones as classes from the theme, escaped', () => {
  const html = renderExport(view, { ...base, format: 'html', theme: 'dark' });
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<meta name="color-scheme" content="dark">/);
  assert.match(html, /\.t-error\{color:#f85149\}/);
  assert.match(html, /<section aria-label="rec-crashloop-1795585383\/crashloop"><pre>/);
  assert.match(html, /<span class="t-error"> {2}\[error\] app: crash loop/);
  assert.match(html, /owner &lt;none&gt;/);
});

test('Markdown: a heading per pod, its picture in a text block, plain', () => {
  const md = renderExport(view, { ...base, format: 'md', theme: 'light' });
  const text = renderPicture(view, view.pods[0]!, { width: 120, timeline: WHOLE_LIFE })
    .map((l) => lineText(l).trimEnd())
    .join('\n');
  assert.ok(md.startsWith('# podlife crashloop\n\n_as of 2026-11-25 05:46:21 UTC_\n\n## rec-crashloop-1795585383/crashloop\n\n```text\n'));
  assert.ok(md.includes(text));
  assert.doesNotMatch(md, /\x1b/);
  // A picture with backticks in it gets a longer fence.
  const doc = { title: 't', subtitle: 's', sections: [{ title: 'x', lines: [[{ text: 'a ``` b' }]] }] };
  assert.match(toMarkdown(doc), /````text\na ``` b\n````/);
});

test.each<[string, string | undefined]>([
  ['a.svg', 'svg'],
  ['A.SVG', 'svg'],
  ['x.html', 'html'],
  ['x.htm', 'html'],
  ['x.md', 'md'],
  ['x.png', undefined],
  ['svg', undefined],
])('the format of %s is %s', (file, want) => assert.equal(exportFormat(file), want));

test('writeExport writes the file and returns its size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlife-export-'));
  try {
    const file = join(dir, 'x.md');
    const n = writeExport(file, view, { ...base, format: 'md', theme: 'light' });
    assert.equal(readFileSync(file).length, n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
