// SQLite
//
// Custom attributes of the environment's user schema (PingOne's
// `/environments/{envId}/schemas/{schemaId}/attributes` with `schemaType` CUSTOM). The core and
// standard attributes are the same in every environment and are not stored
// (src/management/schemas/attributes.ts). The definition is JSON text, read and written whole
// like password_policies.rules; names are unique per environment, compared without case so
// that `shirtSize` and `ShirtSize` cannot both exist (a user body could not tell them apart).
export const sqlite = `
CREATE TABLE schema_attributes (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  id              TEXT NOT NULL,
  name            TEXT NOT NULL,
  name_lower      TEXT NOT NULL,
  definition      TEXT NOT NULL, -- JSON object: every PingOne field but id, name and the read-only ones
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id)
) STRICT;
-- name_lower last: it names the clashing field (mapped to UniqueViolation('name')).
CREATE UNIQUE INDEX schema_attributes_environment_name ON schema_attributes (environment_id, name_lower);
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above; its comments explain it. Conventions as
// in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions.
export const postgres = `
CREATE TABLE schema_attributes (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  id              text COLLATE "C" NOT NULL,
  name            text COLLATE "C" NOT NULL,
  name_lower      text COLLATE "C" NOT NULL,
  definition      text COLLATE "C" NOT NULL,
  version         integer NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id)
);
CREATE UNIQUE INDEX schema_attributes_environment_name ON schema_attributes (environment_id, name_lower);
`;
