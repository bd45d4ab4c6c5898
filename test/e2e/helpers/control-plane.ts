// Control planes that fault tests may break: a second (and third) kube-apiserver beside the test
// cluster, against the cluster's etcd under an etcd prefix of their own, or against an etcd of
// their own. The shared cluster's processes are never touched: other tests run against it.
//
// Every process is started through cluster/extra-*.sh (which exec the cached binaries, so the PID
// we hold is the server's own) and stopped by that PID: by stop(), by the process-exit hook below
// when a test file dies without its afterAll, and by the kernel (the scripts set a parent-death
// signal) when the test process is killed outright.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdUrl, kubeconfigPath, root } from './env.ts';

const started = new Set<ChildProcess>();
let exitHook = false;
function track(p: ChildProcess): void {
  started.add(p);
  p.once('exit', () => started.delete(p));
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of started) {
        try {
          if (c.pid) process.kill(c.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One server process of ours, restartable with the same arguments. */
export class Component {
  private proc: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Wall-clock times (ms) of the last start and kill. */
  startedAt = 0;
  killedAt = 0;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly args: readonly string[],
    readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.proc?.exitCode === null && this.proc.signalCode === null ? this.proc.pid : undefined;
  }

  start(): void {
    if (this.pid !== undefined) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    const fd = openSync(this.logFile, 'a');
    try {
      const p = spawn('bash', [join(root, 'cluster', this.script), ...this.args], { stdio: ['ignore', fd, fd] });
      this.proc = p;
      track(p);
      this.exited = new Promise((resolve) => p.once('exit', () => resolve()));
      this.startedAt = Date.now();
    } finally {
      closeSync(fd);
    }
  }

  /** Sends the signal (SIGKILL by default: a crash, no graceful shutdown) and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    if (!p || this.pid === undefined) return;
    this.killedAt = Date.now();
    p.kill(signal);
    const gone = await Promise.race([this.exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!gone) {
      p.kill('SIGKILL');
      await this.exited;
    }
  }

  logTail(lines = 30): string {
    if (!existsSync(this.logFile)) return '';
    return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }
}

interface ClientCreds {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

function adminCreds(kubeconfigText: string): ClientCreds {
  const field = (name: string): string => {
    const m = new RegExp(`${name}:\\s*(\\S+)`).exec(kubeconfigText);
    if (!m) throw new Error(`the cluster kubeconfig has no ${name} (fault tests need file-based admin credentials)`);
    return m[1]!;
  };
  return {
    ca: readFileSync(field('certificate-authority')),
    cert: readFileSync(field('client-certificate')),
    key: readFileSync(field('client-key')),
  };
}

function readyz(port: number, creds: ClientCreds): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/readyz', method: 'GET', ca: creds.ca, cert: creds.cert, key: creds.key, timeout: 2_000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export class Apiserver extends Component {
  constructor(
    name: string,
    readonly port: number,
    args: readonly string[],
    logFile: string,
    /** An admin kubeconfig (the cluster's certificates) pointed at this apiserver. */
    readonly kubeconfig: string,
    private readonly creds: ClientCreds,
  ) {
    super(name, 'extra-apiserver.sh', args, logFile);
  }

  /** Waits for /readyz; returns how long after the last start it became ready (ms). */
  async waitReady(timeoutMs = 90_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await readyz(this.port, this.creds)) return Date.now() - this.startedAt;
      if (this.pid === undefined) throw new Error(`${this.name} exited during start; log:\n${this.logTail()}`);
      await sleep(200);
    }
    throw new Error(`${this.name} (port ${this.port}) was not ready within ${timeoutMs} ms; log:\n${this.logTail()}`);
  }
}

export class Etcd extends Component {
  constructor(
    readonly clientPort: number,
    peerPort: number,
    dataDir: string,
    logFile: string,
  ) {
    super('etcd', 'extra-etcd.sh', [dataDir, String(clientPort), String(peerPort)], logFile);
  }

  get url(): string {
    return `http://127.0.0.1:${this.clientPort}`;
  }

