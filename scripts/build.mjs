// Bundles src/main.ts into dist/ with esbuild: one entry file for the launcher, plus chunks that
// are loaded only when needed (the Ink UI, client-node and undici, the demo recording), so `--help`,
// `-f` and the printers never load React, client-node or undici (test/bundle.test.ts checks it).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INK_WRAPS, wrappedSource } from './ink-wraps.mjs';

// client-node's KubeConfig (config.js) imports its generated API clients (gen/index.js, most of the
// package) only for makeApiClient(), which podlife never calls: it talks to the API server with its
// own small client. Replacing that one import with a stub that throws keeps authentication from
// client-node and takes the generated clients off the startup path.
const noGeneratedApi = {
  name: 'no-generated-api',
  setup(b) {
    b.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (args) =>
      /@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/.test(args.importer)
        ? { path: 'client-node-gen-stub', namespace: 'podlife-stub' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'podlife-stub' }, () => ({
      contents:
        "const no = () => { throw new Error('podlife bundles no generated API clients (KubeConfig.makeApiClient is not available)'); };\n" +
        'export const createConfiguration = no;\nexport class ServerConfiguration { constructor() { no(); } }\n',
      loader: 'js',
    }));
  },
};

// Also on client-node's import path, and never used by podlife: its proxy agents (socks-proxy-agent,
// socks, hpagent). applyToHTTPSOptions() builds an agent for the caller, but podlife's client makes
// its own undici dispatcher (src/kube/client.ts, which also handles proxy-url), so inert classes
// stand in. Measured: 10-13 ms less to the first screen, 1 MB less memory.
const clientNodeDist = /@kubernetes[\\/]client-node[\\/]dist[\\/][^\\/]+\.js$/;
const unusedProxyAgents = {
  name: 'unused-proxy-agents',
  setup(b) {
    b.onResolve({ filter: /^(socks-proxy-agent|socks|hpagent)$/ }, (args) =>
      clientNodeDist.test(args.importer) ? { path: args.path, namespace: 'podlife-unused' } : undefined,
    );
    b.onLoad({ filter: /^(socks-proxy-agent|socks|hpagent)$/, namespace: 'podlife-unused' }, () => ({
      contents:
        'class Unused { constructor() {} }\n' +
        'export class SocksProxyAgent extends Unused {}\nexport class HttpProxyAgent extends Unused {}\nexport class HttpsProxyAgent extends Unused {}\n' +
        "export const SocksClient = { createConnection() { throw new Error('podlife does not use client-node socks connections'); } };\n",
      loader: 'js',
    }));
  },
};

// Every import of string-width (Ink's, its helpers', ours) gets src/output/string-width-fast.ts,
// which measures plain text and the views' symbols itself and hands the rest to string-width:
// measured, ~40 ms less to the terminal UI's first frame.
// string-width itself then loads on its first use (a text the fast path cannot tell), not with
// the views: its module compiles an emoji regex and makes a segmenter, ~10 ms of every start
// (PODLIFE_PERF=1), for text the views seldom hold. A require() makes esbuild wrap the module in
// a lazy initializer.
const fastStringWidth = {
  name: 'fast-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.namespace === 'podlife-lazy'
        ? undefined
        : /string-width-fast\.ts$/.test(args.importer)
          ? { path: 'string-width', namespace: 'podlife-lazy' }
          : { path: new URL('../src/output/string-width-fast.ts', import.meta.url).pathname },
    );
    b.onLoad({ filter: /.*/, namespace: 'podlife-lazy' }, () => ({
      contents:
        "let w;\nexport default function stringWidth(text, options) {\n  return (w ??= require('string-width').default)(text, options);\n}\n",
      loader: 'js',
      resolveDir: new URL('..', import.meta.url).pathname,
    }));
  },
};

// Ink's modules wrapped as scripts/ink-wraps.mjs lists (the renderer's Output class through
// src/ui/fast-output.ts, the text nodes' sanitiser through src/ui/memo-text.ts).
const inkWraps = {
  name: 'ink-wraps',
  setup(b) {
    for (const { importer, file, source, wrapper } of INK_WRAPS) {
      const namespace = `podlife-ink-${file.replace(/\.js$/, '')}`;
      b.onResolve({ filter: new RegExp(`^\\./${file.replace('.', '\\.')}$`) }, (args) =>
        new RegExp(`[\\\\/]ink[\\\\/]build[\\\\/]${importer.replace('.', '\\.')}$`).test(args.importer)
          ? { path: `ink/build/${file}`, namespace, pluginData: join(dirname(args.importer), file) }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents: wrappedSource(args.pluginData, fileURLToPath(new URL(`../${source}`, import.meta.url)), wrapper),
        loader: 'js',
        resolveDir: dirname(args.pluginData),
      }));
    }
  },
};

// Yoga (Ink's layout engine) is WebAssembly that its Emscripten loader carries as a data: URL and
// reads with the global fetch() where there is one. In Node, the first call of fetch() loads
// Node's own undici, measured ~85 ms of the terminal UI's first frame (PODLIFE_PERF=1, a CPU
// profile), to decode bytes the loader decodes itself without fetch. Its checks for fetch are
// made false; the build fails if the loader no longer has them (test/bundle.test.ts checks the
// bundle).
const YOGA_LOADER = /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: YOGA_LOADER }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const checks = source.split('"function"!=typeof fetch').length - 1;
      if (checks === 0) throw new Error(`${args.path}: no check for fetch() to turn off (yoga-layout changed; see scripts/build.mjs)`);
      return { contents: source.replaceAll('"function"!=typeof fetch', '!0'), loader: 'js' };
    });
  },
};

