// Released migrations are never edited; add 0007_… instead (house rule 5).
// The PostgreSQL twin of migrations/sqlite/0006_grant_access_tokens.ts; its comments explain it.
// Conventions as in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions.
export const sql = `
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
