// SQLite
//
// Environment keys as PingOne's keys API describes them (OpenAPI `Certificate`): a name, a usage
// type (SIGNING or ENCRYPTION), the default flag (one default per usage type, so exactly one key
// signs an environment's tokens), the key type and length, and the X.509 certificate with what
// it says, as JSON text (src/domain/signing-key.ts, `KeyCertificate`). The one key each
// environment had before is its default signing key: RSA 2048, RS256; its certificate is made
// the first time the keys API reads it (src/management/keys/service.ts), as SQL cannot sign.
// The change-feed triggers of signing_keys (0005) cover the new columns.
export const sqlite = `
ALTER TABLE signing_keys ADD COLUMN name TEXT;
ALTER TABLE signing_keys ADD COLUMN usage_type TEXT NOT NULL DEFAULT 'SIGNING';
ALTER TABLE signing_keys ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signing_keys ADD COLUMN key_algorithm TEXT NOT NULL DEFAULT 'RSA';
ALTER TABLE signing_keys ADD COLUMN key_length INTEGER NOT NULL DEFAULT 2048;
ALTER TABLE signing_keys ADD COLUMN certificate TEXT; -- JSON object, or NULL until made
UPDATE signing_keys SET is_default = 1 WHERE status = 'ACTIVE';
CREATE UNIQUE INDEX signing_keys_one_default ON signing_keys (environment_id, usage_type) WHERE is_default = 1;
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above; its comments explain it. Conventions as
// in 0001_init.ts: every text column is COLLATE "C".
export const postgres = `
ALTER TABLE signing_keys ADD COLUMN name text COLLATE "C";
ALTER TABLE signing_keys ADD COLUMN usage_type text COLLATE "C" NOT NULL DEFAULT 'SIGNING';
ALTER TABLE signing_keys ADD COLUMN is_default boolean NOT NULL DEFAULT false;
ALTER TABLE signing_keys ADD COLUMN key_algorithm text COLLATE "C" NOT NULL DEFAULT 'RSA';
ALTER TABLE signing_keys ADD COLUMN key_length integer NOT NULL DEFAULT 2048;
ALTER TABLE signing_keys ADD COLUMN certificate text COLLATE "C";
UPDATE signing_keys SET is_default = true WHERE status = 'ACTIVE';
CREATE UNIQUE INDEX signing_keys_one_default ON signing_keys (environment_id, usage_type) WHERE is_default;
`;
