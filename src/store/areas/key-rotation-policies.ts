/**
 * Key rotation policies (PingOne's `/environments/{envId}/keyRotationPolicies`) and their keys,
 * rows of signing_keys naming the policy: one CURRENT, one NEXT, and PREVIOUS ones until their
 * `retire_at`. A rotation is one transaction guarded by the policy's `rotated_at`: it commits
 * only if `rotated_at` is still what the rotating instance read, so when several instances find
 * the same policy due, exactly one rotates it and the others change nothing.
 */
import type { KeyAlgorithm, KeyUsageType, SignatureAlgorithm, SigningKeyRecord } from '../../domain/signing-key.js';
import type { Versioned } from '../../domain/versioned.js';
import { assertInEnvironment } from '../shared/scope.js';
import { json, parseJson, versioned, type VersionedColumns } from '../shared/rows.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import { rows, type Q } from '../sql/statement.js';
import type { UpdateResult } from '../types.js';
import { insertSigningKey } from './signing-keys.js';

export interface KeyRotationPolicySettings {
  algorithm: KeyAlgorithm;
  keyLength: number;
  signatureAlgorithm: SignatureAlgorithm;
  /** Subject and issuer of the self-signed certificates of its keys. */
  dn: string;
  usageType: KeyUsageType;
  /** Days each key's certificate is valid. */
  validityPeriod: number;
  /** Days between rotations. */
  rotationPeriod: number;
}

export interface KeyRotationPolicyRecord extends Versioned {
  id: string;
  environmentId: string;
  name: string;
  settings: KeyRotationPolicySettings;
  rotatedAt: string;
  nextRotationAt: string;
}

/** A policy the timer found due: enough to rotate it under the `rotated_at` guard. */
export interface DueRotation {
  environmentId: string;
  policyId: string;
  rotatedAt: string;
}

export interface RotationRequest {
  /** `rotated_at` as read: the rotation commits only if it is unchanged. */
  expectedRotatedAt: string;
  rotatedAt: string;
  nextRotationAt: string;
  /** The new NEXT key (made before the transaction: key generation is slow). */
  next: SigningKeyRecord;
  /** When the key that stops being CURRENT leaves the JWKS. */
  retireAt: string;
}

interface PolicyRow extends VersionedColumns {
  environment_id: string;
  id: string;
  name: string;
  settings: string;
  rotated_at: string;
  next_rotation_at: string;
}

function toPolicy(row: PolicyRow): KeyRotationPolicyRecord {
  return {
    id: row.id,
    environmentId: row.environment_id,
    name: row.name,
    settings: parseJson<KeyRotationPolicySettings>(row.settings),
    rotatedAt: row.rotated_at,
    nextRotationAt: row.next_rotation_at,
    ...versioned(row),
  };
}

