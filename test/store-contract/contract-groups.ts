/**
 * Contract: groups, nesting and memberships. Names are unique per (environment, population
 * scope); nesting never closes a cycle; a user's memberships are direct or through nesting;
 * filters run in SQL; deleting a user, a group or a population keeps the links consistent; one
 * environment never sees another's groups.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { FilterExpression } from '../../src/domain/scim-filter.js';
import { MissingReference, NAME_ACROSS_SCOPES, UniqueViolation, type GroupRecord } from '../../src/store/types.js';
import { CREATED_AT, UPDATED_AT, population } from '../support/store-fixtures.js';
import { assertPaging, seedTwoEnvironments, updated, type ContractContext } from './harness.js';
import { user } from './contract-users.js';

export function group(environmentId: string, overrides: Partial<GroupRecord> = {}): GroupRecord {
  return { id: randomUUID(), environmentId, name: `group-${randomUUID()}`, version: 1, createdAt: CREATED_AT, updatedAt: CREATED_AT, ...overrides };
}

const eq = (attribute: string, value: string | boolean): FilterExpression => ({ kind: 'compare', attribute, operator: 'eq', value });
const sw = (attribute: string, value: string): FilterExpression => ({ kind: 'compare', attribute, operator: 'sw', value });
const memberOf = (groupId: string): FilterExpression => ({ kind: 'member', attribute: 'memberOfGroups', filter: eq('id', groupId) });

export function groupsContract(ctx: ContractContext): void {
  describe('groups', () => {
    it('creates, reads, replaces (population fixed) and deletes; every optional attribute round-trips', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const g = group(envA, { populationId: a.population.id, description: 'd', userFilter: 'email sw "a"', externalId: 'x-1', customData: { k: ['v', 1] } });
      await store.createGroup(envA, g);
      assert.deepEqual(await store.getGroup(envA, g.id), g);
      const next = { ...g, name: 'Renamed', updatedAt: UPDATED_AT };
      delete next.description;
      assert.deepEqual(await store.updateGroup(envA, next, 2), { status: 'conflict' });
      const replaced = updated(await store.updateGroup(envA, { ...next, populationId: undefined }, 1));
      assert.deepEqual(replaced, { ...next, version: 2 }, 'the population stays');
      assert.equal(await store.deleteGroup(envA, g.id), true);
      assert.equal(await store.getGroup(envA, g.id), undefined);
      assert.equal(await store.deleteGroup(envA, g.id), false);
    });

    it('names are unique per environment scope or population, and never shared between an environment group and a population group; a missing population is MissingReference', async () => {
      const store = ctx.store();
      const { a, envA, envB } = await seedTwoEnvironments(store);
      const across = (err: unknown) => err instanceof UniqueViolation && err.field === NAME_ACROSS_SCOPES;
      const sales = group(envA, { name: 'Sales' });
      await store.createGroup(envA, sales);
      await assert.rejects(store.createGroup(envA, group(envA, { name: 'Sales' })), (err: unknown) => err instanceof UniqueViolation && err.field === 'name');
      await assert.rejects(store.createGroup(envA, group(envA, { name: 'Sales', populationId: a.population.id })), across);
      const other = population(envA, { name: 'Other', default: false });
      await store.createPopulation(envA, other);
      const payroll = group(envA, { name: 'Payroll', populationId: a.population.id });
      await store.createGroup(envA, payroll);
      await store.createGroup(envA, group(envA, { name: 'Payroll', populationId: other.id }));
      await assert.rejects(store.createGroup(envA, group(envA, { name: 'Payroll' })), across);
      await assert.rejects(store.updateGroup(envA, { ...sales, name: 'Payroll' }), across);
      await assert.rejects(store.updateGroup(envA, { ...payroll, name: 'Sales' }), across);
      updated(await store.updateGroup(envA, { ...sales, description: 'same name' }));
      await store.createGroup(envB, group(envB, { name: 'Sales' }));
      await store.createGroup(envB, group(envB, { name: 'Payroll' }));
      await assert.rejects(store.createGroup(envA, group(envA, { populationId: randomUUID() })), (err: unknown) => err instanceof MissingReference);
      assert.deepEqual((await store.listGroups(envA, { limit: 10 })).items.map((g) => g.name).sort(), ['Payroll', 'Payroll', 'Sales']);
    });

    it('lists with paging and filters in SQL: name eq/sw, externalId, population.id, and/or', async () => {
      const store = ctx.store();
      const { a, envA, envB } = await seedTwoEnvironments(store);
      const groups = ['Alpha', 'Alpine', 'Beta', 'beta'].map((name, i) => group(envA, { name, externalId: `ext-${i}`, ...(i === 3 ? { populationId: a.population.id } : {}) }));
      for (const g of groups) await store.createGroup(envA, g);
      await store.createGroup(envB, group(envB, { name: 'Alpha' }));
      await assertPaging((page) => store.listGroups(envA, page), groups.map((g) => g.id), 3);
      const names = async (filter: FilterExpression) => (await store.listGroups(envA, { limit: 10 }, filter)).items.map((g) => g.name).sort();
      assert.deepEqual(await names(eq('name', 'Alpha')), ['Alpha']);
      assert.deepEqual(await names(sw('name', 'Alp')), ['Alpha', 'Alpine']);
      assert.deepEqual(await names(sw('name', 'b')), ['beta'], 'sw is case-exact, as eq');
      assert.deepEqual(await names(eq('population.id', a.population.id)), ['beta']);
      assert.deepEqual(await names({ kind: 'or', left: eq('externalId', 'ext-2'), right: { kind: 'and', left: sw('name', 'A'), right: eq('externalId', 'ext-1') } }), ['Alpine', 'Beta']);
    });

    it('nesting: add, list parents, refuse cycles at any depth, remove', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const [g1, g2, g3] = [group(envA), group(envA), group(envA)] as [GroupRecord, GroupRecord, GroupRecord];
      for (const g of [g1, g2, g3]) await store.createGroup(envA, g);
      assert.equal(await store.addGroupNesting(envA, g1.id, g2.id, CREATED_AT), 'added');
      assert.equal(await store.addGroupNesting(envA, g2.id, g3.id, CREATED_AT), 'added');
      assert.equal(await store.addGroupNesting(envA, g1.id, g2.id, CREATED_AT), 'exists');
      assert.equal(await store.addGroupNesting(envA, g3.id, g1.id, CREATED_AT), 'cycle');
      assert.equal(await store.addGroupNesting(envA, g1.id, g1.id, CREATED_AT), 'cycle');
      assert.equal(await store.addGroupNesting(envA, g1.id, randomUUID(), CREATED_AT), 'no_parent');
      assert.equal(await store.addGroupNesting(envB, g1.id, g2.id, CREATED_AT), 'no_group', 'invisible from another environment');
      assert.deepEqual((await store.listGroupParents(envA, g1.id, { limit: 10 })).items, [g2]);
      assert.equal(await store.hasGroupNesting(envA, g1.id, g2.id), true);
      assert.equal(await store.hasGroupNesting(envA, g2.id, g1.id), false);
      assert.equal(await store.hasGroupNesting(envB, g1.id, g2.id), false);
      assert.equal(await store.removeGroupNesting(envA, g1.id, g2.id), true);
      assert.equal(await store.removeGroupNesting(envA, g1.id, g2.id), false);
      assert.equal((await store.listGroupParents(envA, g1.id, { limit: 10 })).count, 0);
    });

    it('concurrent nestings never close a cycle', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const gs = Array.from({ length: 4 }, () => group(envA));
      for (const g of gs) await store.createGroup(envA, g);
      await store.addGroupNesting(envA, gs[1]!.id, gs[2]!.id, CREATED_AT);
      await store.addGroupNesting(envA, gs[3]!.id, gs[0]!.id, CREATED_AT);
      // 0→1 and 2→3 would close 0→1→2→3→0: one of them must be refused.
      const results = await Promise.all([store.addGroupNesting(envA, gs[0]!.id, gs[1]!.id, CREATED_AT), store.addGroupNesting(envA, gs[2]!.id, gs[3]!.id, CREATED_AT)]);
      assert.deepEqual([...results].sort(), ['added', 'cycle']);
    });

    it('memberships: direct and indirect, attributes, counts, the memberOfGroups filter; deletes remove links', async () => {
      const store = ctx.store();
      const { a, b, envA, envB } = await seedTwoEnvironments(store);
      const [team, dept, org] = [group(envA, { name: 'Team' }), group(envA, { name: 'Dept' }), group(envA, { name: 'Org' })];
      for (const g of [team, dept, org]) await store.createGroup(envA, g);
      await store.addGroupNesting(envA, team.id, dept.id, CREATED_AT);
      await store.addGroupNesting(envA, dept.id, org.id, CREATED_AT);
      const [ann, bob] = [user(envA, a.population.id), user(envA, a.population.id)];
      for (const u of [ann, bob]) await store.createUser(envA, u);
      assert.equal(await store.addUserToGroup(envA, ann.id, team.id, CREATED_AT), 'added');
      assert.equal(await store.addUserToGroup(envA, ann.id, team.id, CREATED_AT), 'exists');
      assert.equal(await store.addUserToGroup(envA, bob.id, dept.id, CREATED_AT), 'added');
      assert.equal(await store.addUserToGroup(envA, ann.id, org.id, CREATED_AT), 'added');
      assert.equal(await store.addUserToGroup(envA, randomUUID(), org.id, CREATED_AT), 'no_user');
      assert.equal(await store.addUserToGroup(envB, ann.id, org.id, CREATED_AT), 'no_user');
      const memberships = (await store.listUserGroups(envA, ann.id, { limit: 10 })).items.map((m) => [m.group.name, m.type]).sort();
      assert.deepEqual(memberships, [['Dept', 'INDIRECT'], ['Org', 'DIRECT'], ['Team', 'DIRECT']]);
      assert.equal(await store.getUserGroupMembership(envA, ann.id, team.id), 'DIRECT');
      assert.equal(await store.getUserGroupMembership(envA, ann.id, dept.id), 'INDIRECT');
      assert.equal(await store.getUserGroupMembership(envA, bob.id, team.id), undefined);
      assert.equal(await store.getUserGroupMembership(envB, ann.id, team.id), undefined);
      const attrs = await store.userGroupAttributes(envA, ann.id);
      assert.deepEqual([...attrs.memberOfGroupNames].sort(), ['Dept', 'Org', 'Team']);
      assert.deepEqual(await store.countGroupMembers(envA, org.id), { direct: 1, total: 2 }, 'ann counted once');
      assert.deepEqual(await store.countGroupMembers(envA, dept.id), { direct: 1, total: 2 });
      const members = async (filter: FilterExpression) => (await store.listUsers(envA, { limit: 10 }, filter)).items.map((u) => u.id).sort();
      assert.deepEqual(await members(memberOf(team.id)), [ann.id]);
      assert.deepEqual(await members({ kind: 'or', left: memberOf(team.id), right: memberOf(dept.id) }), [ann.id, bob.id].sort());
      assert.deepEqual((await store.listUsers(envB, { limit: 10 }, memberOf(team.id))).count, 0);
      // A population group takes only its population's users.
      const other = population(envA, { name: 'Other', default: false });
      await store.createPopulation(envA, other);
      const scoped = group(envA, { populationId: other.id });
      await store.createGroup(envA, scoped);
      assert.equal(await store.addUserToGroup(envA, ann.id, scoped.id, CREATED_AT), 'other_population');
      assert.equal(await store.deletePopulation(envA, other.id), 'has_groups');
      // Deleting the user removes its memberships; deleting a group removes its links.
      updated(await store.deleteUser(envA, ann.id));
      assert.deepEqual(await store.countGroupMembers(envA, org.id), { direct: 0, total: 1 });
      assert.equal(await store.deleteGroup(envA, dept.id), true);
      assert.equal((await store.listGroupParents(envA, team.id, { limit: 10 })).count, 0);
      assert.deepEqual(await store.userGroupAttributes(envA, bob.id), { memberOfGroupIDs: [], memberOfGroupNames: [] });
      assert.equal(await store.removeUserFromGroup(envA, bob.id, dept.id), false);
      assert.equal(await store.deleteEnvironment(envA), true);
      assert.equal((await store.listGroups(envB, { limit: 10 })).count, 0);
      void b;
    });

    it('moving a user to another population removes it from the old population\'s groups, keeping environment groups and the new population\'s', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const other = population(envA, { name: 'Other', default: false });
      await store.createPopulation(envA, other);
      const [oldScoped, newScoped, everyone] = [group(envA, { populationId: a.population.id }), group(envA, { populationId: other.id }), group(envA)];
      for (const g of [oldScoped, newScoped, everyone]) await store.createGroup(envA, g);
      const ann = user(envA, a.population.id);
      await store.createUser(envA, ann);
      assert.equal(await store.addUserToGroup(envA, ann.id, oldScoped.id, CREATED_AT), 'added');
      assert.equal(await store.addUserToGroup(envA, ann.id, everyone.id, CREATED_AT), 'added');
      // A refused replace (stale version) changes no membership.
      assert.deepEqual(await store.replaceUser(envA, { ...ann, populationId: other.id }, 7), { status: 'conflict' });
      assert.equal(await store.getUserGroupMembership(envA, ann.id, oldScoped.id), 'DIRECT');
      const moved = updated(await store.replaceUser(envA, { ...ann, populationId: other.id, updatedAt: UPDATED_AT }));
      assert.equal(moved.populationId, other.id);
      assert.equal(await store.getUserGroupMembership(envA, ann.id, oldScoped.id), undefined, 'the old population group lets go');
      assert.equal(await store.getUserGroupMembership(envA, ann.id, everyone.id), 'DIRECT', 'an environment group keeps the user');
      assert.deepEqual(await store.countGroupMembers(envA, oldScoped.id), { direct: 0, total: 0 });
      assert.equal(await store.addUserToGroup(envA, ann.id, newScoped.id, CREATED_AT), 'added');
      // A replace that keeps the population keeps its population group.
      updated(await store.replaceUser(envA, { ...moved, email: 'moved@example.test' }));
      assert.equal(await store.getUserGroupMembership(envA, ann.id, newScoped.id), 'DIRECT');
    });
  });
}
