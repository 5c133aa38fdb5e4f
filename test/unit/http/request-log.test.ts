/**
 * The request log's view of requests and errors (src/http/request-log.ts): method and path only,
 * the flow API's flow id replaced, and query strings cut from error and warning texts.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { loggedError, loggedRequest, withoutQueries } from '../../../src/http/request-log.js';

describe('request log', () => {
  test('a request is its method and path: no query string', () => {
    assert.deepEqual(loggedRequest({ method: 'POST', url: '/e/as/token?client_secret=s3cret&code=c0de' }), { method: 'POST', url: '/e/as/token' });
    assert.deepEqual(loggedRequest({ method: 'GET', url: '/v1/environments' }), { method: 'GET', url: '/v1/environments' });
  });

  test('the flow id in the flow API path is replaced by a placeholder', () => {
    assert.deepEqual(loggedRequest({ method: 'GET', url: '/e/flows/AbCdEf0123?flowId=x' }), { method: 'GET', url: '/e/flows/{flowId}' });
    assert.deepEqual(loggedRequest({ method: 'GET', url: '/e/signon/?flowId=AbCdEf' }), { method: 'GET', url: '/e/signon/' });
  });

  test("query strings quoted in a message are cut (Fastify's 'reply already sent' warning quotes the URL)", () => {
    const warning = 'Reply was already sent, did you forget to "return reply" in the "/e/as/token?client_secret=s3cret" (POST) route?';
    assert.equal(withoutQueries(warning), 'Reply was already sent, did you forget to "return reply" in the "/e/as/token?[query]" (POST) route?');
    assert.equal(withoutQueries('plain text'), 'plain text');
  });

  test('an error keeps type, message, stack, code, status and cause, without query strings or other members', () => {
    const cause = new Error('socket hang up at /x?access_token=t0ken');
    const err = Object.assign(new TypeError('failed for /e/as/token?code=c0de', { cause }), { code: 'E_X', statusCode: 500, body: 'client_secret=s3cret' });
    const shown = loggedError(err);
    assert.equal(shown.type, 'TypeError');
    assert.equal(shown.message, 'failed for /e/as/token?[query]');
    assert.equal(shown.code, 'E_X');
    assert.equal(shown.statusCode, 500);
    assert.equal((shown.cause as { message: string }).message, 'socket hang up at /x?[query]');
    const text = JSON.stringify(shown);
    for (const secret of ['c0de', 't0ken', 's3cret']) assert.ok(!text.includes(secret), secret);
  });
});
