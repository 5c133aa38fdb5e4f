/**
 * KEYWAY_WORKERS=2 on one PostgreSQL schema (README, "Several processes"): the guarantees of
 * test/support/workers-suite.ts, configuration changes enforced by the other worker within 1 s
 * (README, "Several instances"). Database: KEYWAY_TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test), a fresh schema dropped at the end; skipped when it
 * cannot be reached, except under CI.
 */
import { adminQuery, postgresAnswers, schemaUrl, scratchSchemaName } from '../support/e2e.js';
import { workersSuite } from '../support/workers-suite.js';

if (await postgresAnswers('KEYWAY_WORKERS=2 on PostgreSQL')) {
  const schema = scratchSchemaName('keyway_workers');
  workersSuite({
    name: 'PostgreSQL',
    env: async () => {
      await adminQuery(`CREATE SCHEMA ${schema}`);
      return { KEYWAY_DATABASE_URL: schemaUrl(schema) };
    },
    cleanUp: async () => void (await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)),
    changes: 'within 1 s',
  });
}
