/**
 * Contract: users' custom attribute values (migration 0010). Stored with the user and read back
 * with it by every read (one user, by username, a page, a filtered page); a PUT replaces the
 * values of enabled attributes and keeps those of disabled ones, which reads leave out; values
 * of a unique attribute are unique in the environment, also once `unique` is turned on over
 * existing values; deleting a user or an attribute deletes its values.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { CustomAttributeSettings } from '../../src/domain/users/custom-attribute.js';
import { MissingReference, UniqueAttributeValue, UniqueViolation, type SchemaAttributeRecord, type Store } from '../../src/store/types.js';
import { CREATED_AT, UPDATED_AT } from '../support/store-fixtures.js';
import { user } from './contract-users.js';
import { seedTwoEnvironments, updated, type ContractContext } from './harness.js';

const STRING: CustomAttributeSettings = { type: 'STRING', enabled: true, required: false, unique: false, multiValued: false };

function attribute(environmentId: string, name: string, settings: Partial<CustomAttributeSettings> = {}): SchemaAttributeRecord {
  return { id: randomUUID(), environmentId, name, settings: { ...STRING, ...settings }, version: 1, createdAt: CREATED_AT, updatedAt: CREATED_AT };
}

async function seed(store: Store) {
  const seeded = await seedTwoEnvironments(store);
  const { envA, a } = seeded;
  const attrs = {
    shirtSize: attribute(envA, 'shirtSize'),
    nicknames: attribute(envA, 'nicknames', { multiValued: true }),
    profile: attribute(envA, 'profileData', { type: 'JSON' }),
    badges: attribute(envA, 'badges', { type: 'JSON', multiValued: true }),
    employeeId: attribute(envA, 'employeeId', { unique: true }),
  };
  for (const attr of Object.values(attrs)) await store.createSchemaAttribute(envA, attr);
  return { ...seeded, attrs, populationA: a.population.id };
}

function isAttributeClash(name: string) {
  return (err: unknown) => err instanceof UniqueAttributeValue && err.attribute === name;
}

export function customValuesContract(ctx: ContractContext): void {
  describe('custom attribute values', () => {
    it('are written with the user and read back by every read, multi-valued ones in order', async () => {
      const store = ctx.store();
      const { envA, envB, populationA } = await seed(store);
      const customAttributes = {
        shirtSize: 'M',
        nicknames: ['Ada', 'Countess'],
        profileData: { team: { name: 'Engines', floor: 2 }, tags: ['a'] },
        badges: [{ id: 'b1' }, { id: 'b2', note: 'x\u0000y' }],
        employeeId: 'E-1',
      };
      const u = user(envA, populationA, { customAttributes });
      const plain = user(envA, populationA);
      await store.createUser(envA, u);
      await store.createUser(envA, plain);
      assert.deepEqual(await store.getUser(envA, u.id), u);
      assert.deepEqual(await store.findUserByUsername(envA, u.username.toUpperCase()), u);
      assert.deepEqual(await store.getUser(envA, plain.id), plain);
      const page = await store.listUsers(envA, { limit: 10 });
      assert.deepEqual(page.items.find((x) => x.id === u.id), u);
      const filtered = await store.listUsers(envA, { limit: 10 }, { kind: 'compare', attribute: 'username', operator: 'eq', value: u.username });
      assert.deepEqual(filtered.items, [u]);
      assert.equal(await store.getUser(envB, u.id), undefined, 'invisible from another environment');
    });

    it('a replace writes the values of enabled attributes; a disabled attribute keeps its value, hidden, until enabled again', async () => {
      const store = ctx.store();
      const { envA, populationA, attrs } = await seed(store);
      const u = user(envA, populationA, { customAttributes: { shirtSize: 'M', nicknames: ['a', 'b'] } });
      await store.createUser(envA, u);
      const next = { ...u, customAttributes: { nicknames: ['c'], profileData: { k: 1 } }, updatedAt: UPDATED_AT };
      const written = updated(await store.replaceUser(envA, next, 1));
      assert.deepEqual(written.customAttributes, next.customAttributes);
      assert.deepEqual((await store.getUser(envA, u.id))?.customAttributes, next.customAttributes);

      updated(await store.updateSchemaAttribute(envA, { ...attrs.nicknames, settings: { ...attrs.nicknames.settings, enabled: false } }));
      assert.deepEqual((await store.getUser(envA, u.id))?.customAttributes, { profileData: { k: 1 } }, 'a disabled attribute is not read');
      updated(await store.replaceUser(envA, { ...next, customAttributes: {} }));
      updated(await store.updateSchemaAttribute(envA, { ...attrs.nicknames, settings: attrs.nicknames.settings }));
      assert.deepEqual((await store.getUser(envA, u.id))?.customAttributes, { nicknames: ['c'] }, 'the replace kept the disabled attribute’s value');
    });

    it('a single value reads as an array once its attribute becomes multi-valued', async () => {
      const store = ctx.store();
      const { envA, populationA, attrs } = await seed(store);
      const u = user(envA, populationA, { customAttributes: { shirtSize: 'M' } });
      await store.createUser(envA, u);
      updated(await store.updateSchemaAttribute(envA, { ...attrs.shirtSize, settings: { ...attrs.shirtSize.settings, multiValued: true } }));
      assert.deepEqual((await store.getUser(envA, u.id))?.customAttributes, { shirtSize: ['M'] });
    });

    it('values of a unique attribute are unique in the environment; a refused write stores nothing', async () => {
      const store = ctx.store();
      const { envA, envB, populationA, b, attrs } = await seed(store);
      const first = user(envA, populationA, { customAttributes: { employeeId: 'E-1' } });
      await store.createUser(envA, first);
      const twin = user(envA, populationA, { customAttributes: { employeeId: 'E-1', shirtSize: 'L' } });
      await assert.rejects(store.createUser(envA, twin), isAttributeClash('employeeId'));
      assert.equal(await store.getUser(envA, twin.id), undefined, 'nothing stored');
      // The holder may write its own value again; a replace frees the old value.
      updated(await store.replaceUser(envA, { ...first, customAttributes: { employeeId: 'E-1', shirtSize: 'S' } }));
      updated(await store.replaceUser(envA, { ...first, customAttributes: { employeeId: 'E-2' } }));
      await store.createUser(envA, twin);
      // Deleting a user frees its values.
      assert.equal((await store.deleteUser(envA, first.id)).status, 'updated');
      await store.createUser(envA, user(envA, populationA, { customAttributes: { employeeId: 'E-2' } }));
      // Another environment's attribute of the same name is another attribute.
      const other = attribute(envB, 'employeeId', { unique: true });
      await store.createSchemaAttribute(envB, other);
      await store.createUser(envB, user(envB, b.population.id, { customAttributes: { employeeId: 'E-1' } }));
      assert.ok(attrs.employeeId.id !== other.id);
    });

    it('turning unique on fails while two users hold equal values, and is enforced once on; off lifts it', async () => {
      const store = ctx.store();
      const { envA, populationA, attrs } = await seed(store);
      await store.createUser(envA, user(envA, populationA, { customAttributes: { nicknames: ['x', 'y'] } }));
      const second = user(envA, populationA, { customAttributes: { nicknames: ['y'] } });
      await store.createUser(envA, second);
      const uniqueOn = { ...attrs.nicknames, settings: { ...attrs.nicknames.settings, unique: true } };
      await assert.rejects(store.updateSchemaAttribute(envA, uniqueOn), (err: unknown) => err instanceof UniqueViolation && err.field === 'values');
      assert.deepEqual(await store.getSchemaAttribute(envA, attrs.nicknames.id), attrs.nicknames, 'definition unchanged');
      updated(await store.replaceUser(envA, { ...second, customAttributes: { nicknames: ['z'] } }));
      updated(await store.updateSchemaAttribute(envA, uniqueOn));
      await assert.rejects(store.createUser(envA, user(envA, populationA, { customAttributes: { nicknames: ['q', 'x'] } })), isAttributeClash('nicknames'));
      updated(await store.updateSchemaAttribute(envA, attrs.nicknames));
      await store.createUser(envA, user(envA, populationA, { customAttributes: { nicknames: ['x'] } }));
    });

    it('deleting an attribute deletes every value users hold of it; one created again under its name starts empty', async () => {
      const store = ctx.store();
      const { envA, populationA, attrs } = await seed(store);
      const u = user(envA, populationA, { customAttributes: { shirtSize: 'M', employeeId: 'E-9' } });
      await store.createUser(envA, u);
      assert.equal(await store.deleteSchemaAttribute(envA, attrs.employeeId.id), true);
      assert.deepEqual((await store.getUser(envA, u.id))?.customAttributes, { shirtSize: 'M' });
      await store.createSchemaAttribute(envA, attribute(envA, 'employeeId', { unique: true }));
      assert.deepEqual((await store.getUser(envA, u.id))?.customAttributes, { shirtSize: 'M' });
      await store.createUser(envA, user(envA, populationA, { customAttributes: { employeeId: 'E-9' } }));
    });

    it('a value of an attribute the environment does not have is refused; deleting the environment takes the values', async () => {
      const store = ctx.store();
      const { envA, populationA } = await seed(store);
      const u = user(envA, populationA, { customAttributes: { missing: 'x' } });
      await assert.rejects(store.createUser(envA, u), (err: unknown) => err instanceof MissingReference && err.field === 'attribute');
      assert.equal(await store.getUser(envA, u.id), undefined);
      await store.createUser(envA, user(envA, populationA, { customAttributes: { shirtSize: 'M', employeeId: 'E-1' } }));
      assert.equal(await store.deleteEnvironment(envA), true);
    });
  });
}
