// A link with a round trip: a TCP proxy on 127.0.0.1 that holds every chunk, in each direction,
// for half the round trip before passing it on (order kept; Nagle off on both sides, as the clients
// and the API server have it). The first screen through it is the first screen of a cluster that
// is not on this machine: kubectl describe's requests one after another, podlife's side by side.

import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface DelayProxy {
  /** A copy of the kubeconfig whose clusters' servers are this proxy. */
  readonly kubeconfig: string;
  close(): Promise<void>;
}

function relay(from: Socket, to: Socket, oneWayMs: number): void {
  from.on('data', (d: Buffer) => setTimeout(() => to.write(d), oneWayMs));
  from.on('end', () => setTimeout(() => to.end(), oneWayMs));
  from.on('error', () => to.destroy());
  from.on('close', () => setTimeout(() => to.destroy(), oneWayMs));
}

/** Starts the proxy in front of the kubeconfig's one https server on 127.0.0.1 and writes `out`. */
export async function delayProxy(kubeconfig: string, roundTripMs: number, out: string): Promise<DelayProxy> {
  const text = readFileSync(kubeconfig, 'utf8');
  const servers = [...text.matchAll(/server:\s*https:\/\/127\.0\.0\.1:(\d+)/g)];
  const port = Number(servers[0]?.[1]);
  if (servers.length !== 1 || !port) throw new Error(`${kubeconfig}: expected one server https://127.0.0.1:PORT`);
  const oneWay = roundTripMs / 2;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    }
    relay(client, upstream, oneWay);
    relay(upstream, client, oneWay);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const proxyPort = typeof address === 'object' && address ? address.port : 0;
  writeFileSync(out, text.replace(`https://127.0.0.1:${port}`, `https://127.0.0.1:${proxyPort}`));
  return {
    kubeconfig: out,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
