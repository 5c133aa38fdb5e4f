/**
 * The testing library's own tests (test/testing-library/cases.ts) under node:test; the same cases
 * run under vitest from test/e2e/testing-library-runners.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import { testingLibraryCases } from '../testing-library/cases.js';

testingLibraryCases({
  describe: (name, body) => void describe(name, body),
  test: (name, body) => void test(name, body),
  before: (body) => before(body),
  after: (body) => after(body),
});
