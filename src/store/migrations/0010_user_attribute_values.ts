// SQLite
//
// Users' values of custom attributes (PingOne: custom attributes are set by name at the top level
// of the user; developer.pingidentity.com, "Schemas").
//
// - `user_attribute_values` holds one row per value: a single-valued attribute has one row at
//   position 0, a multi-valued one a row per item in order. `value` is the item as JSON text (a
//   JSON string for STRING attributes, an object for JSON ones); `value_hash` is the SHA-256 of
//   the item's canonical text (src/store/shared/custom-value-rows.ts), so uniqueness can be
//   turned on for an attribute in SQL whatever the values' lengths.
// - `user_unique_values` holds the values of the attributes whose definition says `unique`, one
//   row per value; its primary key is what makes a value unique in the environment, under
//   concurrent writes too. A user holds a value there once: equal items in one user's array are
//   refused before they reach the store.
// - Both reference the user and the attribute, so a value never outlives either: deleting a user
//   or an attribute deletes its values first (the store does it in the same transaction).
export const sqlite = `
CREATE TABLE user_attribute_values (
  environment_id  TEXT NOT NULL,
  user_id         TEXT NOT NULL,
  attribute_id    TEXT NOT NULL,
  position        INTEGER NOT NULL,
  value           TEXT NOT NULL, -- JSON: a string or an object
  value_hash      TEXT NOT NULL,
  PRIMARY KEY (environment_id, user_id, attribute_id, position),
  FOREIGN KEY (environment_id, user_id) REFERENCES users (environment_id, id),
  FOREIGN KEY (environment_id, attribute_id) REFERENCES schema_attributes (environment_id, id)
) STRICT;
CREATE INDEX user_attribute_values_attribute ON user_attribute_values (environment_id, attribute_id);

CREATE TABLE user_unique_values (
  environment_id  TEXT NOT NULL,
  attribute_id    TEXT NOT NULL,
  value_hash      TEXT NOT NULL,
  user_id         TEXT NOT NULL,
  PRIMARY KEY (environment_id, attribute_id, value_hash),
  FOREIGN KEY (environment_id, user_id) REFERENCES users (environment_id, id),
  FOREIGN KEY (environment_id, attribute_id) REFERENCES schema_attributes (environment_id, id)
) STRICT;
CREATE INDEX user_unique_values_user ON user_unique_values (environment_id, user_id);
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above; its comments explain it. Conventions as
// in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions.
export const postgres = `
CREATE TABLE user_attribute_values (
  environment_id  text COLLATE "C" NOT NULL,
  user_id         text COLLATE "C" NOT NULL,
  attribute_id    text COLLATE "C" NOT NULL,
  position        integer NOT NULL,
  value           text COLLATE "C" NOT NULL,
  value_hash      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, user_id, attribute_id, position),
  FOREIGN KEY (environment_id, user_id) REFERENCES users (environment_id, id),
  FOREIGN KEY (environment_id, attribute_id) REFERENCES schema_attributes (environment_id, id)
);
CREATE INDEX user_attribute_values_attribute ON user_attribute_values (environment_id, attribute_id);

CREATE TABLE user_unique_values (
  environment_id  text COLLATE "C" NOT NULL,
  attribute_id    text COLLATE "C" NOT NULL,
  value_hash      text COLLATE "C" NOT NULL,
  user_id         text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, attribute_id, value_hash),
  FOREIGN KEY (environment_id, user_id) REFERENCES users (environment_id, id),
  FOREIGN KEY (environment_id, attribute_id) REFERENCES schema_attributes (environment_id, id)
);
CREATE INDEX user_unique_values_user ON user_unique_values (environment_id, user_id);
`;
