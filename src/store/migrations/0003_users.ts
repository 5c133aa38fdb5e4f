// Released migration: never edit it; add 0004_… instead (docs/architecture.md, migrations).
//
// SQLite
// Users and the rules of populations (UserStore).
//
// - Population names become unique per environment, and a partial unique index keeps at most one
//   default population per environment (the store moves the flag in one transaction). Before
//   this migration only the seed wrote populations, one "Default" per environment, so no existing
//   rows can clash.
// - `users.username_lower` is the case-insensitive key of the username (lower-cased NFC, written
//   by the store: shared/user-rows.ts); its unique index makes "one username per environment,
//   whatever the case" hold under concurrent creates.
// - A user references its population, so a population holding users cannot be deleted even by a
//   racing write; deleteEnvironment deletes users before populations (ENVIRONMENT_CHILD_TABLES).
// - `profile` is JSON text (name, externalId, mobilePhone, locale, …): read and written whole.
// - `password_hash` is `scrypt$N$r$p$salt$hash`, NULL without a password. `failed_attempts` and
//   `locked_until` are the sign-in lockout state, changed by single UPDATE statements.
export const sqlite = `
CREATE UNIQUE INDEX populations_environment_name ON populations (environment_id, name);
CREATE UNIQUE INDEX populations_environment_default ON populations (environment_id) WHERE is_default = 1;

CREATE TABLE users (
  environment_id         TEXT NOT NULL,
  id                     TEXT NOT NULL,
  population_id          TEXT NOT NULL,
  username               TEXT NOT NULL,
  username_lower         TEXT NOT NULL,
  email                  TEXT NOT NULL,
  enabled                INTEGER NOT NULL,
  lifecycle_status       TEXT NOT NULL,
  profile                TEXT NOT NULL, -- JSON object
  password_hash          TEXT,
  password_force_change  INTEGER NOT NULL,
  password_changed_at    TEXT,
  failed_attempts        INTEGER NOT NULL,
  locked_until           TEXT,
  version                INTEGER NOT NULL,
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, population_id) REFERENCES populations (environment_id, id)
) STRICT;
-- username_lower last: it names the clashing field (mapped to UniqueViolation('username')).
CREATE UNIQUE INDEX users_environment_username ON users (environment_id, username_lower);
CREATE INDEX users_environment_email ON users (environment_id, email);
CREATE INDEX users_population ON users (environment_id, population_id);
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above: same indexes, table, keys and
// reference; its comments explain the choices. Conventions as in 0001_init.ts: every text column
// is COLLATE "C" (username_lower is lower-cased by the store, not by a collation); no ON DELETE
// actions.
export const postgres = `
CREATE UNIQUE INDEX populations_environment_name ON populations (environment_id, name);
CREATE UNIQUE INDEX populations_environment_default ON populations (environment_id) WHERE is_default;

CREATE TABLE users (
  environment_id         text COLLATE "C" NOT NULL,
  id                     text COLLATE "C" NOT NULL,
  population_id          text COLLATE "C" NOT NULL,
  username               text COLLATE "C" NOT NULL,
  username_lower         text COLLATE "C" NOT NULL,
  email                  text COLLATE "C" NOT NULL,
  enabled                boolean NOT NULL,
  lifecycle_status       text COLLATE "C" NOT NULL,
  profile                text COLLATE "C" NOT NULL, -- JSON object
  password_hash          text COLLATE "C",
  password_force_change  boolean NOT NULL,
  password_changed_at    text COLLATE "C",
  failed_attempts        integer NOT NULL,
  locked_until           text COLLATE "C",
  version                integer NOT NULL,
  created_at             text COLLATE "C" NOT NULL,
  updated_at             text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, population_id) REFERENCES populations (environment_id, id)
);
CREATE UNIQUE INDEX users_environment_username ON users (environment_id, username_lower);
CREATE INDEX users_environment_email ON users (environment_id, email);
CREATE INDEX users_population ON users (environment_id, population_id);
`;