  async waitListening(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await tcpOpen(this.clientPort)) return Date.now() - this.startedAt;
      if (this.pid === undefined) throw new Error(`etcd exited during start; log:\n${this.logTail()}`);
      await sleep(100);
    }
    throw new Error(`etcd was not listening within ${timeoutMs} ms; log:\n${this.logTail()}`);
  }
}

export interface ControlPlaneOptions {
  /** 'shared': the test cluster's etcd under a prefix of our own; 'own': a second etcd. */
  readonly etcd: 'shared' | 'own';
  /** How many apiservers on the same storage (an HA pair lets one write while another is down). */
  readonly apiservers?: number;
  /** More kube-apiserver flags, e.g. --token-auth-file. */
  readonly apiserverFlags?: readonly string[];
}

export interface ControlPlane {
  readonly dir: string;
  readonly etcd: Etcd | undefined;
  readonly etcdUrl: string;
  readonly prefix: string;
  readonly apiservers: readonly Apiserver[];
  /** Stops everything it started (by PID) and removes its data; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a control plane of our own; on any failure, stops what it had started before rethrowing. */
export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  await sweepStale();
  const dir = mkdtempSync(join(tmpdir(), `podlife-faults-${process.pid}-`));
  const adminText = readFileSync(kubeconfigPath(), 'utf8');
  const creds = adminCreds(adminText);
  const prefix = `/podlife-faults/${process.pid}-${Date.now().toString(36)}`;
  let etcd: Etcd | undefined;
  const apiservers: Apiserver[] = [];
  let url: string;
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(apiservers.map((a) => a.kill()));
    if (etcd) await etcd.kill();
    else if (url) await deletePrefix(url, prefix).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    if (o.etcd === 'own') {
      etcd = new Etcd(await freePort(), await freePort(), join(dir, 'etcd'), join(dir, 'etcd.log'));
      etcd.start();
      await etcd.waitListening();
      url = etcd.url;
    } else {
      const shared = etcdUrl();
      if (!shared)
        throw new Error('fault tests need the test cluster etcd URL (the etcd-url file beside the kubeconfig, or PODLIFE_E2E_ETCD)');
      url = shared;
      // For sweepStale(), should this process die before stop().
      writeFileSync(join(dir, 'shared-etcd-prefix'), `${url} ${prefix}\n`);
    }
    for (let i = 0; i < (o.apiservers ?? 1); i++) {
      const port = await freePort();
      const kc = join(dir, `kubeconfig-${i}`);
      writeFileSync(kc, adminText.replace(/server:\s*https:\/\/[^\s]+/, `server: https://127.0.0.1:${port}`));
      const a = new Apiserver(
        `apiserver-${i}`,
        port,
        [String(port), url, prefix, ...(o.apiserverFlags ?? [])],
        join(dir, `apiserver-${i}.log`),
        kc,
        creds,
      );
      apiservers.push(a);
      a.start();
    }
    await Promise.all(apiservers.map((a) => a.waitReady()));
  } catch (e) {
    await stop();
    throw e;
  }
  return { dir, etcd, etcdUrl: url, prefix, apiservers, stop };
}

/**
 * What an earlier test process left when it was killed before its stop() (its servers died with it,
 * by the parent-death signal): its directory, and its objects in the shared etcd.
 */
async function sweepStale(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(/^podlife-faults-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    const d = join(tmpdir(), name);
    try {
      const [url, prefix] = readFileSync(join(d, 'shared-etcd-prefix'), 'utf8').trim().split(' ');
      if (url && prefix) await deletePrefix(url, prefix);
    } catch {
      // no shared etcd used, or it is not reachable: the directory goes anyway
    }
    rmSync(d, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes every key under the prefix from an etcd (its JSON gateway). */
async function deletePrefix(url: string, prefix: string): Promise<void> {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  // Keys under "PREFIX/": the range end is that prefix with its last byte plus one ('/' + 1 = '0').
  const res = await fetch(`${url}/v3/kv/deleterange`, {
    method: 'POST',
    body: JSON.stringify({ key: b64(prefix + '/'), range_end: b64(prefix + '0') }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`etcd deleterange: HTTP ${res.status}`);
}
