/**
 * Chooses the store from the configuration: PostgreSQL when KEYWAY_DATABASE_URL is set,
 * otherwise SQLite in the data directory.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export const SQLITE_FILE = 'keyway.db';

/** Where the store lives (the parts of the configuration that say so). */
export interface StoreLocation {
  dataDir: string;
  databaseUrl?: string;
  /** Server processes sharing the store (KEYWAY_WORKERS); more than one makes SQLite read its change log. */
  workers?: number;
}

export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.databaseUrl) return openPostgresStore(location.databaseUrl);
  mkdirSync(location.dataDir, { recursive: true, mode: 0o700 });
  return openSqliteStore(join(location.dataDir, SQLITE_FILE), { shared: (location.workers ?? 1) > 1 });
}
