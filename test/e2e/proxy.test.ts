// Proxies: podlife must reach the API server the way kubectl does. Real forward proxies on loopback
// (HTTP CONNECT and SOCKS5) record the tunnels they are asked for; the real kubectl and podlife run
// with the same kubeconfig and environment, and both must take (or not take) the proxy.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { startConnectProxy, startSocks5Proxy, type ForwardProxy } from '../helpers/proxies.ts';
import { applyScenario, inNamespace, kubeconfigPath, kubectl, podlife } from './helpers/env.ts';

test(
  'proxies: proxy-url (http CONNECT and socks5) and HTTPS_PROXY are taken exactly when kubectl takes them',
  { timeout: 120_000 },
  async () => {
    const proxies: ForwardProxy[] = [await startConnectProxy(), await startSocks5Proxy()];
    try {
      await inNamespace('e2e-proxy', async (ns) => {
        await applyScenario('plain.yaml', ns.name);
        const admin = readFileSync(kubeconfigPath(), 'utf8');
        const server = /server: (\S+)/.exec(admin)![1]!;
        const apiServer = new URL(server).host;
        const dir = mkdtempSync(join(tmpdir(), 'podlife-proxy-'));

        for (const proxy of proxies) {
          const kc = join(dir, `kubeconfig-${new URL(proxy.url).protocol.replace(':', '')}`);
          writeFileSync(kc, admin.replace(`server: ${server}`, `server: ${server}\n    proxy-url: ${proxy.url}`));
          const before = proxy.tunnels.length;
          assert.match((await kubectl(['get', 'pod', 'plain', '-n', ns.name, '--no-headers'], { kubeconfig: kc })).stdout, /^plain\s/);
          const byKubectl = proxy.tunnels.slice(before);
          assert.ok(byKubectl.includes(apiServer), `kubectl went through ${proxy.url}: ${byKubectl.join(', ')}`);
          const r = await podlife(['plain', '-n', ns.name, '--once', '-o', 'json'], { env: { KUBECONFIG: kc } });
          assert.equal(r.code, 0, r.stderr);
          assert.equal(JSON.parse(r.stdout.trim().split('\n')[0]!).name, 'plain');
          const byPodlife = proxy.tunnels.slice(before + byKubectl.length);
          assert.ok(
            byPodlife.length > 0 && byPodlife.every((t) => t === apiServer),
            `podlife went through ${proxy.url} to the API server: ${byPodlife.join(', ')}`,
          );
        }

        // HTTPS_PROXY in the environment: kubectl (Go) never proxies a loopback server, and neither
        // does podlife. The test cluster listens on loopback only, so this is the case to compare.
        const [connect] = proxies;
        const before = connect!.tunnels.length;
        const env = { HTTPS_PROXY: connect!.url };
        assert.match((await kubectl(['get', 'pod', 'plain', '-n', ns.name, '--no-headers'], { env })).stdout, /^plain\s/);
        const r = await podlife(['plain', '-n', ns.name, '--once'], { env: { ...env, KUBECONFIG: kubeconfigPath() } });
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(connect!.tunnels.slice(before), [], 'neither kubectl nor podlife proxies a loopback server');

        // A proxy that is not there: one line that names it.
        const dead = join(dir, 'kubeconfig-dead-proxy');
        writeFileSync(dead, admin.replace(`server: ${server}`, `server: ${server}\n    proxy-url: http://127.0.0.1:9`));
        const d = await podlife(['plain', '-n', ns.name, '--once'], { env: { KUBECONFIG: dead } });
        assert.equal(d.code, 1);
        assert.match(
          d.stderr,
          /^podlife: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: .*through the proxy http:\/\/127\.0\.0\.1:9\/ \(from proxy-url\)/,
        );
        assert.doesNotMatch(d.stderr, /\n\s+at /);
      });
    } finally {
      for (const p of proxies) await p.close();
    }
  },
);
