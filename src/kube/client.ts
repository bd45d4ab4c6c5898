// A small HTTP client for the API server: client-node supplies the authentication (client
// certificates, bearer tokens, exec credential plugins, refreshed per request), undici does the I/O
// on one keep-alive connection pool. Every failure becomes an ApiError with a kind the callers can
// act on (reconnect, relist, stop with one clear line).

import type { RequestOptions } from 'node:https';
import { Agent, ProxyAgent, fetch, type Dispatcher } from 'undici';
import { UserError } from './errors.ts';
import type { ResolvedConfig } from './kubeconfig.ts';

export type ApiErrorKind =
  | 'unreachable' // connection refused, DNS, TLS, reset: the server could not be talked to
  | 'timeout'
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'gone' // 410: resourceVersion too old, relist
  | 'server' // 5xx, 429
  | 'bad-response';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | undefined,
    readonly url: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOpts {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly signal?: AbortSignal;
  /** Whole-request timeout for non-streaming requests (--request-timeout); undefined = none. */
  readonly timeoutMs?: number | undefined;
  readonly accept?: string;
}

interface StatusBody {
  readonly kind?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
}

export class KubeClient {
  private agent: Dispatcher | undefined;
  private agentKey = '';

  constructor(
    readonly config: ResolvedConfig,
    private readonly defaultTimeoutMs: number | undefined,
  ) {}

  url(path: string, query?: RequestOpts['query']): string {
    const u = new URL(this.config.server.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  private async prepare(): Promise<{ headers: Record<string, string>; dispatcher: Dispatcher }> {
    const opts: RequestOptions = {};
    await this.config.kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = String(v);
    if (opts.auth && !headers['Authorization']) headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const tls = {
      ca: opts.ca as string | Buffer | undefined,
      cert: opts.cert as string | Buffer | undefined,
      key: opts.key as string | Buffer | undefined,
      rejectUnauthorized: opts.rejectUnauthorized,
      servername: opts.servername,
    };
    const key = JSON.stringify([
      String(tls.ca ?? ''),
      String(tls.cert ?? ''),
      String(tls.key ?? ''),
      tls.rejectUnauthorized,
      tls.servername,
    ]);
    if (!this.agent || key !== this.agentKey) {
      void this.agent?.close();
      const connect: Record<string, unknown> = { timeout: 15_000 };
      for (const [k, v] of Object.entries(tls)) if (v !== undefined) connect[k] = v;
      const pool = { keepAliveTimeout: 30_000, bodyTimeout: 0, headersTimeout: 0 };
      const proxy = this.config.proxy;
      // Through a proxy, the TLS options apply to the API server at the end of the tunnel.
      this.agent = proxy
        ? new ProxyAgent({ uri: proxy.uri, requestTls: connect, connectTimeout: 15_000, ...pool })
        : new Agent({ connect, ...pool });
      this.agentKey = key;
    }
    return { headers, dispatcher: this.agent };
  }

  /** Issues a GET and returns the response once its status is 2xx; anything else throws ApiError. */
  async request(path: string, opts: RequestOpts = {}): Promise<Response> {
    const url = this.url(path, opts.query);
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const signals: AbortSignal[] = [];
    if (opts.signal) signals.push(opts.signal);
    if (timeoutMs !== undefined && timeoutMs > 0) signals.push(AbortSignal.timeout(timeoutMs));
    let res: Response;
    try {
      const { headers, dispatcher } = await this.prepare();
      headers['Accept'] = opts.accept ?? 'application/json';
      headers['User-Agent'] = 'kubectl-podlife/0.1';
      res = (await fetch(url, {
        method: 'GET',
        headers,
        dispatcher,
        ...(signals.length ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
      })) as unknown as Response;
    } catch (e) {
      const err = toNetworkError(e, url, opts.signal);
      const proxy = this.config.proxy;
      if (err.kind !== 'unreachable' || !proxy) throw err;
      throw new ApiError(err.kind, `${err.message}, through the proxy ${proxy.uri} (from ${proxy.from})`, err.status, err.url);
    }
    if (res.ok) return res;
    let body: StatusBody = {};
    const text = await res.text().catch(() => '');
    try {
      body = JSON.parse(text) as StatusBody;
    } catch {
      body = { message: text.slice(0, 200) };
    }
    throw new ApiError(kindForStatus(res.status), body.message || `${res.status} ${res.statusText}`, res.status, url);
  }

  async getJson<T>(path: string, opts: RequestOpts = {}): Promise<T> {
    const res = await this.request(path, opts);
    try {
      return (await res.json()) as T;
    } catch (e) {
      throw toNetworkError(e, this.url(path, opts.query), opts.signal, 'bad-response');
    }
  }

  async getText(path: string, opts: RequestOpts = {}): Promise<string> {
    const res = await this.request(path, { ...opts, accept: opts.accept ?? '*/*' });
    try {
      return await res.text();
    } catch (e) {
      throw toNetworkError(e, this.url(path, opts.query), opts.signal);
    }
  }

  close(): void {
    void this.agent?.close();
    this.agent = undefined;
  }
}

function kindForStatus(status: number): ApiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 410) return 'gone';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429 || status >= 500) return 'server';
  return 'bad-response';
}

export function toNetworkError(e: unknown, url: string, signal?: AbortSignal, fallback: ApiErrorKind = 'unreachable'): ApiError {
  if (e instanceof ApiError) return e;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (signal?.aborted) return new ApiError('timeout', 'aborted', undefined, url);
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return new ApiError('timeout', 'request timed out', undefined, url);
  const cause = err?.cause;
  const detail = cause?.code
    ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ''}`
    : (cause?.message ?? err?.message ?? String(e));
  return new ApiError(fallback, detail, undefined, url);
}

/**
 * A failed request the session cannot go on without, as one line for the user. `verbs` and
 * `resource` name what was asked (e.g. "list/watch" "pods"), for the RBAC hint.
 */
export function toUserError(e: unknown, what: { verbs: string; resource: string; namespace: string }): Error {
  if (e instanceof UserError) return e;
  if (!(e instanceof ApiError)) return e instanceof Error ? e : new Error(String(e));
  const { verbs, resource, namespace } = what;
  switch (e.kind) {
    case 'forbidden':
      return new UserError(
        `forbidden: ${e.message}`,
        `Ask for ${verbs} on ${resource} in namespace "${namespace}" (check: kubectl auth can-i ${verbs.split('/')[0]} ${resource} -n ${namespace}).`,
      );
    case 'unauthorized':
      return new UserError(
        `unauthorized: the API server rejected the credentials (${e.message})`,
        'Log in again or refresh the credentials of this context.',
      );
    case 'unreachable':
      return new UserError(
        `cannot reach the API server at ${new URL(e.url).origin}: ${e.message}`,
        'Is the cluster running, and is --context right?',
      );
    case 'timeout':
      return new UserError(
        `the API server at ${new URL(e.url).origin} did not answer in time`,
        'Raise --request-timeout or check the connection.',
      );
    default:
      return new UserError(`${verbs.split('/')[0]} ${resource} failed: ${e.status ?? ''} ${e.message}`.replace(/\s+/g, ' '), undefined);
  }
}
