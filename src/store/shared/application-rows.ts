/** Rows ↔ records for applications and their client secrets (every dialect). */
import type { ApplicationConfig } from '../../domain/applications/application-config.js';
import type { ApplicationRecord, NewApplicationBundle, SecretRecord } from '../types.js';
import { json, parseJson, versioned, type Columns, type VersionedColumns } from './rows.js';
import { assertInEnvironment } from './scope.js';

export interface ApplicationRow extends VersionedColumns {
  environment_id: string;
  id: string;
  config: string;
}

export interface SecretRow {
  environment_id: string;
  application_id: string;
  secret_ciphertext: string;
  created_at: string;
  previous_secret_ciphertext: string | null;
  previous_expires_at: string | null;
  previous_last_used: string | null;
}

export function toApplication(row: ApplicationRow): ApplicationRecord {
  // JSON text keeps strings exact, so `config.jwks` comes back byte for byte as the client sent it.
  return { id: row.id, environmentId: row.environment_id, config: parseJson<ApplicationConfig>(row.config), ...versioned(row) };
}

export function applicationInsertColumns(app: ApplicationRecord): Columns {
  return { id: app.id, config: json(app.config), version: app.version, created_at: app.createdAt, updated_at: app.updatedAt };
}

/** The columns a replace may change (not id, version or createdAt). */
export function applicationMutableColumns(app: ApplicationRecord): Columns {
  return { config: json(app.config), updated_at: app.updatedAt };
}

export function toSecret(row: SecretRow): SecretRecord {
  const secret: SecretRecord = {
    environmentId: row.environment_id,
    applicationId: row.application_id,
    secretCiphertext: row.secret_ciphertext,
    createdAt: row.created_at,
  };
  if (row.previous_secret_ciphertext !== null) {
    secret.previous = { secretCiphertext: row.previous_secret_ciphertext, expiresAt: row.previous_expires_at ?? '' };
    if (row.previous_last_used !== null) secret.previous.lastUsed = row.previous_last_used;
  }
  return secret;
}

export function secretColumns(secret: SecretRecord): Columns {
  return {
    application_id: secret.applicationId,
    secret_ciphertext: secret.secretCiphertext,
    created_at: secret.createdAt,
    previous_secret_ciphertext: secret.previous?.secretCiphertext ?? null,
    previous_expires_at: secret.previous?.expiresAt ?? null,
    previous_last_used: secret.previous?.lastUsed ?? null,
  };
}

/** Every part of the bundle must belong to its application and environment (caller bugs otherwise). */
export function assertApplicationBundle(
  environmentId: string,
  { application: app, secret, roleAssignments = [] }: NewApplicationBundle,
): void {
  assertInEnvironment(environmentId, app.environmentId, `application ${app.id}`);
  if (secret.applicationId !== app.id) throw new TypeError(`secret of ${secret.applicationId} bundled with application ${app.id}`);
  for (const assignment of roleAssignments) {
    if (assignment.applicationId !== app.id) throw new TypeError(`role assignment ${assignment.id} bundled with application ${app.id}`);
  }
}
