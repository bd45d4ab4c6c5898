// Credentials for the API server, assembled as kubectl (client-go's rest/transport packages)
// assembles them from the resolved kubeconfig user and cluster:
// - TLS: the cluster's CA (file or data) or insecure-skip-tls-verify, tls-server-name, and the
//   client certificate/key (files, data, or what an exec plugin returns);
// - Authorization: a bearer token (token, else tokenFile re-read every minute and after a 401),
//   else basic auth, else an exec credential plugin (client.authentication.k8s.io v1/v1beta1, run
//   as client-go runs it: KUBERNETES_EXEC_INFO, interactiveMode, provideClusterInfo; cached until
//   its expirationTimestamp or a 401), else an auth-provider (oidc, through client-node);
// - Impersonate-User / -Uid / -Group / -Extra-* headers from --as, --as-uid, --as-group.
// As in client-go, a plain-http server gets no credentials at all (only impersonation headers).
// Every failure is a CredentialError naming the credential source, in kubectl's words where kubectl
// has them; an exec plugin's output never goes into a message (its stderr goes to ours, as with
// kubectl, so that login prompts reach the user).

import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { UserError } from './errors.ts';
import type { ExecConfig, ResolvedConfig } from './kubeconfig.ts';

/** A credential that cannot be had; `hint` says how to fix it, naming the credential source. */
export class CredentialError extends UserError {
  constructor(message: string, hint: string) {
    super(message, hint, 1);
    this.name = 'CredentialError';
  }
}

export interface TlsMaterial {
  readonly ca?: Buffer;
  readonly cert?: Buffer | string;
  readonly key?: Buffer | string;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
}

export interface Credentials {
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly tls: TlsMaterial;
  /** Changes whenever the credentials change (for rebuilding connections and for refresh after a 401). */
  readonly generation: number;
}

export interface CredentialOptions {
  /** Whether stdin is a terminal (exec plugins with interactiveMode IfAvailable / Always). */
  readonly stdinIsTTY: boolean;
  /** Where an exec plugin's stderr goes: ours (as kubectl does), or nowhere (tests). */
  readonly pluginStderr?: 'inherit' | 'ignore';
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => number;
}

const EXEC_API_VERSIONS = new Set(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1']);
const TOKEN_FILE_PERIOD_MS = 60_000;
const MAX_PLUGIN_OUTPUT = 1 << 20;

interface ExecResult {
  readonly token: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly expiresAt: number | undefined;
}

/** Where the user's credentials come from, for hints: `user "u" in kubeconfig F`, or the flags. */
function userSource(config: ResolvedConfig): string {
  const where = config.files.length ? ` in ${config.files.join(':')}` : '';
  return config.user ? `user "${config.user}"${where}` : 'the command-line flags';
}

function readPem(file: string, what: string, flag: string, config: ResolvedConfig): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (code ?? String(e));
    throw new CredentialError(
      `unable to read ${what} ${file}: ${reason}`,
      `Fix the path (${flag}, or ${what} of ${what === 'certificate-authority' ? `cluster "${config.cluster.name}"` : userSource(config)}).`,
    );
  }
}

const fromBase64 = (data: string): Buffer => Buffer.from(data, 'base64');

/** OpenSSL's reason, readable: "no start line" means the file is not PEM at all. */
function tlsReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/no start line|NO_START_LINE|bad base64|BAD_BASE64|not enough data/i.test(msg)) return 'not PEM data';
  if (/key values mismatch|KEY_VALUES_MISMATCH/i.test(msg)) return 'the key does not belong to the certificate';
  return msg.replace(/^error:[0-9A-F]+:/i, '').replace(/::/g, ': ');
}

const sameBytes = (a: Buffer | string | undefined, b: Buffer | string | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b)));

