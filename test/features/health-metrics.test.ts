/**
 * Health probes and Prometheus metrics on the SQLite store (README, "Health and metrics"):
 * liveness and readiness answer JSON, `/healthz` is readiness under its old name, and a scrape of
 * `/metrics` after good and bad requests finds each counted under low-cardinality labels only
 * (Prometheus exposition format, text version 0.0.4).
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createApp, createCustomScope, expectStatus, startInProcess, type InProcess } from '../support/harness.js';

let h: InProcess;

before(async () => {
  h = await startInProcess();
});
after(async () => h?.close());

async function scrape(): Promise<string> {
  const res = await h.app.server.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return res.body;
}

/** The value of the sample `name{labels}` (labels in the order prom-client writes them). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health probes', () => {
  test('GET /health/live answers 200 {status: ok}', async () => {
    const res = await h.app.server.inject({ method: 'GET', url: '/health/live' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('GET /health/ready and its alias /healthz report the store; SQLite has no change feed to check', async () => {
    for (const url of ['/health/ready', '/healthz']) {
      const res = await h.app.server.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.deepEqual(res.json(), { status: 'ok', checks: { store: 'ok' } }, url);
    }
  });

  test('the probes need no token and are not the management API', async () => {
    const res = await h.app.server.inject({ method: 'GET', url: '/health/ready', headers: { authorization: 'Bearer nonsense' } });
    assert.equal(res.statusCode, 200);
  });
});

describe('metrics after good and bad requests', () => {
  let text: string;
  let clientId: string;

  before(async () => {
    const env = h.adminEnvId;
    const scope = await createCustomScope(h, env, 'metrics', 'https://metrics.example', 'metrics:read');
    const app = await createApp(h, env, 'metrics-client', 'SERVICE');
    clientId = app.id;
    expectStatus(await h.inject('POST', `/v1/environments/${env}/applications/${app.id}/grants`, { body: { resource: { id: scope.resourceId }, scopes: [{ id: scope.scopeId }] } }), 201);
    expectStatus(await h.clientCredentials(env, app.id, app.secret, 'metrics:read'), 200);
    expectStatus(await h.clientCredentials(env, app.id, app.secret, 'metrics:read'), 200);
    expectStatus(await h.clientCredentials(env, app.id, 'not-the-secret-at-all-0123456789', 'metrics:read'), 401);
    const badGrant = await h.app.server.inject({
      method: 'POST',
      url: `/${env}/as/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.id}:${app.secret}`).toString('base64')}` },
      payload: 'grant_type=urn%3Aexample%3Amade-up',
    });
    assert.equal(badGrant.statusCode, 400);
    expectStatus(await h.inject('GET', `/v1/environments/${env}/applications`), 200);
    expectStatus(await h.inject('GET', `/v1/environments/${env}/applications`, { token: null }), 401);
    assert.equal((await h.app.server.inject({ method: 'GET', url: `/no/such/${app.id}` })).statusCode, 404);
    text = await scrape();
  });

  test('token requests by grant type, client authentication method and error code (RFC 6749 §5.1, §5.2)', () => {
    // The harness's admin token was also a client_credentials request with HTTP Basic.
    assert.equal(sample(text, 'keyway_token_requests_total{grant_type="client_credentials",auth_method="CLIENT_SECRET_BASIC",error="none"}'), 3);
    assert.equal(sample(text, 'keyway_token_requests_total{grant_type="client_credentials",auth_method="CLIENT_SECRET_BASIC",error="invalid_client"}'), 1);
    assert.equal(sample(text, 'keyway_token_requests_total{grant_type="other",auth_method="CLIENT_SECRET_BASIC",error="unsupported_grant_type"}'), 1);
  });

  test('client authentication failures by reason code', () => {
    assert.equal(sample(text, 'keyway_client_auth_failures_total{reason="SECRET_MISMATCH"}'), 1);
  });

  test('request durations by route template and status class', () => {
    assert.equal(sample(text, 'keyway_http_request_duration_seconds_count{method="POST",route="/:envId/as/token",status_class="2xx"}'), 3);
    assert.equal(sample(text, 'keyway_http_request_duration_seconds_count{method="POST",route="/:envId/as/token",status_class="4xx"}'), 2);
    assert.ok((sample(text, 'keyway_http_request_duration_seconds_count{method="GET",route="/v1/environments/:envId/applications",status_class="2xx"}') ?? 0) >= 1);
    assert.ok((sample(text, 'keyway_http_request_duration_seconds_count{method="GET",route="/v1/environments/:envId/applications",status_class="4xx"}') ?? 0) >= 1);
    assert.equal(sample(text, 'keyway_http_request_duration_seconds_count{method="GET",route="unmatched",status_class="4xx"}'), 1);
  });

  test('store query durations and process metrics are exposed', () => {
    assert.ok((sample(text, 'keyway_store_query_duration_seconds_count{method="ping",outcome="ok"}') ?? 0) >= 1);
    assert.match(text, /^keyway_store_query_duration_seconds_count\{method="\w+",outcome="ok"\} \d+$/m);
    assert.match(text, /^process_cpu_user_seconds_total \S+$/m);
    assert.match(text, /^nodejs_eventloop_lag_seconds \S+$/m);
    // SQLite has no pool.
    assert.doesNotMatch(text, /keyway_store_pool_connections\{/);
  });

  test('no label value is an id: neither the environment nor the client appears', () => {
    assert.ok(!text.includes(h.adminEnvId));
    assert.ok(!text.includes(clientId));
    assert.ok(!text.includes('made-up'));
  });
});
