// The e2e harness: a real cluster named by PODLIFE_E2E_KUBECONFIG (default: the one cluster/up.sh
// writes), the real kubectl as the peer, and the plugin spawned through its launcher as users run it.
// No cluster is a failure, not a skip: these tests exist to cross the wire.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const launcher = join(root, 'bin', 'kubectl-podlife');
export const scenarios = join(root, 'test', 'scenarios');

export function kubeconfigPath(): string {
  const p = process.env['PODLIFE_E2E_KUBECONFIG'] ?? join(process.env['PODLIFE_CLUSTER_DIR'] ?? '/tmp/podlife-cluster', 'kubeconfig');
  if (!existsSync(p)) throw new Error(`no cluster kubeconfig at ${p}: start one with \`npm run cluster:up\` or set PODLIFE_E2E_KUBECONFIG`);
  return p;
}

export function restrictedKubeconfigPath(): string {
  const p = process.env['PODLIFE_E2E_RESTRICTED_KUBECONFIG'] ?? join(dirname(kubeconfigPath()), 'kubeconfig-restricted');
  if (!existsSync(p)) throw new Error(`no restricted kubeconfig at ${p}`);
  return p;
}

export async function kubectl(
  args: readonly string[],
  opts: { kubeconfig?: string; input?: string; allowFail?: boolean; env?: Record<string, string> } = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  const kc = opts.kubeconfig ?? kubeconfigPath();
  const env = opts.env ? { ...process.env, ...opts.env } : process.env;
  if (opts.input !== undefined) {
    return new Promise((resolve, reject) => {
      const p = spawn('kubectl', ['--kubeconfig', kc, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('close', (code) =>
        code === 0 || opts.allowFail
          ? resolve({ stdout, stderr, code: code ?? 1 })
          : reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)),
      );
      p.stdin.end(opts.input);
    });
  }
  try {
    const r = await execFileP('kubectl', ['--kubeconfig', kc, ...args], { maxBuffer: 64 << 20, env });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    if (opts.allowFail) return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: typeof err.code === 'number' ? err.code : 1 };
    throw new Error(`kubectl ${args.join(' ')} failed: ${err.stderr ?? String(e)}`);
  }
}

let nsCounter = 0;
/** A fresh namespace for one test; deleted (without waiting) by the returned cleanup. */
export async function newNamespace(prefix: string): Promise<{ name: string; cleanup: () => Promise<void> }> {
  const name = `${prefix}-${process.pid}-${Date.now().toString(36)}-${nsCounter++}`.slice(0, 60).replace(/-+$/, '');
  await kubectl(['create', 'namespace', name]);
  // Pods need the namespace's default service account before the API server admits them.
  await waitFor(
    async () => (await kubectl(['get', 'serviceaccount', 'default', '-n', name], { allowFail: true })).code === 0,
    30_000,
    'default service account',
  );
  return { name, cleanup: async () => void (await kubectl(['delete', 'namespace', name, '--wait=false'], { allowFail: true })) };
}

/** Runs `body` in a fresh namespace and deletes the namespace afterwards, whatever happens. */
export async function inNamespace(prefix: string, body: (ns: { name: string }) => Promise<void>): Promise<void> {
  const ns = await newNamespace(prefix);
  try {
    await body(ns);
  } finally {
    await ns.cleanup();
  }
}

export async function applyScenario(file: string, namespace: string): Promise<void> {
  await kubectl(['apply', '-n', namespace, '-f', join(scenarios, file)]);
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export function podlife(
  args: readonly string[],
  opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(launcher, args, {
      env: { ...process.env, KUBECONFIG: kubeconfigPathOrEmpty(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? (signal ? 128 : 1) });
    });
    p.stdin.end(opts.input ?? '');
  });
}

function kubeconfigPathOrEmpty(): string {
  try {
    return kubeconfigPath();
  } catch {
    return '';
  }
}

/** A long-running podlife whose stdout lines can be awaited. */
export class Streaming {
  readonly proc: ChildProcess;
  readonly lines: string[] = [];
  stderr = '';
  private partial = '';
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number>;

  constructor(args: readonly string[], env: Record<string, string> = {}) {
    this.proc = spawn(launcher, args, { env: { ...process.env, KUBECONFIG: kubeconfigPath(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => {
      this.partial += d.toString();
      const parts = this.partial.split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const w of this.waiters.splice(0)) w();
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.proc.on('close', (code) => resolve(code ?? 1)));
  }

  /** Resolves with the first line (from `from` on) matching, or rejects after timeoutMs. */
  async waitForLine(pred: (line: string) => boolean, timeoutMs: number, from = 0): Promise<{ line: string; index: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) if (pred(this.lines[i]!)) return { line: this.lines[i]!, index: i };
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching line within ${timeoutMs} ms; last lines:\n${this.lines.slice(-15).join('\n')}\nstderr: ${this.stderr.slice(-500)}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<number> {
    if (this.proc.exitCode === null) this.proc.kill('SIGINT');
    return this.exited;
  }
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string | (() => string),
  intervalMs = 500,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
}

export interface KubectlRow {
  readonly name: string;
  readonly ready: string;
  readonly status: string;
  readonly restarts: string;
}

/** `kubectl get pod` columns, as the real kubectl prints them (from the server's table). */
export async function kubectlRow(namespace: string, pod: string): Promise<KubectlRow> {
  const { stdout } = await kubectl(['get', 'pod', pod, '-n', namespace, '--no-headers']);
  // NAME READY STATUS RESTARTS AGE; RESTARTS may be "3 (5s ago)".
  const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\d+(?: \([^)]*\))?)\s+\S+\s*$/.exec(stdout.trim());
  if (!m) throw new Error(`unexpected kubectl output: ${stdout}`);
  return { name: m[1]!, ready: m[2]!, status: m[3]!, restarts: m[4]! };
}

/**
 * The cluster's etcd client URL, when the test may reach it: PODLIFE_E2E_ETCD, else the `etcd-url`
 * file cluster/up.sh writes beside its kubeconfig. Undefined for other clusters.
 */
export function etcdUrl(): string | undefined {
  if (process.env['PODLIFE_E2E_ETCD']) return process.env['PODLIFE_E2E_ETCD'];
  const file = join(dirname(kubeconfigPath()), 'etcd-url');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** Compacts etcd to its current revision (through etcd's JSON gateway) and returns that revision. */
export async function compactEtcd(url: string): Promise<number> {
  const post = async (path: string, body: unknown): Promise<{ header?: { revision?: string } }> => {
    const res = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as { header?: { revision?: string } };
  };
  const revision = Number((await post('/v3/kv/range', { key: 'AA==', limit: 1 })).header?.revision);
  if (!Number.isFinite(revision) || revision <= 0) throw new Error('etcd did not report its revision');
  await post('/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}
