// Released migrations are never edited; add 0004_… instead (house rule 5).
// The PostgreSQL twin of migrations/sqlite/0003_users.ts: same indexes, table, keys and
// reference; its comments explain the choices. Conventions as in 0001_init.ts: every text column
// is COLLATE "C" (username_lower is lower-cased by the store, not by a collation); no ON DELETE
// actions.
export const sql = `
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
