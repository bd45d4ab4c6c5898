// Entry point of the bundle that bin/kubectl-podlife runs.
import { run } from './run.ts';

declare const PODLIFE_VERSION: string;

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
