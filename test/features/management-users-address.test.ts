/**
 * The standard user attributes `address`, `photo`, `primaryPhone`, `accountId` and `type`
 * (OpenAPI `User`, `User_address`, `User_photo`; `accountId` is a standard attribute of PingOne's
 * user schema, "Account ID"): kept on create, PUT and PATCH, answered as PingOne's `User`, held
 * to PingOne's bounds and patterns with details targeting the field, unset by an explicit null,
 * and listed by the User schema.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createEnvironment, expectDetail, expectSchema, expectStatus, startInProcess, type InProcess, type Reply } from '../support/harness.js';

let h: InProcess;
let env: string;
let base: string;

before(async () => {
  h = await startInProcess();
  env = await createEnvironment(h, 'users-address-env');
  base = `/v1/environments/${env}/users`;
});
after(() => h.close());

const create = (body: unknown) => h.inject('POST', base, { body });
const count = async () => expectStatus(await h.inject('GET', `${base}?limit=1`), 200).body.count as number;

/** The harness has no PATCH; Fastify's inject does. */
async function patch(url: string, body: unknown): Promise<Reply> {
  const res = await h.app.server.inject({ method: 'PATCH', url, headers: { authorization: `Bearer ${h.token}` }, payload: body as object });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

const ADDRESS = { streetAddress: '12 Main Street\nApt. 4', locality: 'Springfield', region: 'IL', postalCode: '62701', countryCode: 'US' };
const EXTRA = {
  address: ADDRESS,
  photo: { href: 'https://images.example.com/ada.png' },
  primaryPhone: '+1 (555) 010-0199',
  accountId: 'acct-1815',
  type: 'Employee',
};

describe('users: address, photo, primaryPhone, accountId, type', () => {
  test('POST keeps them, GET and the list answer them as PingOne’s User', async () => {
    const created = expectStatus(await create({ username: 'addr.create', email: 'ac@example.com', ...EXTRA }), 201).body;
    expectSchema('User', created);
    for (const [key, value] of Object.entries(EXTRA)) assert.deepEqual(created[key], value, key);
    const read = expectStatus(await h.inject('GET', `${base}/${created.id}`), 200).body;
    expectSchema('User', read);
    for (const [key, value] of Object.entries(EXTRA)) assert.deepEqual(read[key], value, key);
    const listed = expectStatus(await h.inject('GET', base), 200).body._embedded.users.find((u: { id: string }) => u.id === created.id);
    expectSchema('User', listed);
    assert.deepEqual(listed.address, ADDRESS);
  });

  test('PUT replaces them (omitted ones are removed); PATCH replaces a top-level object whole; null unsets', async () => {
    const created = expectStatus(await create({ username: 'addr.replace', email: 'ar@example.com', ...EXTRA }), 201).body;
    const url = `${base}/${created.id}`;
    const put = expectStatus(await h.inject('PUT', url, { body: { username: 'addr.replace', email: 'ar@example.com', address: { locality: 'Paris', countryCode: 'FR' }, type: 'Contractor' } }), 200).body;
    expectSchema('User', put);
    assert.deepEqual(put.address, { locality: 'Paris', countryCode: 'FR' });
    assert.equal(put.type, 'Contractor');
    for (const key of ['photo', 'primaryPhone', 'accountId']) assert.equal(put[key], undefined, key);

    const patched = expectStatus(await patch(url, { address: { postalCode: '75001', locality: null }, photo: { href: 'http://img.example/p.jpg' }, primaryPhone: '555 0100' }), 200).body;
    expectSchema('User', patched);
    assert.deepEqual(patched.address, { postalCode: '75001' }, 'the object replaced whole; a null member is absent');
    assert.deepEqual(patched.photo, { href: 'http://img.example/p.jpg' });
    assert.equal(patched.type, 'Contractor', 'untouched by the PATCH');

    const unset = expectStatus(await patch(url, { address: null, photo: null, primaryPhone: null, type: null }), 200).body;
    expectSchema('User', unset);
    for (const key of ['address', 'photo', 'primaryPhone', 'type']) assert.equal(Object.hasOwn(unset, key), false, key);
    const empty = expectStatus(await patch(url, { address: { locality: null } }), 200).body;
    assert.equal(Object.hasOwn(empty, 'address'), false, 'an address without components is no address');
  });

  const ok = { username: 'addr.invalid', email: 'ai@example.com' };
  const refused: Array<[string, Record<string, unknown>, string, string]> = [
    ['a lower-case, three-letter countryCode', { address: { countryCode: 'usa' } }, 'INVALID_VALUE', 'address.countryCode'],
    ['a lower-case countryCode', { address: { countryCode: 'us' } }, 'INVALID_VALUE', 'address.countryCode'],
    ['a postalCode of 41 characters', { address: { postalCode: '1'.repeat(41) } }, 'INVALID_VALUE', 'address.postalCode'],
    ['a locality of 257 characters', { address: { locality: 'l'.repeat(257) } }, 'INVALID_VALUE', 'address.locality'],
    ['a streetAddress with a symbol', { address: { streetAddress: '1 Main St ©' } }, 'INVALID_VALUE', 'address.streetAddress'],
    ['a region with a line break', { address: { region: 'North\nEast' } }, 'INVALID_VALUE', 'address.region'],
    ['an address that is not an object', { address: 'Springfield' }, 'INVALID_VALUE', 'address'],
    ['an ftp photo href', { photo: { href: 'ftp://x' } }, 'INVALID_VALUE', 'photo.href'],
    ['a photo href that is not a URL', { photo: { href: 'https://' } }, 'INVALID_VALUE', 'photo.href'],
    ['a photo href over 2048 characters', { photo: { href: `https://x.example/${'a'.repeat(2048)}` } }, 'INVALID_VALUE', 'photo.href'],
    ['a photo without href', { photo: {} }, 'REQUIRED_VALUE', 'photo.href'],
    ['a primaryPhone without a digit', { primaryPhone: 'call me' }, 'INVALID_VALUE', 'primaryPhone'],
    ['a primaryPhone over 32 characters', { primaryPhone: '1'.repeat(33) }, 'INVALID_VALUE', 'primaryPhone'],
    ['an accountId over 1024 characters', { accountId: 'a'.repeat(1025) }, 'INVALID_VALUE', 'accountId'],
    ['a type with a control character', { type: 'Temp\u0007' }, 'INVALID_VALUE', 'type'],
  ];
  for (const [what, extra, code, target] of refused) {
    test(`POST with ${what}: 400 INVALID_DATA, ${code} on ${target}, nothing stored`, async () => {
      const before = await count();
      expectDetail(await create({ ...ok, ...extra }), code, target);
      assert.equal(await count(), before);
    });
  }

  test('PUT and PATCH refuse the same values', async () => {
    const created = expectStatus(await create({ username: 'addr.update', email: 'au@example.com', ...EXTRA }), 201).body;
    const url = `${base}/${created.id}`;
    expectDetail(await h.inject('PUT', url, { body: { username: 'addr.update', email: 'au@example.com', address: { countryCode: 'usa' } } }), 'INVALID_VALUE', 'address.countryCode');
    expectDetail(await patch(url, { photo: { href: 'ftp://x' } }), 'INVALID_VALUE', 'photo.href');
    const read = expectStatus(await h.inject('GET', url), 200).body;
    assert.deepEqual(read.address, ADDRESS, 'nothing stored by a refused write');
  });
});

describe('the User schema lists them', () => {
  test('accountId, address (with its components), photo (href), primaryPhone and type are STANDARD', async () => {
    const schemas = expectStatus(await h.inject('GET', `/v1/environments/${env}/schemas`), 200).body._embedded.schemas;
    const attributes = expectStatus(await h.inject('GET', `/v1/environments/${env}/schemas/${schemas[0].id}/attributes`), 200).body._embedded.attributes;
    const byName = new Map<string, Record<string, any>>(attributes.map((a: Record<string, any>) => [a.name, a]));
    for (const name of ['accountId', 'address', 'photo', 'primaryPhone', 'type']) {
      expectSchema('SchemaAttribute', byName.get(name));
      assert.equal(byName.get(name)?.schemaType, 'STANDARD', name);
    }
    assert.deepEqual(byName.get('address')?.subAttributes.map((s: { name: string }) => s.name), ['streetAddress', 'locality', 'region', 'postalCode', 'countryCode']);
    assert.deepEqual(byName.get('photo')?.subAttributes.map((s: { name: string; required: boolean }) => [s.name, s.required]), [['href', true]]);
  });
});

describe('users filter on address, photo, primaryPhone, accountId and type (PingOne "SCIM filter language")', () => {
  test('eq and sw find the user by each of them; another value finds nobody', async () => {
    const user = expectStatus(await create({ username: 'addr.filter', email: 'af@example.com', ...EXTRA, address: { ...ADDRESS, locality: 'Shelbyville' } }), 201).body;
    const found = async (filter: string): Promise<string[]> =>
      expectStatus(await h.inject('GET', `${base}?filter=${encodeURIComponent(filter)}`), 200).body._embedded.users.map((u: { id: string }) => u.id);
    for (const filter of [
      'address.locality eq "Shelbyville"',
      'address.countryCode eq "US" and address.locality sw "Shelby"',
      'address.postalCode sw "627"',
      'photo.href sw "https://images.example.com/"',
      'primaryPhone eq "+1 (555) 010-0199"',
      'accountId eq "acct-1815"',
      'type sw "Emp"',
    ]) {
      assert.ok((await found(filter)).includes(user.id), filter);
    }
    assert.deepEqual(await found('address.locality eq "Springfield" and username eq "addr.filter"'), []);
  });
});
