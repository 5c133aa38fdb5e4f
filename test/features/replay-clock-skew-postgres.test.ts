/**
 * Replay across instances whose clocks differ (OpenID Connect Core §9, RFC 7523 §3 item 7: a
 * `jti` is used once). Instances share one PostgreSQL schema; one runs with a clock 10 s, another
 * 30 s, ahead of the true time. A client assertion accepted at the instance with the true clock
 * is still inside its acceptance window there (`exp` plus the 15 s clock tolerance) when the fast
 * instance's purge runs; the replay record must survive that purge, so that sending the same
 * assertion again to the true-clock instance is refused. Purge cut-offs come from the database's
 * clock minus a margin (src/store/shared/purge-margin.ts), never from the clock of the instance
 * that happens to purge.
 *
 * Database: KEYWAY_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), a fresh
 * schema of its own. Skipped when the database cannot be reached, except when CI is set.
 */
import { after, before, describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { adminQuery, postgresAnswers, schemaUrl, scratchSchemaName } from '../support/e2e.js';
import {
  assertionForm,
  clientKey,
  createClient,
  createCustomScope,
  expectOAuthError,
  expectStatus,
  issuerOf,
  jwksString,
  postForm,
  signWith,
  startInProcess,
  type ClientKey,
  type InProcess,
} from '../support/harness.js';

const schema = scratchSchemaName('keyway_skew');
const SHARED = {
  KEYWAY_PUBLIC_URL: 'http://keyway.skew.test',
  KEYWAY_MASTER_KEY: randomBytes(32).toString('base64'),
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '5b2e8c1d-3f4a-4b6c-8d7e-9f0a1b2c3d4e',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '6c3f9d2e-4a5b-4c7d-9e8f-0a1b2c3d4e5f',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'clock-skew-bootstrap-secret-0123456789abcdef',
};

if (await postgresAnswers('replay across instances with skewed clocks')) {
  let truth: InProcess;
  const fast = new Map<number, InProcess>();
  let env: string;
  let clientId: string;
  let key: ClientKey;

  before(async () => {
    await adminQuery(`CREATE SCHEMA ${schema}`);
    const shared = { ...SHARED, KEYWAY_DATABASE_URL: schemaUrl(schema) };
    truth = await startInProcess({ env: shared });
    for (const skew of [10, 30]) fast.set(skew, await startInProcess({ env: shared, now: () => new Date(Date.now() + skew * 1000) }));
    env = truth.adminEnvId;
    const scope = await createCustomScope(truth, env, 'orders', 'https://orders.example', 'orders:read');
    key = await clientKey('ES256');
    clientId = await createClient(truth, env, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) }, scope);
  });

  after(async () => {
    for (const instance of [truth, ...fast.values()]) await instance?.close();
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  const tokenRequest = (h: InProcess, signed: string) => postForm(h, `/${env}/as/token`, assertionForm(signed, { scope: 'orders:read' }));

  describe('a jti record outlives every instance’s acceptance window (OpenID Connect Core §9)', () => {
    for (const skew of [10, 30]) {
      test(`an instance ${skew} s fast purges; the same assertion replayed at the true-clock instance is refused`, async () => {
        const purging = fast.get(skew) as InProcess;
        const now = Math.floor(Date.now() / 1000);
        for (let round = 0; round < 3; round++) {
          // exp 6 s ago: inside the 15 s tolerance at the true clock, past exp + tolerance at the fast one.
          const signed = await signWith(key, clientId, { aud: issuerOf(truth, env), iat: now - 60, exp: now - 6 });
          expectStatus(await tokenRequest(truth, signed), 200);
          await purging.app.purgeExpired();
          expectOAuthError(await tokenRequest(truth, signed), 401, 'invalid_client');
        }
      });
    }
  });
}
