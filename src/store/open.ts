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

/** Where the store lives: the configuration's `databaseUrl` and `dataDir`. */
export interface StoreLocation {
  databaseUrl?: string | undefined;
  dataDir: string;
}

export async function openStore(config: StoreLocation): Promise<Store> {
  if (config.databaseUrl) return openPostgresStore(config.databaseUrl);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return openSqliteStore(join(config.dataDir, SQLITE_FILE));
}
