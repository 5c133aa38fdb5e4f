/**
 * Dialect-neutral facts about environment scoping (house rule 2), used by each dialect's
 * `scoped.ts`, the single place that writes the environment predicate.
 */
import type { Page } from '../types.js';

/** Environment-scoped tables and the column holding their environment id. */
export const SCOPE_COLUMN = {
  environments: 'id',
  signing_keys: 'environment_id',
  populations: 'environment_id',
  users: 'environment_id',
  applications: 'environment_id',
  application_secrets: 'environment_id',
  resources: 'environment_id',
  scopes: 'environment_id',
  grants: 'environment_id',
  role_assignments: 'environment_id',
  assertion_jtis: 'environment_id',
  client_certificates: 'environment_id',
  client_auth_events: 'environment_id',
  revoked_tokens: 'environment_id',
  flows: 'environment_id',
  sessions: 'environment_id',
  authorization_codes: 'environment_id',
  refresh_tokens: 'environment_id',
  par_requests: 'environment_id',
  grant_access_tokens: 'environment_id',
} as const;

export type ScopedTable = keyof typeof SCOPE_COLUMN;

/**
 * Every table holding rows of an environment besides `environments` itself, children before
 * parents so that deleting in this order satisfies the foreign keys.
 */
export const ENVIRONMENT_CHILD_TABLES: readonly Exclude<ScopedTable, 'environments'>[] = [
  'client_auth_events',
  'client_certificates',
  'role_assignments',
  'grants',
  'scopes',
  'application_secrets',
  'applications',
  'resources',
  'users',
  'populations',
  'signing_keys',
  'assertion_jtis',
  'revoked_tokens',
  'flows',
  'sessions',
  'authorization_codes',
  'refresh_tokens',
  'par_requests',
  'grant_access_tokens',
];

/** `<scope column> = ?`, followed by the caller's own predicate when there is one. */
export function scopedWhere(table: ScopedTable, predicate: string): string {
  const scope = `${SCOPE_COLUMN[table]} = ?`;
  return predicate ? `${scope} AND ${predicate}` : scope;
}

/** One page of rows, before they are mapped to records. */
export interface RowPage<R> {
  rows: R[];
  count: number;
  nextCursor?: string;
}

export function assertPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`page limit must be 1..1000, got ${limit}`);
}

/**
 * Cuts a fetched `limit + 1` rows down to the page and sets the cursor when more rows exist
 * (fetching one extra row tells "more" without a second query).
 */
export function toRowPage<R extends { id: string }>(rows: R[], count: number, limit: number): RowPage<R> {
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const result: RowPage<R> = { rows, count };
  const last = rows[rows.length - 1];
  if (more && last) result.nextCursor = last.id;
  return result;
}

export function mapRowPage<R, T>(page: RowPage<R>, toRecord: (row: R) => T): RowPage<T> {
  return { ...page, rows: page.rows.map(toRecord) };
}

/** The store's `Page`, omitting `nextCursor` on the last page. */
export function toPage<T>({ rows, count, nextCursor }: RowPage<T>): Page<T> {
  return nextCursor === undefined ? { items: rows, count } : { items: rows, count, nextCursor };
}

/**
 * A record's own environment id must match the scope it is written under; the helper stamps the
 * scope, so a mismatch is a caller bug that would otherwise be silently rewritten.
 */
export function assertInEnvironment(environmentId: string, recordEnvironmentId: string, what: string): void {
  if (recordEnvironmentId !== environmentId) {
    throw new TypeError(`${what} belongs to environment ${recordEnvironmentId}, not ${environmentId}`);
  }
}
