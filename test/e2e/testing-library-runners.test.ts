/**
 * The testing library's example suites, run by their own runners as a user runs them: the
 * node:test example with plain `node --test` and the vitest example with vitest (a
 * devDependency); and the library's own cases under vitest (node:test runs them as
 * test/features/testing-library.test.ts). All import `keyway/testing` through the package
 * export, from the built dist/ (`npm test` builds first). Each example file holds three tests.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE_TESTS = 3;
/** The cases of test/testing-library/cases.ts (the node:test run of them counts the same). */
const OWN_CASES = 23;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Node script from the repository root, outside this test runner's own context. */
function runNode(args: string[]): Promise<Finished> {
  // NODE_TEST_CONTEXT would make an inner `node --test` report to this runner instead of printing.
  const { NODE_TEST_CONTEXT: _inner, NODE_OPTIONS: _options, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The vitest CLI of the installed devDependency (its package.json `bin`). */
function vitestCli(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('vitest/package.json');
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin.vitest;
  assert.ok(bin, 'vitest names its CLI in bin');
  return join(dirname(manifest), bin);
}

describe('the testing library under two runners', () => {
  test('node:test: examples/testing/node-test passes its three tests', async () => {
    const run = await runNode(['--test', '--test-reporter=tap', 'examples/testing/node-test/']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, new RegExp(`^# tests ${EXAMPLE_TESTS}$`, 'm'));
    assert.match(run.stdout, new RegExp(`^# pass ${EXAMPLE_TESTS}$`, 'm'));
    assert.match(run.stdout, /^# fail 0$/m);
  });

  test('vitest: examples/testing/vitest passes its three tests', async () => {
    assert.deepEqual(await vitestRun('examples/testing/vitest'), { success: true, total: EXAMPLE_TESTS, passed: EXAMPLE_TESTS, failed: 0 });
  });

  test("vitest: the library's own cases (test/testing-library/cases.ts), which node:test runs too, all pass", async () => {
    const run = await vitestRun('test/testing-library');
    assert.equal(run.total, OWN_CASES, 'every case registered under vitest');
    assert.deepEqual(run, { success: true, total: OWN_CASES, passed: OWN_CASES, failed: 0 });
  });
});

/** Runs vitest over one root (its vitest.config.ts) and reads its JSON report. */
async function vitestRun(root: string): Promise<{ success: boolean; total: number; passed: number; failed: number }> {
  const out = mkdtempSync(join(tmpdir(), 'keyway-vitest-'));
  try {
    const report = join(out, 'report.json');
    const run = await runNode([vitestCli(), 'run', '--root', root, '--reporter=json', `--outputFile=${report}`]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(readFileSync(report, 'utf8')) as { success: boolean; numTotalTests: number; numPassedTests: number; numFailedTests: number };
    return { success: result.success, total: result.numTotalTests, passed: result.numPassedTests, failed: result.numFailedTests };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