/** Whether two builds carry the same credentials (compared without serialising the PEM bytes). */
function sameCredentials(a: Omit<Credentials, 'generation'>, b: Omit<Credentials, 'generation'>): boolean {
  return (
    JSON.stringify(a.headers) === JSON.stringify(b.headers) &&
    sameBytes(a.tls.ca, b.tls.ca) &&
    sameBytes(a.tls.cert, b.tls.cert) &&
    sameBytes(a.tls.key, b.tls.key) &&
    a.tls.rejectUnauthorized === b.tls.rejectUnauthorized &&
    a.tls.servername === b.tls.servername
  );
}

export class CredentialSource {
  private cached: Credentials | undefined;
  private building: Promise<Credentials> | undefined;
  private generation = 0;
  private tokenFileRead: { token: string; at: number } | undefined;
  private execCached: ExecResult | undefined;
  private execRunning: Promise<ExecResult> | undefined;
  private readonly now: () => number;

  constructor(
    readonly config: ResolvedConfig,
    private readonly o: CredentialOptions,
  ) {
    this.now = o.now ?? Date.now;
    if (config.auth.exec) checkExecConfig(config.auth.name, config.auth.exec);
  }

  /** Whether credentials are sent at all: client-go sends none to a plain-http server. */
  get secure(): boolean {
    return new URL(this.config.server).protocol === 'https:';
  }

  /** The credentials for the next request; cached until a refreshable part is due. */
  async get(): Promise<Credentials> {
    const auth = this.config.auth;
    const fresh =
      this.cached !== undefined &&
      !(auth.tokenFile && !auth.token && this.now() - (this.tokenFileRead?.at ?? 0) > TOKEN_FILE_PERIOD_MS) &&
      !(this.execCached?.expiresAt !== undefined && this.now() >= this.execCached.expiresAt);
    if (fresh) return this.cached!;
    // The first requests go out together (pods, events): they wait for one build, not one each.
    return (this.building ??= this.rebuild().finally(() => (this.building = undefined)));
  }

  private async rebuild(): Promise<Credentials> {
    const next = await this.build();
    if (!this.cached || !sameCredentials(next, this.cached)) this.generation += 1;
    this.cached = { ...next, generation: this.generation };
    return this.cached;
  }

  /**
   * After a 401 with `used`: forget what can be renewed (a token file, an exec plugin's credential).
   * True when a retry may get different credentials.
   */
  invalidate(used: Credentials): boolean {
    if (used.generation !== this.generation) return true; // already renewed meanwhile
    this.building = undefined; // a build under way may have read what was just refused
    const auth = this.config.auth;
    if (!this.secure) return false;
    if (auth.token) return false;
    if (auth.tokenFile) {
      this.tokenFileRead = undefined;
      this.cached = undefined;
      return true;
    }
    if (auth.username || auth.password) return false;
    if (auth.exec) {
      this.execCached = undefined;
      this.cached = undefined;
      return true;
    }
    return false;
  }

