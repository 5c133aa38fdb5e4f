/**
 * The testing library's own tests (./cases.ts) under vitest, run by
 * test/e2e/testing-library-runners.test.ts with ./vitest.config.ts. `keyway/testing` resolves
 * through the package export to the built dist/.
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import { testingLibraryCases } from './cases.js';

testingLibraryCases({
  describe: (name, body) => describe(name, body),
  test: (name, body) => test(name, body),
  before: (body) => beforeAll(body),
  after: (body) => afterAll(body),
});
