// SQLite
//
// Scopes' `mappedClaims` (PingOne's `ResourceScope.mappedClaims`): the ids of the `openid`
// resource's custom attributes a scope releases, as JSON text (an array of ids, read and written
// whole like grants.scope_ids), NULL for a scope that maps none (every scope written before).
// Only scopes of the OPENID_CONNECT resource hold it (src/management/scopes.ts).
export const sqlite = `
ALTER TABLE scopes ADD COLUMN mapped_claims TEXT;
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statement above; its comments explain it. Conventions as in
// 0001_init.ts: every text column is COLLATE "C". The scopes table already feeds the instances'
// caches through the change triggers of 0005_change_notifications.ts (statement-level, so a new
// column is announced like the others): a scope write announces its environment, whose cached
// client profiles carry the compiled mapped claims.
export const postgres = `
ALTER TABLE scopes ADD COLUMN mapped_claims text COLLATE "C";
`;
