// How a GET reaches the API server: the I/O under client.ts, which owns everything else (headers,
// credentials, tracing, decompression, status and error handling), the same for both paths here.
//
// - Direct (no proxy, the common case): node:http / node:https with a keep-alive agent. They are
//   part of the runtime, so nothing is loaded for them; undici (the other path) costs 25-30 ms of
//   CPU on the way to the first screen, mostly module evaluation (measured with PODLIFE_PERF=1).
// - Through a proxy (proxy-url, HTTPS_PROXY and the like, chosen in proxy.ts): undici, loaded when
//   such a client is first used; its ProxyAgent speaks CONNECT, socks5.ts is its SOCKS5 connector.
//
// Both take their TLS settings from connectOptions(), so a CA, a client certificate,
// insecure-skip-tls-verify or tls-server-name mean the same on either path.

import type { ClientRequest, IncomingMessage } from 'node:http';
import { isIP, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { checkServerIdentity, createSecureContext, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { TlsMaterial } from './credentials.ts';
import type { ProxyChoice } from './proxy.ts';
import { perfMark, perfOn } from '../perf.ts';

/** How long a connection (TCP, then TLS; through the proxy too) may take before the request fails. */
export const CONNECT_TIMEOUT_MS = 30_000;
/** How long an idle connection is kept for the next request. */
const KEEP_ALIVE_MS = 30_000;

export interface RawResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as it came (compressed or not). */
  readonly body: Readable;
}

export interface Transport {
  /**
   * Sends a GET. When `signal` aborts, the request (or the body being read) fails with the
   * signal's reason, as undici fails: a timeout stays a TimeoutError, a caller's abort an AbortError.
   */
  get(
    url: URL,
    headers: Readonly<Record<string, string | string[]>>,
    signal: AbortSignal | undefined,
    stream: boolean,
    /** Called once the request is on its way: its connection is up (TCP, TLS) and the request written to it. */
    onSent?: () => void,
  ): Promise<RawResponse>;
  close(): void;
}

/**
 * The TLS options of every connection to the API server, on both paths. tls-server-name may be an
 * IP (Go then checks the IP SANs and sends no SNI); Node refuses an IP as servername, so the name is
 * checked here instead.
 */
export function connectOptions(tls: TlsMaterial): ConnectionOptions {
  // One secure context (the CA, the client certificate and key) for every connection made with
  // these credentials, instead of one built per connection from the same PEM.
  const { ca, cert, key, ...rest } = tls;
  const o: ConnectionOptions = {
    ...rest,
    secureContext: createSecureContext({
      ...(ca ? { ca } : {}),
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
    }),
  };
  const name = tls.servername;
  if (name !== undefined && isIP(name) !== 0) {
    delete o.servername;
    o.checkServerIdentity = (_host: string, cert: PeerCertificate) => checkServerIdentity(name, cert);
  }
  return o;
}

/** The transport for these credentials' TLS settings and this proxy choice. */
export async function openTransport(tls: TlsMaterial, proxy: ProxyChoice | undefined): Promise<Transport> {
  const connect = connectOptions(tls);
  return proxy ? await undiciTransport(connect, proxy) : nodeTransport(connect);
}

// ---- direct: node:http(s) ---------------------------------------------------------------------

function nodeTransport(connect: ConnectionOptions): Transport {
  const builtin = process.getBuiltinModule;
  const http = builtin('node:http');
  const https = builtin('node:https');
  // Watches hold their connection for minutes: they get connections of their own, so that a short
  // request (the log tail right after the first lists) reuses an idle one instead of waiting for a
  // new TCP and TLS handshake.
  const agents = new Map<string, import('node:http').Agent>();
  const agentFor = (secure: boolean, stream: boolean): import('node:http').Agent => {
    const key = `${secure}/${stream}`;
    let a = agents.get(key);
    if (!a) {
      // `timeout`: an idle kept-alive connection is closed after it (as undici's keepAliveTimeout),
      // before the server may close it under a new request; a busy one (a quiet watch) is not.
      const keep = { keepAlive: true, keepAliveMsecs: KEEP_ALIVE_MS, timeout: KEEP_ALIVE_MS };
      a = secure ? new https.Agent({ ...connect, ...keep }) : new http.Agent(keep);
      agents.set(key, a);
    }
    return a;
  };
  // Sockets already connected once (kept alive, then reused): no connect timeout for them.
  const connected = new WeakSet<Socket>();

  return {
    get(url, headers, signal, stream, onSent) {
      return new Promise<RawResponse>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const secure = url.protocol === 'https:';
        const req: ClientRequest = (secure ? https : http).request({
          agent: agentFor(secure, stream),
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || (secure ? 443 : 80),
          path: url.pathname + url.search,
          method: 'GET',
          headers: headers as Record<string, string | string[]>,
        });
        let res: IncomingMessage | undefined;
        const onAbort = (): void => {
          const why = signal!.reason as Error;
          if (res) res.destroy(why);
          req.destroy(why);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const forget = (): void => signal?.removeEventListener('abort', onAbort);
        req.on('socket', (socket: Socket) => {
          // A kept-alive connection: the request is written to it now.
          if (connected.has(socket)) return void onSent?.();
          if (perfOn) perfMark('http: connecting');
          const timer = setTimeout(
            () => req.destroy(Object.assign(new Error('connect timeout'), { code: 'ECONNECTTIMEOUT' })),
            CONNECT_TIMEOUT_MS,
          );
          timer.unref();
          const ready = (): void => {
            clearTimeout(timer);
            connected.add(socket);
            if (perfOn) perfMark('http: connected (TCP + TLS)');
            // The request waiting for this connection is written right after this event.
            onSent?.();
          };
          socket.once(secure ? 'secureConnect' : 'connect', ready);
          socket.once('close', () => clearTimeout(timer));
        });
        req.once('error', (e) => {
          forget();
          reject(signal?.aborted ? signal.reason : e);
        });
        req.once('response', (r: IncomingMessage) => {
          res = r;
          r.once('close', forget);
          resolve({ statusCode: r.statusCode ?? 0, headers: r.headers, body: r });
        });
        req.end();
      });
    },
    close() {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    },
  };
}

