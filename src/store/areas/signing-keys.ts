/**
 * Environment keys (PingOne's `/environments/{envId}/keys`): at most one default per usage type,
 * kept by a partial unique index (migration 0012) and by every write that sets the flag taking
 * it from the previous holder in the same transaction. Writes lock the environment's key rows
 * first (in id order), as password-policies.ts does, so two concurrent "make default" requests
 * run one after the other instead of one failing on the index.
 */
import type { KeyCertificate, KeyUsageType, RotationState, SigningKeyRecord } from '../../domain/signing-key.js';
import { assertInEnvironment } from '../shared/scope.js';
import { flag, json, parseJson } from '../shared/rows.js';
import { atomic, plain, type Db } from '../sql/methods.js';
import type { Q } from '../sql/statement.js';

/** Why deleteSigningKey left the key in place, or that it did not. */
export type SigningKeyDeleteResult = 'deleted' | 'not_found' | 'default';

/** What PUT …/keys/{keyId} may change (OpenAPI `CertificateKeyUpdate`). */
export interface SigningKeyChange {
  default: boolean;
  usageType: KeyUsageType;
}

interface SigningKeyRow {
  environment_id: string;
  id: string;
  algorithm: string;
  public_jwk: string;
  private_key_ciphertext: string;
  status: SigningKeyRecord['status'];
  created_at: string;
  name: string | null;
  usage_type: KeyUsageType;
  /** SQLite INTEGER 0/1, PostgreSQL boolean. */
  is_default: number | boolean;
  key_algorithm: SigningKeyRecord['keyAlgorithm'];
  key_length: number;
  certificate: string | null;
  rotation_policy_id: string | null;
  rotation_state: RotationState | null;
  retire_at: string | null;
}

function toSigningKey(row: SigningKeyRow): SigningKeyRecord {
  const key: SigningKeyRecord = {
    id: row.id,
    environmentId: row.environment_id,
    algorithm: row.algorithm,
    publicJwk: parseJson<Record<string, unknown>>(row.public_jwk),
    privateKeyCiphertext: row.private_key_ciphertext,
    status: row.status,
    createdAt: row.created_at,
    usageType: row.usage_type,
    default: flag(row.is_default),
    keyAlgorithm: row.key_algorithm,
    keyLength: row.key_length,
  };
  if (row.name !== null) key.name = row.name;
  if (row.certificate !== null) key.certificate = parseJson<KeyCertificate>(row.certificate);
  if (row.rotation_policy_id !== null) key.rotationPolicyId = row.rotation_policy_id;
  if (row.rotation_state !== null) key.rotationState = row.rotation_state;
  if (row.retire_at !== null) key.retireAt = row.retire_at;
  return key;
}

/** Inserts one key as given (its default flag included); the caller keeps "one default" true. */
export function* insertSigningKey(db: Db, environmentId: string, key: SigningKeyRecord): Q<void> {
  assertInEnvironment(environmentId, key.environmentId, `signing key ${key.id}`);
  yield* db.scoped.insert('signing_keys', environmentId, {
    id: key.id,
    algorithm: key.algorithm,
    public_jwk: json(key.publicJwk),
    private_key_ciphertext: key.privateKeyCiphertext,
    status: key.status,
    created_at: key.createdAt,
    name: key.name ?? null,
    usage_type: key.usageType,
    is_default: db.dialect.bool(key.default),
    key_algorithm: key.keyAlgorithm,
    key_length: key.keyLength,
    certificate: key.certificate ? json(key.certificate) : null,
    rotation_policy_id: key.rotationPolicyId ?? null,
    rotation_state: key.rotationState ?? null,
    retire_at: key.retireAt ?? null,
  });
}

function lockAll(db: Db, environmentId: string): Q<SigningKeyRow[]> {
  return db.scoped.many<SigningKeyRow>('signing_keys', environmentId, '', [], 'id', true);
}

