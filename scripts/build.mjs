// Bundles src/main.ts into dist/ with esbuild: one entry file for the launcher, plus chunks that
// are loaded only when needed (the Ink UI, client-node, the demo recording), so `--help`, `-f` and
// the printers never load React or client-node.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

// client-node's KubeConfig (config.js) imports its generated API clients (gen/index.js, most of the
// package) only for makeApiClient(), which podlife never calls: it talks to the API server with its
// own small client. Replacing that one import with a stub that throws keeps authentication from
// client-node and takes the generated clients off the startup path.
const noGeneratedApi = {
  name: 'no-generated-api',
  setup(b) {
    b.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (args) =>
      /@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/.test(args.importer) ? { path: 'client-node-gen-stub', namespace: 'podlife-stub' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'podlife-stub' }, () => ({
      contents:
        "const no = () => { throw new Error('podlife bundles no generated API clients (KubeConfig.makeApiClient is not available)'); };\n" +
        'export const createConfiguration = no;\nexport class ServerConfiguration { constructor() { no(); } }\n',
      loader: 'js',
    }));
  },
};

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
  plugins: [noGeneratedApi],
});