export const keyRotationPolicyMethods = {
  listKeyRotationPolicies: plain(function* (db: Db, environmentId: string): Q<KeyRotationPolicyRecord[]> {
    return (yield* db.scoped.many<PolicyRow>('key_rotation_policies', environmentId, '', [], 'created_at, id')).map(toPolicy);
  }),

  getKeyRotationPolicy: plain(function* (db: Db, environmentId: string, policyId: string): Q<KeyRotationPolicyRecord | undefined> {
    const row = yield* db.scoped.one<PolicyRow>('key_rotation_policies', environmentId, 'id = ?', [policyId]);
    return row && toPolicy(row);
  }),

  /** The policy with its first CURRENT and NEXT keys, all or nothing. */
  createKeyRotationPolicy: atomic(function* (db: Db, environmentId: string, policy: KeyRotationPolicyRecord, keys: SigningKeyRecord[]): Q<void> {
    assertInEnvironment(environmentId, policy.environmentId, `key rotation policy ${policy.id}`);
    yield* db.scoped.insert('key_rotation_policies', environmentId, {
      id: policy.id,
      name: policy.name,
      settings: json(policy.settings),
      rotated_at: policy.rotatedAt,
      next_rotation_at: policy.nextRotationAt,
      version: policy.version,
      created_at: policy.createdAt,
      updated_at: policy.updatedAt,
    });
    for (const key of keys) yield* insertSigningKey(db, environmentId, key);
  }),

  /** Replaces name, settings and the next rotation instant; keys already made keep theirs. */
  updateKeyRotationPolicy: atomic(function* (
    db: Db,
    environmentId: string,
    next: KeyRotationPolicyRecord,
    expectedVersion?: number,
  ): Q<UpdateResult<KeyRotationPolicyRecord>> {
    assertInEnvironment(environmentId, next.environmentId, `key rotation policy ${next.id}`);
    const set = { name: next.name, settings: json(next.settings), next_rotation_at: next.nextRotationAt, updated_at: next.updatedAt };
    const result = yield* db.scoped.updateVersioned<PolicyRow>('key_rotation_policies', environmentId, set, 'id = ?', [next.id], expectedVersion);
    return result.status === 'updated' ? { status: 'updated', record: toPolicy(result.record) } : result;
  }),

  /** Deletes the policy and every key it made; false when there was none. */
  deleteKeyRotationPolicy: atomic(function* (db: Db, environmentId: string, policyId: string): Q<boolean> {
    yield* db.scoped.delete('signing_keys', environmentId, 'rotation_policy_id = ?', [policyId]);
    return (yield* db.scoped.delete('key_rotation_policies', environmentId, 'id = ?', [policyId])) > 0;
  }),

  /**
   * Rotates when `rotated_at` is still `expectedRotatedAt`: PREVIOUS keys past their `retire_at`
   * go, CURRENT becomes PREVIOUS until `retireAt`, NEXT becomes CURRENT, `next` is the new NEXT.
   * 'stale' when another rotation came first (nothing changed).
   */
  rotateKeyRotationPolicy: atomic(function* (db: Db, environmentId: string, policyId: string, request: RotationRequest): Q<'rotated' | 'stale' | 'not_found'> {
    assertInEnvironment(environmentId, request.next.environmentId, `signing key ${request.next.id}`);
    const guard = yield* db.scoped.updateReturning<PolicyRow>(
      'key_rotation_policies',
      environmentId,
      'rotated_at = ?, next_rotation_at = ?, updated_at = ?, version = version + 1',
      [request.rotatedAt, request.nextRotationAt, request.rotatedAt],
      'id = ? AND rotated_at = ?',
      [policyId, request.expectedRotatedAt],
    );
    if (!guard) return (yield* db.scoped.count('key_rotation_policies', environmentId, 'id = ?', [policyId])) > 0 ? 'stale' : 'not_found';
    const mine = 'rotation_policy_id = ? AND rotation_state = ?';
    yield* db.scoped.delete('signing_keys', environmentId, `${mine} AND retire_at <= ?`, [policyId, 'PREVIOUS', request.rotatedAt]);
    yield* db.scoped.update('signing_keys', environmentId, { rotation_state: 'PREVIOUS', retire_at: request.retireAt }, mine, [policyId, 'CURRENT']);
    yield* db.scoped.update('signing_keys', environmentId, { rotation_state: 'CURRENT' }, mine, [policyId, 'NEXT']);
    yield* insertSigningKey(db, environmentId, { ...request.next, rotationPolicyId: policyId, rotationState: 'NEXT' });
    return 'rotated';
  }),

  /** Policies of every environment whose next rotation is at or before `now`, oldest first. */
  listDueKeyRotationPolicies: plain(function* (_db: Db, now: string, limit: number): Q<DueRotation[]> {
    const found = yield* rows<{ environment_id: string; id: string; rotated_at: string }>(
      'SELECT environment_id, id, rotated_at FROM key_rotation_policies WHERE next_rotation_at <= ? ORDER BY next_rotation_at, environment_id, id LIMIT ?',
      [now, limit],
    );
    return found.map((r) => ({ environmentId: r.environment_id, policyId: r.id, rotatedAt: r.rotated_at }));
  }),

  /**
   * Deletes PREVIOUS keys of every environment whose `retire_at` has passed (they already left
   * the JWKS at that instant: the key ring reads no key past it); the environments they were in.
   */
  purgeRetiredKeys: plain(function* (_db: Db, now: string): Q<string[]> {
    const gone = yield* rows<{ environment_id: string }>("DELETE FROM signing_keys WHERE rotation_state = 'PREVIOUS' AND retire_at <= ? RETURNING environment_id", [now]);
    return [...new Set(gone.map((r) => r.environment_id))];
  }),
};