function* clearDefault(db: Db, environmentId: string, usageType: KeyUsageType, exceptId: string): Q<void> {
  const predicate = `${db.dialect.isTrue('is_default')} AND usage_type = ? AND id <> ?`;
  yield* db.scoped.update('signing_keys', environmentId, { is_default: db.dialect.bool(false) }, predicate, [usageType, exceptId]);
}

export const signingKeyMethods = {
  /** Every key of the environment, oldest first. */
  listSigningKeys: plain(function* (db: Db, environmentId: string): Q<SigningKeyRecord[]> {
    return (yield* db.scoped.many<SigningKeyRow>('signing_keys', environmentId, '', [], 'created_at, id')).map(toSigningKey);
  }),

  getSigningKey: plain(function* (db: Db, environmentId: string, keyId: string): Q<SigningKeyRecord | undefined> {
    const row = yield* db.scoped.one<SigningKeyRow>('signing_keys', environmentId, 'id = ?', [keyId]);
    return row && toSigningKey(row);
  }),

  /** Adds a key; a new default takes the flag from the previous default of its usage type. */
  createSigningKey: atomic(function* (db: Db, environmentId: string, key: SigningKeyRecord): Q<void> {
    yield* lockAll(db, environmentId);
    if (key.default) yield* clearDefault(db, environmentId, key.usageType, key.id);
    yield* insertSigningKey(db, environmentId, key);
  }),

  /**
   * Sets usage type and default flag. `default: true` moves the flag here in one transaction;
   * `default: false` on the current default is refused (an environment keeps its signing key),
   * as is moving the default to another usage type; both return 'default'.
   */
  updateSigningKey: atomic(function* (
    db: Db,
    environmentId: string,
    keyId: string,
    change: SigningKeyChange,
  ): Q<SigningKeyRecord | 'not_found' | 'default'> {
    const current = (yield* lockAll(db, environmentId)).find((row) => row.id === keyId);
    if (!current) return 'not_found';
    const wasDefault = flag(current.is_default);
    if (wasDefault && (!change.default || change.usageType !== current.usage_type)) return 'default';
    if (change.default) yield* clearDefault(db, environmentId, change.usageType, keyId);
    const set = { usage_type: change.usageType, is_default: db.dialect.bool(change.default) };
    yield* db.scoped.update('signing_keys', environmentId, set, 'id = ?', [keyId]);
    return toSigningKey({ ...current, usage_type: change.usageType, is_default: change.default });
  }),

  /** Records the certificate made for a key written before migration 0012 (only when it has none). */
  setSigningKeyCertificate: plain(function* (db: Db, environmentId: string, keyId: string, certificate: KeyCertificate): Q<boolean> {
    const predicate = 'id = ? AND certificate IS NULL';
    return (yield* db.scoped.update('signing_keys', environmentId, { certificate: json(certificate) }, predicate, [keyId])) > 0;
  }),

  /**
   * Replaces the certificate of a key of the keys API (a CA's answer to its CSR) and the published
   * JWK that carries it (`x5c`, `x5t#S256`); false when there is no such key.
   */
  replaceSigningKeyCertificate: plain(function* (db: Db, environmentId: string, keyId: string, certificate: KeyCertificate, publicJwk: Record<string, unknown>): Q<boolean> {
    const set = { certificate: json(certificate), public_jwk: json(publicJwk) };
    return (yield* db.scoped.update('signing_keys', environmentId, set, 'id = ? AND rotation_policy_id IS NULL', [keyId])) > 0;
  }),

  /** Deletes the key unless it is a default (checked under the lock). */
  deleteSigningKey: atomic(function* (db: Db, environmentId: string, keyId: string): Q<SigningKeyDeleteResult> {
    const target = (yield* lockAll(db, environmentId)).find((row) => row.id === keyId);
    if (!target) return 'not_found';
    if (flag(target.is_default)) return 'default';
    yield* db.scoped.delete('signing_keys', environmentId, 'id = ?', [keyId]);
    return 'deleted';
  }),
};
