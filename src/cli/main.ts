#!/usr/bin/env node
/**
 * `keyway <verb>`: one file per verb in this folder.
 */
import { run as runApply } from './apply.js';
import { run as runAssertion } from './assertion.js';
import { run as runExport } from './export.js';
import { runKeys } from './keys-generate.js';
import { runMigrate } from './migrate.js';
import { runStart } from './start.js';
import { run as runToken } from './token.js';

const USAGE = `usage: keyway <command>

commands:
  start     serve the management API and every environment's authorization server
  migrate   apply pending database migrations and exit
  keys generate --alg ALG [--out FILE]
            generate a client key pair; print the application's "jwks" string
  assertion --client-id ID --key FILE --audience URL
            print a signed private_key_jwt client assertion
  token --token-endpoint URL --client-id ID --key FILE [--scope SCOPES]
            request a client_credentials token with private_key_jwt and print the response
  apply FILE [--dry-run] [--prune]
            make a running server match a configuration file; print the plan
  export [--environment ID] [--include-secrets] [--out FILE] [--format yaml|json]
            write a running server's environments as a configuration file

Run \`keyway <command> --help\` for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'start':
      return runStart(rest);
    case 'migrate':
      return runMigrate(rest);
    case 'keys':
      return runKeys(rest);
    case 'assertion':
      return runAssertion(rest);
    case 'token':
      return runToken(rest);
    case 'apply':
      return runApply(rest);
    case 'export':
      return runExport(rest);
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
