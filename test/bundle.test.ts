// The startup path of the shipped bundle: the entry file and everything it imports statically is
// loaded before the first line of output, so it must not hold the cluster client (undici,
// client-node) or the terminal UI (Ink, React). They come in through dynamic import() when used.
// Reads the esbuild metafile of the build `npm test` just made.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'vitest';

interface Metafile {
  outputs: Record<string, { entryPoint?: string; imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }>;
}

const readMeta = (): Metafile => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'dist', 'meta.json'), 'utf8')) as Metafile;

/** The file: URL of the bundle's module that holds `input`. */
function chunkHolding(meta: Metafile, input: string): string {
  const [chunk] = Object.keys(meta.outputs).filter((o) => o.endsWith('.mjs') && input in meta.outputs[o]!.inputs);
  assert.ok(chunk, `the bundle holds ${input}`);
  return pathToFileURL(join(import.meta.dirname, '..', chunk)).href;
}

/** What an ES module run by this Node prints as JSON. */
function probe(code: string): unknown {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('the entry and its static imports hold no undici, client-node, Ink or React', () => {
  const meta = readMeta();
  const entry = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === 'src/main.ts');
  assert.ok(entry, 'the build has the src/main.ts entry');
  const seen = new Set<string>();
  const walk = (out: string): void => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const i of meta.outputs[out]?.imports ?? []) if (i.kind === 'import-statement' && meta.outputs[i.path]) walk(i.path);
  };
  walk(entry);
  const inputs = [...seen].flatMap((o) => Object.keys(meta.outputs[o]!.inputs));
  const heavy = inputs.filter((i) => /node_modules\/(undici|@kubernetes\/client-node|ink|react|react-reconciler|yoga-layout)\//.test(i));
  assert.deepEqual(heavy, [], `loaded before the first line: ${heavy.slice(0, 5).join(', ')}`);
  // And the cluster path does reach them (the check above would pass for a broken build too).
  const all = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
  assert.ok(all.some((i) => i.includes('node_modules/undici/')) && all.some((i) => i.includes('node_modules/ink/')));
});

test('the cluster client loads undici only through a proxy, and string-width on first use', () => {
  const meta = readMeta();
  const staticInputs = (entryPoint: string): string[] => {
    const start = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === entryPoint);
    assert.ok(start, `the build has a chunk for ${entryPoint}`);
    const seen = new Set<string>();
    const walk = (out: string): void => {
      if (seen.has(out)) return;
      seen.add(out);
      for (const i of meta.outputs[out]?.imports ?? []) if (i.kind === 'import-statement' && meta.outputs[i.path]) walk(i.path);
    };
    walk(start);
    return [...seen].flatMap((o) => Object.keys(meta.outputs[o]!.inputs));
  };
  // What `kubectl podlife POD` loads before its first request (src/run.ts runCluster).
  for (const m of [
    'src/kube/client.ts',
    'src/kube/pod-source.ts',
    'src/kube/kubeconfig.ts',
    'src/kube/resolve-target.ts',
    'src/kube/logs.ts',
  ]) {
    const undici = staticInputs(m).filter((i) => i.includes('node_modules/undici/'));
    assert.deepEqual(undici, [], `${m} loads undici statically`);
  }
  // string-width is bundled, but its module (an emoji regex, a segmenter) runs on first use only:
  // loading the printer compiles no RGI_Emoji regex.
  const printer = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === 'src/output/printer.ts')!;
  const emoji = probe(`
    const made = [];
    globalThis.RegExp = new Proxy(RegExp, { construct(t, a) { made.push(String(a[0])); return Reflect.construct(t, a); } });
    await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', printer)).href)});
    console.log(JSON.stringify(made.filter((p) => p.includes('RGI_Emoji'))));`);
  assert.deepEqual(emoji, []);
});

