/**
 * End-to-end: an upload over the body limit sent without `Expect: 100-continue`, over a raw
 * socket, as a client that writes its whole body and reads the answer as it comes. The server
 * answers 413 before reading the body; the client must be able to read that answer, which a
 * connection closed with unread bytes destroys (a TCP reset; RFC 9112 §9.6).
 */
import { before, after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapAdmin } from '../support/e2e.js';
import { startProcess, type RunningServer } from '../support/process.js';

const LIMIT = 1024 * 1024;

let server: RunningServer;
let dir: string;
let token: string;
let uploadPath: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyway-e2e-upload-'));
  server = await startProcess({ KEYWAY_DATA_DIR: dir });
  const admin = await bootstrapAdmin(server, dir);
  const summary = admin.summary;
  token = admin.token;
  uploadPath = `/v1/environments/${summary.environmentId}/applications/${summary.clientId}/keys`;
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  /** Everything the client read, as text. */
  received: string;
  /** Body bytes the client managed to write. */
  written: number;
  /** The socket error, if any, and how much of the response had been read by then. */
  error?: string;
  /** The server half-closed the connection (a FIN, not a reset). */
  ended: boolean;
}

/** Whether `received` holds one whole response (headers and a Content-Length body). */
function holdsResponse(received: string): boolean {
  const headerEnd = received.indexOf('\r\n\r\n');
  const length = /\r\ncontent-length: (\d+)/i.exec(received.slice(0, headerEnd));
  return headerEnd >= 0 && length !== null && received.length >= headerEnd + 4 + Number(length[1]);
}

/**
 * POSTs `declared` bytes of PEM-typed body in 64 KiB writes, waiting for the socket to drain, while
 * reading whatever arrives. Stops writing after `send` bytes, or when the connection ends or fails.
 * Done when the body is written and a whole response read, when the connection is closed, or
 * `settleMs` after the last event.
 */
function upload(declared: number, send = declared, settleMs = 3000): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    const outcome: Outcome = { received: '', written: 0, ended: false };
    let writing = true;
    let settle: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(settle);
      socket.destroy();
      resolve(outcome);
    };
    const progress = (): void => {
      if (!writing && holdsResponse(outcome.received) && (send === declared || outcome.ended)) return finish();
      clearTimeout(settle);
      settle = setTimeout(finish, settleMs);
    };
    socket.on('data', (chunk: Buffer) => {
      outcome.received += chunk.toString('latin1');
      progress();
    });
    socket.on('end', () => {
      outcome.ended = true;
      progress();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      outcome.error = err.code ?? err.message;
    });
    socket.on('close', finish);
    socket.on('connect', async () => {
      socket.write(
        `POST ${uploadPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: application/x-pem-file\r\nContent-Length: ${declared}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      while (outcome.written < send && !socket.destroyed && !outcome.ended) {
        const n = Math.min(chunk.length, send - outcome.written);
        const drained = socket.write(chunk.subarray(0, n));
        outcome.written += n;
        if (!drained) await drainedOrClosed(socket);
      }
      writing = false;
      progress();
    });
  });
}

function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done).off('close', done);
      resolve();
    };
    socket.on('drain', done).on('close', done);
  });
}

/** The status and parsed body of the first response in `received`. */
function firstResponse(received: string): { status: number; headers: string; body: any } {
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(received);
  assert.ok(status, `no HTTP response was read: ${JSON.stringify(received.slice(0, 200))}`);
  const headerEnd = received.indexOf('\r\n\r\n');
  const headers = received.slice(0, headerEnd);
  const length = Number(/\r\ncontent-length: (\d+)/i.exec(headers)?.[1]);
  return { status: Number(status[1]), headers, body: JSON.parse(received.slice(headerEnd + 4, headerEnd + 4 + length)) };
}

describe('an upload over the limit without Expect: 100-continue (RFC 9110 §15.5.14, RFC 9112 §9.6)', () => {
  for (const [name, size] of [
    ['just over the limit', LIMIT + 1],
    ['ten times the limit', 10 * LIMIT],
  ] as const) {
    test(`${name}: the client reads 413 INVALID_REQUEST, three times in a row`, async () => {
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const outcome = await upload(size);
        const response = firstResponse(outcome.received);
        assert.equal(response.status, 413, `attempt ${attempt}: ${response.headers}`);
        assert.equal(response.body.code, 'INVALID_REQUEST');
        assert.equal(outcome.written, size, `attempt ${attempt}: the whole body could be written (${outcome.error ?? 'no error'})`);
      }
    });
  }

  test('the connection stays usable after the rest of the body was read and discarded', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (/HTTP\/1\.1 200 [\s\S]*"status":"ok"/.test(received)) socket.end();
      });
      socket.on('close', () => resolve(received));
      socket.setTimeout(5000, () => socket.destroy());
      socket.on('connect', () => {
        socket.write(
          `POST ${uploadPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
            `Content-Type: application/x-pem-file\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`,
        );
        socket.write(Buffer.alloc(LIMIT + 1, 0x41));
        socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      });
    });
    assert.match(outcome, /^HTTP\/1\.1 413 /);
    assert.match(outcome, /HTTP\/1\.1 200 OK[\s\S]*"status":"ok"/, 'a second request on the same connection is answered');
  });

  test('a body declared far larger than the server discards is cut off by a half-close after the 413, not read to its end', async () => {
    const outcome = await upload(1024 * LIMIT, 96 * LIMIT);
    const response = firstResponse(outcome.received);
    assert.equal(response.status, 413);
    assert.ok(outcome.ended, `the server half-closed the connection (${outcome.error ?? 'no error'})`);
    assert.ok(outcome.written < 96 * LIMIT, `the server stopped reading (client wrote ${outcome.written} bytes)`);
  });
});
