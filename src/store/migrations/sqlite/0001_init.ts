// Released migration: never edit; add 0002_… instead (house rule 5).
// Conventions: STRICT tables; every environment-scoped table has `environment_id` first in its
// primary key; timestamps are ISO-8601 TEXT with milliseconds; nested data is JSON TEXT.
// Enumerations are not CHECKed so that new PingOne values need no table rebuild.
export const sql = `
CREATE TABLE organization (
  id          TEXT NOT NULL PRIMARY KEY,
  name        TEXT NOT NULL,
  license_id  TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE environments (
  id               TEXT NOT NULL PRIMARY KEY,
  organization_id  TEXT NOT NULL,
  name             TEXT NOT NULL,
  description      TEXT,
  region           TEXT NOT NULL,
  type             TEXT NOT NULL,
  license_id       TEXT NOT NULL,
  status           TEXT NOT NULL,
  extras           TEXT NOT NULL, -- JSON object
  settings         TEXT NOT NULL, -- JSON object
  version          INTEGER NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX environments_organization_name ON environments (organization_id, name);
CREATE INDEX environments_organization_id ON environments (organization_id, id);

CREATE TABLE signing_keys (
  environment_id          TEXT NOT NULL REFERENCES environments (id),
  id                      TEXT NOT NULL, -- the kid
  algorithm               TEXT NOT NULL,
  public_jwk              TEXT NOT NULL, -- JSON object
  private_key_ciphertext  TEXT NOT NULL,
  status                  TEXT NOT NULL,
  created_at              TEXT NOT NULL,
  PRIMARY KEY (environment_id, id)
) STRICT;

CREATE TABLE populations (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  id              TEXT NOT NULL,
  name            TEXT NOT NULL,
  description     TEXT,
  is_default      INTEGER NOT NULL,
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id)
) STRICT;

CREATE TABLE applications (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  id              TEXT NOT NULL,
  config          TEXT NOT NULL, -- JSON ApplicationConfig; keeps the jwks string exactly
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id)
) STRICT;

CREATE TABLE application_secrets (
  environment_id              TEXT NOT NULL,
  application_id              TEXT NOT NULL,
  secret_ciphertext           TEXT NOT NULL,
  created_at                  TEXT NOT NULL,
  previous_secret_ciphertext  TEXT,
  previous_expires_at         TEXT,
  previous_last_used          TEXT,
  PRIMARY KEY (environment_id, application_id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
) STRICT;

CREATE TABLE resources (
  environment_id                  TEXT NOT NULL REFERENCES environments (id),
  id                              TEXT NOT NULL,
  name                            TEXT NOT NULL,
  type                            TEXT NOT NULL,
  description                     TEXT,
  audience                        TEXT NOT NULL,
  access_token_validity_seconds   INTEGER NOT NULL,
  version                         INTEGER NOT NULL,
  created_at                      TEXT NOT NULL,
  updated_at                      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id)
) STRICT;
CREATE UNIQUE INDEX resources_environment_name ON resources (environment_id, name);

CREATE TABLE scopes (
  environment_id  TEXT NOT NULL,
  id              TEXT NOT NULL,
  resource_id     TEXT NOT NULL,
  name            TEXT NOT NULL,
  description     TEXT,
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, resource_id) REFERENCES resources (environment_id, id)
) STRICT;
CREATE UNIQUE INDEX scopes_resource_name ON scopes (environment_id, resource_id, name);
CREATE INDEX scopes_resource_id ON scopes (environment_id, resource_id, id);

CREATE TABLE grants (
  environment_id  TEXT NOT NULL,
  id              TEXT NOT NULL,
  application_id  TEXT NOT NULL,
  resource_id     TEXT NOT NULL,
  scope_ids       TEXT NOT NULL, -- JSON array of scope ids
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id),
  FOREIGN KEY (environment_id, resource_id) REFERENCES resources (environment_id, id)
) STRICT;
CREATE INDEX grants_application_id ON grants (environment_id, application_id, id);
CREATE INDEX grants_resource ON grants (environment_id, resource_id);

CREATE TABLE role_assignments (
  environment_id  TEXT NOT NULL, -- environment of the application holding the role
  id              TEXT NOT NULL,
  application_id  TEXT NOT NULL,
  role_id         TEXT NOT NULL,
  scope_type      TEXT NOT NULL,
  scope_id        TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
) STRICT;
CREATE INDEX role_assignments_application_id ON role_assignments (environment_id, application_id, id);
CREATE INDEX role_assignments_scope ON role_assignments (scope_type, scope_id);
`;
