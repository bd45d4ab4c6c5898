// The benchmarks that draw a screen in their own process (rollout-offline.ts, scale-rollout.ts)
// run the sources, not the bundle: this gives their Ink what scripts/build.mjs gives the bundle's
// (the Ink modules scripts/ink-wraps.mjs wraps, and string-width through
// src/output/string-width-fast.ts), so that their frames cost what the shipped program's cost.
// Import it before Ink loads.

import { createRequire, registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { INK_WRAPS, wrappedSource } from '../scripts/ink-wraps.mjs';

const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
const root = join(import.meta.dirname, '..');
const fastWidth = pathToFileURL(join(root, 'src', 'output', 'string-width-fast.ts')).href;
const url = (dir: string, file: string): string => pathToFileURL(join(dir, file)).href;
const shims = INK_WRAPS.map((w) => ({
  parent: url(inkBuild, w.importer),
  specifier: `./${w.file}`,
  shim: `podlife-bench:ink-${w.file}`,
  source: wrappedSource(url(inkBuild, w.file), url(root, w.source), w.wrapper),
}));

registerHooks({
  resolve(specifier, context, next) {
    const s = shims.find((x) => x.specifier === specifier && x.parent === context.parentURL);
    if (s) return { url: s.shim, shortCircuit: true };
    if (specifier === 'string-width' && context.parentURL !== fastWidth) return { url: fastWidth, shortCircuit: true };
    return next(specifier, context);
  },
  load(url, context, next) {
    const s = shims.find((x) => x.shim === url);
    return s ? { format: 'module', source: s.source, shortCircuit: true } : next(url, context);
  },
});
