// A TCP proxy on loopback in front of the real API server, for injecting faults the way networks
// produce them: every connection cut at once, a stall (bytes stop flowing, sockets stay open), or
// new connections refused. TLS passes through untouched, so the client talks to the real server.

import { createServer, connect, type Server, type Socket } from 'node:net';

export interface FaultProxy {
  readonly port: number;
  /** Destroy every open connection (both sides). */
  cutAll(): void;
  /** Stop (true) or resume (false) forwarding bytes on every connection, present and future. */
  stall(on: boolean): void;
  /** Refuse new connections (true) or accept them again (false). */
  refuse(on: boolean): void;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  close(): Promise<void>;
}

export async function startFaultProxy(targetHost: string, targetPort: number): Promise<FaultProxy> {
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(targetHost))
    throw new Error(`the fault proxy only forwards to loopback, not ${targetHost}`);
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  let refusing = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // A stall pauses reading on both sides: TCP keeps the connection, bytes just stop moving.
    if (!stalled) {
      client.pipe(upstream);
      upstream.pipe(client);
    }
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    cutAll() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    stall(on) {
      stalled = on;
      for (const [a, b] of pairs) {
        if (on) {
          a.unpipe(b);
          b.unpipe(a);
          a.pause();
          b.pause();
        } else {
          a.pipe(b);
          b.pipe(a);
        }
      }
    },
    refuse(on) {
      refusing = on;
    },
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
