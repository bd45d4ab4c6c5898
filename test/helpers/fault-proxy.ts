// A TCP proxy on loopback in front of the real API server, for injecting faults the way networks
// produce them: every connection cut at once, a stall (bytes stop flowing, sockets stay open), new
// connections refused, or a slow server (every byte the server sends arrives late). TLS passes
// through untouched, so the client talks to the real server.

import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface FaultProxy {
  readonly port: number;
  /** Destroy every open connection (both sides). */
  cutAll(): void;
  /** Stop (true) or resume (false) forwarding bytes on every connection, present and future. */
  stall(on: boolean): void;
  /** Refuse new connections (true) or accept them again (false). */
  refuse(on: boolean): void;
  /**
   * Deliver every byte the server sends this many ms late (0: no delay), on every connection,
   * present and future. Order is kept. Every response, and the TLS handshake's server half, is late
   * by that much: a slow or far-away API server.
   */
  delay(ms: number): void;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  /** Connections open now. */
  readonly open: () => number;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  /** Chunks from the server waiting for their delivery time, oldest first. */
  readonly late: { due: number; chunk: Buffer }[];
  timer: NodeJS.Timeout | undefined;
}

export async function startFaultProxy(targetHost: string, targetPort: number): Promise<FaultProxy> {
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(targetHost))
    throw new Error(`the fault proxy only forwards to loopback, not ${targetHost}`);
  const pairs = new Set<Pair>();
  let stalled = false;
  let refusing = false;
  let delayMs = 0;
  let accepted = 0;

  const deliver = (pair: Pair): void => {
    pair.timer = undefined;
    if (stalled) return; // resumed by stall(false)
    const now = Date.now();
    while (pair.late.length > 0 && pair.late[0]!.due <= now) pair.client.write(pair.late.shift()!.chunk);
    if (pair.late.length > 0) pair.timer = setTimeout(() => deliver(pair), pair.late[0]!.due - now);
  };

  // Bytes are forwarded by hand rather than piped, so that a stall and a delay can act on
  // connections already open. Back-pressure: a full receiving side pauses the sending side.
  const forward = (pair: Pair, from: Socket, to: Socket, toClient: boolean): void => {
    from.on('data', (chunk: Buffer) => {
      if (toClient && (delayMs > 0 || pair.late.length > 0)) {
        const last = pair.late.at(-1)?.due ?? 0;
        pair.late.push({ due: Math.max(Date.now() + delayMs, last), chunk });
        if (!pair.timer && !stalled) pair.timer = setTimeout(() => deliver(pair), Math.max(0, pair.late[0]!.due - Date.now()));
        return;
      }
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!stalled) from.resume();
    });
  };

  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = connect(targetPort, targetHost);
    // Each chunk goes on as it comes (as the client and the server send theirs): with Nagle's
    // algorithm on these sockets a small write waits for the ACK of the one before, and a delayed
    // ACK makes that up to 40 ms the link does not have.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const pair: Pair = { client, upstream, late: [], timer: undefined };
    pairs.add(pair);
    forward(pair, client, upstream, false);
    forward(pair, upstream, client, true);
    // A stall pauses reading on both sides: TCP keeps the connection, bytes just stop moving.
    if (stalled) {
      client.pause();
      upstream.pause();
    }
    const end = (): void => {
      if (pair.timer) clearTimeout(pair.timer);
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', () => {
      // Bytes the server sent before closing still arrive (late), then the close.
      if (pair.late.length === 0 || client.destroyed) return end();
      const wait = setInterval(() => {
        if (pair.late.length === 0 || client.destroyed) {
          clearInterval(wait);
          end();
        }
      }, 50);
    });
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const destroyAll = (): void => {
    for (const p of pairs) {
      if (p.timer) clearTimeout(p.timer);
      p.client.destroy();
      p.upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port,
    cutAll: destroyAll,
    stall(on) {
      stalled = on;
      for (const p of pairs) {
        if (on) {
          p.client.pause();
          p.upstream.pause();
          if (p.timer) clearTimeout(p.timer);
          p.timer = undefined;
        } else {
          p.client.resume();
          p.upstream.resume();
          if (p.late.length > 0) deliver(p);
        }
      }
    },
    refuse(on) {
      refusing = on;
    },
    delay(ms) {
      delayMs = Math.max(0, ms);
    },
    accepted: () => accepted,
    open: () => pairs.size,
    close: () =>
      new Promise<void>((resolve) => {
        destroyAll();
        server.close(() => resolve());
      }),
  };
}

/**
 * A fault proxy in front of the API server that the kubeconfig at `kubeconfigPath` names, and a copy
 * of that kubeconfig written to `file` with the proxy (on loopback) as its server: the same
 * credentials, and TLS passes through to the real server.
 */
export async function proxiedKubeconfig(kubeconfigPath: string, file: string): Promise<{ proxy: FaultProxy; kubeconfig: string }> {
  const text = readFileSync(kubeconfigPath, 'utf8');
  const server = /server:\s*(https:\/\/\S+)/.exec(text)?.[1];
  if (!server) throw new Error(`${kubeconfigPath}: no https server in it`);
  const u = new URL(server);
  const proxy = await startFaultProxy(u.hostname, Number(u.port));
  writeFileSync(file, text.replace(server, `https://127.0.0.1:${proxy.port}`));
  return { proxy, kubeconfig: file };
}
