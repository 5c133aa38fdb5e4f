/**
 * The `openid` resource's attributes and its scopes' `mappedClaims` (OpenAPI `ResourceAttribute`,
 * `EnumResourceAttributeType`, `ResourceScope.mappedClaims`; developer.pingidentity.com,
 * "Resource Attributes" and "Resource Scopes"): the resource lists its core `sub` and the
 * standard claims Keyway releases as PREDEFINED attributes, whose value a PUT replaces (they
 * "cannot be removed; however, they can be modified"), changing the standard claim; custom attributes
 * are written on it with `idToken` and `userInfo`; a standard scope lists the custom attributes
 * it releases. A custom attribute reaches the ID token (OpenID Connect Core §2) and the userinfo
 * response (§5.3) when a granted scope maps it, with `openid` when no scope does; an application
 * mapping of the same name wins.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ROLES } from '../../src/management/roles.js';
import { assignRole, createApp, createCustomScope, expectForbidden, expectSchema, expectStatus, startInProcess, tokenFor, type InProcess } from '../support/harness.js';
import { signedInClaims, webApp, world, type WebApp, type World } from '../support/sign-in-hostile.js';

let h: InProcess;
let w: World;
let app: WebApp;
let attributes: string;
let scopesUrl: string;
const scopeIds = new Map<string, string>();
let openIdResourceId: string;
let grantUrl: string;

const list = async (): Promise<Array<Record<string, any>>> => {
  const items = expectStatus(await h.inject('GET', attributes), 200).body._embedded.attributes;
  for (const item of items) expectSchema('ResourceAttribute', item);
  return items;
};
const create = async (body: Record<string, unknown>) => {
  const created = expectStatus(await h.inject('POST', attributes, { body }), 201).body;
  expectSchema('ResourceAttribute', created);
  return created;
};
const mapScope = async (name: string, mappedClaims: string[] | undefined) => {
  const body = mappedClaims === undefined ? { name } : { name, mappedClaims };
  const reply = expectStatus(await h.inject('PUT', `${scopesUrl}/${scopeIds.get(name)}`, { body }), 200).body;
  expectSchema('ResourceScope', reply);
  return reply;
};
const readScope = async (name: string) => expectStatus(await h.inject('GET', `${scopesUrl}/${scopeIds.get(name)}`), 200).body;

const claims = (scope: string) => signedInClaims(w, app, scope);

before(async () => {
  h = await startInProcess();
  w = await world(h, 'openid-attributes-env', 'grace');
  expectStatus(await h.inject('PATCH', `/v1/environments/${w.env}/users/${w.userId}`, { body: { name: { given: 'Grace', family: 'Hopper' }, title: 'Rear Admiral' } }), 200);
  app = await webApp(h, w.env, 'openid-attributes-web');
  const resources = expectStatus(await h.inject('GET', `/v1/environments/${w.env}/resources`), 200).body._embedded.resources;
  const openid = resources.find((r: any) => r.type === 'OPENID_CONNECT');
  attributes = `/v1/environments/${w.env}/resources/${openid.id}/attributes`;
  scopesUrl = `/v1/environments/${w.env}/resources/${openid.id}/scopes`;
  for (const s of expectStatus(await h.inject('GET', scopesUrl), 200).body._embedded.scopes) scopeIds.set(s.name, s.id);
  openIdResourceId = openid.id;
  const grant = { resource: { id: openid.id }, scopes: ['profile', 'email'].map((n) => ({ id: scopeIds.get(n) })) };
  const granted = expectStatus(await h.inject('POST', `/v1/environments/${w.env}/applications/${app.id}/grants`, { body: grant }), 201).body;
  grantUrl = `/v1/environments/${w.env}/applications/${app.id}/grants/${granted.id}`;
});
after(() => h.close());

describe('the openid resource: attributes', () => {
  test('lists the core sub and the PREDEFINED standard claims with their expressions', async () => {
    const items = await list();
    const byName = new Map(items.map((a) => [a.name, a]));
    assert.deepEqual([byName.get('sub')?.type, byName.get('sub')?.value], ['CORE', '${user.id}']);
    assert.deepEqual([byName.get('given_name')?.type, byName.get('given_name')?.value], ['PREDEFINED', '${user.name.given}']);
    assert.equal(byName.get('email')?.value, '${user.email}');
    assert.equal(byName.get('phone_number')?.value, '${user.mobilePhone}');
    assert.equal(byName.get('zoneinfo')?.value, '${user.timezone}');
    const given = byName.get('given_name')!;
    assert.deepEqual(expectStatus(await h.inject('GET', `${attributes}/${given.id}`), 200).body, given);
    assert.deepEqual((await list()).map((a) => a.id), items.map((a) => a.id), 'ids are stable across reads');
  });

  test('custom attributes: created with idToken and userInfo (default true), replaced, deleted', async () => {
    const created = await create({ name: 'rank', value: '${user.title}' });
    assert.deepEqual([created.type, created.idToken, created.userInfo], ['CUSTOM', true, true]);
    const replaced = expectStatus(await h.inject('PUT', `${attributes}/${created.id}`, { body: { name: 'rank', value: 'x', idToken: false } }), 200).body;
    expectSchema('ResourceAttribute', replaced);
    assert.deepEqual([replaced.value, replaced.idToken, replaced.userInfo], ['x', false, true]);
    expectStatus(await h.inject('DELETE', `${attributes}/${created.id}`), 204);
    expectStatus(await h.inject('GET', `${attributes}/${created.id}`), 404);
  });

  test('refusals: both idToken and userInfo false, a predefined name, deleting a PREDEFINED attribute, renaming or retyping one, a bad expression', async () => {
    const both = expectStatus(await h.inject('POST', attributes, { body: { name: 'x', value: 'y', idToken: false, userInfo: false } }), 400);
    assert.equal(both.body.details[0].code, 'INVALID_VALUE');
    const taken = expectStatus(await h.inject('POST', attributes, { body: { name: 'given_name', value: 'y' } }), 400);
    assert.equal(taken.body.details[0].code, 'UNIQUENESS_VIOLATION');
    const given = (await list()).find((a) => a.name === 'given_name')!;
    // EnumResourceAttributeType: PREDEFINED attributes "cannot be removed; however, they can be modified".
    const del = expectStatus(await h.inject('DELETE', `${attributes}/${given.id}`), 400);
    assert.equal(del.body.details[0].code, 'CONSTRAINT_VIOLATION');
    const renamed = expectStatus(await h.inject('PUT', `${attributes}/${given.id}`, { body: { name: 'first_name', value: '${user.nickname}' } }), 400);
    assert.deepEqual([renamed.body.details[0].code, renamed.body.details[0].target], ['CONSTRAINT_VIOLATION', 'name']);
    const retyped = expectStatus(await h.inject('PUT', `${attributes}/${given.id}`, { body: { name: 'given_name', value: '${user.nickname}', type: 'CUSTOM' } }), 400);
    assert.deepEqual([retyped.body.details[0].code, retyped.body.details[0].target], ['CONSTRAINT_VIOLATION', 'type']);
    const hidden = expectStatus(await h.inject('PUT', `${attributes}/${given.id}`, { body: { name: 'given_name', value: '${user.nickname}', idToken: false } }), 400);
    assert.equal(hidden.body.details[0].target, 'idToken');
    const bad = expectStatus(await h.inject('PUT', `${attributes}/${given.id}`, { body: { name: 'given_name', value: '${user.name.}' } }), 400);
    assert.equal(bad.body.details[0].target, 'value');
    const missing = expectStatus(await h.inject('PUT', `${attributes}/${given.id}`, { body: { name: 'given_name' } }), 400);
    assert.equal(missing.body.details[0].target, 'value');
    assert.deepEqual((await list()).find((a) => a.name === 'given_name'), given, 'nothing stored by a refused write');
  });
});

describe('the openid resource: scopes mappedClaims', () => {
  test('a standard scope maps custom attributes; unknown ids and other resources are refused; deleting the attribute unmaps it', async () => {
    const a = await create({ name: 'mapped_a', value: 'A' });
    const b = await create({ name: 'mapped_b', value: 'B' });
    const mapped = await mapScope('phone', [a.id, b.id]);
    assert.deepEqual(mapped.mappedClaims, [a.id, b.id]);
    assert.deepEqual((await readScope('phone')).mappedClaims, [a.id, b.id]);

    const unknown = expectStatus(await h.inject('PUT', `${scopesUrl}/${scopeIds.get('phone')}`, { body: { name: 'phone', mappedClaims: ['00000000-0000-4000-8000-000000000000'] } }), 400);
    assert.deepEqual([unknown.body.details[0].code, unknown.body.details[0].target], ['INVALID_VALUE', 'mappedClaims[0]']);
    const sub = (await list()).find((x) => x.name === 'sub')!;
    expectStatus(await h.inject('PUT', `${scopesUrl}/${scopeIds.get('phone')}`, { body: { name: 'phone', mappedClaims: [sub.id] } }), 400);
    assert.deepEqual((await readScope('phone')).mappedClaims, [a.id, b.id], 'nothing stored by a refused write');

    const custom = await createCustomScope(h, w.env, 'mapped-api', 'https://mapped.example', 'mapped:read');
    const customScopes = `/v1/environments/${w.env}/resources/${custom.resourceId}/scopes`;
    const other = expectStatus(await h.inject('POST', customScopes, { body: { name: 'mapped:write', mappedClaims: [a.id] } }), 400);
    assert.deepEqual([other.body.details[0].code, other.body.details[0].target], ['INVALID_VALUE', 'mappedClaims']);

    expectStatus(await h.inject('DELETE', `${attributes}/${a.id}`), 204);
    assert.deepEqual((await readScope('phone')).mappedClaims, [b.id]);
    expectStatus(await h.inject('DELETE', `${attributes}/${b.id}`), 204);
    assert.equal(Object.hasOwn(await readScope('phone'), 'mappedClaims'), false);
  });

  test('roles: Environment Admin writes attributes and mappedClaims, Identity Data Admin gets 403', async () => {
    const roleEnv = h.adminEnvId;
    const resources = expectStatus(await h.inject('GET', `/v1/environments/${roleEnv}/resources`), 200).body._embedded.resources;
    const openid = resources.find((r: any) => r.type === 'OPENID_CONNECT');
    const roleAttributes = `/v1/environments/${roleEnv}/resources/${openid.id}/attributes`;
    const roleScopes = `/v1/environments/${roleEnv}/resources/${openid.id}/scopes`;
    const profile = expectStatus(await h.inject('GET', roleScopes), 200).body._embedded.scopes.find((s: any) => s.name === 'profile');
    const tokenWith = async (name: string, roleId: string) => {
      const client = await createApp(h, roleEnv, name);
      expectStatus(await assignRole(h, roleEnv, client.id, roleId, { type: 'ENVIRONMENT', id: roleEnv }), 201);
      return tokenFor(h, roleEnv, client);
    };
    const admin = await tokenWith('oidc-attr-env-admin', ROLES.environmentAdmin.id);
    const dataAdmin = await tokenWith('oidc-attr-data-admin', ROLES.identityDataAdmin.id);
    const created = expectStatus(await h.inject('POST', roleAttributes, { token: admin, body: { name: 'tier', value: 'x' } }), 201).body;
    expectForbidden(await h.inject('POST', roleAttributes, { token: dataAdmin, body: { name: 'other', value: 'x' } }));
    expectForbidden(await h.inject('PUT', `${roleAttributes}/${created.id}`, { token: dataAdmin, body: { name: 'tier', value: 'y' } }));
    expectForbidden(await h.inject('DELETE', `${roleAttributes}/${created.id}`, { token: dataAdmin }));
    expectForbidden(await h.inject('PUT', `${roleScopes}/${profile.id}`, { token: dataAdmin, body: { name: 'profile', mappedClaims: [created.id] } }));
    const mapped = expectStatus(await h.inject('PUT', `${roleScopes}/${profile.id}`, { token: admin, body: { name: 'profile', mappedClaims: [created.id] } }), 200).body;
    assert.deepEqual(mapped.mappedClaims, [created.id]);
    expectStatus(await h.inject('DELETE', `${roleAttributes}/${created.id}`, { token: admin }), 204);
  });
});

describe('the openid resource: custom attributes released', () => {
  test('per scope in mappedClaims, with openid when unmapped, where idToken and userInfo say; an application mapping wins', async () => {
    const rank = await create({ name: 'rank', value: '${user.title}' });
    const contact = await create({ name: 'contact', value: "${'mail:' + user.email}", idToken: false });
    await create({ name: 'everywhere', value: 'always' });
    const clash = await create({ name: 'clash', value: 'from-resource' });
    await mapScope('profile', [rank.id, clash.id]);
    await mapScope('email', [contact.id]);

    const profile = await claims('openid profile');
    assert.equal(profile.id.rank, 'Rear Admiral');
    assert.equal(profile.info.rank, 'Rear Admiral');
    assert.equal(profile.id.contact, undefined, 'the email scope was not requested');
    assert.equal(profile.id.everywhere, 'always', 'mapped by no scope: released with openid');
    assert.equal(profile.info.everywhere, 'always');
    assert.equal(profile.id.clash, 'from-resource');
    assert.equal(profile.id.given_name, 'Grace', 'the standard claims stay');

    const email = await claims('openid email');
    assert.equal(email.id.rank, undefined, 'the profile scope was not requested');
    assert.equal(email.id.contact, undefined, 'idToken: false');
    assert.equal(typeof email.info.email, 'string');
    assert.equal(email.info.contact, `mail:${String(email.info.email)}`);

    const appMappings = `/v1/environments/${w.env}/applications/${app.id}/attributes`;
    expectStatus(await h.inject('POST', appMappings, { body: { name: 'clash', value: 'from-application' } }), 201);
    const again = await claims('openid profile');
    assert.equal(again.id.clash, 'from-application');
    assert.equal(again.info.clash, 'from-application');

    await mapScope('profile', undefined);
    const unmapped = await claims('openid');
    assert.equal(unmapped.id.rank, 'Rear Admiral', 'no scope maps it any more: released with openid');
  });
});

describe('the openid resource: PREDEFINED attributes modified', () => {
  const byName = async (name: string) => (await list()).find((a) => a.name === name)!;
  const put = async (id: string, body: Record<string, unknown>) => {
    const reply = expectStatus(await h.inject('PUT', `${attributes}/${id}`, { body }), 200).body;
    expectSchema('ResourceAttribute', reply);
    return reply;
  };

  test('PUT replaces the value: read back, and the claim changes in the ID token and userinfo for the same scope; the default expression restores it', async () => {
    const given = await byName('given_name');
    const replaced = await put(given.id, { name: 'given_name', value: "${'Adm. ' + user.name.given}", type: 'PREDEFINED' });
    assert.deepEqual([replaced.id, replaced.name, replaced.type, replaced.value], [given.id, 'given_name', 'PREDEFINED', "${'Adm. ' + user.name.given}"]);
    assert.deepEqual(expectStatus(await h.inject('GET', `${attributes}/${given.id}`), 200).body, replaced);
    const listed = await list();
    assert.deepEqual(listed.find((a) => a.name === 'given_name'), replaced);
    assert.equal(listed.filter((a) => a.name === 'given_name').length, 1, 'listed once');

    // OpenID Connect Core 1.0 §5.4: given_name is released with the profile scope.
    const profile = await claims('openid profile');
    assert.equal(profile.id.given_name, 'Adm. Grace');
    assert.equal(profile.info.given_name, 'Adm. Grace');
    assert.equal(profile.id.family_name, 'Hopper', 'other standard claims keep their built-in values');
    const bare = await claims('openid email');
    assert.equal(bare.id.given_name, undefined, 'not released without the profile scope');
    assert.equal(bare.info.given_name, undefined);

    const again = await put(given.id, { value: '${user.title}' });
    assert.equal(again.value, '${user.title}');
    assert.equal((await claims('openid profile')).info.given_name, 'Rear Admiral');

    const restored = await put(given.id, { name: 'given_name', value: '${user.name.given}' });
    assert.deepEqual(restored, given, 'the built-in attribute is back');
    const back = await claims('openid profile');
    assert.equal(back.id.given_name, 'Grace');
    assert.equal(back.info.given_name, 'Grace');
  });

  test('a modified claim without a value is left out, not replaced by the built-in one; email under the email scope', async () => {
    const family = await byName('family_name');
    await put(family.id, { value: '${user.nickname}' });
    const email = await byName('email');
    await put(email.id, { value: "${'grace@navy.example'}" });
    const { id, info } = await claims('openid profile email');
    assert.equal(Object.hasOwn(id, 'family_name'), false);
    assert.equal(Object.hasOwn(info, 'family_name'), false);
    assert.equal(id.email, 'grace@navy.example');
    assert.equal(info.email, 'grace@navy.example');
    await put(family.id, { value: '${user.name.family}' });
    await put(email.id, { value: '${user.email}' });
    const back = await claims('openid profile email');
    assert.equal(back.info.family_name, 'Hopper');
    assert.notEqual(back.info.email, 'grace@navy.example');
  });

  test('an application mapping of the same name wins over a modified PREDEFINED attribute', async () => {
    const nickname = await byName('nickname');
    await put(nickname.id, { value: 'from-resource' });
    const appMappings = `/v1/environments/${w.env}/applications/${app.id}/attributes`;
    const mapping = expectStatus(await h.inject('POST', appMappings, { body: { name: 'nickname', value: 'from-application' } }), 201).body;
    assert.equal((await claims('openid profile')).info.nickname, 'from-application');
    expectStatus(await h.inject('DELETE', `${appMappings}/${mapping.id}`), 204);
    assert.equal((await claims('openid profile')).info.nickname, 'from-resource');
    await put(nickname.id, { value: '${user.nickname}' });
  });

  test('roles: Environment Admin modifies a PREDEFINED attribute, Identity Data Admin gets 403', async () => {
    const roleEnv = h.adminEnvId;
    const resources = expectStatus(await h.inject('GET', `/v1/environments/${roleEnv}/resources`), 200).body._embedded.resources;
    const openid = resources.find((r: any) => r.type === 'OPENID_CONNECT');
    const roleAttributes = `/v1/environments/${roleEnv}/resources/${openid.id}/attributes`;
    const locale = expectStatus(await h.inject('GET', roleAttributes), 200).body._embedded.attributes.find((a: any) => a.name === 'locale');
    const tokenWith = async (name: string, roleId: string) => {
      const client = await createApp(h, roleEnv, name);
      expectStatus(await assignRole(h, roleEnv, client.id, roleId, { type: 'ENVIRONMENT', id: roleEnv }), 201);
      return tokenFor(h, roleEnv, client);
    };
    const admin = await tokenWith('oidc-predef-env-admin', ROLES.environmentAdmin.id);
    const dataAdmin = await tokenWith('oidc-predef-data-admin', ROLES.identityDataAdmin.id);
    expectForbidden(await h.inject('PUT', `${roleAttributes}/${locale.id}`, { token: dataAdmin, body: { value: "${'fr'}" } }));
    assert.equal(expectStatus(await h.inject('GET', `${roleAttributes}/${locale.id}`), 200).body.value, '${user.locale}');
    const modified = expectStatus(await h.inject('PUT', `${roleAttributes}/${locale.id}`, { token: admin, body: { value: "${'fr'}" } }), 200).body;
    assert.equal(modified.value, "${'fr'}");
    expectForbidden(await h.inject('DELETE', `${roleAttributes}/${locale.id}`, { token: dataAdmin }));
    expectStatus(await h.inject('DELETE', `${roleAttributes}/${locale.id}`, { token: admin }), 400);
    expectStatus(await h.inject('PUT', `${roleAttributes}/${locale.id}`, { token: admin, body: { value: '${user.locale}' } }), 200);
  });
});

describe('the openid resource: custom scopes', () => {
  test('POST creates one with mappedClaims; granted, it is requested and releases its attributes in the ID token and userinfo; DELETE removes it from the grant', async () => {
    const service = await create({ name: 'service_branch', value: "${'US Navy'}" });
    const created = expectStatus(await h.inject('POST', scopesUrl, { body: { name: 'navy', description: 'Service record', mappedClaims: [service.id] } }), 201).body;
    expectSchema('ResourceScope', created);
    assert.deepEqual([created.name, created.mappedClaims, created.resource.id], ['navy', [service.id], openIdResourceId]);
    const taken = expectStatus(await h.inject('POST', scopesUrl, { body: { name: 'navy' } }), 400);
    assert.equal(taken.body.details[0].code, 'UNIQUENESS_VIOLATION');
    const bad = expectStatus(await h.inject('POST', scopesUrl, { body: { name: 'bad', mappedClaims: ['00000000-0000-4000-8000-000000000000'] } }), 400);
    assert.equal(bad.body.details[0].target, 'mappedClaims[0]');

    const scopes = ['profile', 'email'].map((n) => ({ id: scopeIds.get(n) })).concat([{ id: created.id }]);
    expectStatus(await h.inject('PUT', grantUrl, { body: { resource: { id: openIdResourceId }, scopes } }), 200);
    const withNavy = await claims('openid navy');
    assert.equal(withNavy.id.service_branch, 'US Navy');
    assert.equal(withNavy.info.service_branch, 'US Navy');
    assert.equal(withNavy.id.given_name, undefined, 'the profile scope was not requested');
    const without = await claims('openid profile');
    assert.equal(without.id.service_branch, undefined, 'mapped to navy only');

    const renamed = expectStatus(await h.inject('PUT', `${scopesUrl}/${created.id}`, { body: { name: 'fleet', mappedClaims: [service.id] } }), 200).body;
    assert.equal(renamed.name, 'fleet', 'a custom scope can be renamed');
    assert.equal((await claims('openid fleet')).info.service_branch, 'US Navy');

    expectStatus(await h.inject('DELETE', `${scopesUrl}/${created.id}`), 204);
    expectStatus(await h.inject('GET', `${scopesUrl}/${created.id}`), 404);
    const grant = expectStatus(await h.inject('GET', grantUrl), 200).body;
    assert.deepEqual(grant.scopes.map((s: { id: string }) => s.id).sort(), ['profile', 'email'].map((n) => scopeIds.get(n)).sort());
    expectStatus(await h.inject('DELETE', `${attributes}/${service.id}`), 204);
  });

  test('roles: Environment Admin creates and deletes a custom openid scope, Identity Data Admin gets 403', async () => {
    const roleEnv = h.adminEnvId;
    const resources = expectStatus(await h.inject('GET', `/v1/environments/${roleEnv}/resources`), 200).body._embedded.resources;
    const openid = resources.find((r: any) => r.type === 'OPENID_CONNECT');
    const roleScopes = `/v1/environments/${roleEnv}/resources/${openid.id}/scopes`;
    const tokenWith = async (name: string, roleId: string) => {
      const client = await createApp(h, roleEnv, name);
      expectStatus(await assignRole(h, roleEnv, client.id, roleId, { type: 'ENVIRONMENT', id: roleEnv }), 201);
      return tokenFor(h, roleEnv, client);
    };
    const admin = await tokenWith('oidc-scope-env-admin', ROLES.environmentAdmin.id);
    const dataAdmin = await tokenWith('oidc-scope-data-admin', ROLES.identityDataAdmin.id);
    expectForbidden(await h.inject('POST', roleScopes, { token: dataAdmin, body: { name: 'crew' } }));
    const created = expectStatus(await h.inject('POST', roleScopes, { token: admin, body: { name: 'crew' } }), 201).body;
    expectForbidden(await h.inject('DELETE', `${roleScopes}/${created.id}`, { token: dataAdmin }));
    expectStatus(await h.inject('DELETE', `${roleScopes}/${created.id}`, { token: admin }), 204);
  });
});
