/**
 * Migration 0007_groups: groups (of the environment or of a population), their nesting and
 * users' memberships, over users and populations written before; deleting a user, a group or
 * the environment removes the links.
 */
import assert from 'node:assert/strict';
import type { GroupRecord } from '../../../src/store/types.js';
import { NOW, page, type CaseContext, type MigrationCase } from './harness.js';

const group = (id: string, name: string, extra: Partial<GroupRecord> = {}): GroupRecord => ({
  id,
  environmentId: 'env-a',
  name,
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
  ...extra,
});

async function promises7({ store }: CaseContext): Promise<void> {
  const staff = group('group-staff', 'Staff', { populationId: 'pop-a', description: 'Everyone', customData: { cost: 1 } });
  const all = group('group-all', 'All');
  await store.createGroup('env-a', staff);
  await store.createGroup('env-a', all);
  assert.deepEqual(await store.getGroup('env-a', 'group-staff'), staff);
  assert.equal(await store.addGroupNesting('env-a', 'group-staff', 'group-all', NOW), 'added');
  // Users written at version 3 join groups; their memberships are direct and indirect.
  assert.equal(await store.addUserToGroup('env-a', 'user-alice', 'group-staff', NOW), 'added');
  assert.deepEqual(await store.userGroupAttributes('env-a', 'user-alice'), {
    memberOfGroupIDs: ['group-all', 'group-staff'],
    memberOfGroupNames: ['All', 'Staff'],
  });
  const filter = { kind: 'member', attribute: 'memberOfGroups', filter: { kind: 'compare', attribute: 'id', operator: 'eq', value: 'group-staff' } } as const;
  assert.deepEqual((await store.listUsers('env-a', page, filter)).items.map((u) => u.id), ['user-alice']);
  assert.deepEqual(await store.countGroupMembers('env-a', 'group-all'), { direct: 0, total: 1 });
  // A population that holds a group stays.
  await store.createPopulation('env-a', { id: 'pop-a-2', environmentId: 'env-a', name: 'Second', default: false, version: 1, createdAt: NOW, updatedAt: NOW });
  await store.createGroup('env-a', group('group-second', 'Staff', { populationId: 'pop-a-2' }));
  assert.equal(await store.deletePopulation('env-a', 'pop-a-2'), 'has_groups');
  // Deleting the user removes its membership; deleting the environment takes every new row.
  assert.equal((await store.deleteUser('env-a', 'user-alice')).status, 'updated');
  assert.deepEqual(await store.countGroupMembers('env-a', 'group-staff'), { direct: 0, total: 0 });
  assert.equal(await store.addUserToGroup('env-a', 'user-emile', 'group-all', NOW), 'added');
  assert.equal(await store.deleteEnvironment('env-a'), true);
  assert.equal(await store.getGroup('env-a', 'group-all'), undefined);
  assert.deepEqual(await store.listGroups('env-a', page), { items: [], count: 0 });
}

export const migrationCase: MigrationCase = { version: 7, name: 'groups', promises: promises7 };