// Built-in modules without their ESM facades: an `import ... from 'node:fs'` in an ES module makes
// Node build a module of every export of fs, reading each, and fs.promises among them loads
// fs/promises, readline and the REPL's history (the same for the other built-ins, each time
// several exports). Every import of a built-in in the bundle (a CommonJS dependency's require()
// becomes one too) is served by process.getBuiltinModule() instead, whose properties are read
// when used. child_process (commander requires it at load for executable subcommands, which
// podlife has none of) and the modules it brings in (dgram, ...) load on first use. src/main.ts
// keeps its imports: it checks the Node version, and Node before 22.3 has no getBuiltinModule.
// An ES import of a CommonJS module goes through esbuild's interop, which copies the module's
// property names and reads each one's descriptor. Node makes some members of fs and util when
// their descriptor is first read (fs.Dir loads fs/dir; util.parseArgs two modules, util.diff two,
// util.setTraceSigInt worker_threads and four more): their imports get a view of the module that
// lists the names and reads a member only when it is used.
const LAZY_MEMBERS = new Set(['fs', 'util']);
const builtinsWithoutFacades = {
  name: 'builtins-without-facades',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_][a-z0-9_/]*$/ }, (args) => {
      if (args.kind !== 'import-statement' && args.kind !== 'require-call') return undefined;
      if (!isBuiltin(args.path) || /[\\/]src[\\/]main\.ts$/.test(args.importer)) return undefined;
      // One small module per importer, so that it lands in its importer's chunk: shared, it would
      // be a chunk of its own, one more file to load.
      // The importer as a path from the checkout: the same sources build the same bytes wherever they are.
      const importer = relative(fileURLToPath(new URL('..', import.meta.url)), args.importer)
        .split(sep)
        .join('/');
      return { path: `${args.path.replace(/^node:/, '')}|${args.kind}|${importer}`, namespace: 'podlife-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'podlife-builtin' }, (args) => {
      const [name, kind] = args.path.split('|');
      return {
        // A CommonJS require() reads the module's properties when it calls them: child_process can
        // wait for that. An ES import copies the property names when the importer loads.
        contents:
          name === 'child_process' && kind === 'require-call'
            ? "let m;\nmodule.exports = new Proxy({}, { get: (_, k) => (m ??= process.getBuiltinModule('node:child_process'))[k], has: (_, k) => k in (m ??= process.getBuiltinModule('node:child_process')) });\n"
            : kind === 'import-statement' && LAZY_MEMBERS.has(name)
              ? `const m = process.getBuiltinModule(${JSON.stringify(`node:${name}`)});\n` +
                'module.exports = new Proxy({}, { get: (_, k) => m[k], has: (_, k) => k in m, ownKeys: () => Reflect.ownKeys(m), getOwnPropertyDescriptor: (_, k) => (k in m ? { configurable: true, enumerable: true, writable: true, value: undefined } : undefined), getPrototypeOf: () => Object.getPrototypeOf(m) });\n'
              : `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${name}`)});\n`,
        loader: 'js',
      };
    });
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// What the program is built from. `--version` prints the last commit that changed one of these
// (not HEAD), so a commit that only touches docs, tests or krew-manifest.yaml leaves the program,
// and so the release archives and their checksums, byte for byte the same. "-dirty" marks
// uncommitted changes to them; PODLIFE_COMMIT overrides (a build outside a git checkout).
const PROGRAM_INPUTS = ['src', 'recordings', 'package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/release.mjs', 'LICENSE'];
function sourceCommit() {
  if (process.env.PODLIFE_COMMIT) return process.env.PODLIFE_COMMIT;
  const git = (...args) =>
    execFileSync('git', args, { cwd: new URL('..', import.meta.url), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('log', '-1', '--format=%h', '--abbrev=12', '--', ...PROGRAM_INPUTS);
    const dirty = git('status', '--porcelain', '--untracked-files=normal', '--', ...PROGRAM_INPUTS) !== '';
    return commit === '' ? 'unknown' : commit + (dirty ? '-dirty' : '');
  } catch {
    return 'unknown';
  }
}
const commit = sourceCommit();
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: { 'kubectl-podlife': 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  // Paths (which decide the chunk names) as seen from here even when node_modules is a link (the
  // release test links it into a clean clone): the same sources build the same bytes.
  preserveSymlinks: true,
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
  // React and its reconciler choose their production build by NODE_ENV at run time; users do not
  // set it, and the development build costs several times the CPU and memory per frame.
  define: {
    PODLIFE_VERSION: JSON.stringify(pkg.version),
    PODLIFE_COMMIT: JSON.stringify(commit),
    'process.env.DEV': '"false"',
    'process.env.NODE_ENV': '"production"',
  },
  // Some CommonJS dependencies call require() at run time; give the ESM bundle one.
  banner: {
    js: "import { createRequire as __podlifeCreateRequire } from 'node:module'; const require = __podlifeCreateRequire(import.meta.url);",
  },
  external: ['react-devtools-core'],
  plugins: [noGeneratedApi, unusedProxyAgents, fastStringWidth, inkWraps, yogaWithoutFetch, builtinsWithoutFacades],
  metafile: true,
});
// Which inputs each output holds and what it imports: test/bundle.test.ts reads it to keep the
// startup path (the entry and its static imports) free of the cluster client and the UI.
writeFileSync(new URL('../dist/meta.json', import.meta.url), JSON.stringify(result.metafile));
// What scripts/release.mjs names the archives and the manifest after.
writeFileSync(new URL('../dist/build-info.json', import.meta.url), JSON.stringify({ version: pkg.version, commit }) + '\n');
