/**
 * Contract: dynamic groups and the filters added with them, on every engine. A dynamic group's
 * rule (its checked userFilter) is evaluated in SQL wherever membership is read: the
 * memberOfGroups filter (the group's own members, added or matched), a user's memberships
 * (matched ones INDIRECT, and their parents through nesting), group attributes and the total
 * count. Profile attributes compare as JSON strings only; `ew` is a suffix; environments filter
 * by name, id, organization and license.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FilterExpression } from '../../src/domain/scim-filter.js';
import type { DynamicGroupRule } from '../../src/store/types.js';
import { seedTwoEnvironments, type ContractContext } from './harness.js';
import { group } from './contract-groups.js';
import { user } from './contract-users.js';

const cmp = (attribute: string, operator: 'eq' | 'sw' | 'ew', value: string): FilterExpression => ({ kind: 'compare', attribute, operator, value });
const memberOf = (groupId: string): FilterExpression => ({ kind: 'member', attribute: 'memberOfGroups', filter: cmp('id', 'eq', groupId) });
const page = { limit: 100 };

export function dynamicGroupsContract(ctx: ContractContext): void {
  describe('dynamic groups and profile filters', () => {
    it('profile attributes filter as JSON strings (eq, sw, ew); a non-string value never matches', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const ann = user(envA, a.population.id, { email: 'ann@north.test', profile: { name: { given: 'Ann', family: 'Smith' }, title: 'Boss' } });
      const bob = user(envA, a.population.id, { email: 'bob@south.test', profile: { name: { given: 'Bob', family: 'Smithers' } } });
      const odd = user(envA, a.population.id, { profile: { title: 42 } as unknown as { title: string } });
      for (const u of [ann, bob, odd]) await store.createUser(envA, u);
      const ids = async (filter: FilterExpression) => (await store.listUsers(envA, page, filter)).items.map((u) => u.id).sort();
      assert.deepEqual(await ids(cmp('name.family', 'eq', 'Smith')), [ann.id]);
      assert.deepEqual(await ids(cmp('name.family', 'sw', 'Smith')), [ann.id, bob.id].sort());
      assert.deepEqual(await ids(cmp('name.given', 'ew', 'ob')), [bob.id]);
      assert.deepEqual(await ids(cmp('email', 'ew', '@north.test')), [ann.id]);
      assert.deepEqual(await ids(cmp('email', 'ew', 'a-much-longer-suffix-than-any-email@north.test')), []);
      assert.deepEqual(await ids(cmp('title', 'eq', '42')), [], 'a JSON number is not the string "42"');
      assert.deepEqual(await ids(cmp('title', 'sw', 'B')), [ann.id]);
    });

    it('a rule adds its matches to the memberOfGroups filter, memberships, attributes and total count; direct stays direct', async () => {
      const store = ctx.store();
      const { a, envA, envB } = await seedTwoEnvironments(store);
      const boss = user(envA, a.population.id, { profile: { title: 'Boss' } });
      const clerk = user(envA, a.population.id, { profile: { title: 'Clerk' } });
      for (const u of [boss, clerk]) await store.createUser(envA, u);
      const dyn = group(envA, { name: 'Bosses', userFilter: 'title eq "Boss"' });
      const parent = group(envA, { name: 'All' });
      for (const g of [dyn, parent]) await store.createGroup(envA, g);
      assert.equal(await store.addGroupNesting(envA, dyn.id, parent.id, '2026-01-01T00:00:00.000Z'), 'added');
      assert.equal(await store.addUserToGroup(envA, clerk.id, dyn.id, '2026-01-01T00:00:00.000Z'), 'added');
      const rules: DynamicGroupRule[] = [{ groupId: dyn.id, filter: cmp('title', 'eq', 'Boss') }];
      assert.deepEqual((await store.listDynamicGroups(envA)).map((g) => g.id), [dyn.id]);
      assert.deepEqual(await store.listDynamicGroups(envB), []);

      const members = async (groupId: string, r: readonly DynamicGroupRule[]) => (await store.listUsers(envA, page, memberOf(groupId), r)).items.map((u) => u.id).sort();
      assert.deepEqual(await members(dyn.id, rules), [boss.id, clerk.id].sort());
      assert.deepEqual(await members(dyn.id, []), [clerk.id], 'without the rule: added members only');
      assert.deepEqual(await members(parent.id, rules), [], 'members of a nested group are not the parent\'s own');

      const listed = await store.listUserGroups(envA, boss.id, page, rules);
      assert.deepEqual(Object.fromEntries(listed.items.map((m) => [m.group.id, m.type])), { [dyn.id]: 'INDIRECT', [parent.id]: 'INDIRECT' });
      assert.equal(await store.getUserGroupMembership(envA, boss.id, dyn.id, rules), 'INDIRECT');
      assert.equal(await store.getUserGroupMembership(envA, boss.id, parent.id, rules), 'INDIRECT');
      assert.equal(await store.getUserGroupMembership(envA, boss.id, dyn.id), undefined);
      assert.equal(await store.getUserGroupMembership(envA, clerk.id, dyn.id, rules), 'DIRECT');
      assert.deepEqual((await store.userGroupAttributes(envA, boss.id, rules)).memberOfGroupNames, [dyn, parent].sort((x, y) => x.id.localeCompare(y.id)).map((g) => g.name));
      assert.deepEqual(await store.countGroupMembers(envA, dyn.id, rules), { direct: 1, total: 2 });
      assert.deepEqual(await store.countGroupMembers(envA, parent.id, rules), { direct: 0, total: 2 });
      assert.deepEqual(await store.countGroupMembers(envA, parent.id), { direct: 0, total: 1 });
    });

    it('a population rule matches its population only; a rule naming memberOfGroups sees added members', async () => {
      const store = ctx.store();
      const { a, envA } = await seedTwoEnvironments(store);
      const inPop = user(envA, a.population.id, { profile: { title: 'Pilot' } });
      await store.createUser(envA, inPop);
      const other = (await import('../support/store-fixtures.js')).population(envA, { name: 'Other', default: false });
      await store.createPopulation(envA, other);
      const outPop = user(envA, other.id, { profile: { title: 'Pilot' } });
      await store.createUser(envA, outPop);
      const plain = group(envA, { name: 'Plain' });
      const pilots = group(envA, { name: 'Pilots', populationId: a.population.id, userFilter: 'title eq "Pilot"' });
      const derived = group(envA, { name: 'Derived', userFilter: 'memberOfGroups[id eq "…"]' });
      for (const g of [plain, pilots, derived]) await store.createGroup(envA, g);
      assert.equal(await store.addUserToGroup(envA, outPop.id, plain.id, '2026-01-01T00:00:00.000Z'), 'added');
      const rules: DynamicGroupRule[] = [
        { groupId: pilots.id, populationId: a.population.id, filter: cmp('title', 'eq', 'Pilot') },
        { groupId: derived.id, filter: { kind: 'or', left: memberOf(plain.id), right: memberOf(pilots.id) } },
      ];
      const members = async (groupId: string) => (await store.listUsers(envA, page, memberOf(groupId), rules)).items.map((u) => u.id);
      assert.deepEqual(await members(pilots.id), [inPop.id]);
      assert.deepEqual(await members(derived.id), [outPop.id]);
      assert.deepEqual((await store.userGroupAttributes(envA, inPop.id, rules)).memberOfGroupIDs, [pilots.id]);
    });

    it('environments filter by name sw, id, organization.id and license.id, within the organization (and within ids when given)', async () => {
      const store = ctx.store();
      const { org, a, b } = await seedTwoEnvironments(store);
      const ids = async (filter: FilterExpression, within?: string[]) => (await store.listEnvironments(org.id, page, filter, within)).items.map((e) => e.id).sort();
      const both = [a.environment.id, b.environment.id].sort();
      assert.deepEqual(await ids(cmp('name', 'sw', 'Environment ')), both);
      assert.deepEqual(await ids(cmp('name', 'sw', 'Environment A')), [a.environment.id]);
      assert.deepEqual(await ids({ kind: 'and', left: cmp('id', 'eq', b.environment.id), right: cmp('license.id', 'eq', b.environment.licenseId) }), [b.environment.id]);
      assert.deepEqual(await ids(cmp('organization.id', 'eq', org.id)), both);
      assert.deepEqual(await ids(cmp('name', 'sw', 'Environment'), [a.environment.id]), [a.environment.id]);
      assert.deepEqual(await ids(cmp('organization.id', 'eq', 'another')), []);
    });
  });
}
