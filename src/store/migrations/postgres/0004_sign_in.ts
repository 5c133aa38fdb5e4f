// Released migrations are never edited; add 0005_… instead (house rule 5).
// The PostgreSQL twin of migrations/sqlite/0004_sign_in.ts: same tables, columns, keys and
// indexes; its comments explain the choices.
// Conventions as in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions.
export const sql = `
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
