// SQLite
//
// Attribute mappings: an application's (PingOne's `/applications/{appId}/attributes`, the claims
// of its ID tokens and userinfo) and a resource's (`/resources/{resourceId}/attributes`, the
// claims of its access tokens). Each mapping's settings (value expression, required, mapping
// type, idToken, userInfo, oidcScopes) are JSON text read and written whole, like
// schema_attributes.definition; names are unique per application or resource, compared exactly
// (they are claim names, and JWT claim names are case-sensitive, RFC 7519 §4).
export const sqlite = `
CREATE TABLE application_attributes (
  environment_id  TEXT NOT NULL,
  id              TEXT NOT NULL,
  application_id  TEXT NOT NULL,
  name            TEXT NOT NULL,
  definition      TEXT NOT NULL, -- JSON object: value, required, mappingType, idToken, userInfo, oidcScopes
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
) STRICT;
CREATE UNIQUE INDEX application_attributes_name ON application_attributes (environment_id, application_id, name);

CREATE TABLE resource_attributes (
  environment_id  TEXT NOT NULL,
  id              TEXT NOT NULL,
  resource_id     TEXT NOT NULL,
  name            TEXT NOT NULL,
  definition      TEXT NOT NULL, -- JSON object: value, type, idToken, userInfo
  version         INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, resource_id) REFERENCES resources (environment_id, id)
) STRICT;
CREATE UNIQUE INDEX resource_attributes_name ON resource_attributes (environment_id, resource_id, name);
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above; its comments explain it. Conventions as
// in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions. Both tables feed the
// instances' caches (mappings are compiled into the cached client profile), so each gets the
// change triggers of 0005_change_notifications.ts: an application's mappings announce that
// application, a resource's attributes the environment (every client granted it may carry them).
export const postgres = `
CREATE TABLE application_attributes (
  environment_id  text COLLATE "C" NOT NULL,
  id              text COLLATE "C" NOT NULL,
  application_id  text COLLATE "C" NOT NULL,
  name            text COLLATE "C" NOT NULL,
  definition      text COLLATE "C" NOT NULL,
  version         integer NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
);
CREATE UNIQUE INDEX application_attributes_name ON application_attributes (environment_id, application_id, name);

CREATE TABLE resource_attributes (
  environment_id  text COLLATE "C" NOT NULL,
  id              text COLLATE "C" NOT NULL,
  resource_id     text COLLATE "C" NOT NULL,
  name            text COLLATE "C" NOT NULL,
  definition      text COLLATE "C" NOT NULL,
  version         integer NOT NULL,
  created_at      text COLLATE "C" NOT NULL,
  updated_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, resource_id) REFERENCES resources (environment_id, id)
);
CREATE UNIQUE INDEX resource_attributes_name ON resource_attributes (environment_id, resource_id, name);

${triggers('application_attributes', 'environment_id', 'application_id')}
${triggers('resource_attributes', 'environment_id')}
`;

/** The four change triggers of one table, as 0005_change_notifications.ts writes them. */
function triggers(table: string, environmentColumn: string, applicationColumn?: string): string {
  const args = [environmentColumn, applicationColumn].filter((c) => c !== undefined).map((c) => `'${c}'`).join(', ');
  const run = `FOR EACH STATEMENT EXECUTE FUNCTION keyway_notify_change(${args})`;
  return [
    `CREATE TRIGGER ${table}_notify_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows ${run};`,
    `CREATE TRIGGER ${table}_notify_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows ${run};`,
    `CREATE TRIGGER ${table}_notify_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows ${run};`,
    `CREATE TRIGGER ${table}_notify_truncate AFTER TRUNCATE ON ${table} ${run};`,
  ].join('\n');
}
