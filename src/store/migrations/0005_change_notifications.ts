// Released migration: never edit it; add 0006_… instead (docs/architecture.md, migrations).
//
// SQLite
// Empty on SQLite: PostgreSQL's triggers announce configuration changes to the
// other instances sharing the database, while an SQLite file has one process writing it, whose
// caches hear of every change in-process (src/adapters/cache/change-sync.ts).
export const sqlite = `-- nothing to change on SQLite
`;

// PostgreSQL
// Announces every change to the rows that instances cache (client profiles and keys, environment
// rows and signing keys) on the `keyway_changes` channel, from inside the transaction that makes
// it. PostgreSQL delivers a NOTIFY issued in a transaction when it commits and drops it when it
// rolls back, so a change is announced if and only if it commits, whoever wrote it (a Keyway
// instance, a bulk loader using the store, plain SQL); before this, instances published after
// commit and a crash in between lost the message. Identical messages of one transaction are
// delivered once. The SQLite twin is empty: one process writes there and its caches hear of every
// change in-process.
//
// - The message is the one store/postgres/notify-message.ts reads (it holds the same id pattern):
//   `{"v": 1, "s": schema, "k": "a" | "e" | "*", "e": envId, "a": appId}`, at most ~250 bytes.
//   "s" is the schema of the table written, so instances of other schemas ignore it.
// - Rows of one application (its row, secret, certificates, grants, role assignments) announce
//   that application; rows that concern every client of an environment (the environment row
//   with its settings and audience policy, signing keys, resources, scopes) announce the
//   environment. TRUNCATE announces "*" (drop everything).
// - Statement-level triggers with transition tables, not row-level ones: a statement touching
//   more than 16 applications (deleting an environment, a bulk load by COPY) announces their
//   environments instead, and one touching more than 16 environments announces "*", so a
//   statement sends at most 16 messages and costs one trigger call whatever its size. A
//   transition table needs a trigger per event, hence three triggers per table plus one for
//   TRUNCATE. Columns are read through to_jsonb so that one function with static (plan-cached)
//   SQL serves every table. Measured on single-row inserts: ~0.2 ms per write statement, against
//   ~0.12 ms per row for a row-level trigger sending the same NOTIFY.
// - An id that is not one (the pattern below) is announced as "*", never spliced into a message.
// - Writes made with session_replication_role = replica (restores, logical replication) fire no
//   trigger and announce nothing; instances pick them up when their listener reconnects.
export const postgres = `
CREATE FUNCTION keyway_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  id_pattern CONSTANT text := '^[A-Za-z0-9_-]{1,64}$';
  -- The distinct (environment, application) keys of the rows changed; TG_ARGV names their
  -- columns, the application's absent (NULL) for rows that concern the whole environment.
  env_ids text[];
  app_ids text[];
  pairs integer;
  env_id text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('keyway_changes', json_build_object('v', 1, 's', TG_TABLE_SCHEMA, 'k', '*', 'e', NULL, 'a', NULL)::text);
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT array_agg(e), array_agg(a) INTO env_ids, app_ids FROM (
      SELECT DISTINCT r ->> TG_ARGV[0] AS e, r ->> TG_ARGV[1] AS a FROM (SELECT to_jsonb(n) AS r FROM new_rows AS n) AS j
    ) AS k;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(e), array_agg(a) INTO env_ids, app_ids FROM (
      SELECT DISTINCT r ->> TG_ARGV[0] AS e, r ->> TG_ARGV[1] AS a FROM (SELECT to_jsonb(o) AS r FROM old_rows AS o) AS j
    ) AS k;
  ELSE
    -- An UPDATE may move a row: its old and its new keys are both announced.
    SELECT array_agg(e), array_agg(a) INTO env_ids, app_ids FROM (
      SELECT DISTINCT r ->> TG_ARGV[0] AS e, r ->> TG_ARGV[1] AS a
      FROM (SELECT to_jsonb(o) AS r FROM old_rows AS o UNION ALL SELECT to_jsonb(n) FROM new_rows AS n) AS j
    ) AS k;
  END IF;
  pairs := coalesce(cardinality(env_ids), 0);
  IF pairs = 0 THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT FROM unnest(env_ids, app_ids) AS k (e, a) WHERE NOT coalesce(e ~ id_pattern AND (a IS NULL OR a ~ id_pattern), false))
     OR (pairs > 16 AND (SELECT count(DISTINCT e) FROM unnest(env_ids) AS e) > 16) THEN
    PERFORM pg_notify('keyway_changes', json_build_object('v', 1, 's', TG_TABLE_SCHEMA, 'k', '*', 'e', NULL, 'a', NULL)::text);
  ELSIF pairs > 16 THEN
    FOR env_id IN SELECT DISTINCT e FROM unnest(env_ids) AS e LOOP
      PERFORM pg_notify('keyway_changes', json_build_object('v', 1, 's', TG_TABLE_SCHEMA, 'k', 'e', 'e', env_id, 'a', NULL)::text);
    END LOOP;
  ELSE
    FOR i IN 1..pairs LOOP
      PERFORM pg_notify('keyway_changes', json_build_object('v', 1, 's', TG_TABLE_SCHEMA,
        'k', CASE WHEN app_ids[i] IS NULL THEN 'e' ELSE 'a' END, 'e', env_ids[i], 'a', app_ids[i])::text);
    END LOOP;
  END IF;
  RETURN NULL;
END
$fn$;

${triggers('environments', 'id')}
${triggers('signing_keys', 'environment_id')}
${triggers('resources', 'environment_id')}
${triggers('scopes', 'environment_id')}
${triggers('applications', 'environment_id', 'id')}
${triggers('application_secrets', 'environment_id', 'application_id')}
${triggers('client_certificates', 'environment_id', 'application_id')}
${triggers('grants', 'environment_id', 'application_id')}
${triggers('role_assignments', 'environment_id', 'application_id')}
`;

/** The four triggers of one table; `applicationColumn` is omitted for environment-wide rows. */
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
