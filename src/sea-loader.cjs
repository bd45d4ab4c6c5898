// The main script of the single-executable binaries (scripts/release.mjs builds them with Node's
// `--build-sea`). The binary carries the same bundle as dist/ (the entry and its chunks) as SEA
// assets, and this loader serves them to Node's own ESM loader through module hooks under a
// virtual file: URL. So the binary runs exactly the program the launchers run, keeps its lazy
// chunks lazy (the cluster client and the UI load only when used) and its compile cache (main.ts),
// which is what makes its first screen as fast as the bundled script's. A single-file bundle
// compiled as one unit was measured 20-50 ms slower to start.
//
// Plain CommonJS, no dependencies: a SEA main script can require built-in modules only.
'use strict';
const { registerHooks, createRequire } = require('node:module');
const sea = require('node:sea');

const ROOT = 'file:///kubectl-podlife.sea/';
const BOOT = ROOT + 'boot.cjs';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === BOOT) return { url: BOOT, format: 'commonjs', shortCircuit: true };
    if (specifier.startsWith(ROOT)) return { url: specifier, format: 'module', shortCircuit: true };
    // Relative imports between chunks of the bundle.
    if (context.parentURL?.startsWith(ROOT) && (specifier.startsWith('./') || specifier.startsWith('../')))
      return { url: new URL(specifier, context.parentURL).href, format: 'module', shortCircuit: true };
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    // A CommonJS module of our own whose import() goes through the regular ESM loader: the SEA main
    // script's own import() can load built-in modules only.
    if (url === BOOT) return { format: 'commonjs', source: 'module.exports = (url) => import(url);', shortCircuit: true };
    if (url.startsWith(ROOT)) return { format: 'module', source: sea.getAsset(url.slice(ROOT.length), 'utf8'), shortCircuit: true };
    return nextLoad(url, context);
  },
});

createRequire(ROOT)(BOOT)(ROOT + 'kubectl-podlife.mjs').catch((e) => {
  process.stderr.write(`podlife: the binary cannot start its program: ${e && e.message ? e.message : String(e)}\n`);
  process.exit(1);
});
