/**
 * Claims made by attribute mappings (PingOne's "Application Attribute Mapping"): mappings created
 * through the management API shape the ID token (OpenID Connect Core §2) and the userinfo
 * response (§5.3) of the real app in-process, from the user's attributes, group names and the
 * request; `idToken`, `userInfo` and `oidcScopes` decide where a claim appears; a replaced core
 * `sub` mapping sets both subjects (§5.3.2: they must be equal); a required mapping without a
 * value refuses the code exchange (RFC 6749 §5.2 invalid_grant) without consuming the code.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { expectStatus, jwtPayload, startInProcess, type InProcess } from '../support/harness.js';
import { json, raw, redeem, signIn, webApp, world, type WebApp, type World } from '../support/sign-in-hostile.js';

let h: InProcess;
let w: World;
let app: WebApp;
let mappings: string;
let emailScopeId: string;

const create = async (body: Record<string, unknown>) => expectStatus(await h.inject('POST', mappings, { body }), 201).body;
const userinfo = async (accessToken: string) => json(await raw(h, 'GET', `/${w.env}/as/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } }));

async function tokens(): Promise<{ id: Record<string, unknown>; access: string; accessClaims: Record<string, unknown> }> {
  const { code } = await signIn(w, app);
  const reply = await redeem(w, app, code);
  assert.equal(reply.status, 200, reply.body);
  const body = json(reply);
  return { id: jwtPayload(body.id_token), access: body.access_token, accessClaims: jwtPayload(body.access_token) };
}

before(async () => {
  h = await startInProcess();
  w = await world(h, 'claims-env', 'ada');
  expectStatus(await h.inject('PATCH', `/v1/environments/${w.env}/users/${w.userId}`, { body: { name: { given: 'Ada', family: 'Lovelace' } } }), 200);
  const group = expectStatus(await h.inject('POST', `/v1/environments/${w.env}/groups`, { body: { name: 'Engineers' } }), 201).body;
  expectStatus(await h.inject('POST', `/v1/environments/${w.env}/users/${w.userId}/memberOfGroups`, { body: { id: group.id } }), 201);
  app = await webApp(h, w.env, 'claims-web');
  mappings = `/v1/environments/${w.env}/applications/${app.id}/attributes`;
  const resources = expectStatus(await h.inject('GET', `/v1/environments/${w.env}/resources`), 200).body._embedded.resources;
  const openid = resources.find((r: any) => r.type === 'OPENID_CONNECT');
  const scopes = expectStatus(await h.inject('GET', `/v1/environments/${w.env}/resources/${openid.id}/scopes`), 200).body._embedded.scopes;
  emailScopeId = scopes.find((s: any) => s.name === 'email').id;
  expectStatus(await h.inject('POST', `/v1/environments/${w.env}/applications/${app.id}/grants`, { body: { resource: { id: openid.id }, scopes: [{ id: emailScopeId }] } }), 201);
});
after(() => h.close());

describe('application attribute mappings in tokens', () => {
  test('a client with no mappings gets the standard claims only', async () => {
    const { id } = await tokens();
    assert.equal(id.sub, w.userId);
    assert.equal(id.groups, undefined);
  });

  test('mappings created through the API appear where idToken, userInfo and oidcScopes say, with their JSON types', async () => {
    await create({ name: 'groups', value: '${user.memberOfGroupNames}' });
    await create({ name: 'display', value: "${user.name.given + ' ' + user.name.family}", userInfo: false });
    await create({ name: 'shout', value: '${#string.upperCase(user.username)}', idToken: false });
    await create({ name: 'grant', value: '${#root.context.requestData.grantType}' });
    await create({ name: 'app', value: '${#root.context.appConfig.clientId}' });
    await create({ name: 'population', value: '${user.population.id}' });
    await create({ name: 'mail', value: '${user.email}', oidcScopes: [emailScopeId] });
    await create({ name: 'constant', value: 'Acme' });

    const { id, access } = await tokens();
    assert.deepEqual(id.groups, ['Engineers']);
    assert.equal(id.display, 'Ada Lovelace');
    assert.equal(id.shout, undefined, 'idToken: false');
    assert.equal(id.grant, 'authorization_code');
    assert.equal(id.app, app.id);
    assert.equal(typeof id.population, 'string');
    assert.equal(id.mail, undefined, 'released only with the email scope');
    assert.equal(id.constant, 'Acme');
    assert.equal(id.sub, w.userId);

    const info = await userinfo(access);
    assert.deepEqual(info.groups, ['Engineers']);
    assert.equal(info.shout, 'ADA');
    assert.equal(info.display, undefined, 'userInfo: false');
    assert.equal(info.mail, undefined, 'released only with the email scope');
    assert.equal(info.sub, w.userId);

    const { code } = await signIn(w, app, { scope: 'openid email' });
    const withEmail = json(await redeem(w, app, code));
    const email = expectStatus(await h.inject('GET', `/v1/environments/${w.env}/users/${w.userId}`), 200).body.email;
    assert.equal(jwtPayload(withEmail.id_token).mail, email, 'the email scope granted and requested releases it in the ID token');
    assert.equal((await userinfo(withEmail.access_token)).mail, email, 'and in userinfo');
  });

  test('a replaced core sub mapping sets the subject of the ID token and of userinfo', async () => {
    const sub = expectStatus(await h.inject('GET', mappings), 200).body._embedded.attributes.find((a: any) => a.name === 'sub');
    expectStatus(await h.inject('PUT', `${mappings}/${sub.id}`, { body: { name: 'sub', value: "${'user:' + user.username}" } }), 200);
    const { id, access, accessClaims } = await tokens();
    assert.equal(id.sub, 'user:ada');
    assert.equal((await userinfo(access)).sub, 'user:ada');
    assert.equal(accessClaims.sub, w.userId, 'the access token keeps the user id');
    expectStatus(await h.inject('PUT', `${mappings}/${sub.id}`, { body: { name: 'sub', value: '${user.id}' } }), 200);
    assert.equal((await tokens()).id.sub, w.userId);
  });

  test('a required mapping without a value refuses the code exchange with invalid_grant, and the code stays usable', async () => {
    const required = await create({ name: 'jobTitle', value: '${user.title}', required: true });
    const { code } = await signIn(w, app);
    const refused = await redeem(w, app, code);
    assert.equal(refused.status, 400, refused.body);
    assert.equal(json(refused).error, 'invalid_grant');
    expectStatus(await h.inject('DELETE', `${mappings}/${required.id}`), 204);
    const accepted = await redeem(w, app, code);
    assert.equal(accepted.status, 200, accepted.body);
  });

  test('a mapping that fails to evaluate (not required) is left out', async () => {
    const broken = await create({ name: 'deep', value: '${user.address.locality}' });
    const { id } = await tokens();
    assert.equal(Object.hasOwn(id, 'deep'), false);
    expectStatus(await h.inject('DELETE', `${mappings}/${broken.id}`), 204);
  });
});