  private async build(): Promise<Omit<Credentials, 'generation'>> {
    const { auth, cluster } = this.config;
    const headers: Record<string, string | string[]> = {};
    if (auth.as) {
      headers['Impersonate-User'] = auth.as;
      if (auth.asUid) headers['Impersonate-Uid'] = auth.asUid;
      if (auth.asGroups.length) headers['Impersonate-Group'] = [...auth.asGroups];
      for (const [k, v] of Object.entries(auth.asUserExtra)) headers[`Impersonate-Extra-${encodeURIComponent(k)}`] = [...v];
    }
    if (!this.secure) return { headers, tls: { rejectUnauthorized: true } };

    let ca: Buffer | undefined;
    if (cluster.certificateAuthority)
      ca = readPem(cluster.certificateAuthority, 'certificate-authority', '--certificate-authority', this.config);
    else if (cluster.certificateAuthorityData) ca = fromBase64(cluster.certificateAuthorityData);
    if (ca) {
      // OpenSSL skips what is not PEM; Go refuses it, and so does podlife.
      let reason = ca.includes('-----BEGIN CERTIFICATE-----') ? undefined : 'unable to parse bytes as PEM block';
      try {
        createSecureContext({ ca });
      } catch (e) {
        reason = tlsReason(e);
      }
      if (reason)
        throw new CredentialError(
          `unable to load root certificates${cluster.name ? ` of cluster "${cluster.name}"` : ''}: ${reason}`,
          'Point --certificate-authority (or certificate-authority in the kubeconfig) at a PEM CA certificate.',
        );
    }

    let cert: Buffer | string | undefined;
    let key: Buffer | string | undefined;
    if (auth.clientCertificate) cert = readPem(auth.clientCertificate, 'client-cert', '--client-certificate', this.config);
    else if (auth.clientCertificateData) cert = fromBase64(auth.clientCertificateData);
    if (auth.clientKey) key = readPem(auth.clientKey, 'client-key', '--client-key', this.config);
    else if (auth.clientKeyData) key = fromBase64(auth.clientKeyData);

    const token = auth.token ?? (auth.tokenFile ? this.readTokenFile(auth.tokenFile) : undefined);
    if (token) headers['Authorization'] = `Bearer ${token}`;
    else if (auth.username || auth.password)
      headers['Authorization'] = `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64')}`;
    else if (auth.exec) {
      const got = await this.execCredential(auth.exec);
      if (got.token) headers['Authorization'] = `Bearer ${got.token}`;
      if (got.cert && got.key) {
        cert = got.cert;
        key = got.key;
      }
    } else if (auth.authProvider) {
      const value = await authProviderHeader(this.config);
      if (value) headers['Authorization'] = value;
    }

    if ((cert === undefined) !== (key === undefined)) {
      throw new CredentialError(
        cert === undefined ? 'a client key is given without a client certificate' : 'a client certificate is given without its key',
        `Give both --client-certificate and --client-key (or both in ${userSource(this.config)}).`,
      );
    }
    if (cert !== undefined && key !== undefined) {
      try {
        createSecureContext({ cert, key });
      } catch (e) {
        throw new CredentialError(
          `the client certificate and key of ${userSource(this.config)} are unusable: ${tlsReason(e)}`,
          'Point --client-certificate / --client-key (or the kubeconfig) at a matching PEM certificate and key.',
        );
      }
    }
    return {
      headers,
      tls: {
        ...(ca ? { ca } : {}),
        ...(cert !== undefined ? { cert } : {}),
        ...(key !== undefined ? { key } : {}),
        rejectUnauthorized: !cluster.insecureSkipTlsVerify,
        ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
      },
    };
  }

