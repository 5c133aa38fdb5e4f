/**
 * Request bodies the server refuses before any rule runs, in-process: bodies over the 1 MiB limit,
 * media types an API does not take, and JSON that is not UTF-8. The authorization server answers
 * in RFC 6749's shape, the management and flow APIs in PingOne's, and a refused request stores,
 * consumes and issues nothing.
 */
import { before, after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { startInProcess, type InProcess } from '../support/harness.js';

let h: InProcess;
before(async () => {
  h = await startInProcess();
});
after(() => h.close());

const LIMIT = 1024 * 1024;
const FORM = 'application/x-www-form-urlencoded';

interface Raw {
  status: number;
  headers: Record<string, unknown>;
  body: any;
}

async function send(method: 'POST' | 'PUT', url: string, contentType: string, payload: string | Buffer, headers: Record<string, string> = {}): Promise<Raw> {
  const res = await h.app.server.inject({ method, url, headers: { 'content-type': contentType, ...headers }, payload });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

/** A form body just over the limit, padded with a parameter the endpoint ignores. */
const oversizedForm = (): string => `grant_type=client_credentials&padding=${'a'.repeat(LIMIT)}`;

describe('authorization server: a form body over the limit is 413 (RFC 9110 §15.5.14) in RFC 6749 §5.2 shape', () => {
  const basic = (): Record<string, string> => ({ authorization: `Basic ${Buffer.from('client:secret').toString('base64')}`, accept: 'application/json' });
  for (const path of ['token', 'introspect', 'revoke', 'par', 'userinfo', 'authorize', 'signoff']) {
    test(`POST /as/${path}`, async () => {
      const res = await send('POST', `/${h.adminEnvId}/as/${path}`, FORM, oversizedForm(), basic());
      assert.equal(res.status, 413, JSON.stringify(res.body));
      assert.equal(res.body.error, 'invalid_request');
      assert.equal(typeof res.body.error_description, 'string');
      assert.equal(res.headers['cache-control'], 'no-store');
    });
  }
});
