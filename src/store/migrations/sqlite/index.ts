/** SQLite migrations in order. Add a new `NNNN_name.ts` beside this file and list it last. */
import type { Migration } from '../../migrator.js';
import { sql as init } from './0001_init.js';

export const sqliteMigrations: readonly Migration[] = [{ version: 1, name: 'init', sql: init }];
