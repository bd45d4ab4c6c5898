// The release as a user receives it: `npm run release` in a clean clone of the committed tree
// builds the five binaries and their archives; the checksums match the manifest it writes (and the
// committed one, when the program has not changed since it was written); krew's own validator
// accepts the manifest; krew installs the plugin from it and the Linux archive into a temporary
// KREW_ROOT, and `kubectl podlife` then runs; each Linux binary this machine can run replays a demo.
// Tools come from scripts/release-tools.sh (npm run test:release runs it first).

import assert from 'node:assert/strict';
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { arch, homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { parse as parseYaml } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const cache = process.env['PODLIFE_CACHE'] ?? join(homedir(), '.cache', 'kubectl-podlife');
const krewBin = join(cache, 'krew-v0.5.0', 'bin');
const fixture = join(root, 'test', 'fixtures', 'public', 'crashloop-backoff-10s-exit1.yaml');
const hostArch = arch() === 'x64' ? 'amd64' : arch();

interface Platform {
  selector: { matchLabels: { os: string; arch: string } };
  uri: string;
  sha256: string;
  bin: string;
  files: { from: string; to: string }[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { version: string; homepage: string; shortDescription: string; description: string; platforms: Platform[] };
}

let tmp = '';
let clone = '';
let out = '';
let committedText = '';
let writtenText = '';
let written: Manifest;
let info: { version: string; commit: string };
let releaseLog = '';

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
function sh(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${String(r.stdout)}\n${String(r.stderr)}`);
  return String(r.stdout);
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'podlife-release-'));
  // A clean clone of the committed tree: nothing built, nothing uncommitted.
  const head = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  clone = join(tmp, 'clone');
  sh('git', ['clone', '--quiet', '--no-checkout', root, clone]);
  sh('git', ['-C', clone, 'checkout', '--quiet', head]);
  // Its dependencies are what package-lock.json pins: the same lock as here means the same
  // node_modules, so it is linked instead of installed again (else: npm ci).
  if (readFileSync(join(clone, 'package-lock.json'), 'utf8') === readFileSync(join(root, 'package-lock.json'), 'utf8'))
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
  else sh('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone, stdio: 'inherit' });
  committedText = readFileSync(join(clone, 'krew-manifest.yaml'), 'utf8');
  out = join(tmp, 'release');
  const r = spawnSync('npm', ['run', 'release', '--silent', '--', '--out', out], { cwd: clone, encoding: 'utf8', timeout: 1_500_000 });
  releaseLog = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`npm run release failed:\n${releaseLog}`);
  process.stdout.write(`npm run release in a clean clone:\n${r.stdout}`);
  writtenText = readFileSync(join(clone, 'krew-manifest.yaml'), 'utf8');
  written = parseYaml(writtenText) as Manifest;
  info = JSON.parse(readFileSync(join(clone, 'dist', 'build-info.json'), 'utf8'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm run release from a clean clone', () => {
  test('five platforms, each archive holding the executable, LICENSE and the third-party licences', () => {
    const labels = written.spec.platforms.map((p) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`).sort();
    assert.deepEqual(labels, ['darwin/amd64', 'darwin/arm64', 'linux/amd64', 'linux/arm64', 'windows/amd64']);
    assert.equal(info.commit.endsWith('-dirty'), false, 'a clean clone builds a clean commit');
    for (const p of written.spec.platforms) {
      const archive = join(out, basename(p.uri));
      const list = p.selector.matchLabels.os === 'windows' ? sh('unzip', ['-Z1', archive]) : sh('tar', ['-tzf', archive]);
      assert.deepEqual(list.trim().split('\n').sort(), [p.bin, 'LICENSE', 'THIRD_PARTY_LICENSES.txt'].sort(), archive);
      assert.deepEqual(
        p.files.map((f) => f.from),
        [p.bin, 'LICENSE', 'THIRD_PARTY_LICENSES.txt'],
      );
    }
    assert.match(releaseLog, /linux\/amd64\s+\d+\.\d\s+\d+\.\d\s+[0-9a-f]{64}/, 'sizes printed');
  });

  test('the checksums in the manifest (quoted) and in SHA256SUMS are those of the archives', () => {
    const sums = new Map(
      readFileSync(join(out, 'SHA256SUMS'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.split(/\s+/)[1]!, l.split(/\s+/)[0]!]),
    );
    for (const p of written.spec.platforms) {
      const file = join(out, basename(p.uri));
      assert.equal(p.sha256, sha256(file), basename(p.uri));
      assert.equal(sums.get(basename(p.uri)), p.sha256);
      assert.match(writtenText, new RegExp(`sha256: "${p.sha256}"`), 'quoted, so an all-digit value stays a string');
    }
    assert.equal(written.spec.version, `v${info.version}`);
    assert.ok(written.spec.platforms.every((p) => p.uri.endsWith(`/v${info.version}/${basename(p.uri)}`)));
  });

  test('the committed krew-manifest.yaml is what the release writes', (ctx) => {
    const stripVolatile = (t: string) => t.replace(/from commit \S+;/, 'from commit X;').replace(/sha256: "[0-9a-f]{64}"/g, 'sha256: "X"');
    assert.equal(stripVolatile(committedText), stripVolatile(writtenText), 'run npm run release and commit krew-manifest.yaml');
    const committedCommit = /from commit (\S+);/.exec(committedText)?.[1];
    // The checksums can only match when the program is the one the committed manifest was built from.
    if (committedCommit !== info.commit)
      return ctx.skip(
        `the committed manifest was written for commit ${committedCommit}, the program is now ${info.commit}: run npm run release and commit krew-manifest.yaml`,
      );
    assert.equal(committedText, writtenText, 'same sources, same archives: the release is reproducible');
  });

  test("krew's validator accepts the manifest; krew installs every platform's archive with its LICENSE", () => {
    const dir = join(tmp, 'validate');
    mkdirSync(dir, { recursive: true });
    // The validator wants the file named after the plugin. Its install step would download the
    // archives from their release URLs; the same install runs below, offline, from the local archives.
    const manifest = join(dir, 'podlife.yaml');
    copyFileSync(join(clone, 'krew-manifest.yaml'), manifest);
    const r = spawnSync(join(krewBin, 'validate-krew-manifest'), ['-manifest', manifest, '-skip-install'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /structural validation OK/);
    assert.match(r.stderr, /no overlapping spec.platform\[\].selector/);
    for (const p of written.spec.platforms) {
      const { os, arch: a } = p.selector.matchLabels;
      const krewRoot = join(dir, `${os}-${a}`);
      const env = { ...process.env, KREW_ROOT: krewRoot, KREW_OS: os, KREW_ARCH: a };
      sh(join(krewBin, 'krew'), ['install', `--manifest=${manifest}`, `--archive=${join(out, basename(p.uri))}`], { env });
      const store = join(krewRoot, 'store', 'podlife', written.spec.version);
      assert.deepEqual(readdirSync(store).sort(), ['LICENSE', 'THIRD_PARTY_LICENSES.txt', p.bin].sort(), `${os}/${a}`);
      assert.ok(existsSync(join(krewRoot, 'bin', p.bin)), `${os}/${a}: krew linked ${p.bin}`);
    }
  });

  test('krew installs it from the manifest and the Linux archive; kubectl podlife then runs', () => {
    const platform = written.spec.platforms.find((p) => p.selector.matchLabels.os === 'linux' && p.selector.matchLabels.arch === hostArch);
    assert.ok(platform, `a linux/${hostArch} platform`);
    const krewRoot = join(tmp, 'krew');
    const env = {
      ...process.env,
      KREW_ROOT: krewRoot,
      PATH: `${join(krewRoot, 'bin')}:${process.env['PATH']}`,
      KUBECONFIG: '/nonexistent',
    };
    const manifest = join(tmp, 'podlife.yaml');
    copyFileSync(join(clone, 'krew-manifest.yaml'), manifest);
    sh(join(krewBin, 'krew'), ['install', `--manifest=${manifest}`, `--archive=${join(out, basename(platform.uri))}`], { env });
    assert.match(readFileSync(join(krewRoot, 'receipts', 'podlife.yaml'), 'utf8'), /name: podlife/, "krew's receipt");

    const version = sh('kubectl', ['podlife', '--version'], { env });
    assert.equal(version, `v${info.version} (commit ${info.commit})\n`);
    const picture = sh('kubectl', ['podlife', '-f', fixture, '--once', '--width', '100'], { env: { ...env, NO_COLOR: '1' } });
    assert.match(picture, /STATUS CrashLoopBackOff/);
    assert.match(picture, /back-off/);
    // The plugin krew installed is the released binary, not a script.
    const installed = readdirSync(join(krewRoot, 'store', 'podlife', `v${info.version}`));
    assert.deepEqual(installed.sort(), ['LICENSE', 'THIRD_PARTY_LICENSES.txt', 'kubectl-podlife']);
  });

  test('each Linux binary this machine runs replays a demo as JSON; the others are built for their machine', () => {
    const expect: Record<string, string> = { amd64: 'x86-64', arm64: 'ARM aarch64' };
    for (const p of written.spec.platforms) {
      const { os, arch: a } = p.selector.matchLabels;
      const bare = join(out, `kubectl-podlife_v${info.version}_${os}_${a}${os === 'windows' ? '.exe' : ''}`);
      const kind = sh('file', ['-b', bare]);
      if (os === 'linux') assert.match(kind, new RegExp(`^ELF 64-bit .*${expect[a]}`), bare);
      if (os === 'darwin') assert.match(kind, new RegExp(`^Mach-O 64-bit ${a === 'arm64' ? 'arm64' : 'x86_64'} executable`), bare);
      if (os === 'windows') assert.match(kind, /^PE32\+ executable .*x86-64/, bare);
      if (os !== 'linux' || a !== hostArch) continue;
      const r = spawnSync(bare, ['demo', '--once', '-o', 'json'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      const pod = JSON.parse(r.stdout.trim().split('\n')[0]!);
      assert.equal(pod.kind, 'pod');
      assert.equal(pod.name, 'crashloop');
      assert.ok(pod.containers[0].instances.length >= 4);
    }
  });

  test('the darwin binaries are signed again (ad hoc) over their final bytes', () => {
    for (const a of ['amd64', 'arm64']) {
      const bare = join(out, `kubectl-podlife_v${info.version}_darwin_${a}`);
      const sig = checkAdhocSignature(readFileSync(bare));
      assert.equal(sig.identifier, 'kubectl-podlife', bare);
      assert.ok(sig.pages > 30_000, `${bare}: ${sig.pages} page hashes`);
    }
  });
});

/**
 * What macOS checks before running a Mach-O page: the embedded signature's CodeDirectory holds a
 * SHA-256 of every page of the file up to the signature; a binary modified after signing (here:
 * the injected bundle) fails them. Layouts from Apple's cs_blobs.h (big-endian blobs) and
 * mach-o/loader.h (LC_CODE_SIGNATURE = 0x1d).
 */
function checkAdhocSignature(file: Buffer): { identifier: string; pages: number } {
  assert.equal(file.readUInt32LE(0), 0xfeedfacf, 'a 64-bit Mach-O');
  const ncmds = file.readUInt32LE(16);
  let at = 32;
  let sigOff = -1;
  for (let i = 0; i < ncmds; i++) {
    if (file.readUInt32LE(at) === 0x1d) sigOff = file.readUInt32LE(at + 8);
    at += file.readUInt32LE(at + 4);
  }
  assert.ok(sigOff > 0, 'an LC_CODE_SIGNATURE');
  assert.equal(file.readUInt32BE(sigOff), 0xfade0cc0, 'an embedded signature superblob');
  const count = file.readUInt32BE(sigOff + 8);
  let cd = -1;
  let requirements: Buffer | undefined;
  for (let i = 0; i < count; i++) {
    const type = file.readUInt32BE(sigOff + 12 + i * 8);
    const off = sigOff + file.readUInt32BE(sigOff + 16 + i * 8);
    if (type === 0) cd = off;
    if (type === 2) requirements = file.subarray(off, off + file.readUInt32BE(off + 4));
  }
  assert.ok(cd > 0 && file.readUInt32BE(cd) === 0xfade0c02, 'a CodeDirectory');
  const flags = file.readUInt32BE(cd + 12);
  assert.ok(flags & 0x2, 'flagged ad hoc (CS_ADHOC)');
  const hashOffset = file.readUInt32BE(cd + 16);
  const identOffset = file.readUInt32BE(cd + 20);
  const nCodeSlots = file.readUInt32BE(cd + 28);
  const codeLimit = file.readUInt32BE(cd + 32);
  const hashSize = file.readUInt8(cd + 36);
  assert.equal(file.readUInt8(cd + 37), 2, 'SHA-256 page hashes');
  const pageSize = 2 ** file.readUInt8(cd + 39);
  assert.equal(codeLimit, sigOff, 'the hashes cover the file up to the signature');
  assert.equal(nCodeSlots, Math.ceil(codeLimit / pageSize));
  const slot = (i: number) => file.subarray(cd + hashOffset + i * hashSize, cd + hashOffset + (i + 1) * hashSize);
  for (let i = 0; i < nCodeSlots; i++) {
    const page = file.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit));
    if (!createHash('sha256').update(page).digest().equals(slot(i))) assert.fail(`page ${i} does not match its hash`);
  }
  if (requirements) assert.ok(createHash('sha256').update(requirements).digest().equals(slot(-2)), 'the requirements hash');
  const end = file.indexOf(0, cd + identOffset);
  return { identifier: file.toString('utf8', cd + identOffset, end), pages: nCodeSlots };
}
