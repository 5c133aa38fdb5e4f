// Released migration: never edit it; add 0005_… instead (docs/architecture.md, migrations).
//
// SQLite
// The user sign-in state (SignInStore): flows, `ST` sessions, authorization codes, refresh
// tokens and PAR requests.
//
// - Keys that are secrets sent to a client (flow id, session id, code, refresh token, PAR id)
//   are stored only as their SHA-256 (base64url): the store never sees the secret itself.
// - Every table references `environments` only, not applications or users: the rows are short
//   lived, and deleting an application or user must not be blocked by a flow in progress (the
//   protocol re-reads both before issuing anything). deleteEnvironment deletes them
//   (ENVIRONMENT_CHILD_TABLES in registry.ts).
// - Single use is enforced by conditional UPDATE … RETURNING / DELETE … RETURNING in one
//   transaction (`authorization_codes.redeemed_at`, `refresh_tokens.rotated_at`).
// - Lists and objects (request, scope, amr, params) are JSON text. Every table has an
//   `expires_at` index for the background purge.
//
// Timestamps are ISO-8601 UTC strings with milliseconds, so text order is time order.
export const sqlite = `
CREATE TABLE flows (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  id              TEXT NOT NULL, -- SHA-256 of the flow id
  application_id  TEXT NOT NULL,
  request         TEXT NOT NULL, -- JSON: the validated authorization request
  status          TEXT NOT NULL,
  user_id         TEXT,
  session_id      TEXT,
  csrf_token      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  version         INTEGER NOT NULL,
  PRIMARY KEY (environment_id, id)
) STRICT;
CREATE INDEX flows_expires_at ON flows (expires_at);

CREATE TABLE sessions (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  id_hash         TEXT NOT NULL,
  user_id         TEXT NOT NULL,
  auth_time       TEXT NOT NULL,
  amr             TEXT NOT NULL, -- JSON array
  acr             TEXT,
  expires_at      TEXT NOT NULL,
  revoked_at      TEXT,
  PRIMARY KEY (environment_id, id_hash)
) STRICT;
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE authorization_codes (
  environment_id         TEXT NOT NULL REFERENCES environments (id),
  code_hash              TEXT NOT NULL,
  application_id         TEXT NOT NULL,
  user_id                TEXT NOT NULL,
  session_id_hash        TEXT NOT NULL,
  redirect_uri           TEXT NOT NULL,
  scope                  TEXT NOT NULL, -- JSON array
  nonce                  TEXT,
  code_challenge         TEXT,
  code_challenge_method  TEXT,
  auth_time              TEXT NOT NULL,
  amr                    TEXT NOT NULL, -- JSON array
  acr                    TEXT,
  grant_id               TEXT NOT NULL,
  expires_at             TEXT NOT NULL,
  redeemed_at            TEXT,
  PRIMARY KEY (environment_id, code_hash)
) STRICT;
CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);

CREATE TABLE refresh_tokens (
  environment_id   TEXT NOT NULL REFERENCES environments (id),
  token_hash       TEXT NOT NULL,
  application_id   TEXT NOT NULL,
  user_id          TEXT NOT NULL,
  session_id_hash  TEXT NOT NULL,
  grant_id         TEXT NOT NULL,
  family_id        TEXT NOT NULL,
  scope            TEXT NOT NULL, -- JSON array
  auth_time        TEXT NOT NULL,
  amr              TEXT NOT NULL, -- JSON array
  acr              TEXT,
  created_at       TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  rotated_at       TEXT,
  replaced_by      TEXT, -- token_hash of the successor
  revoked_at       TEXT,
  PRIMARY KEY (environment_id, token_hash)
) STRICT;
CREATE INDEX refresh_tokens_family ON refresh_tokens (environment_id, family_id);
CREATE INDEX refresh_tokens_grant ON refresh_tokens (environment_id, grant_id);
CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);

CREATE TABLE par_requests (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  id              TEXT NOT NULL,
  application_id  TEXT NOT NULL,
  params          TEXT NOT NULL, -- JSON object of the pushed parameters
  expires_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id)
) STRICT;
CREATE INDEX par_requests_expires_at ON par_requests (expires_at);
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above: same tables, columns, keys and
// indexes; its comments explain the choices.
// Conventions as in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions.
export const postgres = `
CREATE TABLE flows (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  id              text COLLATE "C" NOT NULL, -- SHA-256 of the flow id
  application_id  text COLLATE "C" NOT NULL,
  request         text COLLATE "C" NOT NULL, -- JSON: the validated authorization request
  status          text COLLATE "C" NOT NULL,
  user_id         text COLLATE "C",
  session_id      text COLLATE "C",
  csrf_token      text COLLATE "C" NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  expires_at      text COLLATE "C" NOT NULL,
  version         integer NOT NULL,
  PRIMARY KEY (environment_id, id)
);
CREATE INDEX flows_expires_at ON flows (expires_at);

