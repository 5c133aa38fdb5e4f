#!/usr/bin/env node
/**
 * `keyway <verb>`: one file per verb in this folder.
 */
import { runMigrate } from './migrate.js';
import { runStart } from './start.js';

const USAGE = `usage: keyway <command>

commands:
  start     serve the management API and every environment's authorization server
  migrate   apply pending database migrations and exit
`;

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'start':
      return runStart(rest);
    case 'migrate':
      return runMigrate(rest);
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return verb === undefined ? 2 : 0;
    default:
      process.stderr.write(`keyway: unknown command "${verb}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`keyway: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
