// A SOCKS5 connector for undici (RFC 1928 CONNECT, no authentication or RFC 1929 username and
// password from the proxy URL), then TLS to the API server through the tunnel. undici's own SOCKS5
// agent is experimental (it prints a warning on every run) and sends the server's IP address as the
// TLS server name, which Node refuses; Go sends no server name for an IP, and neither does this.

import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { buildConnector } from 'undici';

type Connector = buildConnector.connector;

function handshake(socket: Socket, proxy: URL, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let stage: 'method' | 'auth' | 'connect' = 'method';
    const user = decodeURIComponent(proxy.username);
    const pass = decodeURIComponent(proxy.password);
    const fail = (why: string): void => {
      socket.off('data', onData);
      reject(Object.assign(new Error(`SOCKS5 proxy: ${why}`), { code: 'ESOCKS' }));
    };
    const sendConnect = (): void => {
      stage = 'connect';
      const family = isIP(host);
      const addr =
        family === 4
          ? Buffer.from([1, ...host.split('.').map(Number)])
          : family === 6
            ? Buffer.concat([Buffer.from([4]), ipv6Bytes(host)])
            : Buffer.concat([Buffer.from([3, Buffer.byteLength(host)]), Buffer.from(host)]);
      const p = Buffer.alloc(2);
      p.writeUInt16BE(port);
      socket.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, p]));
    };
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      if (stage === 'method') {
        if (buf.length < 2) return;
        if (buf[0] !== 5) return fail('not a SOCKS5 proxy');
        const method = buf[1];
        buf = buf.subarray(2);
        if (method === 0) return sendConnect();
        if (method === 2 && user) {
          stage = 'auth';
          const u = Buffer.from(user);
          const pw = Buffer.from(pass);
          socket.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([pw.length]), pw]));
          return;
        }
        return fail('no acceptable authentication method');
      }
      if (stage === 'auth') {
        if (buf.length < 2) return;
        if (buf[1] !== 0) return fail('username/password refused');
        buf = buf.subarray(2);
        return sendConnect();
      }
      if (buf.length < 5) return;
      if (buf[1] !== 0) return fail(REPLIES[buf[1]!] ?? `CONNECT refused (reply ${buf[1]})`);
      const atyp = buf[3];
      const len = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buf[4]!;
      if (buf.length < 4 + len + 2) return;
      socket.off('data', onData);
      const rest = buf.subarray(4 + len + 2);
      if (rest.length) socket.unshift(rest);
      resolve();
    };
    socket.on('data', onData);
    socket.write(user ? Buffer.from([5, 2, 0, 2]) : Buffer.from([5, 1, 0]));
  });
}

const REPLIES: Readonly<Record<number, string>> = {
  1: 'general failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

function ipv6Bytes(ip: string): Buffer {
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return b;
}

/** An undici `connect` function that reaches each origin through the SOCKS5 proxy `proxyUri`. */
export function socks5Connector(proxyUri: string, tls: ConnectionOptions, timeoutMs: number): Connector {
  const proxy = new URL(proxyUri);
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
    const socket = netConnect(Number(proxy.port) || 1080, proxy.hostname.replace(/^\[|\]$/g, ''));
    let done = false;
    const finish = (err: Error | null, s?: Socket): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        socket.destroy();
        callback(err, null);
      } else callback(null, s!);
    };
    const timer = setTimeout(
      () => finish(Object.assign(new Error('SOCKS5 proxy: connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' })),
      timeoutMs,
    );
    timer.unref();
    socket.once('error', (e) => finish(e));
    socket.once('connect', () => {
      handshake(socket, proxy, host, port).then(
        () => {
          if (opts.protocol !== 'https:') return finish(null, socket);
          const name = typeof tls.servername === 'string' && tls.servername !== '' ? tls.servername : isIP(host) ? undefined : host;
          // `host` is what the certificate is checked against when there is no server name.
          const secure = tlsConnect({
            ...tls,
            socket,
            host,
            ...(name !== undefined ? { servername: name } : {}),
            ALPNProtocols: ['http/1.1'],
          });
          secure.once('secureConnect', () => finish(null, secure));
          secure.once('error', (e) => finish(e));
        },
        (e: Error) => finish(e),
      );
    });
  };
}
