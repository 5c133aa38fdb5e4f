/**
 * The request log's view of requests and errors (src/http/request-log.ts): method and path only,
 * the flow API's flow id replaced, and query strings cut from error and warning texts.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import Fastify from 'fastify';
import { loggedError, loggedRequest, loggerOptions, noteForLog, requestLogController, withoutQueries } from '../../../src/http/request-log.js';

/** A server with the request log's options, writing its lines into an array. */
function loggingServer(level: string): { app: ReturnType<typeof Fastify>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
  const app = Fastify({ logger: loggerOptions(level, stream), logController: requestLogController() });
  app.decorateRequest('logNote', null);
  app.get('/ok', async () => ({ ok: true }));
  app.get('/refused', async (request, reply) => {
    noteForLog(request, { error: 'invalid_client', detail: 'no such client' });
    return reply.code(401).send({ error: 'invalid_client' });
  });
  app.get('/boom', async () => {
    throw new Error('failed');
  });
  return { app, lines };
}

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

  test('one line per request, written when it is answered: method, path without query, status and response time', async () => {
    const { app, lines } = loggingServer('info');
    await app.inject({ method: 'GET', url: '/ok?client_secret=s3cret' });
    await app.inject({ method: 'GET', url: '/nowhere?code=c0de' });
    assert.equal(lines.length, 2, JSON.stringify(lines));
    const [first, second] = lines as [Record<string, unknown>, Record<string, unknown>];
    assert.deepEqual(first.req, { method: 'GET', url: '/ok' });
    assert.deepEqual(first.res, { statusCode: 200 });
    assert.equal(typeof first.responseTime, 'number');
    assert.equal(first.msg, 'request completed');
    assert.deepEqual(second.req, { method: 'GET', url: '/nowhere' });
    assert.deepEqual(second.res, { statusCode: 404 });
    assert.ok(!JSON.stringify(lines).includes('s3cret') && !JSON.stringify(lines).includes('c0de'));
    await app.close();
  });

  test("a refused request's reason goes into its one line, not a line of its own", async () => {
    const { app, lines } = loggingServer('info');
    await app.inject({ method: 'GET', url: '/refused' });
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.error, 'invalid_client');
    assert.equal(lines[0]?.detail, 'no such client');
    assert.deepEqual(lines[0]?.res, { statusCode: 401 });
    await app.close();
  });

  test('a request that fails unexpectedly still has one request line, with its 500', async () => {
    const { app, lines } = loggingServer('info');
    await app.inject({ method: 'GET', url: '/boom' });
    const requestLines = lines.filter((line) => line.msg === 'request completed');
    assert.equal(requestLines.length, 1, JSON.stringify(lines));
    assert.deepEqual(requestLines[0]?.res, { statusCode: 500 });
    await app.close();
  });

  test('above info (warn) a successful request writes nothing', async () => {
    const { app, lines } = loggingServer('warn');
    await app.inject({ method: 'GET', url: '/ok' });
    assert.deepEqual(lines, []);
    await app.close();
  });
});
