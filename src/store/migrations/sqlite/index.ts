/** SQLite migrations in order. Add a new `NNNN_name.ts` beside this file and list it last. */
import type { Migration } from '../../migrator.js';
import { sql as init } from './0001_init.js';
import { sql as clientAuth } from './0002_client_auth.js';
import { sql as users } from './0003_users.js';
import { sql as signIn } from './0004_sign_in.js';
import { sql as changeNotifications } from './0005_change_notifications.js';
import { sql as grantAccessTokens } from './0006_grant_access_tokens.js';

export const sqliteMigrations: readonly Migration[] = [
  { version: 1, name: 'init', sql: init },
  { version: 2, name: 'client_auth', sql: clientAuth },
  { version: 3, name: 'users', sql: users },
  { version: 4, name: 'sign_in', sql: signIn },
  { version: 5, name: 'change_notifications', sql: changeNotifications },
  { version: 6, name: 'grant_access_tokens', sql: grantAccessTokens },
];
