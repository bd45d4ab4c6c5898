// Which proxy a request to the API server goes through, decided as kubectl decides it:
// - the cluster's `proxy-url` in the kubeconfig (http, https or socks5), else
// - the environment, as Go's http.ProxyFromEnvironment reads it (golang.org/x/net/http/httpproxy):
//   HTTPS_PROXY for https servers, HTTP_PROXY for http ones (upper case first, then lower case; a
//   value without a scheme means http://; HTTP_PROXY is refused under CGI, i.e. REQUEST_METHOD set),
//   never for localhost or loopback addresses, and not for hosts NO_PROXY names: `*`, IPs and CIDRs,
//   `host:port`, `foo.com` (itself and its subdomains), `.foo.com` / `*.foo.com` (subdomains only).

import { BlockList, isIP } from 'node:net';
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
      throw new UserError(
        `the cluster's proxy-url "${proxyUrl}" is not a URL`,
        'Fix it in the kubeconfig, e.g. proxy-url: http://proxy.example:3128',
      );
    }
    if (!PROXY_URL_SCHEMES.has(u.protocol)) {
      throw new UserError(
        `the cluster's proxy-url "${proxyUrl}" has scheme ${u.protocol.replace(':', '')}; kubectl accepts http, https and socks5`,
        'Fix proxy-url in the kubeconfig.',
      );
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

// Loopback addresses, IPv4-mapped ones included (node's BlockList matches those against IPv4 rules,
// as Go's net.IP comparisons do). Made when a proxy is set: net's BlockList loads two modules.
let loopback: BlockList | undefined;
function isLoopback(ip: string): boolean {
  if (!loopback) {
    loopback = new BlockList();
    loopback.addSubnet('127.0.0.0', 8, 'ipv4');
    loopback.addAddress('::1', 'ipv6');
  }
  return loopback.check(ip, family(ip));
}

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** Whether `ip` is in the one rule `add` puts in a list; a malformed rule matches nothing (Go ignores it). */
function ipMatches(ip: string, add: (list: BlockList) => void): boolean {
  const list = new BlockList();
  try {
    add(list);
  } catch {
    return false;
  }
  return list.check(ip, family(ip));
}

function useProxy(host: string, port: string, noProxy: string): boolean {
  if (host === 'localhost') return false;
  const isAddress = isIP(host) !== 0;
  if (isAddress && isLoopback(host)) return false;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return false;
    if (entry.includes('/')) {
      const [base = '', bits] = entry.split('/');
      if (isAddress && isIP(base) !== 0 && ipMatches(host, (l) => l.addSubnet(base, Number(bits), family(base)))) return false;
      continue;
    }
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? /^([^:]+):(\d+)$/.exec(entry);
    const eHost = m ? m[1]! : entry;
    const ePort = m ? (m[2] ?? '') : '';
    const portOk = ePort === '' || ePort === port;
    if (isIP(eHost) !== 0) {
      if (isAddress && portOk && ipMatches(host, (l) => l.addAddress(eHost, family(eHost)))) return false;
      continue;
    }
    if (isAddress) continue; // domain entries never match an IP
    let suffix = eHost.startsWith('*.') ? eHost.slice(1) : eHost;
    const matchesItself = !suffix.startsWith('.');
    if (matchesItself) suffix = `.${suffix}`;
    if (portOk && (host.endsWith(suffix) || (matchesItself && host === suffix.slice(1)))) return false;
  }
  return true;
}
