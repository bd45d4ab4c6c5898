// A small HTTP client for the API server. Credentials come from credentials.ts (assembled as
// kubectl assembles them); transport.ts does the I/O on keep-alive connections (node:https, or
// undici through a proxy), not fetch(): fetch refuses the ports browsers block (6666, 1, ...), which
// kubectl talks to like any other. Every failure becomes an ApiError with a kind the callers can act on
// (reconnect, relist, stop with one clear line). With -v=6 and up, requests and responses are traced
// to stderr the way kubectl traces them, credentials masked.

import type { Readable } from 'node:stream';
import { CredentialError, CredentialSource, type Credentials } from './credentials.ts';
import { perfMark } from '../perf.ts';
import { UserError } from './errors.ts';
import type { ResolvedConfig } from './kubeconfig.ts';
import { maskHeaders, type Tracer } from './trace.ts';
import { openTransport, type RawResponse, type Transport } from './transport.ts';

export type ApiErrorKind =
  | 'unreachable' // connection refused, DNS, TLS, reset: the server could not be talked to
  | 'timeout'
  | 'credentials' // the client's own credentials could not be had (exec plugin, files)
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'bad-request' // 400: e.g. a selector the server cannot read
  | 'gone' // 410: resourceVersion too old, relist
  | 'server' // 5xx, 429
  | 'aborted' // the caller gave up (Ctrl-C)
  | 'bad-response';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | undefined,
    readonly url: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOpts {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly signal?: AbortSignal | undefined;
  /** Whole-request timeout for non-streaming requests (--request-timeout); undefined = none. */
  readonly timeoutMs?: number | undefined;
  readonly accept?: string;
  /** A watch: the body streams for minutes, so it is neither timed out nor traced. */
  readonly stream?: boolean;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body, decompressed. */
  readonly body: Readable;
  /** The body as text (at most 64 MiB) / parsed as JSON; they read `this.body`. */
  text(this: ApiResponse): Promise<string>;
  json<T = unknown>(this: ApiResponse): Promise<T>;
}

const BODY_METHODS = {
  text(this: ApiResponse): Promise<string> {
    return readCapped(this.body, 64 << 20);
  },
  async json<T = unknown>(this: ApiResponse): Promise<T> {
    return JSON.parse(await readCapped(this.body, 64 << 20)) as T;
  },
};

export interface ClientOptions {
  readonly trace?: Tracer | undefined;
  readonly stdinIsTTY?: boolean;
  readonly pluginStderr?: 'inherit' | 'ignore';
  readonly env?: NodeJS.ProcessEnv;
  /** Each warning the server sends (Warning: 299 - "..." headers, e.g. a deprecated field). */
  readonly onWarning?: (text: string) => void;
}

/** The texts of RFC 7234 Warning headers as the API server writes them: `299 - "text"`. */
export function warningTexts(header: string | string[] | undefined): string[] {
  const out: string[] = [];
  for (const h of header === undefined ? [] : typeof header === 'string' ? [header] : header)
    for (const m of h.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)) out.push(m[1]!.replace(/\\(.)/g, '$1'));
  return out;
}

interface StatusBody {
  readonly kind?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
}

const MAX_ERROR_BODY = 64 << 10;

export class KubeClient {
  private transport: Promise<Transport> | undefined;
  private transportGeneration = -1;
  readonly credentials: CredentialSource;
  private readonly trace: Tracer | undefined;
  private readonly onWarning: ((text: string) => void) | undefined;
  private readonly userAgent: string;
  /** Requests issued and not yet on their way (credentials, connection), and who waits for none to be left. */
  private unsent = 0;
  private issued = 0;
  private sentWaiters: (() => void)[] = [];

  constructor(
    readonly config: ResolvedConfig,
    private readonly defaultTimeoutMs: number | undefined,
    o: ClientOptions = {},
  ) {
    this.credentials = new CredentialSource(config, {
      stdinIsTTY: o.stdinIsTTY ?? false,
      ...(o.pluginStderr ? { pluginStderr: o.pluginStderr } : {}),
      ...(o.env ? { env: o.env } : {}),
    });
    this.trace = o.trace;
    this.onWarning = o.onWarning;
    this.userAgent = `kubectl-podlife/0.1 (${process.platform}/${process.arch})`;
  }

