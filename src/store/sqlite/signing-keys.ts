/** Environment signing keys (private half encrypted by the caller). */
import type { SigningKeyRecord } from '../types.js';
import { json, parseJson } from './rows.js';
import { assertInEnvironment, type EnvScoped } from './scoped.js';

interface SigningKeyRow {
  environment_id: string;
  id: string;
  algorithm: SigningKeyRecord['algorithm'];
  public_jwk: string;
  private_key_ciphertext: string;
  status: SigningKeyRecord['status'];
  created_at: string;
}

function toRecord(row: SigningKeyRow): SigningKeyRecord {
  return {
    id: row.id,
    environmentId: row.environment_id,
    algorithm: row.algorithm,
    publicJwk: parseJson<Record<string, unknown>>(row.public_jwk),
    privateKeyCiphertext: row.private_key_ciphertext,
    status: row.status,
    createdAt: row.created_at,
  };
}

export class SigningKeys {
  constructor(private readonly scoped: EnvScoped) {}

  list(environmentId: string): SigningKeyRecord[] {
    return this.scoped.many<SigningKeyRow>('signing_keys', environmentId, '', [], 'created_at, id').map(toRecord);
  }

  insert(environmentId: string, key: SigningKeyRecord): void {
    assertInEnvironment(environmentId, key.environmentId, `signing key ${key.id}`);
    this.scoped.insert('signing_keys', environmentId, {
      id: key.id,
      algorithm: key.algorithm,
      public_jwk: json(key.publicJwk),
      private_key_ciphertext: key.privateKeyCiphertext,
      status: key.status,
      created_at: key.createdAt,
    });
  }
}
