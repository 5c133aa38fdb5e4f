/**
 * Dialect-neutral part of the forward-only migrator (docs/architecture.md, migrations). The
 * migrations are numbered modules `migrations/NNNN_snake_name.ts`, each with its SQL for both
 * dialects (migrations/index.ts). A released migration is never edited: changes go in a new file.
 */

export interface Migration {
  /** The `NNNN` of the file name, as a number. */
  version: number;
  /** The `snake_name` part of the file name. */
  name: string;
  sql: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  appliedAt: string;
}

export interface MigrationStatus {
  applied: AppliedMigration[];
  pending: Migration[];
}

/**
 * Checks that a dialect's list starts at 1 and ascends, with snake_case names. A number may be
 * skipped: numbers are reserved for changes before they land, and one can land before a lower one.
 */
export function assertMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = i === 0 ? 0 : (migrations[i - 1]?.version ?? 0);
    if (i === 0 ? m.version !== 1 : m.version <= previous) {
      throw new Error(`migration #${i + 1} has version ${m.version}; versions must start at 1 and ascend`);
    }
    if (!/^[a-z0-9]+(?:_[a-z0-9]+)*$/.test(m.name)) throw new Error(`migration ${m.version} has a bad name: ${m.name}`);
  });
}

/**
 * The migrations still to apply. Throws when the database holds a version this build does not
 * know (it was migrated by a newer Keyway) or a known version under another name.
 */
export function pendingMigrations(
  migrations: readonly Migration[],
  applied: readonly Pick<AppliedMigration, 'version' | 'name'>[],
): Migration[] {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) throw new Error(`database schema version ${row.version} (${row.name}) is newer than this build of Keyway`);
    if (m.name !== row.name) throw new Error(`database schema version ${row.version} is '${row.name}', expected '${m.name}'`);
  }
  const done = new Set(applied.map((row) => row.version));
  return migrations.filter((m) => !done.has(m.version));
}
