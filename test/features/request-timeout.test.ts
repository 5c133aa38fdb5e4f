/**
 * A client that takes longer than KEYWAY_REQUEST_TIMEOUT_SECONDS to send its request (headers and
 * body) is answered 408 and its connection closed, so trickled bodies cannot hold connections
 * open; a prompt request on the same server is served. In-process, on a real socket.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { connect, type Socket } from 'node:net';
import { startInProcess, type InProcess } from '../support/harness.js';

let h: InProcess;
let port: number;
before(async () => {
  h = await startInProcess({ env: { KEYWAY_REQUEST_TIMEOUT_SECONDS: '1' } });
  await h.app.server.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.server.address() as { port: number }).port;
});
after(() => h.close());

/** Opens a connection, writes `head`, and collects everything the server sends until it closes. */
function exchange(head: string): { socket: Socket; closed: Promise<{ text: string; afterMs: number }> } {
  const started = performance.now();
  const socket = connect(port, '127.0.0.1');
  socket.write(head);
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  const closed = new Promise<{ text: string; afterMs: number }>((resolve, reject) => {
    socket.on('close', () => resolve({ text, afterMs: performance.now() - started }));
    socket.on('error', reject);
  });
  return { socket, closed };
}

describe('KEYWAY_REQUEST_TIMEOUT_SECONDS', () => {
  test('a body that stops arriving: 408 and the connection closed, within the bound and the check interval', { timeout: 10_000 }, async () => {
    const { closed } = exchange(
      `POST /${h.adminEnvId}/as/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=`,
    );
    const { text, afterMs } = await closed;
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.ok(afterMs >= 1_000 && afterMs < 3_000, `closed after ${Math.round(afterMs)} ms`);
  });

  test('headers that never end: 408 and the connection closed', { timeout: 10_000 }, async () => {
    const { closed } = exchange(`GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: `);
    const { text, afterMs } = await closed;
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.ok(afterMs < 3_000, `closed after ${Math.round(afterMs)} ms`);
  });

  test('a prompt request on the same server is answered', { timeout: 10_000 }, async () => {
    const { socket, closed } = exchange(`GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    const { text } = await closed;
    socket.destroy();
    assert.match(text, /^HTTP\/1\.1 200 /);
  });
});
