// --export in a real browser: the SVG and HTML pictures of a crash loop recorded on a real kubelet
// (demo crashloop), written by the built CLI, rendered by headless Chromium to PNG. Checked: the
// picture's size, that it is not blank and shows the theme's colours, and (through the DOM) that
// the texts a reader needs are there and take room on the page.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { PAGES, TONES } from '../../src/render/theme.ts';
import { Browser } from './helpers/chromium.ts';
import { countColour, readPng, type Image } from './helpers/png.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'kubectl-podlife.mjs');
let dir: string;
let browser: Browser;
/** Where PODLIFE_EXPORT_PNG_DIR asks, the PNGs are kept for a person to look at. */
const keep = process.env['PODLIFE_EXPORT_PNG_DIR'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'podlife-export-'));
  browser = await Browser.launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

function exportFile(name: string, ...args: string[]): string {
  const file = join(dir, name);
  const err = execFileSync(process.execPath, [cli, 'demo', 'crashloop', '--utc', '--export', file, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(err, '', 'nothing on stdout');
  return file;
}

/** The share of pixels that differ from the page's background. */
function inked(img: Image, background: string): number {
  return 1 - countColour(img, background, 3) / (img.width * img.height);
}

/** A tone drawn at an opacity over the page, as the browser blends it. */
function blend(tone: string, page: string, alpha: number): string {
  const c = (h: string, i: number) => parseInt(h.slice(1 + 2 * i, 3 + 2 * i), 16);
  return (
    '#' +
    [0, 1, 2]
      .map((i) =>
        Math.round(c(tone, i) * alpha + c(page, i) * (1 - alpha))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

describe.each(['light', 'dark'] as const)('%s theme', (theme) => {
  test('SVG: drawn at its size, not blank, the lane fills in the theme, the texts present and laid out', { timeout: 60_000 }, async () => {
    const file = exportFile(`crash-${theme}.svg`, '--export-theme', theme);
    const svg = readFileSync(file, 'utf8');
    const [, w, h] = /<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.map(Number) as [number, number, number];
    const page = await browser.open(`file://${file}`, Math.ceil(w), Math.ceil(h));
    try {
      const texts = await page.evaluate<{ text: string; width: number }[]>(
        `[...document.querySelectorAll('text')].map((t) => ({ text: t.textContent, width: t.getBBox().width }))`,
      );
      const all = texts.map((t) => t.text).join(' ');
      for (const want of ['Timeline', 'crash', 'loop:', 'ContainersNotReady', '#5,', 'BackOff', 'fatal:', 'restartCount=5'])
        assert.ok(all.includes(want), `"${want}" in the SVG's texts`);
      assert.ok(texts.length > 300, `${texts.length} texts`);
      assert.ok(
        texts.every((t) => t.width > 0),
        'every text takes room',
      );
      const png = await page.screenshot();
      const img = readPng(png);
      if (keep) writeFileSync(join(keep, `export-${theme}.svg.png`), png);
      assert.deepEqual([img.width, img.height], [Math.ceil(w), Math.ceil(h)]);
      assert.ok(inked(img, PAGES[theme].background) > 0.03, `ink ${inked(img, PAGES[theme].background)}`);
      // The ready state is a solid fill of the theme's green; back-off is its warn colour at 28%.
      assert.ok(countColour(img, TONES.ok[theme]) > 100, 'ready fills');
      assert.ok(countColour(img, blend(TONES.warn[theme], PAGES[theme].background, 0.28), 3) > 1000, 'waiting fills');
      assert.ok(countColour(img, TONES.error[theme], 40) > 50, 'error text');
    } finally {
      await page.close();
    }
  });

  test(
    'HTML: one page with the picture, its texts in reading order, the lanes and the axis of one width',
    { timeout: 60_000 },
    async () => {
      const file = exportFile(`crash-${theme}.html`, '--export-theme', theme);
      const page = await browser.open(`file://${file}`, 1100, 900);
      try {
        const text = await page.evaluate<string>('document.body.innerText');
        for (const want of [
          'podlife demo: crashloop',
          'STATUS Error  READY 0/1  RESTARTS 5',
          'Timeline 05:43:05 .. 05:46:21 UTC (3m16s)',
          '#5, started 05:46:18, exit 1 after 2s',
          '[error] app: crash loop: the process exits with 1 after about 2s',
          'Warning BackOff x15',
        ])
          assert.ok(text.includes(want), `"${want}" on the page`);
        // The pod lane, the app lane and the axis have the same number of columns: in the page's
        // monospace font they must be as wide as each other (block and box glyphs included).
        const widths = await page.evaluate<number[]>(`(() => {
        const pre = document.querySelector('pre');
        const lines = pre.textContent.split('\\n');
        const start = lines.findIndex((l) => l.startsWith('Timeline'));
        const out = [];
        for (const l of lines.slice(start + 1, start + 4)) {
          const span = document.createElement('span');
          span.textContent = l;
          pre.appendChild(span);
          out.push(span.getBoundingClientRect().width);
          span.remove();
        }
        return out;
      })()`);
        assert.equal(widths.length, 3);
        assert.ok(Math.max(...widths) - Math.min(...widths) < 1, `lane and axis widths ${widths.join(', ')}`);
        const png = await page.screenshot();
        const img = readPng(png);
        if (keep) writeFileSync(join(keep, `export-${theme}.html.png`), png);
        assert.deepEqual([img.width, img.height], [1100, 900]);
        assert.ok(inked(img, PAGES[theme].background) > 0.03);
        assert.ok(countColour(img, TONES.error[theme], 40) > 50, 'error text in the theme');
      } finally {
        await page.close();
      }
    },
  );
});
