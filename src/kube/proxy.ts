// Which proxy a request to the API server goes through, decided as kubectl decides it:
// - the cluster's `proxy-url` in the kubeconfig (http, https or socks5), else
// - the environment, as Go's http.ProxyFromEnvironment reads it (golang.org/x/net/http/httpproxy):
//   HTTPS_PROXY for https servers, HTTP_PROXY for http ones (upper case first, then lower case; a
//   value without a scheme means http://; HTTP_PROXY is refused under CGI, i.e. REQUEST_METHOD set),
//   never for localhost or loopback addresses, and not for hosts NO_PROXY names: `*`, IPs and CIDRs,
//   `host:port`, `foo.com` (itself and its subdomains), `.foo.com` / `*.foo.com` (subdomains only).

import { isIP } from 'node:net';
import { UserError } from './errors.ts';

export interface ProxyChoice {
  readonly uri: string;
  /** Where it came from, for messages: "proxy-url" or the environment variable's name. */
  readonly from: string;
}

const PROXY_URL_SCHEMES = new Set(['http:', 'https:', 'socks5:']);

export function chooseProxy(server: string, proxyUrl: string | undefined, env: NodeJS.ProcessEnv): ProxyChoice | undefined {
  if (proxyUrl) {
    let u: URL;
    try {
      u = new URL(proxyUrl);
    } catch {
      throw new UserError(`the cluster's proxy-url "${proxyUrl}" is not a URL`, 'Fix it in the kubeconfig, e.g. proxy-url: http://proxy.example:3128');
    }
    if (!PROXY_URL_SCHEMES.has(u.protocol)) {
      throw new UserError(`the cluster's proxy-url "${proxyUrl}" has scheme ${u.protocol.replace(':', '')}; kubectl accepts http, https and socks5`, 'Fix proxy-url in the kubeconfig.');
    }
    return { uri: u.href, from: 'proxy-url' };
  }
  const target = new URL(server);
  const pick = (...names: string[]): { name: string; value: string } | undefined => {
    for (const name of names) if (env[name]) return { name, value: env[name]! };
    return undefined;
  };
  let proxy: { name: string; value: string } | undefined;
  if (target.protocol === 'https:') proxy = pick('HTTPS_PROXY', 'https_proxy');
  else if (target.protocol === 'http:' && !env['REQUEST_METHOD']) proxy = pick('HTTP_PROXY', 'http_proxy');
  if (!proxy) return undefined;
  const uri = parseProxyValue(proxy.value);
  if (!uri) return undefined; // Go ignores a value it cannot parse
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if (!useProxy(host, port, pick('NO_PROXY', 'no_proxy')?.value ?? '')) return undefined;
  return { uri, from: proxy.name };
}

function parseProxyValue(value: string): string | undefined {
  const parse = (text: string): string | undefined => {
    try {
      const u = new URL(text);
      return u.host !== '' ? u.href : undefined;
    } catch {
      return undefined;
    }
  };
  // "proxy:3128" or "10.0.0.1:3128" has no scheme (or a bogus one): Go then reads it as http://.
  return parse(value) ?? parse(`http://${value}`);
}

function useProxy(host: string, port: string, noProxy: string): boolean {
  if (host === 'localhost') return false;
  const ipVersion = isIP(host);
  if (ipVersion !== 0 && isLoopback(host, ipVersion)) return false;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return false;
    if (entry.includes('/')) {
      if (ipVersion !== 0 && inCidr(host, entry)) return false;
      continue;
    }
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? /^([^:]+):(\d+)$/.exec(entry);
    const eHost = m ? m[1]! : entry;
    const ePort = m ? (m[2] ?? '') : '';
    if (isIP(eHost) !== 0) {
      if (ipVersion !== 0 && sameIp(eHost, host) && (ePort === '' || ePort === port)) return false;
      continue;
    }
    if (ipVersion !== 0) continue; // domain entries never match an IP
    let suffix = eHost.startsWith('*.') ? eHost.slice(1) : eHost;
    const matchesItself = !suffix.startsWith('.');
    if (matchesItself) suffix = `.${suffix}`;
    if ((host.endsWith(suffix) || (matchesItself && host === suffix.slice(1))) && (ePort === '' || ePort === port)) return false;
  }
  return true;
}

function isLoopback(ip: string, version: number): boolean {
  if (version === 4) return ip.startsWith('127.');
  const bytes = ipv6Bytes(ip);
  if (!bytes) return false;
  // ::1, or an IPv4-mapped 127.x address.
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return true;
  return bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff && bytes[12] === 127;
}

function sameIp(a: string, b: string): boolean {
  const x = ipBytes(a);
  const y = ipBytes(b);
  return x !== undefined && y !== undefined && x.length === y.length && x.every((v, i) => v === y[i]);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const net = ipBytes(base ?? '');
  const addr = ipBytes(ip);
  if (!net || !addr || net.length !== addr.length || !Number.isInteger(bits) || bits < 0 || bits > net.length * 8) return false;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> i % 8;
    if ((net[i >> 3]! & mask) !== (addr[i >> 3]! & mask)) return false;
  }
  return true;
}

function ipBytes(ip: string): number[] | undefined {
  const v = isIP(ip);
  if (v === 4) return ip.split('.').map(Number);
  if (v === 6) return ipv6Bytes(ip);
  return undefined;
}

function ipv6Bytes(ip: string): number[] | undefined {
  let text = ip;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail.push(...v4[1]!.split('.').map(Number));
    text = text.slice(0, -v4[1]!.length) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const all = [...head, ...Array<number>(fill).fill(0), ...rest];
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}
