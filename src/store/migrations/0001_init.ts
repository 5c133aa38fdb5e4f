// Released migration: never edit it; add 0002_… instead (docs/architecture.md, migrations).
//
// SQLite
// Conventions: STRICT tables; every environment-scoped table has `environment_id` first in its
// primary key; timestamps are ISO-8601 TEXT with milliseconds; nested data is JSON TEXT.
// Enumerations are not CHECKed so that new PingOne values need no table rebuild.
export const sqlite = `
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

// PostgreSQL
// The PostgreSQL side of the SQLite statements above: same tables, columns, keys and indexes.
// Conventions:
// - every text column is COLLATE "C", so comparisons, uniqueness and ORDER BY are byte-wise like
//   SQLite's BINARY collation (keyset paging by id returns the same order on both engines);
// - timestamps are the records' ISO-8601 TEXT strings, kept verbatim (no timestamptz round trip);
// - nested data is JSON as `text`, never `jsonb`, which would rewrite the jwks string a client sent;
// - foreign keys have no ON DELETE action, as in SQLite: the store deletes children explicitly;
// - enumerations are not CHECKed so that new PingOne values need no migration.
export const postgres = `
CREATE TABLE organization (
  id          text COLLATE "C" NOT NULL PRIMARY KEY,
  name        text COLLATE "C" NOT NULL,
  license_id  text COLLATE "C" NOT NULL,
  created_at  text COLLATE "C" NOT NULL
);

CREATE TABLE environments (
  id               text COLLATE "C" NOT NULL PRIMARY KEY,
  organization_id  text COLLATE "C" NOT NULL,
  name             text COLLATE "C" NOT NULL,
  description      text COLLATE "C",
  region           text COLLATE "C" NOT NULL,
  type             text COLLATE "C" NOT NULL,
  license_id       text COLLATE "C" NOT NULL,
  status           text COLLATE "C" NOT NULL,
  extras           text COLLATE "C" NOT NULL, -- JSON object
  settings         text COLLATE "C" NOT NULL, -- JSON object
  version          integer NOT NULL,
  created_at       text COLLATE "C" NOT NULL,
  updated_at       text COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX environments_organization_name ON environments (organization_id, name);
CREATE INDEX environments_organization_id ON environments (organization_id, id);

CREATE TABLE signing_keys (
  environment_id          text COLLATE "C" NOT NULL REFERENCES environments (id),
  id                      text COLLATE "C" NOT NULL, -- the kid
  algorithm               text COLLATE "C" NOT NULL,
  public_jwk              text COLLATE "C" NOT NULL, -- JSON object
  private_key_ciphertext  text COLLATE "C" NOT NULL,
  status                  text COLLATE "C" NOT NULL,
  created_at              text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id)
);

CREATE TABLE populations (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  id              text COLLATE "C" NOT NULL,
  name            text COLLATE "C" NOT NULL,
  description     text COLLATE "C",
  is_default      boolean NOT NULL,
  version         integer NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id)
);

CREATE TABLE applications (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  id              text COLLATE "C" NOT NULL,
  config          text COLLATE "C" NOT NULL, -- JSON ApplicationConfig; keeps the jwks string exactly
  version         integer NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id)
);

CREATE TABLE application_secrets (
  environment_id              text COLLATE "C" NOT NULL,
  application_id              text COLLATE "C" NOT NULL,
  secret_ciphertext           text COLLATE "C" NOT NULL,
  created_at                  text COLLATE "C" NOT NULL,
  previous_secret_ciphertext  text COLLATE "C",
  previous_expires_at         text COLLATE "C",
  previous_last_used          text COLLATE "C",
  PRIMARY KEY (environment_id, application_id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
);

CREATE TABLE resources (
  environment_id                  text COLLATE "C" NOT NULL REFERENCES environments (id),
  id                              text COLLATE "C" NOT NULL,
  name                            text COLLATE "C" NOT NULL,
  type                            text COLLATE "C" NOT NULL,
  description                     text COLLATE "C",
  audience                        text COLLATE "C" NOT NULL,
  access_token_validity_seconds   integer NOT NULL,
  version                         integer NOT NULL,
  created_at                      text COLLATE "C" NOT NULL,
  updated_at                      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id)
);
CREATE UNIQUE INDEX resources_environment_name ON resources (environment_id, name);

CREATE TABLE scopes (
  environment_id  text COLLATE "C" NOT NULL,
  id              text COLLATE "C" NOT NULL,
  resource_id     text COLLATE "C" NOT NULL,
  name            text COLLATE "C" NOT NULL,
  description     text COLLATE "C",
  version         integer NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, resource_id) REFERENCES resources (environment_id, id)
);
CREATE UNIQUE INDEX scopes_resource_name ON scopes (environment_id, resource_id, name);
CREATE INDEX scopes_resource_id ON scopes (environment_id, resource_id, id);

CREATE TABLE grants (
  environment_id  text COLLATE "C" NOT NULL,
  id              text COLLATE "C" NOT NULL,
  application_id  text COLLATE "C" NOT NULL,
  resource_id     text COLLATE "C" NOT NULL,
  scope_ids       text COLLATE "C" NOT NULL, -- JSON array of scope ids
  version         integer NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id),
  FOREIGN KEY (environment_id, resource_id) REFERENCES resources (environment_id, id)
);
CREATE INDEX grants_application_id ON grants (environment_id, application_id, id);
CREATE INDEX grants_resource ON grants (environment_id, resource_id);

CREATE TABLE role_assignments (
  environment_id  text COLLATE "C" NOT NULL, -- environment of the application holding the role
  id              text COLLATE "C" NOT NULL,
  application_id  text COLLATE "C" NOT NULL,
  role_id         text COLLATE "C" NOT NULL,
  scope_type      text COLLATE "C" NOT NULL,
  scope_id        text COLLATE "C" NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
);
CREATE INDEX role_assignments_application_id ON role_assignments (environment_id, application_id, id);
CREATE INDEX role_assignments_scope ON role_assignments (scope_type, scope_id);
`;
