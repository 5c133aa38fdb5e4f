/**
 * Rows ↔ records of the sign-in state that is not a grant: flows, sessions and PAR requests
 * (every dialect). Codes and refresh tokens are in grant-rows.ts. Lists and objects are JSON text.
 */
import type { FlowRecord } from '../../domain/sign-in/flow.js';
import type { ParRequestRecord } from '../../domain/sign-in/par-request.js';
import type { SessionRecord } from '../../domain/sign-in/session.js';
import { json, parseJson, withOptional, type Columns } from './rows.js';

/** Tables of the sign-in state, each purged by its `expires_at`. */
export const SIGN_IN_TABLES = ['flows', 'sessions', 'authorization_codes', 'refresh_tokens', 'par_requests', 'grant_access_tokens'] as const;
export type SignInTable = (typeof SIGN_IN_TABLES)[number];

export interface FlowRow {
  environment_id: string;
  id: string;
  application_id: string;
  request: string;
  status: FlowRecord['status'];
  user_id: string | null;
  session_id: string | null;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  version: number;
}

export function toFlow(row: FlowRow): FlowRecord {
  const record: FlowRecord = {
    id: row.id,
    environmentId: row.environment_id,
    applicationId: row.application_id,
    request: parseJson<FlowRecord['request']>(row.request),
    status: row.status,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    version: row.version,
  };
  withOptional(record, 'userId', row.user_id);
  withOptional(record, 'sessionId', row.session_id);
  return record;
}

/** Every column but `environment_id` (stamped by the scoped insert) and `version`. */
export function flowColumns(f: FlowRecord): Columns {
  return {
    id: f.id,
    application_id: f.applicationId,
    request: json(f.request),
    status: f.status,
    user_id: f.userId ?? null,
    session_id: f.sessionId ?? null,
    csrf_token: f.csrfToken,
    created_at: f.createdAt,
    expires_at: f.expiresAt,
  };
}

export interface SessionRow {
  environment_id: string;
  id_hash: string;
  user_id: string;
  auth_time: string;
  amr: string;
  acr: string | null;
  expires_at: string;
  revoked_at: string | null;
}

export function toSession(row: SessionRow): SessionRecord {
  const record: SessionRecord = {
    idHash: row.id_hash,
    environmentId: row.environment_id,
    userId: row.user_id,
    authTime: row.auth_time,
    amr: parseJson<string[]>(row.amr),
    expiresAt: row.expires_at,
  };
  return withOptional(record, 'acr', row.acr);
}

export function sessionColumns(s: SessionRecord): Columns {
  return {
    id_hash: s.idHash,
    user_id: s.userId,
    auth_time: s.authTime,
    amr: json(s.amr),
    acr: s.acr ?? null,
    expires_at: s.expiresAt,
  };
}

export interface ParRequestRow {
  environment_id: string;
  id: string;
  application_id: string;
  params: string;
  expires_at: string;
}

export function toParRequest(row: ParRequestRow): ParRequestRecord {
  return {
    id: row.id,
    environmentId: row.environment_id,
    applicationId: row.application_id,
    params: parseJson<Record<string, string>>(row.params),
    expiresAt: row.expires_at,
  };
}

export function parRequestColumns(p: ParRequestRecord): Columns {
  return { id: p.id, application_id: p.applicationId, params: json(p.params), expires_at: p.expiresAt };
}

/**
 * True when a grace period is set and `rotatedAt` lies at most `graceSeconds` before `now` (or
 * after it: another instance's clock). Without a grace period every second use is a reuse.
 */
export function withinGrace(rotatedAt: string, now: string, graceSeconds: number): boolean {
  return graceSeconds > 0 && Date.parse(now) - Date.parse(rotatedAt) <= graceSeconds * 1000;
}
