// The benchmarks that draw a screen in their own process (rollout-offline.ts, scale-rollout.ts)
// run the sources, not the bundle: this gives their Ink what scripts/build.mjs gives the bundle's
// (the renderer's Output class through src/ui/fast-output.ts, its text nodes' sanitiser through
// src/ui/memo-text.ts, and string-width through src/output/string-width-fast.ts), so that their frames cost what the shipped program's cost.
// Import it before Ink loads.

import { createRequire, registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
const renderer = pathToFileURL(join(inkBuild, 'renderer.js')).href;
const output = pathToFileURL(join(inkBuild, 'output.js')).href;
const squash = pathToFileURL(join(inkBuild, 'squash-text-nodes.js')).href;
const sanitize = pathToFileURL(join(inkBuild, 'sanitize-ansi.js')).href;
const src = join(import.meta.dirname, '..', 'src');
const fast = pathToFileURL(join(src, 'ui', 'fast-output.ts')).href;
const fastWidth = pathToFileURL(join(src, 'output', 'string-width-fast.ts')).href;
const memo = pathToFileURL(join(src, 'ui', 'memo-text.ts')).href;
const shim = 'podlife-bench:ink-output';
const sanitizeShim = 'podlife-bench:ink-sanitize';

registerHooks({
  resolve(specifier, context, next) {
    if (specifier === './output.js' && context.parentURL === renderer) return { url: shim, shortCircuit: true };
    if (specifier === './sanitize-ansi.js' && context.parentURL === squash) return { url: sanitizeShim, shortCircuit: true };
    if (specifier === 'string-width' && context.parentURL !== fastWidth) return { url: fastWidth, shortCircuit: true };
    return next(specifier, context);
  },
  load(url, context, next) {
    if (url === sanitizeShim) {
      const source = `import sanitizeAnsi from ${JSON.stringify(sanitize)};\nimport { memoText } from ${JSON.stringify(memo)};\nexport default memoText(sanitizeAnsi);\n`;
      return { format: 'module', source, shortCircuit: true };
    }
    if (url !== shim) return next(url, context);
    const source = `import Output from ${JSON.stringify(output)};\nimport { withFastRows } from ${JSON.stringify(fast)};\nexport default withFastRows(Output);\n`;
    return { format: 'module', source, shortCircuit: true };
  },
});