test.each([
  { importer: 'renderer.js', wrapped: 'output.js', by: 'src/ui/fast-output.ts' },
  { importer: 'squash-text-nodes.js', wrapped: 'sanitize-ansi.js', by: 'src/ui/memo-text.ts' },
  { importer: 'dom.js', wrapped: 'measure-text.js', by: 'src/ui/memo-text.ts' },
])('Ink’s $importer imports its $wrapped through $by', ({ importer, wrapped, by }) => {
  const meta = readMeta();
  const holding = (input: string): string[] => Object.keys(meta.outputs).filter((o) => input in meta.outputs[o]!.inputs);
  const [chunk] = holding(`node_modules/ink/build/${importer}`);
  assert.ok(chunk, `the bundle holds Ink’s ${importer}`);
  assert.ok(holding(by).includes(chunk), `${by} is bundled beside it`);
  const shim = `podlife-ink-${wrapped.replace(/\.js$/, '')}:ink/build/${wrapped}`;
  assert.ok(holding(shim).includes(chunk), `${importer} imports the wrapped ${wrapped}`);
});

test('built-in modules come from process.getBuiltinModule (no ESM facades), and child_process loads only when used', () => {
  const meta = readMeta();
  // Only the entry (which checks the Node version before anything else) imports built-ins as ES modules.
  const facades = Object.entries(meta.outputs).flatMap(([out, o]) =>
    o.entryPoint === 'src/main.ts'
      ? []
      : o.imports.filter((i) => i.kind === 'import-statement' && /^node:|^[a-z_]+$/.test(i.path)).map((i) => `${out}: ${i.path}`),
  );
  assert.deepEqual(facades, []);
  // `--help` parses with commander, which requires child_process at load for executable
  // subcommands (podlife has none): the module is not loaded.
  const entry = join(import.meta.dirname, '..', 'dist', 'kubectl-podlife.mjs');
  const hook = "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)))";
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, entry, '--help'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage/);
  const loaded = JSON.parse(r.stderr) as string[];
  assert.ok(loaded.includes('NativeModule fs'), "the list is the program's");
  assert.deepEqual(
    loaded.filter((m) => /^NativeModule (child_process|internal\/fs\/promises)$/.test(m)),
    [],
  );
});

// A V8 flag that differs from Node's build makes Node compile every built-in module loaded after it
// instead of taking the precompiled code in its binary (src/main.ts): the entry sets its flags only
// once the built-ins the session needs at start are loaded. The hook stops the program at the flag;
// `terminal` has it answer that stdout is a terminal (the terminal UI's built-ins load first then).
const INK_BUILTINS = ['stream', 'assert', 'child_process'];
const EVERY = ['os', 'tty', 'process', 'perf_hooks'];
const NETWORK = ['https', 'http', ...EVERY];
test.each([
  { args: ['some-pod', '--once'], terminal: false, flags: '--no-lazy', loaded: NETWORK, notLoaded: ['assert', 'child_process'] },
  {
    args: ['some-pod'],
    terminal: true,
    flags: '--no-lazy --heap-growing-percent=25',
    loaded: [...NETWORK, ...INK_BUILTINS],
    notLoaded: [],
  },
  {
    args: ['some-pod'],
    terminal: false,
    flags: '--no-lazy --heap-growing-percent=25',
    loaded: NETWORK,
    notLoaded: ['assert', 'child_process'],
  },
  {
    args: ['some-pod', '-ojson'],
    terminal: true,
    flags: '--no-lazy --heap-growing-percent=25',
    loaded: NETWORK,
    notLoaded: ['assert', 'child_process'],
  },
  { args: ['deploy/shop'], terminal: true, flags: '--heap-growing-percent=25', loaded: [...NETWORK, ...INK_BUILTINS], notLoaded: [] },
  { args: ['-l', 'app=x'], terminal: false, flags: '--heap-growing-percent=25', loaded: NETWORK, notLoaded: ['assert', 'child_process'] },
  {
    args: ['pod/some-pod'],
    terminal: true,
    flags: '--no-lazy --heap-growing-percent=25',
    loaded: [...NETWORK, ...INK_BUILTINS],
    notLoaded: [],
  },
  {
    args: ['--demo'],
    terminal: true,
    flags: '--heap-growing-percent=25',
    loaded: [...EVERY, ...INK_BUILTINS],
    notLoaded: ['https', 'http'],
  },
  { args: ['--demo', '--once'], terminal: false, flags: undefined, loaded: [], notLoaded: [] },
  { args: ['__complete', ''], terminal: false, flags: undefined, loaded: [], notLoaded: [] },
  { args: ['some-pod', '--help'], terminal: false, flags: undefined, loaded: [], notLoaded: [] },
])(
  '`podlife $args.0 $args.1` (a terminal: $terminal): V8 flags $flags, set after the built-ins it starts with',
  ({ args, terminal, flags, loaded, notLoaded }) => {
    const entry = join(import.meta.dirname, '..', 'dist', 'kubectl-podlife.mjs');
    const hook = `
    ${terminal ? "const tty = process.getBuiltinModule('node:tty'); const isatty = tty.isatty; tty.isatty = (fd) => fd === 1 || isatty(fd);" : ''}
    const v8 = process.getBuiltinModule('node:v8');
    v8.setFlagsFromString = (f) => {
      const mods = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
      process.stderr.write('FLAGS ' + JSON.stringify({ flags: f, mods }) + '\\n');
      process.exit(0);
    };`;
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: join(import.meta.dirname, 'no-such-kubeconfig') };
    delete env['NODE_COMPILE_CACHE'];
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, entry, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
      timeout: 20_000,
    });
    const line = r.stderr.split('\n').find((l) => l.startsWith('FLAGS '));
    if (flags === undefined) {
      assert.equal(line, undefined, 'no V8 flag is set');
      assert.equal(r.status, 0, r.stderr);
      return;
    }
    assert.ok(line, `a V8 flag is set: ${r.stderr}`);
    const seen = JSON.parse(line.slice(6)) as { flags: string; mods: string[] };
    assert.equal(seen.flags, flags);
    for (const m of loaded) assert.ok(seen.mods.includes(m), `${m} is loaded before the flag`);
    for (const m of notLoaded) assert.ok(!seen.mods.includes(m), `${m} is not loaded for nothing`);
  },
);

