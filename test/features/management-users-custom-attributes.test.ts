/**
 * Custom attribute values on users (developer.pingidentity.com, "Schemas", Custom attributes;
 * OpenAPI `SchemaAttribute`): set by name at the top level of a user body on create (also as
 * `user.import+json`), PUT and PATCH, held to the attribute's definition, returned on every read
 * (one user, a page, a filtered page); a refused write changes nothing. Disabled attributes are
 * "ignored on create/update and not returned on read"; deleting an attribute deletes its values.
 * Who may write users may write their values.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ROLES } from '../../src/management/roles.js';
import { assignRole, createApp, createEnvironment, expectDetail, expectForbidden, expectSchema, expectStatus, startInProcess, tokenFor, type InProcess, type Reply } from '../support/harness.js';

let h: InProcess;
let env: string;
let users: string;
let attributes: string;
const ids: Record<string, string> = {};

async function attribute(body: Record<string, unknown>): Promise<string> {
  return expectStatus(await h.inject('POST', attributes, { body: { enabled: true, ...body } }), 201).body.id;
}

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'custom-values-env');
  users = `/v1/environments/${env}/users`;
  const [schema] = expectStatus(await h.inject('GET', `/v1/environments/${env}/schemas`), 200).body._embedded.schemas;
  attributes = `/v1/environments/${env}/schemas/${schema.id}/attributes`;
  ids.shirtSize = await attribute({ name: 'shirtSize', enumeratedValues: [{ value: 'S' }, { value: 'M' }, { value: 'XL', archived: true }] });
  ids.nicknames = await attribute({ name: 'nicknames', multiValued: true });
  ids.employeeId = await attribute({ name: 'employeeId', unique: true, regexValidation: { pattern: 'E-[0-9]+', requirements: 'E- and digits' } });
  ids.preferences = await attribute({ name: 'preferences', type: 'JSON' });
  ids.badges = await attribute({ name: 'badges', type: 'JSON', multiValued: true });
});
after(() => h.close());

const create = (body: Record<string, unknown>, headers?: Record<string, string>) => h.inject('POST', users, headers ? { body, headers } : { body });
const get = async (id: string) => expectStatus(await h.inject('GET', `${users}/${id}`), 200).body as Record<string, any>;
const count = async () => expectStatus(await h.inject('GET', `${users}?limit=1`), 200).body.count as number;
let serial = 0;
const person = (extra: Record<string, unknown> = {}) => {
  serial += 1;
  return { username: `person-${serial}`, email: `person-${serial}@example.com`, ...extra };
};

async function patch(url: string, body: unknown): Promise<Reply> {
  const res = await h.app.server.inject({ method: 'PATCH', url, headers: { authorization: `Bearer ${h.token}` }, payload: body as object });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

const VALUES = { shirtSize: 'M', nicknames: ['Ada', 'Countess'], employeeId: 'E-1815', preferences: { theme: 'dark', panels: [1, 2] }, badges: [{ id: 'b1' }, { id: 'b2' }] };

describe('custom attribute values: stored and returned', () => {
  test('a create takes values by name at the top level; every read returns them (User schema)', async () => {
    const created = expectStatus(await create(person(VALUES)), 201).body;
    expectSchema('User', created);
    for (const [name, value] of Object.entries(VALUES)) assert.deepEqual(created[name], value, name);
    const read = await get(created.id);
    expectSchema('User', read);
    assert.deepEqual(read, created);
    const listed = expectStatus(await h.inject('GET', `${users}?limit=1000`), 200).body._embedded.users.find((u: any) => u.id === created.id);
    assert.deepEqual(listed, created);
    const filtered = expectStatus(await h.inject('GET', `${users}?filter=${encodeURIComponent(`username eq "${created.username}"`)}`), 200).body._embedded.users;
    assert.deepEqual(filtered, [created]);
  });

  test('the user.import+json media type takes values too', async () => {
    const imported = expectStatus(await create(person({ shirtSize: 'S', employeeId: 'E-7' }), { 'content-type': 'application/vnd.pingidentity.user.import+json' }), 201).body;
    assert.equal(imported.shirtSize, 'S');
    assert.equal((await get(imported.id)).employeeId, 'E-7');
  });

  test('PUT replaces the values (omitted ones are removed); PATCH merges them, null removes one', async () => {
    const created = expectStatus(await create(person({ shirtSize: 'M', nicknames: ['a'] })), 201).body;
    const url = `${users}/${created.id}`;
    const put = expectStatus(await h.inject('PUT', url, { body: { username: created.username, email: created.email, nicknames: ['b', 'c'] } }), 200).body;
    expectSchema('User', put);
    assert.equal(put.shirtSize, undefined);
    assert.deepEqual(put.nicknames, ['b', 'c']);
    const patched = expectStatus(await patch(url, { shirtSize: 'S', preferences: { a: 1 } }), 200).body;
    assert.deepEqual([patched.shirtSize, patched.nicknames, patched.preferences], ['S', ['b', 'c'], { a: 1 }]);
    const removed = expectStatus(await patch(url, { nicknames: null }), 200).body;
    assert.equal(removed.nicknames, undefined);
    assert.deepEqual(await get(created.id), removed);
  });

  test('filter on a custom attribute answers INVALID_FILTER, as before', async () => {
    const res = expectStatus(await h.inject('GET', `${users}?filter=${encodeURIComponent('shirtSize eq "M"')}`), 400);
    assert.ok(res.body.details.some((d: any) => d.code === 'INVALID_FILTER'), JSON.stringify(res.body));
  });
});

describe('custom attribute values: validation (a refused request changes nothing)', () => {
  test('type, multiplicity, enumeration, pattern, size and unknown names are refused with INVALID_DATA', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ shirtSize: 5 }, 'INVALID_VALUE', 'shirtSize'],
      [{ shirtSize: ['M'] }, 'INVALID_VALUE', 'shirtSize'],
      [{ shirtSize: 'XXL' }, 'INVALID_VALUE', 'shirtSize'],
      [{ shirtSize: 'XL' }, 'INVALID_VALUE', 'shirtSize'],
      [{ shirtSize: '  ' }, 'INVALID_VALUE', 'shirtSize'],
      [{ nicknames: 'solo' }, 'INVALID_VALUE', 'nicknames'],
      [{ nicknames: ['a', 'a'] }, 'INVALID_VALUE', 'nicknames[1]'],
      [{ nicknames: ['a', 3] }, 'INVALID_VALUE', 'nicknames[1]'],
      [{ nicknames: Array.from({ length: 1001 }, (_, i) => `n${i}`) }, 'SIZE_LIMIT_EXCEEDED', 'nicknames'],
      [{ employeeId: 'X-1' }, 'INVALID_VALUE', 'employeeId'],
      [{ preferences: 'dark' }, 'INVALID_VALUE', 'preferences'],
      [{ preferences: [{ a: 1 }] }, 'INVALID_VALUE', 'preferences'],
      [{ badges: [{ id: 1 }, 'x'] }, 'INVALID_VALUE', 'badges[1]'],
      [{ nicknames: ['x'.repeat(9000), 'y'.repeat(9000)] }, 'SIZE_LIMIT_EXCEEDED', 'nicknames'],
      [{ favouriteColour: 'blue' }, 'INVALID_VALUE', 'favouriteColour'],
      [{ ShirtSize: 'M' }, 'INVALID_VALUE', 'ShirtSize'],
    ];
    const before = await count();
    for (const [extra, code, target] of cases) {
      const res = expectStatus(await create(person(extra)), 400);
      assert.equal(res.body.code, 'INVALID_DATA');
      expectDetail(res, code, target);
    }
    assert.equal(await count(), before, 'nothing stored');
  });

  test('the pattern refusal quotes the requirements; the enumeration refusal lists the allowed values', async () => {
    const pattern = expectDetail(expectStatus(await create(person({ employeeId: 'nope' })), 400), 'INVALID_VALUE', 'employeeId');
    assert.match(String(pattern.message), /E- and digits/);
    const enumerated = expectDetail(expectStatus(await create(person({ shirtSize: 'XXL' })), 400), 'INVALID_VALUE', 'shirtSize');
    assert.deepEqual((enumerated.innerError as any).allowedValues, ['S', 'M']);
  });

  test('fields of PingOne’s User that Keyway does not keep are still taken and ignored', async () => {
    const created = expectStatus(await create(person({ mfaEnabled: true, verifyStatus: 'NOT_INITIATED' })), 201).body;
    assert.deepEqual([created.mfaEnabled, created.verifyStatus], [undefined, undefined]);
  });

  test('a unique attribute’s value held by another user is UNIQUENESS_VIOLATION, on create, PUT and PATCH', async () => {
    const holder = expectStatus(await create(person({ employeeId: 'E-42' })), 201).body;
    const before = await count();
    expectDetail(expectStatus(await create(person({ employeeId: 'E-42' })), 400), 'UNIQUENESS_VIOLATION', 'employeeId');
    assert.equal(await count(), before);
    const other = expectStatus(await create(person()), 201).body;
    const url = `${users}/${other.id}`;
    expectDetail(expectStatus(await h.inject('PUT', url, { body: { username: other.username, email: other.email, employeeId: 'E-42', shirtSize: 'S' } }), 400), 'UNIQUENESS_VIOLATION', 'employeeId');
    expectDetail(expectStatus(await patch(url, { employeeId: 'E-42', nickname: 'changed' }), 400), 'UNIQUENESS_VIOLATION', 'employeeId');
    const after = await get(other.id);
    assert.deepEqual([after.shirtSize, after.nickname, after.employeeId, after.version], [undefined, undefined, undefined, undefined]);
    assert.equal(after.updatedAt, other.updatedAt, 'unchanged');
    // The holder keeps its value through its own writes; once it lets go, another user may take it.
    expectStatus(await patch(`${users}/${holder.id}`, { shirtSize: 'S' }), 200);
    expectStatus(await patch(`${users}/${holder.id}`, { employeeId: 'E-43' }), 200);
    expectStatus(await patch(url, { employeeId: 'E-42' }), 200);
  });

  test('an archived enumerated value is kept by a user who holds it, and refused to others', async () => {
    expectStatus(await h.inject('PATCH', `${attributes}/${ids.shirtSize}`, { body: { enumeratedValues: [{ value: 'S' }, { value: 'M' }, { value: 'XL' }] } }), 200);
    const holder = expectStatus(await create(person({ shirtSize: 'XL' })), 201).body;
    expectStatus(await h.inject('PATCH', `${attributes}/${ids.shirtSize}`, { body: { enumeratedValues: [{ value: 'S' }, { value: 'M' }, { value: 'XL', archived: true }] } }), 200);
    expectStatus(await patch(`${users}/${holder.id}`, { nickname: 'keeps-xl' }), 200);
    expectStatus(await create(person({ shirtSize: 'XL' })), 400);
  });
});

describe('custom attribute values: schema changes', () => {
  test('a required attribute must be given a value on create and update', async () => {
    const id = await attribute({ name: 'costCenter' });
    const holder = expectStatus(await create(person()), 201).body;
    expectStatus(await h.inject('PATCH', `${attributes}/${id}`, { body: { required: true } }), 200);
    expectDetail(expectStatus(await create(person()), 400), 'REQUIRED_VALUE', 'costCenter');
    expectDetail(expectStatus(await patch(`${users}/${holder.id}`, { nickname: 'x' }), 400), 'REQUIRED_VALUE', 'costCenter');
    expectStatus(await create(person({ costCenter: 'CC-1' })), 201);
    expectStatus(await h.inject('DELETE', `${attributes}/${id}`), 204);
  });

  test('a disabled attribute is ignored on write and left out of reads; enabled again, its values return', async () => {
    const id = await attribute({ name: 'department' });
    const holder = expectStatus(await create(person({ department: 'Engines' })), 201).body;
    expectStatus(await h.inject('PATCH', `${attributes}/${id}`, { body: { enabled: false } }), 200);
    assert.equal((await get(holder.id)).department, undefined);
    const ignored = expectStatus(await create(person({ department: 'Ignored' })), 201).body;
    assert.equal(ignored.department, undefined);
    expectStatus(await h.inject('PUT', `${users}/${holder.id}`, { body: { username: holder.username, email: holder.email, department: 'Other' } }), 200);
    expectStatus(await h.inject('PATCH', `${attributes}/${id}`, { body: { enabled: true } }), 200);
    assert.equal((await get(holder.id)).department, 'Engines', 'kept while disabled');
    assert.equal((await get(ignored.id)).department, undefined, 'never stored');
  });

  test('deleting an attribute deletes the values users hold; a new attribute of that name starts empty', async () => {
    const id = await attribute({ name: 'locker', unique: true });
    const holder = expectStatus(await create(person({ locker: 'L1' })), 201).body;
    expectStatus(await h.inject('DELETE', `${attributes}/${id}`), 204);
    assert.equal((await get(holder.id)).locker, undefined);
    expectDetail(expectStatus(await create(person({ locker: 'L1' })), 400), 'INVALID_VALUE', 'locker');
    await attribute({ name: 'locker', unique: true });
    assert.equal((await get(holder.id)).locker, undefined);
    expectStatus(await create(person({ locker: 'L1' })), 201);
  });

  test('unique cannot be turned on while two users hold equal values', async () => {
    const id = await attribute({ name: 'deskCode' });
    expectStatus(await create(person({ deskCode: 'D1' })), 201);
    const second = expectStatus(await create(person({ deskCode: 'D1' })), 201).body;
    expectDetail(expectStatus(await h.inject('PATCH', `${attributes}/${id}`, { body: { unique: true } }), 400), 'UNIQUENESS_VIOLATION', 'unique');
    assert.equal(expectStatus(await h.inject('GET', `${attributes}/${id}`), 200).body.unique, false);
    expectStatus(await patch(`${users}/${second.id}`, { deskCode: 'D2' }), 200);
    expectStatus(await h.inject('PATCH', `${attributes}/${id}`, { body: { unique: true } }), 200);
    expectDetail(expectStatus(await create(person({ deskCode: 'D2' })), 400), 'UNIQUENESS_VIOLATION', 'deskCode');
  });

  test('a custom attribute cannot take the name of a field of PingOne’s User', async () => {
    expectDetail(expectStatus(await h.inject('POST', attributes, { body: { name: 'address', enabled: true } }), 400), 'UNIQUENESS_VIOLATION', 'name');
  });
});

describe('custom attribute values: access', () => {
  test('who may write users writes their values (Identity Data Admin); others get 403 and change nothing', async () => {
    const target = expectStatus(await create(person({ shirtSize: 'S' })), 201).body;
    const developer = await createApp(h, env, 'custom-values-developer');
    expectStatus(await assignRole(h, env, developer.id, ROLES.clientApplicationDeveloper.id, { type: 'ENVIRONMENT', id: env }), 201);
    const refused = await tokenFor(h, env, developer);
    expectForbidden(await h.inject('POST', users, { token: refused, body: person({ shirtSize: 'M' }) }));
    expectForbidden(await h.inject('PUT', `${users}/${target.id}`, { token: refused, body: { username: target.username, email: target.email, shirtSize: 'M' } }));
    assert.equal((await get(target.id)).shirtSize, 'S');

    const admin = await createApp(h, env, 'custom-values-ida');
    expectStatus(await assignRole(h, env, admin.id, ROLES.identityDataAdmin.id, { type: 'ENVIRONMENT', id: env }), 201);
    const allowed = await tokenFor(h, env, admin);
    const put = expectStatus(await h.inject('PUT', `${users}/${target.id}`, { token: allowed, body: { username: target.username, email: target.email, shirtSize: 'M' } }), 200).body;
    assert.equal(put.shirtSize, 'M');
    assert.equal(expectStatus(await h.inject('POST', users, { token: allowed, body: person({ nicknames: ['x'] }) }), 201).body.nicknames[0], 'x');
  });
});
