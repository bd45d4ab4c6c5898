// The proxy choice, case by case, as kubectl makes it: the cluster's proxy-url first, else Go's
// http.ProxyFromEnvironment rules (golang.org/x/net/http/httpproxy, read in the module cache).
// The e2e suite checks the same choice against the real kubectl through a real CONNECT proxy.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { UserError } from '../../src/kube/errors.ts';
import { chooseProxy } from '../../src/kube/proxy.ts';

const env = (vars: Record<string, string>): NodeJS.ProcessEnv => vars;

test('proxy-url wins over the environment; http, https and socks5 only', () => {
  const e = env({ HTTPS_PROXY: 'http://env-proxy:3128' });
  assert.deepEqual(chooseProxy('https://api.example:6443', 'http://kc-proxy:8080', e), { uri: 'http://kc-proxy:8080/', from: 'proxy-url' });
  assert.equal(chooseProxy('https://api.example:6443', 'socks5://127.0.0.1:1080', e)?.uri, 'socks5://127.0.0.1:1080');
  // proxy-url applies even to a loopback server: it is explicit.
  assert.equal(chooseProxy('https://127.0.0.1:6443', 'http://kc-proxy:8080', {})?.from, 'proxy-url');
  assert.throws(
    () => chooseProxy('https://api.example:6443', 'ftp://p:21', {}),
    (err: unknown) => err instanceof UserError && /scheme ftp; kubectl accepts http, https and socks5/.test(err.message),
  );
  assert.throws(
    () => chooseProxy('https://api.example:6443', 'http://[oops', {}),
    (err: unknown) => err instanceof UserError && /is not a URL/.test(err.message),
  );
});

test('environment: HTTPS_PROXY for https servers, HTTP_PROXY for http ones, upper case first', () => {
  const e = env({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2', HTTP_PROXY: 'http://plain:3' });
  assert.deepEqual(chooseProxy('https://api.example:6443', undefined, e), { uri: 'http://upper:1/', from: 'HTTPS_PROXY' });
  assert.deepEqual(chooseProxy('https://api.example:6443', undefined, env({ https_proxy: 'http://lower:2' })), {
    uri: 'http://lower:2/',
    from: 'https_proxy',
  });
  assert.equal(
    chooseProxy('https://api.example:6443', undefined, env({ HTTP_PROXY: 'http://plain:3' })),
    undefined,
    'HTTP_PROXY is not for https',
  );
  assert.equal(chooseProxy('http://api.example:8080', undefined, e)?.uri, 'http://plain:3/');
  // Under CGI (REQUEST_METHOD set) Go refuses HTTP_PROXY: a request header could have set it.
  assert.equal(chooseProxy('http://api.example:8080', undefined, env({ HTTP_PROXY: 'http://plain:3', REQUEST_METHOD: 'GET' })), undefined);
  assert.equal(chooseProxy('https://api.example:6443', undefined, {}), undefined);
});

test('a proxy value without a scheme means http://', () => {
  assert.equal(chooseProxy('https://api.example', undefined, env({ HTTPS_PROXY: 'proxy.corp:3128' }))?.uri, 'http://proxy.corp:3128/');
  assert.equal(chooseProxy('https://api.example', undefined, env({ HTTPS_PROXY: '10.0.0.5:3128' }))?.uri, 'http://10.0.0.5:3128/');
});

test.each([
  'https://localhost:6443',
  'https://127.0.0.1:6443',
  'https://127.0.0.2',
  'https://[::1]:6443',
  'https://[::ffff:127.0.0.1]:6443',
])('never through the environment proxy to a loopback server: %s', (server) => {
  assert.equal(chooseProxy(server, undefined, env({ HTTPS_PROXY: 'http://p:3128' })), undefined);
});

test('addresses that only look like loopback go through the proxy', () => {
  const e = env({ HTTPS_PROXY: 'http://p:3128' });
  assert.equal(chooseProxy('https://[::2]:6443', undefined, e)?.from, 'HTTPS_PROXY', '::2 is not loopback');
  assert.equal(chooseProxy('https://10.88.0.1:6443', undefined, e)?.from, 'HTTPS_PROXY');
});

// [server, NO_PROXY, goes through the proxy?]
const noProxyCases: readonly [string, string, boolean][] = [
  ['https://api.example', '*', false],
  // "foobar.com" matches itself and subdomains, not a longer name that ends the same way.
  ['https://foobar.com', 'foobar.com', false],
  ['https://www.foobar.com', 'foobar.com', false],
  ['https://foofoobar.com', 'foobar.com', true],
  // ".barbaz.net" and "*.barbaz.net" match subdomains only.
  ['https://x.barbaz.net', '.barbaz.net', false],
  ['https://barbaz.net', '.barbaz.net', true],
  ['https://x.barbaz.net', '*.barbaz.net', false],
  // A port in the entry must match the server's (443 when the URL has none).
  ['https://api.example:6443', 'api.example:6443', false],
  ['https://api.example:6443', 'api.example:443', true],
  ['https://api.example', 'api.example:443', false],
  // IPs and CIDRs match IP servers only; domain entries never match an IP.
  ['https://10.1.2.3:6443', '10.0.0.0/8', false],
  ['https://11.1.2.3:6443', '10.0.0.0/8', true],
  ['https://10.1.2.3:6443', '10.1.2.3', false],
  ['https://10.1.2.3:6443', '10.1.2.3:443', true],
  ['https://[fd00::5]:6443', 'fd00::/8', false],
  ['https://[fd00::5]:6443', '[fd00::5]:6443', false],
  ['https://10.1.2.3', 'example.com', true],
];

test.each(noProxyCases)('NO_PROXY: %s with NO_PROXY=%s goes through the proxy: %s', (server, noProxy, through) => {
  const got = chooseProxy(server, undefined, env({ HTTPS_PROXY: 'http://p:3128', NO_PROXY: noProxy })) !== undefined;
  assert.equal(got, through);
});

test('NO_PROXY entries are trimmed and compared case-insensitively; the lower-case variable is read too', () => {
  assert.equal(
    chooseProxy('https://API.Example', undefined, env({ HTTPS_PROXY: 'http://p:3128', no_proxy: ' other.io , api.example ' })),
    undefined,
  );
});