// Yoga's Emscripten loader would read its own WebAssembly (a data: URL) with the global fetch(),
// whose first call loads Node's undici (~85 ms of the terminal UI's start): the bundle's loader
// decodes the bytes itself (scripts/build.mjs).
test('the bundled Yoga loads without calling fetch()', () => {
  const chunk = chunkHolding(readMeta(), 'node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js');
  const seen = probe(`
    let calls = 0;
    globalThis.fetch = () => { calls++; return Promise.reject(new Error('no fetch here')); };
    const loaded = process.moduleLoadList.length;
    await import(${JSON.stringify(chunk)});
    console.log(JSON.stringify({ calls, undici: process.moduleLoadList.slice(loaded).filter((m) => m.includes('undici')) }));`);
  assert.deepEqual(seen, { calls: 0, undici: [] });
});

// esbuild's interop copies the property names of a built-in with their descriptors, and Node makes
// some members of fs and util when their descriptor is read (fs.Dir loads fs/dir, util.parseArgs,
// util.diff and util.setTraceSigInt load seven modules, worker_threads among them): the bundle's
// view of fs and util reads a member only when it is used (scripts/build.mjs).
test('loading the kubeconfig reader and Ink does not make the unused members of fs and util', () => {
  const meta = readMeta();
  const chunks = [chunkHolding(meta, 'src/kube/kubeconfig.ts'), chunkHolding(meta, 'node_modules/ink/build/ink.js')];
  const late = probe(`
    const loaded = process.moduleLoadList.length;
    for (const c of ${JSON.stringify(chunks)}) await import(c);
    console.log(JSON.stringify(process.moduleLoadList.slice(loaded)));`) as string[];
  assert.ok(late.includes('NativeModule tty'), 'Ink was loaded');
  assert.deepEqual(
    late.filter((m) =>
      /^NativeModule (internal\/fs\/dir|internal\/util\/parse_args\/parse_args|internal\/util\/diff|worker_threads)$/.test(m),
    ),
    [],
  );
});