CREATE TABLE sessions (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  id_hash         text COLLATE "C" NOT NULL,
  user_id         text COLLATE "C" NOT NULL,
  auth_time       text COLLATE "C" NOT NULL,
  amr             text COLLATE "C" NOT NULL, -- JSON array
  acr             text COLLATE "C",
  expires_at      text COLLATE "C" NOT NULL,
  revoked_at      text COLLATE "C",
  PRIMARY KEY (environment_id, id_hash)
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE authorization_codes (
  environment_id         text COLLATE "C" NOT NULL REFERENCES environments (id),
  code_hash              text COLLATE "C" NOT NULL,
  application_id         text COLLATE "C" NOT NULL,
  user_id                text COLLATE "C" NOT NULL,
  session_id_hash        text COLLATE "C" NOT NULL,
  redirect_uri           text COLLATE "C" NOT NULL,
  scope                  text COLLATE "C" NOT NULL, -- JSON array
  nonce                  text COLLATE "C",
  code_challenge         text COLLATE "C",
  code_challenge_method  text COLLATE "C",
  auth_time              text COLLATE "C" NOT NULL,
  amr                    text COLLATE "C" NOT NULL, -- JSON array
  acr                    text COLLATE "C",
  grant_id               text COLLATE "C" NOT NULL,
  expires_at             text COLLATE "C" NOT NULL,
  redeemed_at            text COLLATE "C",
  PRIMARY KEY (environment_id, code_hash)
);
CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);

CREATE TABLE refresh_tokens (
  environment_id   text COLLATE "C" NOT NULL REFERENCES environments (id),
  token_hash       text COLLATE "C" NOT NULL,
  application_id   text COLLATE "C" NOT NULL,
  user_id          text COLLATE "C" NOT NULL,
  session_id_hash  text COLLATE "C" NOT NULL,
  grant_id         text COLLATE "C" NOT NULL,
  family_id        text COLLATE "C" NOT NULL,
  scope            text COLLATE "C" NOT NULL, -- JSON array
  auth_time        text COLLATE "C" NOT NULL,
  amr              text COLLATE "C" NOT NULL, -- JSON array
  acr              text COLLATE "C",
  created_at       text COLLATE "C" NOT NULL,
  expires_at       text COLLATE "C" NOT NULL,
  rotated_at       text COLLATE "C",
  replaced_by      text COLLATE "C", -- token_hash of the successor
  revoked_at       text COLLATE "C",
  PRIMARY KEY (environment_id, token_hash)
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (environment_id, family_id);
CREATE INDEX refresh_tokens_grant ON refresh_tokens (environment_id, grant_id);
CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);

CREATE TABLE par_requests (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  id              text COLLATE "C" NOT NULL,
  application_id  text COLLATE "C" NOT NULL,
  params          text COLLATE "C" NOT NULL, -- JSON object of the pushed parameters
  expires_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id)
);
CREATE INDEX par_requests_expires_at ON par_requests (expires_at);
`;
