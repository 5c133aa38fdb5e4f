/** Rows ↔ records for client authentication: uploaded certificates and auth events (every dialect). */
import type { ClientAuthEventRecord, ClientCertificateRecord } from '../types.js';
import { json, parseJson, withOptional, type Columns } from './rows.js';
import { escapeNul } from './text.js';

export interface ClientCertificateRow {
  environment_id: string;
  application_id: string;
  id: string;
  pem: string;
  public_jwk: string;
  subject: string;
  issuer: string;
  serial_number: string;
  not_before: string;
  not_after: string;
  thumbprint_s256: string;
  created_at: string;
}

export function toClientCertificate(row: ClientCertificateRow): ClientCertificateRecord {
  return {
    id: row.id,
    environmentId: row.environment_id,
    applicationId: row.application_id,
    pem: row.pem,
    publicJwk: parseJson<Record<string, unknown>>(row.public_jwk),
    subject: row.subject,
    issuer: row.issuer,
    serialNumber: row.serial_number,
    notBefore: row.not_before,
    notAfter: row.not_after,
    thumbprintS256: row.thumbprint_s256,
    createdAt: row.created_at,
  };
}

/** Every column but `environment_id`, which the scoped insert stamps. */
export function clientCertificateColumns(c: ClientCertificateRecord): Columns {
  return {
    application_id: c.applicationId,
    id: c.id,
    pem: c.pem,
    public_jwk: json(c.publicJwk),
    subject: c.subject,
    issuer: c.issuer,
    serial_number: c.serialNumber,
    not_before: c.notBefore,
    not_after: c.notAfter,
    thumbprint_s256: c.thumbprintS256,
    created_at: c.createdAt,
  };
}

export interface ClientAuthEventRow {
  environment_id: string;
  application_id: string;
  id: string;
  outcome: ClientAuthEventRecord['outcome'];
  reason: string;
  method: string | null;
  kid: string | null;
  alg: string | null;
  audience_form: string | null;
  detail: string | null;
  endpoint: string;
  at: string;
}

export function toClientAuthEvent(row: ClientAuthEventRow): ClientAuthEventRecord {
  const record: ClientAuthEventRecord = {
    id: row.id,
    environmentId: row.environment_id,
    applicationId: row.application_id,
    outcome: row.outcome,
    reason: row.reason,
    endpoint: row.endpoint,
    at: row.at,
  };
  withOptional(record, 'method', row.method);
  withOptional(record, 'kid', row.kid);
  withOptional(record, 'alg', row.alg);
  withOptional(record, 'audienceForm', row.audience_form);
  return withOptional(record, 'detail', row.detail);
}

/**
 * Every column but `environment_id`. The event's text records what a client sent, so U+0000 in
 * it is written as `\u0000` (./text.ts) rather than refused: the refusal it documents must leave
 * its event on either engine.
 */
export function clientAuthEventColumns(e: ClientAuthEventRecord): Columns {
  const text = (value: string | undefined): string | null => (value === undefined ? null : escapeNul(value));
  return {
    application_id: e.applicationId,
    id: e.id,
    outcome: e.outcome,
    reason: escapeNul(e.reason),
    method: text(e.method),
    kid: text(e.kid),
    alg: text(e.alg),
    audience_form: text(e.audienceForm),
    detail: text(e.detail),
    endpoint: escapeNul(e.endpoint),
    at: e.at,
  };
}

/**
 * Newest first, ties by id: the order of the `client_auth_events_application_at` index, used
 * both to list events and to find the oldest ones to drop.
 */
export const EVENTS_NEWEST_FIRST = 'at DESC, id';

/**
 * The events of one application ranked after `(at, id)` in EVENTS_NEWEST_FIRST order; binds
 * `at, at, id`. Spelled out because row-value `<` cannot mix a descending and an ascending key.
 */
export const EVENTS_AFTER = '(at < ? OR (at = ? AND id > ?))';

/** Bounds of a purge batch or of the events kept: a positive integer. */
export function assertPositiveCount(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${n}`);
}
