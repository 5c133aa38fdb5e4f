/**
 * Password policies: exactly one default per environment, names unique per environment, and a
 * policy that a population names (PingOne's `population.passwordPolicy.id`) stays. Every write
 * locks all the environment's policy rows first (in id order), as populations.ts does, so each
 * sees the default flag where the previous write left it; a population naming a policy takes a
 * key-share lock on it (populations.ts), so a delete and that write run one after the other.
 */
import type { PasswordPolicySettings } from '../../domain/users/password-policy-settings.js';
import type { Versioned } from '../../domain/versioned.js';
import { assertInEnvironment } from '../shared/scope.js';
import { flag, json, parseJson, versioned, type VersionedColumns } from '../shared/rows.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import type { Q } from '../sql/statement.js';
import type { UpdateResult } from '../types.js';

export interface PasswordPolicyRecord extends Versioned {
  id: string;
  environmentId: string;
  name: string;
  default: boolean;
  settings: PasswordPolicySettings;
}

/** Why deletePasswordPolicy left the policy in place, or that it did not. */
export type PasswordPolicyDeleteResult = 'deleted' | 'not_found' | 'default' | 'in_use';

interface PasswordPolicyRow extends VersionedColumns {
  environment_id: string;
  id: string;
  name: string;
  /** SQLite INTEGER 0/1, PostgreSQL boolean. */
  is_default: number | boolean;
  rules: string;
}

function toPasswordPolicy(row: PasswordPolicyRow): PasswordPolicyRecord {
  return {
    id: row.id,
    environmentId: row.environment_id,
    name: row.name,
    default: flag(row.is_default),
    settings: parseJson<PasswordPolicySettings>(row.rules),
    ...versioned(row),
  };
}

/** Inserts one policy as given (its default flag included); the caller keeps "one default" true. */
export function* insertPasswordPolicy(db: Db, environmentId: string, p: PasswordPolicyRecord): Q<void> {
  assertInEnvironment(environmentId, p.environmentId, `password policy ${p.id}`);
  yield* db.scoped.insert('password_policies', environmentId, {
    id: p.id,
    name: p.name,
    is_default: db.dialect.bool(p.default),
    rules: json(p.settings),
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  });
}

function lockAll(db: Db, environmentId: string): Q<PasswordPolicyRow[]> {
  return db.scoped.many<PasswordPolicyRow>('password_policies', environmentId, '', [], 'id', true);
}

/** The previous default gives up the flag: a change, so a new version. */
function* clearDefault(db: Db, environmentId: string, exceptId: string, at: string): Q<void> {
  const assignments = 'is_default = ?, version = version + 1, updated_at = ?';
  const predicate = `${db.dialect.isTrue('is_default')} AND id <> ?`;
  yield* db.scoped.updateReturning('password_policies', environmentId, assignments, [db.dialect.bool(false), at], predicate, [exceptId]);
}

function* getDefault(db: Db, environmentId: string): Q<PasswordPolicyRecord | undefined> {
  const row = yield* db.scoped.one<PasswordPolicyRow>('password_policies', environmentId, db.dialect.isTrue('is_default'));
  return row && toPasswordPolicy(row);
}

export const passwordPolicyMethods = {
  /** Every policy of the environment, by name (an environment holds a handful; PingOne does not page them). */
  listPasswordPolicies: plain(function* (db: Db, environmentId: string): Q<PasswordPolicyRecord[]> {
    return (yield* db.scoped.many<PasswordPolicyRow>('password_policies', environmentId, '', [], 'name, id')).map(toPasswordPolicy);
  }),

  getPasswordPolicy: plain(function* (db: Db, environmentId: string, policyId: string): Q<PasswordPolicyRecord | undefined> {
    const row = yield* db.scoped.one<PasswordPolicyRow>('password_policies', environmentId, 'id = ?', [policyId]);
    return row && toPasswordPolicy(row);
  }),

  getDefaultPasswordPolicy: plain(getDefault),

  /**
   * The policy that governs the users of `populationId`: the one the population names, else the
   * environment's default; undefined only for an environment without policies.
   */
  getEffectivePasswordPolicy: plain(function* (db: Db, environmentId: string, populationId: string): Q<PasswordPolicyRecord | undefined> {
    const population = yield* db.scoped.one<{ password_policy_id: string | null }>('populations', environmentId, 'id = ?', [populationId]);
    const assigned = population?.password_policy_id;
    if (assigned) {
      const row = yield* db.scoped.one<PasswordPolicyRow>('password_policies', environmentId, 'id = ?', [assigned]);
      if (row) return toPasswordPolicy(row);
    }
    return yield* getDefault(db, environmentId);
  }),

  /** How many populations of the environment name the policy (PingOne's `populationCount`). */
  countPopulationsWithPasswordPolicy: plain(function* (db: Db, environmentId: string, policyId: string): Q<number> {
    return yield* db.scoped.count('populations', environmentId, 'password_policy_id = ?', [policyId]);
  }),

  /**
   * Fails with UniqueViolation('name') when the name is taken in the environment. A new default
   * takes the flag from the previous one in the same transaction.
   */
  createPasswordPolicy: atomic(function* (db: Db, environmentId: string, p: PasswordPolicyRecord): Q<void> {
    assertInEnvironment(environmentId, p.environmentId, `password policy ${p.id}`);
    yield* lockAll(db, environmentId);
    if (p.default) yield* clearDefault(db, environmentId, p.id, p.updatedAt);
    yield* insertPasswordPolicy(db, environmentId, p);
  }),

  /**
   * Replaces name, settings and the default flag when `expectedVersion` matches. `default: true`
   * moves the flag here in one transaction; `default: false` never unsets the current default
   * (an environment always has exactly one).
   */
  updatePasswordPolicy: atomic(function* (
    db: Db,
    environmentId: string,
    next: PasswordPolicyRecord,
    expectedVersion?: number,
  ): Q<UpdateResult<PasswordPolicyRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `password policy ${next.id}`);
    const current = (yield* lockAll(db, environmentId)).find((row) => row.id === next.id);
    if (!current) return { status: 'not_found' };
    if (expectedVersion !== undefined && current.version !== expectedVersion) return { status: 'conflict' };
    const becomesDefault = next.default || flag(current.is_default);
    if (becomesDefault) yield* clearDefault(db, environmentId, next.id, next.updatedAt);
    const set = { name: next.name, rules: json(next.settings), updated_at: next.updatedAt, is_default: db.dialect.bool(becomesDefault) };
    const result = yield* db.scoped.updateVersioned<PasswordPolicyRow>('password_policies', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toPasswordPolicy(result.record) } : result;
  }),

  /** Deletes the policy unless it is the default or a population names it (checked under the lock). */
  deletePasswordPolicy: atomic(function* (db: Db, environmentId: string, policyId: string): Q<PasswordPolicyDeleteResult> {
    const target = (yield* lockAll(db, environmentId)).find((row) => row.id === policyId);
    if (!target) return 'not_found';
    if (flag(target.is_default)) return 'default';
    if ((yield* db.scoped.count('populations', environmentId, 'password_policy_id = ?', [policyId])) > 0) return 'in_use';
    yield* db.scoped.delete('password_policies', environmentId, 'id = ?', [policyId]);
    return 'deleted';
  }),
};
