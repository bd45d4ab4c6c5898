// A loopback HTTP(S) server that records what clients send (path, headers, the client
// certificate's subject) and answers an empty PodList, for comparing podlife's requests with the
// real kubectl's under the same flags. TLS material is made with openssl at test time: a CA, a
// server certificate for 127.0.0.1 and a client certificate (CN=podlife-test-user, O=testers).

import { execFileSync } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

export interface Pki {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

let pki: Pki | undefined;

/** A CA with a server and a client certificate, made once per test file. */
export function makePki(): Pki {
  if (pki) return pki;
  const dir = mkdtempSync(join(tmpdir(), 'podlife-pki-'));
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=podlife-test-ca');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:api.example\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/O=testers/CN=podlife-test-user');
  ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2');
  pki = {
    dir,
    ca: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  };
  return pki;
}

export interface Recorded {
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The CN of the client certificate presented, if any. */
  readonly clientCN: string | undefined;
}

export interface Recorder {
  readonly url: string;
  readonly port: number;
  readonly requests: Recorded[];
  close(): Promise<void>;
}

export const EMPTY_POD_LIST = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] });

export async function startRecorder(
  o: {
    readonly tls?: boolean;
    readonly port?: number;
    /** Answers a request; the default is 200 with an empty PodList. */
    readonly respond?: (req: IncomingMessage, res: ServerResponse) => void;
  } = {},
): Promise<Recorder> {
  const requests: Recorded[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const peer = (req.socket as TLSSocket).getPeerCertificate?.();
    requests.push({
      path: req.url ?? '',
      headers: { ...req.headers },
      clientCN: peer && peer.subject ? String(peer.subject.CN) : undefined,
    });
    if (o.respond) return o.respond(req, res);
    res.writeHead(200, { 'content-type': 'application/json' }).end(EMPTY_POD_LIST);
  };
  const p = o.tls ? makePki() : undefined;
  const server = p
    ? createHttpsServer(
        {
          key: readFileSync(p.serverKey),
          cert: readFileSync(p.serverCert),
          ca: readFileSync(p.ca),
          requestCert: true,
          rejectUnauthorized: false,
        },
        handler,
      )
    : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${p ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
