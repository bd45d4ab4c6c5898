// Entry point of the bundle that bin/kubectl-podlife runs.
import { enableCompileCache } from 'node:module';
import { run } from './run.ts';

// V8 keeps the compiled code of the lazily loaded chunks (the cluster client is most of the
// startup) in a disk cache (the OS temp dir, or NODE_COMPILE_CACHE): later starts skip compiling.
try {
  enableCompileCache();
} catch {
  // a read-only temp dir: start without the cache
}

declare const PODLIFE_VERSION: string;

// A closed pipe (`kubectl podlife x -o text | head`) ends the program quietly, as other CLIs do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

const code = await run({
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  version: typeof PODLIFE_VERSION === 'string' ? PODLIFE_VERSION : 'dev',
});
// Let pending writes drain, then leave even if a socket is still closing.
process.exitCode = code;
setTimeout(() => process.exit(code), 50).unref();
