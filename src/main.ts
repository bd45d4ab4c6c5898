// Entry point of the bundle: the bin/ launchers and the single-executable binaries run it.
// Only built-in modules are imported statically (by namespace, so that an old Node reaches the
// version check below instead of failing to link); the program itself loads after the check.
import * as nodeModule from 'node:module';
import { perfMark } from './perf.ts';

perfMark('main: entry evaluated');

declare const PODLIFE_VERSION: string;
declare const PODLIFE_COMMIT: string;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(
    `podlife: needs Node.js >= 22.19 (client-node 2 does), and this is Node.js ${process.version}\n` +
      '  Use a newer Node.js, set PODLIFE_NODE to one, or install a podlife binary (no Node.js needed): see the README.\n',
  );
  process.exit(1);
}

// V8 flags set here rather than on the launchers' command line. Node's binary carries its built-in
// modules precompiled, and V8 takes that code only under the flags it was made with: with any other
// setting of a flag that counts (--heap-growing-percent does; --max-semi-space-size does not), every
// built-in loaded afterwards (https, tls, crypto, http, net, stream...) is compiled again, ~25 ms of
// every start (measured on `--once`: 225 against 252 ms, median of 20). So the built-ins a session
// needs at start load first, with their precompiled code, and the flags come after them.
//
// Against a cluster, V8 compiles every function of the program's modules as it loads them,
// instead of each function when first called. The compile cache keeps V8's code as it is right
// after compiling, so a function compiled lazily is compiled again in every run: a start calls
// much of what it loads (kubeconfig parsing, the model, the printer; the terminal UI's React and
// Ink for its first frame), and compiling it all up front, once, into the cache was measured
// ~10 ms of CPU less for `--once` (PODLIFE_PERF=1), and 40 ms less to the terminal UI's first frame
// of one pod (median of 10 each, 328 against 370 ms; about 5 MB more resident). The cache keeps a directory
// per flag setting, chosen when it is enabled, so the caches of --once and of the sessions that
// stay are not rejected and rewritten by one another. Not for -f, --replay and --demo (no network
// modules), and not when NODE_COMPILE_CACHE enabled the cache before this ran (one directory for
// every setting) or the cache cannot be had (eager without it is compiling everything in every
// run).
//
// Every session that stays (not --once, --help, --version or completion): the old generation
// grows by a fixed 25 % between full collections instead of V8's dynamic factor, so while 5,000
// pods arrive the heap peaks lower and the process keeps less resident (143-160 MB against
// 176-205 MB, measured side by side on one namespace, for 5 % more CPU while the pods arrived).
// V8 reads it at each full collection: set before the first one, it does what the command line
// did (as many full collections, checked with --trace-gc). The release binaries and the npm
// package get it too, which no command line of theirs gave them.
const argv = process.argv.slice(2);
const cacheEnabledAtStart = nodeModule.getCompileCacheDir?.() !== undefined;
const offline = argv.some((a) => /^(-f|--filename|--replay|--demo|demo)(=|$)|^-f./.test(a));
const completing = argv[0] === '__complete';
const once = argv.includes('--once');
const asked = argv.some((a) => a === '-h' || a === '--help' || a === '--version');
const stays = !once && !completing && !asked;
// A workload, a selector: thousands of pods may come, and there eager code was measured to keep
// 10 MB more resident (5,000 pods listed at start: 180 against 171 MB); only one pod's screen is
// worth it for a session that stays. Told from the words alone (before the arguments are parsed):
// a word taken wrongly for a group only makes the start lazily compiled.
const group = argv.some(
  (a) => /^(-l|--selector|--field-selector|-A|--all-namespaces)(=|$)|^-l./.test(a) || /^(?!(pods?|po)\/)[a-z][a-z.]*\/[^/]+$/.test(a),
);
let eager = !cacheEnabledAtStart && !offline && (once || (stays && !group));
const flags = [...(eager ? ['--no-lazy'] : []), ...(stays ? ['--heap-growing-percent=25'] : [])].join(' ');
// What a session loads at start, found with process.moduleLoadList at the flags and at exit: the
// cluster client's network stack (https, http), what every session uses (os, tty, process;
// perf_hooks behind performance.now()), and the terminal UI's (Ink loads stream, assert and
// child_process, and its dependencies look at the global navigator) when it will draw: a session
// that stays, on a terminal, without -o (an explicit `-o tui` is missed: its start only compiles
// those). test/e2e/first-screen.test.ts checks that --once loads no other built-in after the flags.
const drawing = stays && !argv.some((a) => /^(-o|--output)(=|$)|^-o./.test(a)) && process.getBuiltinModule('node:tty').isatty(1);
const STARTUP_BUILTINS = [
  ...(offline ? [] : ['node:https', 'node:http']),
  'node:os',
  'node:tty',
  'node:process',
  'node:perf_hooks',
  ...(drawing ? ['node:stream', 'node:assert', 'node:child_process'] : []),
];
if (flags !== '') {
  try {
    for (const m of STARTUP_BUILTINS) process.getBuiltinModule(m);
    if (drawing) void globalThis.navigator;
    process.getBuiltinModule('node:v8').setFlagsFromString(flags);
  } catch {
    eager = false; // a runtime that takes no flags now: compile lazily, grow the heap V8's way
  }
}
perfMark('main: built-ins loaded');

// V8 keeps the compiled code of the lazily loaded chunks (the cluster client is most of the
// startup) in a disk cache (the OS temp dir, or NODE_COMPILE_CACHE): later starts skip compiling.
let cached = false;
try {
  cached = nodeModule.enableCompileCache?.().status === nodeModule.constants.compileCacheStatus.ENABLED;
} catch {
  // a read-only temp dir: start without the cache
}
if (eager && !cached) process.getBuiltinModule('node:v8').setFlagsFromString('--lazy');

// A closed pipe (`kubectl podlife x -o text | head`) ends the program quietly, as other CLIs do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

const version = typeof PODLIFE_VERSION === 'string' ? `v${PODLIFE_VERSION}` : 'dev';
const commit = typeof PODLIFE_COMMIT === 'string' ? PODLIFE_COMMIT : 'unknown';
const io = {
  argv,
  stdout: process.stdout,
  stderr: process.stderr,
  // Made when first used (-f -, the terminal UI's keys): making process.stdin costs 2-4 ms.
  get stdin() {
    return process.stdin;
  },
  stdinIsTTY: process.getBuiltinModule('node:tty').isatty(0),
  env: process.env,
  version: `${version} (commit ${commit})`,
};
// kubectl's plugin completion (bin/kubectl_complete-podlife) calls `kubectl-podlife __complete ARGS...`.
const code = io.argv[0] === '__complete' ? await (await import('./completion.ts')).complete(io) : await (await import('./run.ts')).run(io);
// Let pending writes drain, then leave even if a socket is still closing.
process.exitCode = code;
setTimeout(() => process.exit(code), 50).unref();
