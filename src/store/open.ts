/**
 * Chooses the store from the configuration: PostgreSQL when KEYWAY_DATABASE_URL is set,
 * otherwise SQLite in the data directory.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export const SQLITE_FILE = 'keyway.db';

export async function openStore(config: Config): Promise<Store> {
  if (config.databaseUrl) return openPostgresStore(config.databaseUrl);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return openSqliteStore(join(config.dataDir, SQLITE_FILE));
}