// ---- through a proxy: undici ------------------------------------------------------------------

let undiciMarks = false;

async function undiciTransport(connect: ConnectionOptions, proxy: ProxyChoice): Promise<Transport> {
  const mod: object = await import('undici');
  // A CommonJS package: in the bundle, its dynamically imported chunk has only a default export.
  const { Agent, ProxyAgent } = ('default' in mod ? mod.default : mod) as typeof import('undici');
  perfMark('http: undici loaded (proxy)');
  if (perfOn && !undiciMarks) {
    undiciMarks = true;
    const dc = process.getBuiltinModule('node:diagnostics_channel');
    dc.subscribe('undici:client:beforeConnect', () => perfMark('http: connecting'));
    dc.subscribe('undici:client:connected', () => perfMark('http: connected (TCP + TLS)'));
  }
  const pool = { keepAliveTimeout: KEEP_ALIVE_MS, bodyTimeout: 0, headersTimeout: 0 };
  // Through a proxy, the TLS options apply to the API server at the end of the tunnel.
  const agent = proxy.uri.startsWith('socks5:')
    ? new Agent({ connect: (await import('./socks5.ts')).socks5Connector(proxy.uri, connect, CONNECT_TIMEOUT_MS), ...pool })
    : new ProxyAgent({
        uri: proxy.uri,
        requestTls: { ...(connect as Record<string, unknown>), timeout: CONNECT_TIMEOUT_MS },
        connectTimeout: CONNECT_TIMEOUT_MS,
        ...pool,
      });
  return {
    async get(url, headers, signal, _stream, onSent) {
      // undici says nothing of its connections here: the request counts as on its way at once.
      onSent?.();
      const res = await agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        headers: headers as Record<string, string | string[]>,
        ...(signal ? { signal } : {}),
      });
      return { statusCode: res.statusCode, headers: res.headers, body: res.body };
    },
    close() {
      void agent.close();
    },
  };
}
