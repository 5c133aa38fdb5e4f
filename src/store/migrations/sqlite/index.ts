/** SQLite migrations in order. Add a new `NNNN_name.ts` beside this file and list it last. */
import type { Migration } from '../../migrator.js';
import { sql as init } from './0001_init.js';
import { sql as clientAuth } from './0002_client_auth.js';

export const sqliteMigrations: readonly Migration[] = [
  { version: 1, name: 'init', sql: init },
  { version: 2, name: 'client_auth', sql: clientAuth },
];
