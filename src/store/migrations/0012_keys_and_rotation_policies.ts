// SQLite
//
// Environment keys as PingOne's keys API describes them (OpenAPI `Certificate`): a name, a usage
// type (SIGNING or ENCRYPTION), the default flag (one default per usage type, so exactly one key
// signs an environment's tokens), the key type and length, and the X.509 certificate with what
// it says, as JSON text (src/domain/signing-key.ts, `KeyCertificate`). The one key each
// environment had before is its default signing key: RSA 2048, RS256; its certificate is made
// the first time the keys API reads it (src/management/keys/service.ts), as SQL cannot sign.
// The change-feed triggers of signing_keys (0005) cover the new columns.
//
// Key rotation policies (PingOne's `/environments/{envId}/keyRotationPolicies`): the settings of
// the keys a policy makes as JSON text, when it last rotated and when it next rotates (the timer
// looks for due policies by that instant across environments). A policy's keys are rows of
// signing_keys naming it, each CURRENT (signs), NEXT (published, signs after the next rotation)
// or PREVIOUS (published until retire_at, when every token it signed has expired).
export const sqlite = `
ALTER TABLE signing_keys ADD COLUMN name TEXT;
ALTER TABLE signing_keys ADD COLUMN usage_type TEXT NOT NULL DEFAULT 'SIGNING';
ALTER TABLE signing_keys ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0;
ALTER TABLE signing_keys ADD COLUMN key_algorithm TEXT NOT NULL DEFAULT 'RSA';
ALTER TABLE signing_keys ADD COLUMN key_length INTEGER NOT NULL DEFAULT 2048;
ALTER TABLE signing_keys ADD COLUMN certificate TEXT; -- JSON object, or NULL until made
UPDATE signing_keys SET is_default = 1 WHERE status = 'ACTIVE';
CREATE UNIQUE INDEX signing_keys_one_default ON signing_keys (environment_id, usage_type) WHERE is_default = 1;
ALTER TABLE signing_keys ADD COLUMN rotation_policy_id TEXT;
ALTER TABLE signing_keys ADD COLUMN rotation_state TEXT; -- CURRENT, NEXT, PREVIOUS; NULL outside a policy
ALTER TABLE signing_keys ADD COLUMN retire_at TEXT;
CREATE INDEX signing_keys_rotation_policy ON signing_keys (environment_id, rotation_policy_id);

CREATE TABLE key_rotation_policies (
  environment_id    TEXT NOT NULL REFERENCES environments (id),
  id                TEXT NOT NULL,
  name              TEXT NOT NULL,
  settings          TEXT NOT NULL, -- JSON object: algorithm, keyLength, signatureAlgorithm, dn, usageType, validityPeriod, rotationPeriod
  rotated_at        TEXT NOT NULL,
  next_rotation_at  TEXT NOT NULL,
  version           INTEGER NOT NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  PRIMARY KEY (environment_id, id)
) STRICT;
CREATE INDEX key_rotation_policies_due ON key_rotation_policies (next_rotation_at);
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above; its comments explain it. Conventions as
// in 0001_init.ts: every text column is COLLATE "C"; the new table announces its changes on the
// change feed like every configuration table (0005's keyway_notify_change).
export const postgres = `
ALTER TABLE signing_keys ADD COLUMN name text COLLATE "C";
ALTER TABLE signing_keys ADD COLUMN usage_type text COLLATE "C" NOT NULL DEFAULT 'SIGNING';
ALTER TABLE signing_keys ADD COLUMN is_default boolean NOT NULL DEFAULT false;
ALTER TABLE signing_keys ADD COLUMN key_algorithm text COLLATE "C" NOT NULL DEFAULT 'RSA';
ALTER TABLE signing_keys ADD COLUMN key_length integer NOT NULL DEFAULT 2048;
ALTER TABLE signing_keys ADD COLUMN certificate text COLLATE "C";
UPDATE signing_keys SET is_default = true WHERE status = 'ACTIVE';
CREATE UNIQUE INDEX signing_keys_one_default ON signing_keys (environment_id, usage_type) WHERE is_default;
ALTER TABLE signing_keys ADD COLUMN rotation_policy_id text COLLATE "C";
ALTER TABLE signing_keys ADD COLUMN rotation_state text COLLATE "C";
ALTER TABLE signing_keys ADD COLUMN retire_at text COLLATE "C";
CREATE INDEX signing_keys_rotation_policy ON signing_keys (environment_id, rotation_policy_id);

CREATE TABLE key_rotation_policies (
  environment_id    text COLLATE "C" NOT NULL REFERENCES environments (id),
  id                text COLLATE "C" NOT NULL,
  name              text COLLATE "C" NOT NULL,
  settings          text COLLATE "C" NOT NULL,
  rotated_at        text COLLATE "C" NOT NULL,
  next_rotation_at  text COLLATE "C" NOT NULL,
  version           integer NOT NULL,
  created_at        text COLLATE "C" NOT NULL,
  updated_at        text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id)
);
CREATE INDEX key_rotation_policies_due ON key_rotation_policies (next_rotation_at);
CREATE TRIGGER key_rotation_policies_notify_insert AFTER INSERT ON key_rotation_policies REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keyway_notify_change('environment_id');
CREATE TRIGGER key_rotation_policies_notify_update AFTER UPDATE ON key_rotation_policies REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keyway_notify_change('environment_id');
CREATE TRIGGER key_rotation_policies_notify_delete AFTER DELETE ON key_rotation_policies REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keyway_notify_change('environment_id');
CREATE TRIGGER key_rotation_policies_notify_truncate AFTER TRUNCATE ON key_rotation_policies FOR EACH STATEMENT EXECUTE FUNCTION keyway_notify_change('environment_id');
`;
