/**
 * Application attribute mappings (OpenAPI readAllApplicationAttributeMappings,
 * createApplicationAttributeMapping, readOneApplicationAttributeMapping,
 * updateApplicationAttributeMapping, deleteApplicationAttributeMapping; developer.pingidentity.com,
 * "Application Attribute Mapping"): every application has the core `sub` mapping, whose value can
 * be replaced but which cannot be created again or deleted; custom mappings are created, read,
 * replaced and deleted, each an `ApplicationAttributeMapping`; values are expressions parsed
 * when written; reserved claim names are refused; a bad body stores nothing; Client Application
 * Developer writes, Environment Admin reads, Identity Data Admin gets 403.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ROLES } from '../../src/management/roles.js';
import { assignRole, createApp, createEnvironment, expectForbidden, expectSchema, expectStatus, startInProcess, tokenFor, type InProcess } from '../support/harness.js';

let h: InProcess;
let env: string;
let appId: string;
let url: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'app-attributes-env');
  appId = (await createApp(h, env, 'claims-app', 'WEB_APP')).id;
  url = `/v1/environments/${env}/applications/${appId}/attributes`;
});
after(() => h.close());

const list = async (): Promise<Array<Record<string, any>>> => {
  // EntityArray's oneOf cannot tell its member schemas apart (none closes its properties), so
  // each item is checked against ApplicationAttributeMapping instead.
  const items = expectStatus(await h.inject('GET', url), 200).body._embedded.attributes;
  for (const item of items) expectSchema('ApplicationAttributeMapping', item);
  return items;
};

describe('application attribute mappings', () => {
  test('a new application lists its core sub mapping, readable by id', async () => {
    const [sub, ...rest] = await list();
    assert.equal(rest.length, 0);
    expectSchema('ApplicationAttributeMapping', sub);
    assert.deepEqual({ name: sub!.name, value: sub!.value, mappingType: sub!.mappingType, required: sub!.required }, { name: 'sub', value: '${user.id}', mappingType: 'CORE', required: true });
    assert.deepEqual(expectStatus(await h.inject('GET', `${url}/${sub!.id}`), 200).body, sub);
    assert.equal(sub!._links.self.href.endsWith(`/applications/${appId}/attributes/${sub!.id}`), true);
  });

  test('the application link to its attributes answers (no longer 501)', async () => {
    const app = expectStatus(await h.inject('GET', `/v1/environments/${env}/applications/${appId}`), 200).body;
    const href = new URL(app._links.attributes.href);
    expectStatus(await h.inject('GET', href.pathname), 200);
  });

  test('POST creates a CUSTOM mapping with PingOne defaults; GET, PUT and DELETE follow', async () => {
    const created = expectStatus(await h.inject('POST', url, { body: { name: 'groups', value: '${user.memberOfGroupNames}' } }), 201).body;
    expectSchema('ApplicationAttributeMapping', created);
    assert.deepEqual(
      { mappingType: created.mappingType, required: created.required, idToken: created.idToken, userInfo: created.userInfo },
      { mappingType: 'CUSTOM', required: false, idToken: true, userInfo: true },
    );
    assert.equal(created.application.id, appId);
    assert.deepEqual(expectStatus(await h.inject('GET', `${url}/${created.id}`), 200).body, created);

    const replaced = expectStatus(await h.inject('PUT', `${url}/${created.id}`, { body: { name: 'roles', value: "${user.memberOfGroupNames.![#string.upperCase(#this)]}", required: true, userInfo: false } }), 200).body;
    expectSchema('ApplicationAttributeMapping', replaced);
    assert.deepEqual({ name: replaced.name, required: replaced.required, userInfo: replaced.userInfo, idToken: replaced.idToken }, { name: 'roles', required: true, userInfo: false, idToken: true });
    expectStatus(await h.inject('DELETE', `${url}/${created.id}`), 204);
    expectStatus(await h.inject('GET', `${url}/${created.id}`), 404);
    expectStatus(await h.inject('DELETE', `${url}/${created.id}`), 404);
  });

  test('the core sub mapping: its value can be replaced; creating sub again is a uniqueness error; it cannot be deleted', async () => {
    const sub = (await list()).find((a) => a.name === 'sub')!;
    const res = expectStatus(await h.inject('POST', url, { body: { name: 'sub', value: '${user.username}' } }), 400);
    assert.equal(res.body.code, 'INVALID_DATA');
    assert.equal(res.body.details[0].code, 'UNIQUENESS_VIOLATION');
    const replaced = expectStatus(await h.inject('PUT', `${url}/${sub.id}`, { body: { name: 'sub', value: '${user.username}' } }), 200).body;
    assert.deepEqual({ id: replaced.id, value: replaced.value, mappingType: replaced.mappingType, required: replaced.required }, { id: sub.id, value: '${user.username}', mappingType: 'CORE', required: true });
    expectStatus(await h.inject('PUT', `${url}/${sub.id}`, { body: { name: 'subject', value: '${user.id}' } }), 400);
    const del = expectStatus(await h.inject('DELETE', `${url}/${sub.id}`), 400);
    assert.equal(del.body.code, 'INVALID_DATA');
    expectStatus(await h.inject('PUT', `${url}/${sub.id}`, { body: { name: 'sub', value: '${user.id}' } }), 200);
    assert.equal((await list()).filter((a) => a.name === 'sub').length, 1);
  });

  test('names are unique per application; reserved claim names are refused with the list', async () => {
    expectStatus(await h.inject('POST', url, { body: { name: 'dept', value: 'Sales' } }), 201);
    const dup = expectStatus(await h.inject('POST', url, { body: { name: 'dept', value: 'Other' } }), 400);
    assert.equal(dup.body.details[0].code, 'UNIQUENESS_VIOLATION');
    assert.equal(expectStatus(await h.inject('POST', url, { body: { name: '__proto__', value: 'x' } }), 400).body.details[0].target, 'name');
    for (const name of ['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'auth_time', 'nonce', 'acr', 'amr', 'at_hash', 'sid', 'client_id', 'scope', 'p1.anything']) {
      const res = expectStatus(await h.inject('POST', url, { body: { name, value: 'x' } }), 400);
      assert.equal(res.body.details[0].target, 'name', name);
      assert.match(res.body.details[0].message, /iss, jti/);
    }
  });

  test('a value that does not parse is 400 INVALID_DATA with the position and what was expected; nothing is stored', async () => {
    const before = (await list()).length;
    const cases: Array<[string, RegExp]> = [
      ["${user.name.given +}", /character 20: expected a value/],
      ['${account.id}', /expected an attribute root \(user, context\)/],
      ["${#string.reverse(user.email)}", /expected a function of #string/],
      ["${#regex.findAllMatches(user.email, '(a+)+')}", /expected a pattern without a repeated group/],
      ["${#datetime.format(user.createdAt, 'yyyy ww')}", /character 36: expected a supported date-time pattern \(pattern letter w/],
      ["${#string.format('%tY', user.createdAt)}", /expected a format without %t/],
      ['${user.email', /expected '}' closing/],
      ['${T(java.lang.Runtime).getRuntime()}', /character 3/],
    ];
    for (const [value, message] of cases) {
      const res = expectStatus(await h.inject('POST', url, { body: { name: 'broken', value } }), 400);
      assert.equal(res.body.code, 'INVALID_DATA');
      assert.equal(res.body.details[0].target, 'value');
      assert.match(res.body.details[0].message, message, value);
    }
    assert.equal((await list()).length, before);
  });

  test('other bad bodies: both outputs off, oidcScopes empty or not granted, wrong mappingType', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'a', value: 'x', idToken: false, userInfo: false }, 'idToken'],
      [{ name: 'a', value: 'x', oidcScopes: [] }, 'oidcScopes'],
      [{ name: 'a', value: 'x', oidcScopes: ['8a4c6f0e-9b1d-4c2e-8f3a-5d6b7c8e9f01'] }, 'oidcScopes[0]'],
      [{ name: 'a', value: 'x', mappingType: 'CORE' }, 'mappingType'],
      [{ name: 'a' }, 'value'],
      [{ value: 'x' }, 'name'],
    ];
    for (const [body, target] of cases) {
      const res = expectStatus(await h.inject('POST', url, { body }), 400);
      assert.ok(res.body.details.some((d: any) => d.target === target), `${JSON.stringify(body)}: ${JSON.stringify(res.body.details)}`);
    }
  });

  test('oidcScopes takes the ids of granted openid-resource scopes', async () => {
    const resources = expectStatus(await h.inject('GET', `/v1/environments/${env}/resources`), 200).body._embedded.resources;
    const openid = resources.find((r: any) => r.type === 'OPENID_CONNECT');
    const scopes = expectStatus(await h.inject('GET', `/v1/environments/${env}/resources/${openid.id}/scopes`), 200).body._embedded.scopes;
    const email = scopes.find((s: any) => s.name === 'email');
    const openidScope = scopes.find((s: any) => s.name === 'openid');
    expectStatus(await h.inject('POST', `/v1/environments/${env}/applications/${appId}/grants`, { body: { resource: { id: openid.id }, scopes: [{ id: email.id }, { id: openidScope.id }] } }), 201);
    const created = expectStatus(await h.inject('POST', url, { body: { name: 'mail', value: '${user.email}', oidcScopes: [email.id] } }), 201).body;
    assert.deepEqual(created.oidcScopes, [email.id]);
    expectSchema('ApplicationAttributeMapping', created);
  });

  test('an unknown application or mapping is 404', async () => {
    expectStatus(await h.inject('GET', `/v1/environments/${env}/applications/8a4c6f0e-9b1d-4c2e-8f3a-5d6b7c8e9f01/attributes`), 404);
    expectStatus(await h.inject('GET', `${url}/8a4c6f0e-9b1d-4c2e-8f3a-5d6b7c8e9f01`), 404);
  });

  test('roles: Client Application Developer writes, Environment Admin reads only, Identity Data Admin gets 403', async () => {
    const roleEnv = h.adminEnvId;
    const target = await createApp(h, roleEnv, 'attr-target', 'WEB_APP');
    const roleUrl = `/v1/environments/${roleEnv}/applications/${target.id}/attributes`;
    const tokenWith = async (name: string, roleId: string) => {
      const app = await createApp(h, roleEnv, name);
      expectStatus(await assignRole(h, roleEnv, app.id, roleId, { type: 'ENVIRONMENT', id: roleEnv }), 201);
      return tokenFor(h, roleEnv, app);
    };
    const developer = await tokenWith('attr-map-developer', ROLES.clientApplicationDeveloper.id);
    const created = expectStatus(await h.inject('POST', roleUrl, { token: developer, body: { name: 'dept', value: 'x' } }), 201).body;
    expectStatus(await h.inject('PUT', `${roleUrl}/${created.id}`, { token: developer, body: { name: 'dept', value: 'y' } }), 200);
    const envAdmin = await tokenWith('attr-map-env-admin', ROLES.environmentAdmin.id);
    expectStatus(await h.inject('GET', roleUrl, { token: envAdmin }), 200);
    expectStatus(await h.inject('GET', `${roleUrl}/${created.id}`, { token: envAdmin }), 200);
    expectForbidden(await h.inject('POST', roleUrl, { token: envAdmin, body: { name: 'other', value: 'x' } }));
    expectForbidden(await h.inject('PUT', `${roleUrl}/${created.id}`, { token: envAdmin, body: { name: 'dept', value: 'z' } }));
    expectForbidden(await h.inject('DELETE', `${roleUrl}/${created.id}`, { token: envAdmin }));
    const dataAdmin = await tokenWith('attr-map-data-admin', ROLES.identityDataAdmin.id);
    expectForbidden(await h.inject('GET', roleUrl, { token: dataAdmin }));
    expectStatus(await h.inject('DELETE', `${roleUrl}/${created.id}`, { token: developer }), 204);
  });
});
