// Released migration: never edit it; add 0003_… instead (docs/architecture.md, migrations).
//
// SQLite
// Client authentication (ClientAuthStore): assertion jti replay records, uploaded client
// certificates, client-authentication events and revoked access tokens; plus unique keys that
// make "one grant per (application, resource)" and "one assignment per (application, role,
// scope)" hold under concurrent creates, which the management services only checked in code.
//
// Foreign keys and deletion:
// - every new table references `environments` (directly or through `applications`), and
//   deleteEnvironment deletes its rows (ENVIRONMENT_CHILD_TABLES in registry.ts);
// - certificates and events reference their application and go with it (deleteApplication).
//   An event written after its application was deleted therefore fails instead of leaving an
//   orphan row behind; the event writer logs and drops such failures;
// - jti rows are keyed by `client_id` without a reference to `applications` (the hot path pays
//   one environment lookup, not two); a deleted client's rows simply expire and are purged.
//
// Timestamps are ISO-8601 UTC strings with milliseconds, so text order is time order.
export const sqlite = `
CREATE TABLE assertion_jtis (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  client_id       TEXT NOT NULL,
  jti             TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, client_id, jti)
) STRICT;
CREATE INDEX assertion_jtis_expires_at ON assertion_jtis (expires_at);

CREATE TABLE client_certificates (
  environment_id   TEXT NOT NULL,
  application_id   TEXT NOT NULL,
  id               TEXT NOT NULL, -- the kid
  pem              TEXT NOT NULL,
  public_jwk       TEXT NOT NULL, -- JSON object
  subject          TEXT NOT NULL,
  issuer           TEXT NOT NULL,
  serial_number    TEXT NOT NULL,
  not_before       TEXT NOT NULL,
  not_after        TEXT NOT NULL,
  thumbprint_s256  TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  PRIMARY KEY (environment_id, application_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
) STRICT;

CREATE TABLE client_auth_events (
  environment_id  TEXT NOT NULL,
  application_id  TEXT NOT NULL,
  id              TEXT NOT NULL,
  outcome         TEXT NOT NULL,
  reason          TEXT NOT NULL,
  method          TEXT,
  kid             TEXT,
  alg             TEXT,
  audience_form   TEXT,
  detail          TEXT,
  endpoint        TEXT NOT NULL,
  at              TEXT NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
) STRICT;
CREATE INDEX client_auth_events_application_at ON client_auth_events (environment_id, application_id, at DESC, id);

CREATE TABLE revoked_tokens (
  environment_id  TEXT NOT NULL REFERENCES environments (id),
  jti             TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  PRIMARY KEY (environment_id, jti)
) STRICT;
CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);

-- The services refused duplicates before this migration, but two concurrent creates could both
-- pass their check. Such twins are folded first so that the unique indexes can be built:
-- the oldest grant (created_at, id) of an (application, resource) takes the union of the
-- group's scope ids (first-seen order) and a new version; the others are deleted.
UPDATE grants SET
  scope_ids = (
    SELECT json_group_array(value ORDER BY first_seen) FROM (
      SELECT j.value AS value, min(g.created_at || ' ' || g.id || ' ' || printf('%010d', j.key)) AS first_seen
      FROM grants AS g, json_each(g.scope_ids) AS j
      WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
        AND g.resource_id = grants.resource_id
      GROUP BY j.value
    )
  ),
  version = version + 1,
  updated_at = (
    SELECT max(g.updated_at) FROM grants AS g
    WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
      AND g.resource_id = grants.resource_id
  )
WHERE EXISTS (
    SELECT 1 FROM grants AS g
    WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
      AND g.resource_id = grants.resource_id AND g.id <> grants.id
  )
  AND NOT EXISTS (
    SELECT 1 FROM grants AS g
    WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
      AND g.resource_id = grants.resource_id AND (g.created_at, g.id) < (grants.created_at, grants.id)
  );
DELETE FROM grants WHERE EXISTS (
  SELECT 1 FROM grants AS g
  WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
    AND g.resource_id = grants.resource_id AND (g.created_at, g.id) < (grants.created_at, grants.id)
);
-- The last column names the clashing field (UniqueViolation('resourceId')).
CREATE UNIQUE INDEX grants_application_resource ON grants (environment_id, application_id, resource_id);

-- Twin role assignments are identical but for id and created_at: the oldest is kept.
DELETE FROM role_assignments WHERE EXISTS (
  SELECT 1 FROM role_assignments AS r
  WHERE r.environment_id = role_assignments.environment_id AND r.application_id = role_assignments.application_id
    AND r.role_id = role_assignments.role_id AND r.scope_type = role_assignments.scope_type
    AND r.scope_id = role_assignments.scope_id
    AND (r.created_at, r.id) < (role_assignments.created_at, role_assignments.id)
);
-- role_id last: it names the clashing field (UniqueViolation('roleId')).
CREATE UNIQUE INDEX role_assignments_role_scope ON role_assignments (environment_id, application_id, scope_type, scope_id, role_id);
`;

