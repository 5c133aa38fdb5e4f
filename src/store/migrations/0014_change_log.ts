// SQLite
//
// The change log that lets several processes share one SQLite file (KEYWAY_WORKERS, README
// "Several processes"): every change to a row that instances cache (the tables PostgreSQL
// announces with the triggers of 0005, 0011 and 0012) appends the ids it concerns to
// `config_changes`, from a trigger, so inside the transaction that makes it. A change is logged
// if and only if it commits, whoever wrote it (a Keyway process, a loader using the store, plain
// SQL). Processes read the log (src/store/sqlite/change-log.ts) before they serve a cached entry.
//
// - `seq` is AUTOINCREMENT: writers are serialised and commit in `seq` order, and a rolled-back
//   insert rolls back its number too, so committed numbers have no holes. A reader that finds
//   a hole missed pruned rows and drops every cache.
// - An application's rows log that application; rows that concern every client of an
//   environment (environment row, signing keys, resources, scopes, resource attributes, key
//   rotation policies) log the environment (`application_id` NULL). An UPDATE logs the old keys
//   and, when they differ, the new ones.
// - The log keeps its last 10,000 rows: each insert deletes the row 10,000 before it (one
//   primary-key lookup), so it never grows whatever the write volume.
// - Row-level triggers (SQLite has no statement-level ones): deleting an environment logs each
//   row removed; a reader given more rows at once than it applies one by one drops every cache.
export const sqlite = `
CREATE TABLE config_changes (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  environment_id  TEXT NOT NULL,
  application_id  TEXT
) STRICT;

CREATE TRIGGER config_changes_keep_last AFTER INSERT ON config_changes BEGIN
  DELETE FROM config_changes WHERE seq <= NEW.seq - 10000;
END;

${triggers('environments', 'id')}
${triggers('signing_keys', 'environment_id')}
${triggers('resources', 'environment_id')}
${triggers('scopes', 'environment_id')}
${triggers('resource_attributes', 'environment_id')}
${triggers('key_rotation_policies', 'environment_id')}
${triggers('applications', 'environment_id', 'id')}
${triggers('application_secrets', 'environment_id', 'application_id')}
${triggers('client_certificates', 'environment_id', 'application_id')}
${triggers('grants', 'environment_id', 'application_id')}
${triggers('role_assignments', 'environment_id', 'application_id')}
${triggers('application_attributes', 'environment_id', 'application_id')}
`;

// PostgreSQL
// Nothing: the triggers of 0005 (and 0011, 0012) announce the same changes with NOTIFY, which
// every instance hears on its LISTEN connection (src/store/postgres/notify.ts).
export const postgres = `-- nothing to change on PostgreSQL
`;

/** The three row triggers of one table; `applicationColumn` is omitted for environment-wide rows. */
function triggers(table: string, environmentColumn: string, applicationColumn?: string): string {
  const keys = (row: 'NEW' | 'OLD'): string => `${row}.${environmentColumn}, ${applicationColumn ? `${row}.${applicationColumn}` : 'NULL'}`;
  const log = (row: 'NEW' | 'OLD'): string => `INSERT INTO config_changes (environment_id, application_id) VALUES (${keys(row)});`;
  const moved = applicationColumn
    ? `NEW.${environmentColumn} IS NOT OLD.${environmentColumn} OR NEW.${applicationColumn} IS NOT OLD.${applicationColumn}`
    : `NEW.${environmentColumn} IS NOT OLD.${environmentColumn}`;
  return [
    `CREATE TRIGGER ${table}_log_insert AFTER INSERT ON ${table} BEGIN ${log('NEW')} END;`,
    `CREATE TRIGGER ${table}_log_update AFTER UPDATE ON ${table} BEGIN ${log('OLD')}`,
    `  INSERT INTO config_changes (environment_id, application_id) SELECT ${keys('NEW')} WHERE ${moved};`,
    'END;',
    `CREATE TRIGGER ${table}_log_delete AFTER DELETE ON ${table} BEGIN ${log('OLD')} END;`,
  ].join('\n');
}
