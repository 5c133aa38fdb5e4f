/**
 * KEYWAY_WORKERS=2 on one SQLite file (README, "Several processes"): the guarantees of
 * test/support/workers-suite.ts, configuration changes enforced by the other worker at once.
 */
import { workersSuite } from '../support/workers-suite.js';

workersSuite({ name: 'SQLite', env: async () => ({}), changes: 'at once' });
