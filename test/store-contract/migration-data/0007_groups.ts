/**
 * Migration 0007_groups: groups (of the environment or of a population), their nesting and
 * users' memberships, over users and populations written before; deleting a user, a group or
 * the environment removes the links.
 */
import assert from 'node:assert/strict';
import type { GroupRecord } from '../../../src/store/types.js';
import { NOW, page, sql, type CaseContext, type MigrationCase } from './harness.js';

const group = (id: string, name: string, extra: Partial<GroupRecord> = {}): GroupRecord => ({
  id,
  environmentId: 'env-a',
  name,
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
  ...extra,
});

/** At version 7: an environment group nested in a population group, with Alice as a member. */
const ROWS_7 = sql`
INSERT INTO groups (environment_id, id, name, scope_key, population_id, description, user_filter, external_id, custom_data, version, created_at, updated_at) VALUES
  ('env-a', 'group-v7-parent', 'Engineering', '', NULL, 'All engineers', NULL, 'ext-7', '{"site":"Berlin"}', 2,
   '2026-02-01T00:00:00.000Z', '2026-02-02T00:00:00.000Z'),
  ('env-a', 'group-v7-child', 'Platform', 'pop-a', 'pop-a', NULL, NULL, NULL, NULL, 1,
   '2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z');
INSERT INTO group_nestings (environment_id, group_id, parent_id, created_at) VALUES
  ('env-a', 'group-v7-child', 'group-v7-parent', '2026-02-03T00:00:00.000Z');
INSERT INTO user_groups (environment_id, user_id, group_id, created_at) VALUES
  ('env-a', 'user-alice', 'group-v7-child', '2026-02-04T00:00:00.000Z');
`;

async function readBack7(store: CaseContext['store']): Promise<void> {
  assert.deepEqual(
    await store.getGroup('env-a', 'group-v7-parent'),
    group('group-v7-parent', 'Engineering', {
      description: 'All engineers',
      externalId: 'ext-7',
      customData: { site: 'Berlin' },
      version: 2,
      createdAt: '2026-02-01T00:00:00.000Z',
      updatedAt: '2026-02-02T00:00:00.000Z',
    }),
  );
  assert.deepEqual(
    await store.getGroup('env-a', 'group-v7-child'),
    group('group-v7-child', 'Platform', { populationId: 'pop-a', createdAt: '2026-02-01T00:00:00.000Z', updatedAt: '2026-02-01T00:00:00.000Z' }),
  );
  const attributes = await store.userGroupAttributes('env-a', 'user-alice');
  assert.ok(attributes.memberOfGroupIDs.includes('group-v7-child') && attributes.memberOfGroupIDs.includes('group-v7-parent'));
}

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

export const migrationCase: MigrationCase = { version: 7, name: 'groups', rows: ROWS_7, readBack: readBack7, promises: promises7 };