// PostgreSQL
// The PostgreSQL side of the SQLite statements above: same tables, columns, keys,
// indexes and folding of twin grants and role assignments; its comments explain the choices.
// Conventions as in 0001_init.ts: every text column is COLLATE "C"; no ON DELETE actions.
export const postgres = `
CREATE TABLE assertion_jtis (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  client_id       text COLLATE "C" NOT NULL,
  jti             text COLLATE "C" NOT NULL,
  expires_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, client_id, jti)
);
CREATE INDEX assertion_jtis_expires_at ON assertion_jtis (expires_at);

CREATE TABLE client_certificates (
  environment_id   text COLLATE "C" NOT NULL,
  application_id   text COLLATE "C" NOT NULL,
  id               text COLLATE "C" NOT NULL, -- the kid
  pem              text COLLATE "C" NOT NULL,
  public_jwk       text COLLATE "C" NOT NULL, -- JSON object
  subject          text COLLATE "C" NOT NULL,
  issuer           text COLLATE "C" NOT NULL,
  serial_number    text COLLATE "C" NOT NULL,
  not_before       text COLLATE "C" NOT NULL,
  not_after        text COLLATE "C" NOT NULL,
  thumbprint_s256  text COLLATE "C" NOT NULL,
  created_at       text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, application_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
);

CREATE TABLE client_auth_events (
  environment_id  text COLLATE "C" NOT NULL,
  application_id  text COLLATE "C" NOT NULL,
  id              text COLLATE "C" NOT NULL,
  outcome         text COLLATE "C" NOT NULL,
  reason          text COLLATE "C" NOT NULL,
  method          text COLLATE "C",
  kid             text COLLATE "C",
  alg             text COLLATE "C",
  audience_form   text COLLATE "C",
  detail          text COLLATE "C",
  endpoint        text COLLATE "C" NOT NULL,
  at              text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, id),
  FOREIGN KEY (environment_id, application_id) REFERENCES applications (environment_id, id)
);
CREATE INDEX client_auth_events_application_at ON client_auth_events (environment_id, application_id, at DESC, id);

CREATE TABLE revoked_tokens (
  environment_id  text COLLATE "C" NOT NULL REFERENCES environments (id),
  jti             text COLLATE "C" NOT NULL,
  expires_at      text COLLATE "C" NOT NULL,
  PRIMARY KEY (environment_id, jti)
);
CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);

-- Twin grants are folded into the oldest, as in SQLite. The scope ids are written as compact
-- JSON text (to_json quotes and escapes each id), byte for byte what SQLite's json_group_array
-- and JSON.stringify write.
UPDATE grants SET
  scope_ids = (
    SELECT coalesce('[' || string_agg(to_json(s.value)::text, ',' ORDER BY s.first_seen) || ']', '[]') FROM (
      SELECT j.value AS value, min(g.created_at || ' ' || g.id || ' ' || lpad(j.ord::text, 10, '0')) AS first_seen
      FROM grants AS g CROSS JOIN LATERAL json_array_elements_text(g.scope_ids::json) WITH ORDINALITY AS j (value, ord)
      WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
        AND g.resource_id = grants.resource_id
      GROUP BY j.value
    ) AS s
  ),
  version = version + 1,
  updated_at = (
    SELECT max(g.updated_at) FROM grants AS g
    WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
      AND g.resource_id = grants.resource_id
  )
WHERE EXISTS (
    SELECT 1 FROM grants AS g
    WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
      AND g.resource_id = grants.resource_id AND g.id <> grants.id
  )
  AND NOT EXISTS (
    SELECT 1 FROM grants AS g
    WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
      AND g.resource_id = grants.resource_id AND (g.created_at, g.id) < (grants.created_at, grants.id)
  );
DELETE FROM grants WHERE EXISTS (
  SELECT 1 FROM grants AS g
  WHERE g.environment_id = grants.environment_id AND g.application_id = grants.application_id
    AND g.resource_id = grants.resource_id AND (g.created_at, g.id) < (grants.created_at, grants.id)
);
CREATE UNIQUE INDEX grants_application_resource ON grants (environment_id, application_id, resource_id);

DELETE FROM role_assignments WHERE EXISTS (
  SELECT 1 FROM role_assignments AS r
  WHERE r.environment_id = role_assignments.environment_id AND r.application_id = role_assignments.application_id
    AND r.role_id = role_assignments.role_id AND r.scope_type = role_assignments.scope_type
    AND r.scope_id = role_assignments.scope_id
    AND (r.created_at, r.id) < (role_assignments.created_at, role_assignments.id)
);
CREATE UNIQUE INDEX role_assignments_role_scope ON role_assignments (environment_id, application_id, scope_type, scope_id, role_id);
`;
