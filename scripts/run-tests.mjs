#!/usr/bin/env node
// Runs every test file under test/ with node's test runner (TypeScript through tsx).
// Node 20's --test takes no globs, so the files are listed here. Pass paths to run a subset.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

// Two files run at a time; the long ones (store contracts, real processes) start first, so that
// the short unit files fill the gaps at the end instead of one long file running alone.
const FIRST = ['test/store-contract/', 'test/e2e/', 'test/features/'];
const rank = (path) => {
  const at = FIRST.findIndex((prefix) => path.replaceAll('\\', '/').startsWith(prefix));
  return at === -1 ? FIRST.length : at;
};
const files = process.argv.length > 2 ? process.argv.slice(2) : collect('test').sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, KEYWAY_LOG_LEVEL: process.env.KEYWAY_LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);
