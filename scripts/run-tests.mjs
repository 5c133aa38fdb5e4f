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

const files = process.argv.length > 2 ? process.argv.slice(2) : collect('test').sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, KEYWAY_LOG_LEVEL: process.env.KEYWAY_LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);