  private readTokenFile(file: string): string {
    if (this.tokenFileRead && this.now() - this.tokenFileRead.at <= TOKEN_FILE_PERIOD_MS) return this.tokenFileRead.token;
    let token: string;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new CredentialError(
        `unable to read the token file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        `Fix tokenFile of ${userSource(this.config)}.`,
      );
    }
    this.tokenFileRead = { token, at: this.now() };
    return token;
  }

  private async execCredential(exec: ExecConfig): Promise<ExecResult> {
    const c = this.execCached;
    if (c && (c.expiresAt === undefined || this.now() < c.expiresAt)) return c;
    // Concurrent requests (pods and events start together) share one run of the plugin.
    this.execRunning ??= runExecPlugin(exec, this.config, this.o)
      .then((r) => (this.execCached = r))
      .catch((e: unknown) => {
        if (e instanceof CredentialError) throw e;
        throw new CredentialError(`getting credentials: exec: ${String(e)}`, execHint(this.config));
      })
      .finally(() => (this.execRunning = undefined));
    return this.execRunning;
  }
}

function execHint(config: ResolvedConfig): string {
  return `The exec credential plugin of ${userSource(config)} failed (its own messages, if any, are above); fix it or log in again, then retry.`;
}

/** The kubeconfig checks kubectl makes before running a plugin (clientcmd validation, exec.go). */
function checkExecConfig(user: string, exec: ExecConfig): void {
  const bad = (msg: string): never => {
    throw new CredentialError(msg, `Fix the exec section of user "${user}" in the kubeconfig.`);
  };
  if (!exec.command) bad(`command must be specified for ${user} to use exec authentication plugin`);
  if (!exec.apiVersion) bad(`apiVersion must be specified for ${user} to use exec authentication plugin`);
  if (!EXEC_API_VERSIONS.has(exec.apiVersion)) bad(`exec plugin: invalid apiVersion "${exec.apiVersion}"`);
  const mode = exec.interactiveMode;
  if (mode === undefined && exec.apiVersion.endsWith('/v1'))
    bad(`interactiveMode must be specified for ${user} to use exec authentication plugin`);
  if (mode !== undefined && mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always')
    bad(`invalid interactiveMode for ${user}: "${mode}"`);
}

/** Runs an exec credential plugin the way client-go does (plugin/pkg/client/auth/exec/exec.go). */
export async function runExecPlugin(exec: ExecConfig, config: ResolvedConfig, o: CredentialOptions): Promise<ExecResult> {
  const hint = execHint(config);
  const fail = (msg: string): never => {
    throw new CredentialError(`getting credentials: ${msg}`, hint);
  };
  // v1beta1 defaults to IfAvailable.
  const mode = exec.interactiveMode ?? 'IfAvailable';
  if (mode === 'Always' && !o.stdinIsTTY) fail('exec plugin cannot support interactive mode: standard input is not a terminal');
  const interactive = mode !== 'Never' && o.stdinIsTTY;
  const spec: Record<string, unknown> = { interactive };
  if (exec.provideClusterInfo) {
    const c = config.cluster;
    spec['cluster'] = {
      server: c.server,
      ...(c.tlsServerName ? { 'tls-server-name': c.tlsServerName } : {}),
      ...(c.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(c.certificateAuthorityData
        ? { 'certificate-authority-data': c.certificateAuthorityData }
        : c.certificateAuthority
          ? { 'certificate-authority-data': safeRead(c.certificateAuthority)?.toString('base64') }
          : {}),
      ...(c.proxyUrl ? { 'proxy-url': c.proxyUrl } : {}),
      ...(c.disableCompression ? { 'disable-compression': true } : {}),
      ...(c.execExtension !== undefined ? { config: c.execExtension } : {}),
    };
  }
  const info = JSON.stringify({ kind: 'ExecCredential', apiVersion: exec.apiVersion, spec });
  const env: NodeJS.ProcessEnv = { ...(o.env ?? process.env) };
  for (const e of exec.env) env[e.name] = e.value;
  env['KUBERNETES_EXEC_INFO'] = info;

  const stdout = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    // child_process loads here, when a plugin runs: a few ms of every start otherwise.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(exec.command, [...exec.args], {
      env,
      stdio: [interactive ? 'inherit' : 'ignore', 'pipe', o.pluginStderr ?? 'inherit'],
    });
    child.stdout!.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_PLUGIN_OUTPUT) {
        tooBig = true;
        child.kill('SIGKILL');
        return;
      }
      chunks.push(d);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      // Go: a bare name missing from PATH is "executable X not found"; a path fails in fork/exec.
      if (e.code === 'ENOENT' && !exec.command.includes('/'))
        reject(
          new CredentialError(
            `getting credentials: exec: executable ${exec.command} not found`,
            exec.installHint?.split('\n').find((l) => l.trim() !== '') ??
              'It looks like you are trying to use a client-go credential plugin that is not installed.',
          ),
        );
      else
        reject(
          new CredentialError(
            `getting credentials: exec: fork/exec ${exec.command}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : (e.code ?? e.message)}`,
            hint,
          ),
        );
    });
    child.on('close', (code) => {
      if (tooBig)
        return reject(new CredentialError(`getting credentials: the exec plugin printed more than ${MAX_PLUGIN_OUTPUT} bytes`, hint));
      // Go's ExitCode() is -1 for a process killed by a signal.
      if (code !== 0)
        return reject(
          new CredentialError(`getting credentials: exec: executable ${exec.command} failed with exit code ${code ?? -1}`, hint),
        );
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });

  // Decoded as client-go decodes it; never quoted back (it may hold a token).
  let obj: unknown;
  try {
    obj = JSON.parse(stdout);
  } catch {
    return fail('decoding stdout: the plugin printed something that is not an ExecCredential (not JSON)');
  }
  const cred = (obj && typeof obj === 'object' && !Array.isArray(obj) ? obj : {}) as {
    kind?: unknown;
    apiVersion?: unknown;
    status?: { token?: unknown; clientCertificateData?: unknown; clientKeyData?: unknown; expirationTimestamp?: unknown } | null;
  };
  if (cred.kind !== 'ExecCredential' || typeof cred.apiVersion !== 'string')
    return fail('decoding stdout: the plugin printed something that is not an ExecCredential (no kind/apiVersion ExecCredential)');
  if (cred.apiVersion !== exec.apiVersion)
    fail(`exec plugin is configured to use API version ${exec.apiVersion}, plugin returned version ${cred.apiVersion}`);
  const status = cred.status;
  if (!status || typeof status !== 'object') return fail("exec plugin didn't return a status field");
  const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const token = s(status.token);
  const cert = s(status.clientCertificateData);
  const key = s(status.clientKeyData);
  if (!token && !cert && !key) fail("exec plugin didn't return a token or cert/key pair");
  if (!cert !== !key) fail('exec plugin returned only certificate or key, not both');
  if (cert && key) {
    try {
      createSecureContext({ cert, key });
    } catch (e) {
      fail(`failed parsing client key/certificate: ${tlsReason(e)}`);
    }
  }
  const exp = s(status.expirationTimestamp);
  const expiresAt = exp !== undefined ? Date.parse(exp) : undefined;
  return { token, cert, key, expiresAt: expiresAt !== undefined && !Number.isNaN(expiresAt) ? expiresAt : undefined };
}

function safeRead(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** auth-provider: kubectl keeps only oidc; gcp and azure were removed (kubectl 1.26) in favour of exec plugins. */
async function authProviderHeader(config: ResolvedConfig): Promise<string | undefined> {
  const p = config.auth.authProvider!;
  if (p.name === 'gcp' || p.name === 'azure') {
    throw new CredentialError(
      `getting credentials: the ${p.name} auth plugin has been removed`,
      p.name === 'gcp'
        ? 'Use the "gke-gcloud-auth-plugin" kubectl/client-go credential plugin instead (gcloud components install gke-gcloud-auth-plugin).'
        : 'Use the "kubelogin" kubectl/client-go credential plugin instead (kubelogin convert-kubeconfig).',
    );
  }
  if (p.name !== 'oidc')
    throw new CredentialError(`no Auth Provider found for name "${p.name}"`, `Fix auth-provider of ${userSource(config)}.`);
  try {
    const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: config.server, skipTLSVerify: false }],
      users: [{ name: config.user || 'u', authProvider: p }],
      contexts: [{ name: 'x', cluster: 'c', user: config.user || 'u' }],
      currentContext: 'x',
    });
    const opts: { headers?: Record<string, string> } = {};
    await (kc as unknown as { applyAuthorizationHeader(o: unknown): Promise<void> }).applyAuthorizationHeader(opts);
    return opts.headers?.['Authorization'];
  } catch (e) {
    throw new CredentialError(
      `getting credentials: oidc auth provider: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      `Log in again (refresh the id-token of ${userSource(config)}).`,
    );
  }
}
