/**
 * A local HTTPS server on 127.0.0.1 for the guarded-fetch tests, with the fixture certificate
 * (test/fixtures/tls). Tests reach it only through the allow-list below.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { GuardOptions } from '../../../src/adapters/jwks-url/guarded-fetch.js';

export const TEST_CA = readFileSync(new URL('../../fixtures/tls/cert.pem', import.meta.url));
const TEST_KEY = readFileSync(new URL('../../fixtures/tls/key.pem', import.meta.url));

/** Lets the fetcher reach the test server (127.0.0.1 only) and trust its certificate. */
export const LOCAL_GUARD: GuardOptions = { allowCidrs: ['127.0.0.1/32'], ca: TEST_CA };

export interface TestServer {
  /** `https://127.0.0.1:{port}{path}` */
  url(path: string): string;
  port: number;
  /** Requests received, in order. */
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  /** TCP connections accepted. */
  connections(): number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startTlsServer(handler: Handler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  let connections = 0;
  const server = createServer({ key: TEST_KEY, cert: TEST_CA }, (req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `https://127.0.0.1:${port}${path}`,
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
