// SQLite
//
// Password policies (PingOne's `/environments/{envId}/passwordPolicies`): one row per policy,
// the rules as JSON text (read and written whole, like users.profile), names unique per
// environment and, by a partial unique index, at most one default per environment (the store
// moves the flag in one transaction, as for populations).
//
// Every environment that exists before this migration gets PingOne's three built-in policies
// (Standard as the default, Passphrase, Basic; developer.pingidentity.com, "Password Policies"),
// with new random version-4 UUIDs, so that each environment has exactly one default from now on.
// The JSON below is the built-in rules as they were when this migration was written; new
// environments take theirs from src/management/password-policies/built-in.ts.
//
// `populations.password_policy_id` is the population's assigned policy (PingOne's
// `population.passwordPolicy.id`), NULL for "the environment's default". It has no foreign key:
// SQLite cannot add a composite one to an existing table, so the store checks the reference
// under a lock when it writes a population and refuses to delete a policy a population names.
const STANDARD =
  '{"excludesProfileData":true,"notSimilarToCurrent":true,"excludesCommonlyUsed":true,"maxRepeatedCharacters":2,"minUniqueCharacters":5,' +
  '"history":{"count":6,"retentionDays":365},"lockout":{"failureCount":5,"durationSeconds":900},"length":{"min":8,"max":255},' +
  '"minCharacters":{"ABCDEFGHIJKLMNOPQRSTUVWXYZ":1,"abcdefghijklmnopqrstuvwxyz":1,"0123456789":1,"~!@#$%^&*()-_=+[]{}|;:,.<>/?":1},' +
  '"maxAgeDays":182,"minAgeDays":1}';
const PASSPHRASE =
  '{"description":"A policy that encourages passphrases","excludesProfileData":true,"notSimilarToCurrent":true,"excludesCommonlyUsed":true,' +
  '"minComplexity":7,"history":{"count":6,"retentionDays":365},"lockout":{"failureCount":5,"durationSeconds":900}}';
const BASIC =
  '{"description":"A relaxed policy that allows maximum customer flexibility","excludesProfileData":false,"notSimilarToCurrent":false,' +
  '"excludesCommonlyUsed":true,"length":{"min":8,"max":255},' +
  '"minCharacters":{"ABCDEFGHIJKLMNOPQRSTUVWXYZ":1,"abcdefghijklmnopqrstuvwxyz":1,"0123456789":1,"~!@#$%^&*()-_=+[]{}|;:,.<>/?":1},' +
  '"lockout":{"failureCount":5,"durationSeconds":900}}';
const STANDARD_WITH_DESCRIPTION = STANDARD.replace('{', '{"description":"A standard policy that incorporates industry best practices",');

/** SQL text literal of `value` (single quotes doubled). */
const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;

const BUILT_IN: ReadonlyArray<[name: string, isDefault: boolean, rules: string]> = [
  ['Standard', true, STANDARD_WITH_DESCRIPTION],
  ['Passphrase', false, PASSPHRASE],
  ['Basic', false, BASIC],
];

// A version-4 UUID from SQLite's random bytes (SQLite has no UUID function).
const SQLITE_UUID =
  "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || " +
  "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))";

function seed(uuid: string, bool: (value: boolean) => string): string {
  return BUILT_IN.map(
    ([name, isDefault, rules]) =>
      `INSERT INTO password_policies (environment_id, id, name, is_default, rules, version, created_at, updated_at)
  SELECT id, ${uuid}, ${literal(name)}, ${bool(isDefault)}, ${literal(rules)}, 1, created_at, created_at FROM environments;`,
  ).join('\n');
}

export const sqlite = `
CREATE TABLE password_policies (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  id              TEXT NOT NULL,
  name            TEXT NOT NULL,
  is_default      INTEGER NOT NULL,
  rules           TEXT NOT NULL, -- JSON object: every PingOne field but id, name, default and the read-only ones
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id)
) STRICT;
CREATE UNIQUE INDEX password_policies_environment_name ON password_policies (environment_id, name);
CREATE UNIQUE INDEX password_policies_environment_default ON password_policies (environment_id) WHERE is_default = 1;
ALTER TABLE populations ADD COLUMN password_policy_id TEXT;
CREATE INDEX populations_password_policy ON populations (environment_id, password_policy_id);
${seed(SQLITE_UUID, (value) => (value ? '1' : '0'))}
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above; its comments explain it. Conventions as
// in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions. gen_random_uuid() is
// built in from PostgreSQL 13.
export const postgres = `
CREATE TABLE password_policies (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  id              text COLLATE "C" NOT NULL,
  name            text COLLATE "C" NOT NULL,
  is_default      boolean NOT NULL,
  rules           text COLLATE "C" NOT NULL,
  version         integer NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id)
);
CREATE UNIQUE INDEX password_policies_environment_name ON password_policies (environment_id, name);
CREATE UNIQUE INDEX password_policies_environment_default ON password_policies (environment_id) WHERE is_default;
ALTER TABLE populations ADD COLUMN password_policy_id text COLLATE "C";
CREATE INDEX populations_password_policy ON populations (environment_id, password_policy_id);
${seed('gen_random_uuid()::text', (value) => (value ? 'true' : 'false'))}
`;
