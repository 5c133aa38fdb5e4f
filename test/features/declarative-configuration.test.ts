/**
 * Declarative configuration (README, "Declarative configuration"): a file that sets up two
 * environments is applied through `POST /v1/keyway/configuration`; tokens are issued with the
 * file's ids, client keys and signing key; the same file again changes nothing, a modified file
 * changes exactly the modified objects, a broken file changes nothing and names its line;
 * an export applied on an empty server gives the same ids and verification keys.
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { loadConfigurationText, locate } from '../../src/declarative/load.js';
import { ConfigurationError } from '../../src/declarative/errors.js';
import { clientKey, issuerOf, jwksString, jwtPayload, postForm, assertionForm, signWith, startInProcess, type ClientKey, type InProcess } from '../support/harness.js';
import { BILLING, FIXTURE, fixtureVariables, ORDERS, SIGNING_KID, WEB, WORKER } from '../support/declarative-fixture.js';
import { authorize, checkPassword, cookieOf, json, pathOf, raw, token, type WebApp, type World } from '../support/sign-in-hostile.js';

const BILLING_WORKER = '6f1d2a10-0000-4000-8000-000000000101';
const ANN = '6f1d2a10-0000-4000-8000-0000000000c1';

let variables: Record<string, string>;
let service: ClientKey;

function document(text = readFileSync(FIXTURE, 'utf8')): unknown {
  return loadConfigurationText('two-environments.yaml', text, variables).document;
}

async function apply(h: InProcess, doc: unknown, query = ''): Promise<any> {
  const reply = await h.inject('POST', `/v1/keyway/configuration${query}`, { body: doc });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

async function serviceToken(h: InProcess, envId: string, clientId: string): Promise<any> {
  const assertion = await signWith(service, clientId, { aud: issuerOf(h, envId) });
  return postForm(h, `/${envId}/as/token`, assertionForm(assertion));
}

const changes = (result: any): string[] => result.plan.filter((e: any) => e.action !== 'unchanged').map((e: any) => `${e.action} ${e.kind} ${e.id}`);

describe('declarative configuration: apply, re-apply, modify, break, export', () => {
  let h: InProcess;
  before(async () => {
    service = await clientKey('RS256');
    variables = await fixtureVariables(jwksString(service));
    h = await startInProcess();
  });
  after(() => h.close());

  test('the file creates both environments with its ids; tokens carry them and verify with the file keys', async () => {
    const result = await apply(h, document());
    assert.equal(result.summary.update, 0);
    assert.ok(result.summary.create >= 15, JSON.stringify(result.summary));
    assert.equal((await h.inject('GET', `/v1/environments/${ORDERS}`)).status, 200);
    assert.equal((await h.inject('GET', `/v1/environments/${BILLING}`)).status, 200);

    // PRIVATE_KEY_JWT with the file's jwks (RFC 7523 §2.2), for the file's resource and scope.
    const orders = await serviceToken(h, ORDERS, WORKER);
    assert.equal(orders.status, 200, JSON.stringify(orders.body));
    const header = JSON.parse(Buffer.from(orders.body.access_token.split('.')[0], 'base64url').toString());
    assert.equal(header.kid, SIGNING_KID, 'signed by the file key');
    assert.deepEqual(jwtPayload(orders.body.access_token).aud, ['https://orders.example.com']);
    const billing = await serviceToken(h, BILLING, BILLING_WORKER);
    assert.equal(billing.status, 200, JSON.stringify(billing.body));

    // The web app: its pinned secret; its grant of the file's resource.
    const web = await h.clientCredentials(ORDERS, WEB, variables.WEB_SECRET as string, 'orders:write');
    assert.equal(web.status, 200, JSON.stringify(web.body));
    const jwks = await h.app.server.inject({ method: 'GET', url: `/${ORDERS}/as/jwks` });
    assert.deepEqual(JSON.parse(jwks.body).keys.map((k: any) => k.kid), [SIGNING_KID], 'the JWKS is the file key only');

    const users = await h.inject('GET', `/v1/environments/${ORDERS}/users?filter=username eq "ann"`);
    assert.equal(users.body._embedded.users[0].id, '6f1d2a10-0000-4000-8000-0000000000c1');
    const groups = await h.inject('GET', `/v1/environments/${ORDERS}/users/6f1d2a10-0000-4000-8000-0000000000c1/memberOfGroups`);
    assert.deepEqual(groups.body._embedded.groupMemberships.map((m: any) => m.name), ['Buyers']);
    const check = await h.inject('POST', `/v1/environments/${ORDERS}/users/6f1d2a10-0000-4000-8000-0000000000c1/password`, {
      body: { password: variables.ANN_PASSWORD },
      headers: { 'content-type': 'application/vnd.pingidentity.password.check+json' },
    });
    assert.equal(check.status, 200, 'the file password is the user password');
  });

  test("the file's user signs in through the file's web app: its mappings shape the ID token and its resource's attributes the access token", async () => {
    const w: World = { h, env: ORDERS, userId: ANN, username: 'ann' };
    const app: WebApp = { id: WEB, secret: variables.WEB_SECRET as string };
    const params = { client_id: WEB, redirect_uri: 'https://orders.example.com/callback', response_type: 'code', scope: 'openid email orders:write', state: 's' };
    const started = await authorize(w, { ...params, response_mode: 'pi.flow' });
    assert.equal(started.status, 200, started.body);
    const done = await checkPassword(w, json(started).id, 'ann', variables.ANN_PASSWORD as string);
    assert.equal(done.status, 200, done.body);
    const resumed = await raw(h, 'GET', pathOf(json(done).resumeUrl), { headers: { cookie: `ST=${cookieOf(done.headers, 'ST')}` } });
    assert.equal(resumed.status, 200, resumed.body);
    const tokens = await token(w, app, { grant_type: 'authorization_code', code: json(resumed).authorizeResponse.code, redirect_uri: params.redirect_uri });
    assert.equal(tokens.status, 200, tokens.body);
    const id = jwtPayload(json(tokens).id_token);
    assert.equal(id.sub, ANN);
    assert.equal(id.department, 'Ann', 'the application attribute mapping of the file');
    const access = jwtPayload(json(tokens).access_token);
    assert.ok((access.aud as string[]).includes('https://orders.example.com'), JSON.stringify(access.aud));
    assert.equal(access.buyer_email, 'ann@example.com', "the file's resource attribute");
    const settings = await h.inject('GET', `/v1/environments/${BILLING}/clientAuthenticationSettings`);
    assert.equal(settings.body.clockToleranceSeconds, 30, "the Billing environment's client-authentication settings");
  });

  test('the same file again changes nothing', async () => {
    const result = await apply(h, document());
    assert.deepEqual(changes(result), []);
  });

  test('a modified file changes exactly the modified objects', async () => {
    const text = readFileSync(FIXTURE, 'utf8').replace('description: People who place orders.', 'description: People who buy.').replace('name: Auditors', 'name: Auditors\n        description: Read-only.');
    const dry = await apply(h, document(text), '?dryRun=true');
    assert.deepEqual(changes(dry).sort(), ['update group 6f1d2a10-0000-4000-8000-0000000000b1', 'update group 6f1d2a10-0000-4000-8000-0000000000b2']);
    assert.equal((await h.inject('GET', `/v1/environments/${ORDERS}/groups/6f1d2a10-0000-4000-8000-0000000000b1`)).body.description, 'People who place orders.', 'a dry run writes nothing');
    const result = await apply(h, document(text));
    assert.deepEqual(changes(result).sort(), changes(dry).sort());
    assert.equal((await h.inject('GET', `/v1/environments/${ORDERS}/groups/6f1d2a10-0000-4000-8000-0000000000b1`)).body.description, 'People who buy.');
    assert.deepEqual(changes(await apply(h, document(text))), []);
  });

  test('a file broken deep down changes nothing, and the error names the line and field', async () => {
    const text = readFileSync(FIXTURE, 'utf8')
      .replace('description: The orders service and its web front end.', 'description: Changed before the error.')
      .replace(/(name: Billing worker[\s\S]*?jwks: )\$\{SERVICE_JWKS\}/, '$1"{\\"keys\\": [{\\"kty\\": \\"RSA\\"}]}"');
    const loaded = loadConfigurationText('broken.yaml', text, variables);
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: loaded.document });
    assert.equal(reply.status, 400);
    const detail = reply.body.details.find((d: any) => d.target.startsWith('/environments/1/applications/0/jwks'));
    assert.ok(detail, JSON.stringify(reply.body.details));
    const [located] = locate([{ pointer: detail.target, message: detail.message }], loaded.lines);
    const jwksLine = text.split('\n').findIndex((l) => l.includes('"kty')) + 1;
    assert.equal(located?.line, jwksLine);
    assert.equal((await h.inject('GET', `/v1/environments/${ORDERS}`)).body.description, 'The orders service and its web front end.', 'nothing changed');
  });

  test('a second grant of one resource (grants are matched by resource) is found by the check pass; nothing changes', async () => {
    const doc = document() as any;
    doc.environments[0].description = 'Changed before the duplicate.';
    const web = doc.environments[0].applications.find((a: any) => a.id === WEB);
    const index = web.grants.push({ resource: { name: 'openid' }, scopes: [{ name: 'openid' }] }) - 1;
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    const appIndex = doc.environments[0].applications.indexOf(web);
    assert.deepEqual(reply.body.details.map((d: any) => d.target), [`/environments/0/applications/${appIndex}/grants/${index}`]);
    assert.match(reply.body.details[0].message, /^grant "[0-9a-f-]{36}" is listed twice\.$/);
    assert.equal((await h.inject('GET', `/v1/environments/${ORDERS}`)).body.description, 'The orders service and its web front end.', 'nothing changed');
  });

  test('a field no parser reads (a misspelling) is found by the check pass at its line, nested ones too; answer-only fields are let through', async () => {
    const text = readFileSync(FIXTURE, 'utf8')
      .replace('description: People who place orders.', 'descripton: People who place orders.')
      .replace('description: The orders service and its web front end.', 'description: Changed before the error.\n    aplications: []');
    const loaded = loadConfigurationText('typo.yaml', text, variables);
    const doc = loaded.document as any;
    doc.environments[0].users[0].name = { given: 'Ann', givn: 'Ann' };
    doc.environments[0].groups[0].createdAt = '2026-01-01T00:00:00.000Z';
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.deepEqual(reply.body.details.map((d: any) => d.target).sort(), ['/environments/0/aplications', '/environments/0/groups/0/descripton', '/environments/0/users/0/name/givn']);
    const located = locate(reply.body.details.map((d: any) => ({ pointer: d.target, message: d.message })), loaded.lines);
    const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    assert.ok(located.some((l) => l.line === lineOf('descripton:') && /no field "descripton"/.test(l.message)), JSON.stringify(located));
    assert.ok(located.some((l) => l.line === lineOf('aplications:')), JSON.stringify(located));
    assert.equal((await h.inject('GET', `/v1/environments/${ORDERS}`)).body.description, 'The orders service and its web front end.', 'nothing changed');
  });

  test('a variable that is not set is an error naming its line; $${ writes ${', () => {
    const { ANN_PASSWORD: _unset, ...rest } = variables;
    const text = readFileSync(FIXTURE, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('${ANN_PASSWORD}')) + 1;
    assert.throws(
      () => loadConfigurationText('f.yaml', text, rest),
      (err: unknown) => err instanceof ConfigurationError && err.message === `f.yaml:${line}: /environments/0/users/0/password: variable ANN_PASSWORD is not set.`,
    );
    const doc = document() as any;
    assert.equal(doc.environments[0].resources[0].attributes[0].value, '${user.email}');
  });

  test('export with secrets, applied on an empty server, gives the same ids and verification keys', async () => {
    const exported = await h.inject('GET', '/v1/keyway/configuration?includeSecrets=true');
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    const schema = JSON.parse(readFileSync(new URL('../../schema/keyway-config.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020.default({ strict: false, validateFormats: false }).compile(schema);
    assert.equal(validate(exported.body), true, `the export is valid against the shipped JSON Schema: ${JSON.stringify(validate.errors)}`);
    const fresh = await startInProcess();
    try {
      const result = await apply(fresh, exported.body);
      assert.equal(result.summary.update + result.summary.create > 0, true);
      for (const [env, app] of [[ORDERS, WORKER], [BILLING, BILLING_WORKER]] as const) {
        const token = await serviceToken(fresh, env, app);
        assert.equal(token.status, 200, JSON.stringify(token.body));
      }
      const before = JSON.parse((await h.app.server.inject({ method: 'GET', url: `/${ORDERS}/as/jwks` })).body);
      const afterwards = JSON.parse((await fresh.app.server.inject({ method: 'GET', url: `/${ORDERS}/as/jwks` })).body);
      assert.deepEqual(afterwards, before);
      const web = await fresh.clientCredentials(ORDERS, WEB, variables.WEB_SECRET as string, 'orders:write');
      assert.equal(web.status, 200, JSON.stringify(web.body));
      const again = await apply(fresh, exported.body);
      assert.deepEqual(changes(again), []);
      const reexported = await fresh.inject('GET', '/v1/keyway/configuration?includeSecrets=true');
      const withoutCaller = (doc: any) => doc.environments.filter((e: any) => e.id === ORDERS || e.id === BILLING);
      assert.deepEqual(withoutCaller(reexported.body), withoutCaller(exported.body), 'the export of what the export set up is the same document, in the same order');
    } finally {
      await fresh.close();
    }
  });
});
