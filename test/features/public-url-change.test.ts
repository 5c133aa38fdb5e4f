/**
 * A restart with another KEYWAY_PUBLIC_URL, on the same data (an SQLite data directory, or a
 * PostgreSQL schema): the built-in resources' audiences are the deployment's own URLs, so they
 * follow the new one. A user access token carries the new issuer (`iss`, RFC 9068 §2.2) and, for
 * the `openid` resource, the new audience (`aud`, RFC 9068 §3: the resource the token is for),
 * never the URL the environment was created under; the resource read through /v1 says the same.
 *
 * The PostgreSQL run uses a schema of its own and is skipped when the database cannot be reached
 * (except when CI is set).
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, postgresAnswers, schemaUrl, scratchSchemaName } from '../support/e2e.js';
import { expectStatus, jwtPayload, startInProcess, type InProcess } from '../support/harness.js';
import { json, redeem, signIn, webApp, world, type WebApp, type World } from '../support/sign-in-hostile.js';

const OLD_URL = 'http://old.keyway.test';
const NEW_URL = 'https://new.keyway.test';
const PINS = {
  KEYWAY_MASTER_KEY: randomBytes(32).toString('base64'),
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '8d4a0f3e-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '9e5b1a4f-6c7d-4e8f-9a0b-1c2d3e4f5a6b',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'public-url-change-bootstrap-secret-0123456789',
};

/** The environment's `openid` resource, as /v1 lists it. */
async function openidResource(h: InProcess, env: string): Promise<Record<string, any>> {
  const list = expectStatus(await h.inject('GET', `/v1/environments/${env}/resources`), 200).body._embedded.resources as Array<Record<string, any>>;
  const found = list.find((r) => r.type === 'OPENID_CONNECT');
  assert.ok(found, 'every environment has an openid resource');
  return found;
}

/** Grants `app` the openid resource's `openid` and `profile` scopes, so its user tokens are for that resource. */
async function grantOpenid(h: InProcess, env: string, app: WebApp): Promise<void> {
  const resource = await openidResource(h, env);
  const scopes = expectStatus(await h.inject('GET', `/v1/environments/${env}/resources/${resource.id}/scopes`), 200).body._embedded.scopes as Array<Record<string, any>>;
  const ids = scopes.filter((s) => s.name === 'openid' || s.name === 'profile').map((s) => ({ id: s.id }));
  expectStatus(await h.inject('POST', `/v1/environments/${env}/applications/${app.id}/grants`, { body: { resource: { id: resource.id }, scopes: ids } }), 201);
}

function publicUrlChangeCases(engine: string, settings: () => Promise<{ env: Record<string, string>; dataDir: string }>, cleanUp: () => Promise<void>): void {
  describe(`a restart with another public URL (${engine})`, () => {
    const running: InProcess[] = [];
    after(async () => {
      for (const h of running) await h.close();
      await cleanUp();
    });

    test('user access tokens carry the openid resource audience of the new URL; /v1 shows the same', async () => {
      const { env, dataDir } = await settings();
      const before = await startInProcess({ dataDir, env: { ...env, KEYWAY_PUBLIC_URL: OLD_URL } });
      running.push(before);
      const w = await world(before, `aud-${engine}`);
      const app = await webApp(before, w.env, 'web');
      await grantOpenid(before, w.env, app);
      assert.equal((await openidResource(before, w.env)).audience, `${OLD_URL}/${w.env}/as`);
      await before.close();
      running.pop();

      const after = await startInProcess({ dataDir, env: { ...env, KEYWAY_PUBLIC_URL: NEW_URL } });
      running.push(after);
      const w2: World = { ...w, h: after };
      const { code } = await signIn(w2, app, { scope: 'openid profile' });
      const issued = await redeem(w2, app, code);
      assert.equal(issued.status, 200, issued.body);
      const claims = jwtPayload(json(issued).access_token as string);
      const issuer = `${NEW_URL}/${w.env}/as`;
      assert.equal(claims.iss, issuer);
      assert.deepEqual(claims.aud, [issuer], 'the openid resource audience follows the public URL');
      assert.equal((await openidResource(after, w.env)).audience, issuer);
    });
  });
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'keyway-public-url-'));
publicUrlChangeCases(
  'SQLite',
  async () => ({ env: PINS, dataDir: sqliteDir }),
  async () => rmSync(sqliteDir, { recursive: true, force: true }),
);

if (await postgresAnswers('a restart with another public URL on PostgreSQL')) {
  const schema = scratchSchemaName('keyway_public_url');
  const dirs: string[] = [];
  publicUrlChangeCases(
    'PostgreSQL',
    async () => {
      await adminQuery(`CREATE SCHEMA ${schema}`);
      const dataDir = mkdtempSync(join(tmpdir(), 'keyway-public-url-'));
      dirs.push(dataDir);
      return { env: { ...PINS, KEYWAY_DATABASE_URL: schemaUrl(schema) }, dataDir };
    },
    async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  );
}
