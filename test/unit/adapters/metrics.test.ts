/**
 * Metrics counted where they pass (README, "Health and metrics"): jwksUrl fetches by outcome and
 * cache hits from RemoteJwks's observer; token request labels from the credentials presented
 * (OpenID Connect Core §9: client_secret_basic, client_secret_post, client_secret_jwt,
 * private_key_jwt, none).
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { RemoteJwks } from '../../../src/adapters/jwks-url/remote-jwks.js';
import { Metrics } from '../../../src/adapters/metrics/metrics.js';
import { countTokenRequest } from '../../../src/http/oauth/token-metrics.js';
import { toParams } from '../../../src/protocol/params.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

const value = async (metrics: Metrics, series: string): Promise<number | undefined> => {
  const line = (await metrics.text()).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('metrics', () => {
  test('jwksUrl: one fetch, then cache hits; a failed fetch counted as failure', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const jwk = { ...(newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as object), kid: 'k1' };
    let fail = false;
    const remote = new RemoteJwks({
      fetch: async () => {
        if (fail) throw new Error('down');
        return { status: 200, headers: {}, body: Buffer.from(JSON.stringify({ keys: [jwk] })) };
      },
      observer: { fetched: (outcome) => metrics.jwksFetches.labels(outcome).inc(), cacheHit: () => metrics.jwksCacheHits.inc() },
    });
    const client = { environmentId: 'e', id: 'a', jwksUrl: 'https://keys.example/jwks' };
    await remote.keys(client);
    await remote.keys(client);
    await remote.keys(client);
    assert.equal(await value(metrics, 'keyway_jwks_url_fetches_total{outcome="success"}'), 1);
    assert.equal(await value(metrics, 'keyway_jwks_url_cache_hits_total'), 2);
    fail = true;
    await remote.refresh('e', 'a', client);
    assert.equal(await value(metrics, 'keyway_jwks_url_fetches_total{outcome="failure"}'), 1);
  });

  test('token requests are labelled by the method the credentials show, never by their values', async () => {
    const metrics = new Metrics({ processMetrics: false });
    const hs = `${b64({ alg: 'HS256' })}.${b64({ sub: 'x' })}.sig`;
    const es = `${b64({ alg: 'ES256', kid: 'k' })}.${b64({ sub: 'x' })}.sig`;
    countTokenRequest(metrics, 'Basic eDp5', toParams([['grant_type', 'client_credentials']]), 'none');
    countTokenRequest(metrics, undefined, toParams([['grant_type', 'client_credentials'], ['client_id', 'c'], ['client_secret', 's']]), 'none');
    countTokenRequest(metrics, undefined, toParams([['grant_type', 'client_credentials'], ['client_assertion', hs]]), 'invalid_client');
    countTokenRequest(metrics, undefined, toParams([['grant_type', 'authorization_code'], ['client_assertion', es]]), 'none');
    countTokenRequest(metrics, undefined, toParams([['grant_type', 'refresh_token'], ['client_id', 'public']]), 'invalid_grant');
    countTokenRequest(metrics, undefined, toParams([['grant_type', 'x-anything-a-client-sends']]), 'unsupported_grant_type');
    countTokenRequest(metrics, undefined, undefined, 'invalid_request');
    const expected: Array<[string, string, string]> = [
      ['client_credentials', 'CLIENT_SECRET_BASIC', 'none'],
      ['client_credentials', 'CLIENT_SECRET_POST', 'none'],
      ['client_credentials', 'CLIENT_SECRET_JWT', 'invalid_client'],
      ['authorization_code', 'PRIVATE_KEY_JWT', 'none'],
      ['refresh_token', 'NONE', 'invalid_grant'],
      ['other', 'NONE', 'unsupported_grant_type'],
      ['none', 'NONE', 'invalid_request'],
    ];
    for (const [grant, method, error] of expected) {
      assert.equal(await value(metrics, `keyway_token_requests_total{grant_type="${grant}",auth_method="${method}",error="${error}"}`), 1, `${grant} ${method} ${error}`);
    }
    assert.doesNotMatch(await metrics.text(), /x-anything|public/);
  });

  test('event-loop busy time grows by the time the main thread works, and the process id names this process', async () => {
    const metrics = new Metrics();
    const before = (await value(metrics, 'keyway_event_loop_active_seconds_total')) as number;
    assert.equal(typeof before, 'number');
    // 200 ms of synchronous work, then a turn of the loop so that it is accounted.
    const until = performance.now() + 200;
    while (performance.now() < until);
    await new Promise((resolve) => setImmediate(resolve));
    const after = (await value(metrics, 'keyway_event_loop_active_seconds_total')) as number;
    assert.ok(after - before >= 0.19, `active time grew by ${after - before} s`);
    assert.ok(after - before < 5, `active time grew by ${after - before} s`);
    assert.equal(await value(metrics, 'keyway_process_id'), process.pid);
  });
});
