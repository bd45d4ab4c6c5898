// Two real forward proxies on loopback, for checking that podlife takes the same way to the API
// server as kubectl: an HTTP CONNECT proxy and a SOCKS5 proxy (no authentication, CONNECT only).
// Both record the destinations they were asked for and forward only to loopback addresses.

import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ForwardProxy {
  readonly url: string;
  /** "host:port" of every tunnel asked for, in order. */
  readonly tunnels: string[];
  close(): Promise<void>;
}

const loopback = (host: string): boolean => /^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host);

function tunnel(client: Socket, host: string, port: number, onOpen: () => void): void {
  const upstream = connect(port, host, onOpen);
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.pipe(client);
  client.pipe(upstream);
}

async function listen(server: Server, scheme: string, tunnels: string[], sockets: Set<Socket>): Promise<ForwardProxy> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function startConnectProxy(): Promise<ForwardProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((_req, res) => res.writeHead(405).end('CONNECT only\n'));
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const target = req.url ?? '';
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
    tunnels.push(target);
    if (!m || !loopback(m[1]!)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    tunnel(client, m[1]!, Number(m[2]), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) client.emit('data', head);
    });
  });
  return listen(server, 'http', tunnels, sockets);
}

export async function startSocks5Proxy(): Promise<ForwardProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buf = Buffer.alloc(0);
    let stage: 'greeting' | 'request' = 'greeting';
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      if (stage === 'greeting') {
        if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
        if (buf[0] !== 5) return void client.destroy();
        buf = buf.subarray(2 + buf[1]!);
        client.write(Buffer.from([5, 0])); // no authentication
        stage = 'request';
      }
      if (buf.length < 4) return;
      const atyp = buf[3]!;
      const addrLen = atyp === 1 ? 4 : atyp === 4 ? 16 : atyp === 3 ? 1 + (buf[4] ?? 0) : -1;
      if (addrLen < 0 || buf.length < 4 + addrLen + 2) return;
      const addr = buf.subarray(4, 4 + addrLen);
      const host = atyp === 1 ? [...addr].join('.') : atyp === 3 ? addr.subarray(1).toString() : '::1';
      const port = buf.readUInt16BE(4 + addrLen);
      const rest = buf.subarray(4 + addrLen + 2);
      client.off('data', onData);
      tunnels.push(`${host}:${port}`);
      if (buf[1] !== 1 || !loopback(host)) {
        client.end(Buffer.from([5, 2, 0, 1, 0, 0, 0, 0, 0, 0])); // not allowed
        return;
      }
      tunnel(client, host, port, () => {
        client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
        if (rest.length) client.emit('data', rest);
      });
    };
    client.on('data', onData);
  });
  return listen(server, 'socks5', tunnels, sockets);
}