  url(path: string, query?: RequestOpts['query']): string {
    const u = new URL(this.config.server.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** The connections for these credentials: opened anew when they change (a new client certificate, say). */
  private transportFor(creds: Credentials): Promise<Transport> {
    if (!this.transport || creds.generation !== this.transportGeneration) {
      const old = this.transport;
      void old?.then(
        (t) => t.close(),
        () => undefined,
      );
      this.transport = openTransport(creds.tls, this.config.proxy);
      this.transportGeneration = creds.generation;
    }
    return this.transport;
  }

  /**
   * Resolves once a request has been issued and every request issued so far is on its way (its
   * connection up and the request written) or has failed: the caller can then spend the main
   * thread on something else (loading the view) while the server works, without holding up the
   * connections' handshakes.
   */
  sent(): Promise<void> {
    if (this.issued > 0 && this.unsent === 0) return Promise.resolve();
    return new Promise((resolve) => this.sentWaiters.push(resolve));
  }

  private sentOne(): void {
    this.unsent -= 1;
    if (this.unsent === 0) for (const resolve of this.sentWaiters.splice(0)) resolve();
  }

  /** Issues a GET and returns the response once its status is 2xx; anything else throws ApiError. */
  async request(path: string, opts: RequestOpts = {}): Promise<ApiResponse> {
    this.issued += 1;
    this.unsent += 1;
    let sent = false;
    const onSent = (): void => {
      if (sent) return;
      sent = true;
      this.sentOne();
    };
    try {
      return await this.requestOnce(path, opts, onSent);
    } finally {
      onSent();
    }
  }

  private async requestOnce(path: string, opts: RequestOpts, onSent: () => void): Promise<ApiResponse> {
    const url = this.url(path, opts.query);
    for (let attempt = 0; ; attempt++) {
      let creds: Credentials;
      try {
        creds = await this.credentials.get();
        perfMark(`http: credentials ready for ${path}`);
      } catch (e) {
        if (e instanceof CredentialError) throw new ApiError('credentials', e.message, undefined, url, e.hint);
        throw e;
      }
      const res = await this.send(url, creds, opts, onSent);
      // An expired or rotated token: retry once with fresh credentials when the source can give
      // them (an exec plugin, a token file), as client-go does after a 401.
      if (res.status === 401 && attempt === 0 && this.credentials.invalidate(creds)) {
        res.body.resume();
        this.trace?.line(6, 'the server answered 401 Unauthorized: retrying with fresh credentials');
        continue;
      }
      if (res.status >= 200 && res.status < 300) return res;
      const text = await readCapped(res.body, MAX_ERROR_BODY).catch(() => '');
      let body: StatusBody;
      try {
        body = JSON.parse(text) as StatusBody;
      } catch {
        body = { message: text.slice(0, 200) };
      }
      throw new ApiError(kindForStatus(res.status), body.message || `${res.status} ${statusText(res.status)}`, res.status, url);
    }
  }

  private async send(url: string, creds: Credentials, opts: RequestOpts, onSent?: () => void): Promise<ApiResponse> {
    const timeoutMs = opts.stream ? undefined : (opts.timeoutMs ?? this.defaultTimeoutMs);
    const signals: AbortSignal[] = [];
    if (opts.signal) signals.push(opts.signal);
    if (timeoutMs !== undefined && timeoutMs > 0) signals.push(AbortSignal.timeout(timeoutMs));
    const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
    const headers: Record<string, string | string[]> = {
      Accept: opts.accept ?? 'application/json',
      'User-Agent': this.userAgent,
    };
    if (!this.config.cluster.disableCompression) headers['Accept-Encoding'] = 'gzip';
    for (const [k, v] of Object.entries(creds.headers)) headers[k] = typeof v === 'string' ? v : [...v];
    const u = new URL(url);
    const started = performance.now();
    const trace = this.trace;
    if (trace && trace.level >= 7) {
      trace.line(7, `GET ${url}`);
      trace.line(7, 'Request Headers:');
      for (const [k, v] of Object.entries(maskHeaders(headers))) for (const x of v) trace.line(7, `    ${k}: ${x}`);
    }
    let res: RawResponse;
    try {
      res = await (await this.transportFor(creds)).get(u, headers, signal, opts.stream === true, onSent);
    } catch (e) {
      const err = toNetworkError(e, url, opts.signal);
      if (err.kind !== 'aborted') trace?.line(6, `GET ${url}  in ${Math.round(performance.now() - started)} milliseconds: ${err.message}`);
      const proxy = this.config.proxy;
      if (err.kind !== 'unreachable' || !proxy) throw err;
      throw new ApiError(err.kind, `${err.message}, through the proxy ${proxy.uri} (from ${proxy.from})`, err.status, err.url);
    }
    const ms = Math.round(performance.now() - started);
    perfMark(`http: ${res.statusCode} ${u.pathname}${opts.stream ? ' (watch)' : ''}`);
    const status = `${res.statusCode} ${statusText(res.statusCode)}`;
    if (trace) {
      if (trace.level >= 7) trace.line(7, `Response Status: ${status} in ${ms} milliseconds`);
      else trace.line(6, `GET ${url} ${status} in ${ms} milliseconds`);
      if (trace.level >= 8) {
        trace.line(8, 'Response Headers:');
        for (const [k, v] of Object.entries(maskHeaders(res.headers))) for (const x of v) trace.line(8, `    ${k}: ${x}`);
      }
    }
    if (this.onWarning) for (const w of warningTexts(res.headers['warning'])) this.onWarning(w);
    let body: Readable = res.body;
    const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
    if (encoding === 'gzip') {
      // Sync flushes keep a compressed watch stream readable event by event.
      // node:zlib loads here, when first needed: the API server compresses only large responses
      // (128 KiB and up), and loading it costs a few ms of every start.
      const { createGunzip, constants: zlib } = process.getBuiltinModule('node:zlib');
      const gunzip = createGunzip({ flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH });
      res.body.on('error', (e) => gunzip.destroy(e));
      body = res.body.pipe(gunzip);
    }
    if (trace && trace.level >= 8 && !opts.stream) {
      const text = await readCapped(body, 64 << 20).catch((e: unknown) => {
        throw toNetworkError(e, url, opts.signal);
      });
      const max = trace.level >= 10 ? Infinity : trace.level >= 9 ? 10240 : 1024;
      trace.line(8, `Response Body: ${text.length <= max ? text : `${text.slice(0, max)} [truncated ${text.length - max} chars]`}`);
      const { Readable: R } = await import('node:stream');
      body = R.from([Buffer.from(text)]);
    }
    return { status: res.statusCode, headers: res.headers, body, ...BODY_METHODS };
  }

  async getJson<T>(path: string, opts: RequestOpts = {}): Promise<T> {
    const res = await this.request(path, opts);
    let text: string;
    try {
      text = await readCapped(res.body, Infinity);
    } catch (e) {
      throw toNetworkError(e, this.url(path, opts.query), opts.signal);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError('bad-response', 'the server sent a body that is not JSON', res.status, this.url(path, opts.query));
    }
  }

  async getText(path: string, opts: RequestOpts = {}): Promise<string> {
    const res = await this.request(path, { ...opts, accept: opts.accept ?? '*/*' });
    try {
      return await readCapped(res.body, 16 << 20);
    } catch (e) {
      throw toNetworkError(e, this.url(path, opts.query), opts.signal);
    }
  }

  close(): void {
    void this.transport?.then(
      (t) => t.close(),
      () => undefined,
    );
    this.transport = undefined;
  }
}

/** Reads a body to its end, refusing more than `max` bytes. */
export async function readCapped(body: Readable, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += b.length;
    if (size > max) {
      body.destroy();
      throw new ApiError('bad-response', `response larger than ${max} bytes`, undefined, '');
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  410: 'Gone',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
const statusText = (code: number): string => STATUS_TEXT[code] ?? '';

function kindForStatus(status: number): ApiErrorKind {
  if (status === 400) return 'bad-request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 410) return 'gone';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429 || status >= 500) return 'server';
  return 'bad-response';
}

// Go's words for the network errors kubectl users know ("dial tcp ...: connect: connection refused").
const NET_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'broken pipe',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'temporary failure in name resolution',
  ETIMEDOUT: 'i/o timeout',
  UND_ERR_CONNECT_TIMEOUT: 'i/o timeout (no answer to the connection attempt)',
  ECONNECTTIMEOUT: 'i/o timeout (no answer to the connection attempt)',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  EADDRNOTAVAIL: 'cannot assign requested address',
  UND_ERR_SOCKET: 'the connection was closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'x509: certificate signed by unknown authority (self-signed)',
  SELF_SIGNED_CERT_IN_CHAIN: 'x509: certificate signed by unknown authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'x509: certificate signed by unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'x509: certificate signed by unknown authority',
  CERT_HAS_EXPIRED: 'x509: certificate has expired or is not yet valid',
  CERT_NOT_YET_VALID: 'x509: certificate has expired or is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'x509: certificate is not valid for this host name',
  EPROTO: 'TLS handshake failed',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is it a plain-http server? then use http://)',
};

export function toNetworkError(e: unknown, url: string, signal?: AbortSignal, fallback: ApiErrorKind = 'unreachable'): ApiError {
  if (e instanceof ApiError) return e.url ? e : new ApiError(e.kind, e.message, e.status, url, e.hint);
  if (signal?.aborted) return new ApiError('aborted', 'aborted', undefined, url);
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.code === 'UND_ERR_ABORTED')
    return new ApiError('timeout', 'request timed out', undefined, url);
  const code = err?.code ?? err?.cause?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return new ApiError('timeout', 'request timed out', undefined, url);
  const words = code ? NET_WORDS[code] : undefined;
  const tls = /ssl|tls|certificate|x509/i.test(err?.message ?? '') ? (err?.message ?? '') : undefined;
  const detail =
    words ??
    (code ? `${code}${err?.message && !err.message.includes(code) ? ` (${err.message})` : ''}` : (tls ?? err?.message ?? String(e)));
  return new ApiError(fallback, detail, undefined, url);
}

const origin = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

/**
 * A failed request the session cannot go on without, as one line for the user. `verbs` and
 * `resource` name what was asked (e.g. "list/watch" "pods"), for the RBAC hint.
 */
export function toUserError(e: unknown, what: { verbs: string; resource: string; namespace: string | undefined }): Error {
  if (e instanceof UserError) return e;
  if (!(e instanceof ApiError)) return e instanceof Error ? e : new Error(String(e));
  const { verbs, resource, namespace } = what;
  const scope = namespace === undefined ? 'at the cluster scope (all namespaces)' : `in namespace "${namespace}"`;
  const canI = `kubectl auth can-i ${verbs.split('/')[0]} ${resource} ${namespace === undefined ? '-A' : `-n ${namespace}`}`;
  switch (e.kind) {
    case 'credentials':
      return new UserError(e.message, e.hint);
    case 'forbidden':
      return new UserError(
        `forbidden: ${e.message}`,
        /"system:anonymous"/.test(e.message)
          ? 'The request carried no credentials: give --token, --client-certificate and --client-key, or a kubeconfig user.'
          : `Ask for ${verbs} on ${resource} ${scope} (check: ${canI}).`,
      );
    case 'unauthorized':
      return new UserError(
        `unauthorized: the API server rejected the credentials (${e.message})`,
        'Log in again or refresh the credentials of this context (--token, --user, or the kubeconfig user).',
      );
    case 'unreachable':
      return new UserError(
        `cannot reach the API server at ${origin(e.url)}: ${e.message}`,
        'Is the cluster running, and are --context / --server right?',
      );
    case 'timeout':
      return new UserError(`the API server at ${origin(e.url)} did not answer in time`, 'Raise --request-timeout or check the connection.');
    case 'bad-request':
      return new UserError(
        `the API server refused the request: ${e.message}`,
        'Check -l / --field-selector (see kubectl get pods --help).',
        2,
      );
    default:
      return new UserError(`${verbs.split('/')[0]} ${resource} failed: ${e.status ?? ''} ${e.message}`.replace(/\s+/g, ' '), undefined);
  }
}
