/**
 * The forward-only migrations, one module per version: `NNNN_snake_name.ts` beside this file,
 * exporting its `sqlite` and `postgres` SQL. The file name is the one source of a migration's
 * version and name: the list is read from this folder, so adding a migration is adding its file.
 * The SQL ships inside the compiled JavaScript and needs no copy step.
 */
import { readdirSync } from 'node:fs';
import type { Migration } from '../migrator.js';

/** `0004_sign_in.ts` (sources under tsx) or `0004_sign_in.js` (compiled); never `.d.ts`. */
const FILE = /^(\d{4})_([a-z0-9]+(?:_[a-z0-9]+)*)\.(?:ts|js)$/;

interface MigrationModule {
  sqlite: string;
  postgres: string;
}

const here = new URL('./', import.meta.url);
const files = readdirSync(here)
  .filter((file) => FILE.test(file))
  .sort();

const modules = await Promise.all(
  files.map(async (file) => {
    const [, digits = '', name = ''] = FILE.exec(file) ?? [];
    const module = (await import(new URL(file, here).href)) as MigrationModule;
    return { version: Number(digits), name, module };
  }),
);

export const sqliteMigrations: readonly Migration[] = modules.map(({ version, name, module }) => ({ version, name, sql: module.sqlite }));
export const postgresMigrations: readonly Migration[] = modules.map(({ version, name, module }) => ({ version, name, sql: module.postgres }));
