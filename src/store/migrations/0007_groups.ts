// Released migration: never edit it; add the next number instead (docs/architecture.md, migrations).
//
// SQLite
// Groups, their nesting and users' direct memberships (PingOne "Groups",
// developer.pingidentity.com/pingone-api/platform/groups.html).
//
// - A group belongs to the environment or, when `population_id` is set, to one population; the
//   population cannot change afterwards (PingOne: population.id is set on create only).
//   `scope_key` is the population id, or '' for an environment group: names are unique per
//   (environment, scope), since PingOne lets populations reuse a name. A real column rather than
//   an expression index, so that a clash names `name` on both engines (sqlite/errors.ts).
// - `group_nestings` holds one row per (group, parent): the group is a member of the parent.
//   Cycles are refused by the store before the insert (areas/groups.ts).
// - `user_groups` holds direct memberships only; indirect ones (through nesting) are computed
//   by recursive queries over `group_nestings`.
// - Every list and filter runs on an index: groups by (environment, id) and by name; a group's
//   members and parents by the second index of each link table.
export const sqlite = `
CREATE TABLE groups (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  id              TEXT NOT NULL,
  name            TEXT NOT NULL,
  scope_key       TEXT NOT NULL,
  population_id   TEXT,
  description     TEXT,
  user_filter     TEXT,
  external_id     TEXT,
  custom_data     TEXT, -- JSON object
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, population_id) REFERENCES populations (environment_id, id)
) STRICT;
CREATE UNIQUE INDEX groups_environment_scope_name ON groups (environment_id, scope_key, name);
CREATE INDEX groups_environment_name ON groups (environment_id, name);
CREATE INDEX groups_environment_external_id ON groups (environment_id, external_id);
CREATE INDEX groups_population ON groups (environment_id, population_id);

CREATE TABLE group_nestings (
  environment_id  TEXT NOT NULL,
  group_id        TEXT NOT NULL,
  parent_id       TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, group_id, parent_id),
  FOREIGN KEY (environment_id, group_id) REFERENCES groups (environment_id, id),
  FOREIGN KEY (environment_id, parent_id) REFERENCES groups (environment_id, id)
) STRICT;
CREATE INDEX group_nestings_parent ON group_nestings (environment_id, parent_id, group_id);

CREATE TABLE user_groups (
  environment_id  TEXT NOT NULL,
  user_id         TEXT NOT NULL,
  group_id        TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, user_id, group_id),
  FOREIGN KEY (environment_id, user_id) REFERENCES users (environment_id, id),
  FOREIGN KEY (environment_id, group_id) REFERENCES groups (environment_id, id)
) STRICT;
CREATE INDEX user_groups_group ON user_groups (environment_id, group_id, user_id);
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above; its comments explain it.
// Conventions as in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions.
export const postgres = `
CREATE TABLE groups (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  id              text COLLATE "C" NOT NULL,
  name            text COLLATE "C" NOT NULL,
  scope_key       text COLLATE "C" NOT NULL,
  population_id   text COLLATE "C",
  description     text COLLATE "C",
  user_filter     text COLLATE "C",
  external_id     text COLLATE "C",
  custom_data     text COLLATE "C", -- JSON object
  version         integer NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, population_id) REFERENCES populations (environment_id, id)
);
CREATE UNIQUE INDEX groups_environment_scope_name ON groups (environment_id, scope_key, name);
CREATE INDEX groups_environment_name ON groups (environment_id, name);
CREATE INDEX groups_environment_external_id ON groups (environment_id, external_id);
CREATE INDEX groups_population ON groups (environment_id, population_id);

CREATE TABLE group_nestings (
  environment_id  text COLLATE "C" NOT NULL,
  group_id        text COLLATE "C" NOT NULL,
  parent_id       text COLLATE "C" NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, group_id, parent_id),
  FOREIGN KEY (environment_id, group_id) REFERENCES groups (environment_id, id),
  FOREIGN KEY (environment_id, parent_id) REFERENCES groups (environment_id, id)
);
CREATE INDEX group_nestings_parent ON group_nestings (environment_id, parent_id, group_id);

CREATE TABLE user_groups (
  environment_id  text COLLATE "C" NOT NULL,
  user_id         text COLLATE "C" NOT NULL,
  group_id        text COLLATE "C" NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, user_id, group_id),
  FOREIGN KEY (environment_id, user_id) REFERENCES users (environment_id, id),
  FOREIGN KEY (environment_id, group_id) REFERENCES groups (environment_id, id)
);
CREATE INDEX user_groups_group ON user_groups (environment_id, group_id, user_id);
`;
