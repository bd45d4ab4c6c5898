// Bundles src/main.ts into dist/ with esbuild: one entry file for the launcher, plus chunks that
// are loaded only when needed (the Ink UI, client-node, the demo recording), so `--help`, `-f` and
// the printers never load React or client-node.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { 'kubectl-podlife': 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  loader: { '.jsonl': 'text' },
  jsx: 'automatic',
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  logLevel: 'warning',
  define: { PODLIFE_VERSION: JSON.stringify(pkg.version), 'process.env.DEV': '"false"' },
  // Some CommonJS dependencies call require() at run time; give the ESM bundle one.
  banner: { js: "import { createRequire as __podlifeCreateRequire } from 'node:module'; const require = __podlifeCreateRequire(import.meta.url);" },
  external: ['react-devtools-core'],
});
