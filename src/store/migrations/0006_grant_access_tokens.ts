// Released migration: never edit it; add 0007_… instead (docs/architecture.md, migrations).
//
// SQLite
//
// Access tokens issued by user grants (authorization code, refresh token) are remembered until
// they expire, with the grant and refresh family they came from, so that a code redeemed twice or
// a rotated refresh token used again revokes them too (RFC 6749 §4.1.2, §10.4): their jti is
// copied into revoked_tokens, which introspection and userinfo consult. client_credentials tokens
// have no grant and are not recorded.
export const sqlite = `
CREATE TABLE grant_access_tokens (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  jti             TEXT NOT NULL,
  grant_id        TEXT NOT NULL,
  family_id       TEXT,
  expires_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, jti)
) STRICT;
CREATE INDEX grant_access_tokens_grant ON grant_access_tokens (environment_id, grant_id);
CREATE INDEX grant_access_tokens_family ON grant_access_tokens (environment_id, family_id);
CREATE INDEX grant_access_tokens_expires_at ON grant_access_tokens (expires_at);
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above; its comments explain it.
// Conventions as in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions.
export const postgres = `
CREATE TABLE grant_access_tokens (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  jti             text COLLATE "C" NOT NULL,
  grant_id        text COLLATE "C" NOT NULL,
  family_id       text COLLATE "C",
  expires_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, jti)
);
CREATE INDEX grant_access_tokens_grant ON grant_access_tokens (environment_id, grant_id);
CREATE INDEX grant_access_tokens_family ON grant_access_tokens (environment_id, family_id);
CREATE INDEX grant_access_tokens_expires_at ON grant_access_tokens (expires_at);
`;
