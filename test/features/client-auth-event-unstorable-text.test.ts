/**
 * A client assertion whose header `kid` holds U+0000 is refused (RFC 7523 §3: the JWT is
 * invalid for this client; answered with the generic `invalid_client` of RFC 6749 §5.2), and the
 * refusal is recorded like any other: PostgreSQL text cannot hold U+0000, so the event stores it
 * written as the six characters `\u0000`, on both engines alike (src/store/shared/text.ts), and
 * the administrator reads it so through GET …/applications/{appId}/clientAuthEvents.
 *
 * Runs on SQLite, and on PostgreSQL (a schema of its own) unless the database cannot be reached
 * (except when CI is set).
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { adminQuery, postgresAnswers, schemaUrl, scratchSchemaName } from '../support/e2e.js';
import {
  assertionForm,
  clientAuthEvents,
  clientKey,
  createClient,
  createCustomScope,
  createEnvironment,
  expectOAuthError,
  issuerOf,
  jwksString,
  postForm,
  signWith,
  startInProcess,
  type InProcess,
} from '../support/harness.js';

const schema = scratchSchemaName('keyway_nul');

function unstorableKidCases(engine: string, start: () => Promise<InProcess>, cleanUp: () => Promise<void> = async () => {}): void {
  describe(`a kid holding U+0000 (${engine})`, () => {
    let h: InProcess;
    before(async () => {
      h = await start();
    });
    after(async () => {
      await h?.close();
      await cleanUp();
    });

    test('is refused, and the refusal is recorded with the kid written as \\u0000', async () => {
      const envId = await createEnvironment(h, `nul-${engine}`);
      const scope = await createCustomScope(h, envId, 'orders', 'https://orders.example', 'orders:read');
      const key = await clientKey('ES256');
      const clientId = await createClient(h, envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(key) }, scope);
      const signed = await signWith(key, clientId, { aud: issuerOf(h, envId), header: { kid: `key\u0000one` } });
      expectOAuthError(await postForm(h, `/${envId}/as/token`, assertionForm(signed, { scope: 'orders:read' })), 401, 'invalid_client');
      const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
      assert.equal(events.length, 1, 'the refusal left an event');
      const [event] = events as [Record<string, any>];
      assert.equal(event.outcome, 'FAILURE');
      assert.equal(event.kid, 'key\\u0000one');
      for (const value of Object.values(event)) if (typeof value === 'string') assert.ok(!value.includes('\u0000'), 'no U+0000 left in any field');
    });
  });
}

unstorableKidCases('SQLite', () => startInProcess());

if (await postgresAnswers('a kid holding U+0000 on PostgreSQL')) {
  unstorableKidCases(
    'PostgreSQL',
    async () => {
      await adminQuery(`CREATE SCHEMA ${schema}`);
      return startInProcess({ env: { KEYWAY_DATABASE_URL: schemaUrl(schema) } });
    },
    async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  );
}
