/**
 * The statements behind users' custom attribute values (migration 0010), run inside the user
 * and schema-attribute methods' transactions: reading the values of a page of users, writing a
 * user's values, and what changing or deleting an attribute does to the values users hold.
 *
 * Locks (PostgreSQL): a user write takes a key-share lock on the environment's attribute rows
 * and reads their definitions under it; changing or deleting an attribute locks its row for
 * update first. So a value is always written under the definition in force when it commits, and
 * turning `unique` on cannot miss a value written concurrently.
 */
import type { CustomAttributeValues } from '../../domain/users/custom-attribute-values.js';
import {
  itemColumns,
  itemsOf,
  settingsOf,
  valuesByUser,
  type AttributeDefinitionRow,
  type JoinedValueRow,
} from '../shared/custom-value-rows.js';
import type { Db } from '../sql/methods.js';
import { changes, rows, type Q } from '../sql/statement.js';
import { MissingReference, UniqueAttributeValue } from '../types.js';

/**
 * The values of `userIds` (users of `environmentId`), by user. One statement joining the
 * attribute definitions; written out rather than through `db.scoped`, which reads one table, and
 * scoped by environment on both tables (docs/architecture.md, rule 2).
 */
export function* readCustomValues(db: Db, environmentId: string, userIds: readonly string[]): Q<Map<string, CustomAttributeValues>> {
  if (userIds.length === 0) return new Map();
  const users = db.dialect.inList('v.user_id', userIds);
  const found = yield* rows<JoinedValueRow>(
    'SELECT v.user_id, v.attribute_id, v.position, v.value, a.name, a.definition FROM user_attribute_values v ' +
      'JOIN schema_attributes a ON a.environment_id = v.environment_id AND a.id = v.attribute_id ' +
      `WHERE v.environment_id = ? AND ${users.predicate} ORDER BY v.user_id, v.attribute_id, v.position`,
    [environmentId, users.param],
  );
  return valuesByUser(found);
}

/**
 * Writes `values` as the user's values. With `replacing`, the values the user held of every
 * enabled attribute, and of every attribute named, go first; values of disabled attributes stay
 * (PingOne ignores them on update). Fails with MissingReference('attribute') when a name is no
 * attribute of the environment, and with UniqueAttributeValue when a unique attribute's item is
 * held by another user.
 */
export function* writeCustomValues(db: Db, environmentId: string, userId: string, values: CustomAttributeValues, replacing: boolean): Q<void> {
  const definitions = yield* db.scoped.many<AttributeDefinitionRow>('schema_attributes', environmentId, '', [], 'id', 'keyShare');
  const byName = new Map(definitions.map((d) => [d.name, d]));
  if (replacing) {
    const cleared = definitions.filter((d) => settingsOf(d).enabled || values[d.name] !== undefined).map((d) => d.id);
    yield* clearValues(db, environmentId, userId, cleared);
  }
  for (const [name, value] of Object.entries(values)) {
    const definition = byName.get(name);
    if (!definition) throw new MissingReference('attribute');
    const unique = settingsOf(definition).unique;
    let position = 0;
    for (const item of itemsOf(value)) {
      const columns = itemColumns(item);
      yield* db.scoped.insert('user_attribute_values', environmentId, { user_id: userId, attribute_id: definition.id, position: position++, ...columns });
      if (unique) yield* holdUnique(db, environmentId, userId, definition.id, columns.value_hash, name);
    }
  }
}

function* clearValues(db: Db, environmentId: string, userId: string, attributeIds: readonly string[]): Q<void> {
  if (attributeIds.length === 0) return;
  const attributes = db.dialect.inList('attribute_id', attributeIds);
  for (const table of ['user_unique_values', 'user_attribute_values'] as const) {
    yield* db.scoped.delete(table, environmentId, `user_id = ? AND ${attributes.predicate}`, [userId, attributes.param]);
  }
}

/** Records the user as the holder of the item; another holder fails the write. */
function* holdUnique(db: Db, environmentId: string, userId: string, attributeId: string, hash: string, name: string): Q<void> {
  const columns = { attribute_id: attributeId, value_hash: hash, user_id: userId };
  const held = yield* db.scoped.upsert('user_unique_values', environmentId, columns, ['attribute_id', 'value_hash'], ['user_id'], 'user_unique_values.user_id = ?', [userId]);
  if (!held) throw new UniqueAttributeValue(name);
}

/** Every value of the user goes (before the user itself). */
export function* deleteUserValues(db: Db, environmentId: string, userId: string): Q<void> {
  yield* db.scoped.delete('user_unique_values', environmentId, 'user_id = ?', [userId]);
  yield* db.scoped.delete('user_attribute_values', environmentId, 'user_id = ?', [userId]);
}

/** Every user's values of the attribute go (before the attribute itself). */
export function* deleteAttributeValues(db: Db, environmentId: string, attributeId: string): Q<void> {
  yield* db.scoped.delete('user_unique_values', environmentId, 'attribute_id = ?', [attributeId]);
  yield* db.scoped.delete('user_attribute_values', environmentId, 'attribute_id = ?', [attributeId]);
}

/**
 * After an attribute's `unique` changed: turned on, every value users hold is recorded as unique
 * in one statement, which fails with a unique-key violation when two users hold equal ones;
 * turned off, the records go. Written out because it copies between two tables; both are scoped
 * by environment (docs/architecture.md, rule 2).
 */
export function* applyUniqueness(db: Db, environmentId: string, attributeId: string, unique: boolean): Q<void> {
  if (!unique) {
    yield* db.scoped.delete('user_unique_values', environmentId, 'attribute_id = ?', [attributeId]);
    return;
  }
  yield* changes(
    'INSERT INTO user_unique_values (environment_id, attribute_id, value_hash, user_id) ' +
      'SELECT environment_id, attribute_id, value_hash, user_id FROM user_attribute_values WHERE environment_id = ? AND attribute_id = ?',
    [environmentId, attributeId],
  );
}
