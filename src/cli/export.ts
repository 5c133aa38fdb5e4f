/**
 * `keyway export`: a running server's environments in the configuration format (README,
 * "Declarative configuration"), read through `GET /v1/keyway/configuration`, written as YAML or
 * JSON. Secrets (application secrets, signing keys' private keys) only with `--include-secrets`;
 * the file is then written with mode 0600. Passwords are never exported: Keyway stores scrypt
 * hashes, which no pre-encoded form PingOne accepts can carry.
 */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { stringify } from 'yaml';
import { isUuid } from '../domain/ids.js';
import { escapeVariables } from '../declarative/variables.js';
import { adminToken, CONNECTION_OPTIONS, CONNECTION_USAGE, connectionOf, describeFailure, managementCall, type Env } from './admin-connection.js';
import { EXIT_FAILURE, EXIT_OK, parseVerbArgs, processIo, runVerb, UsageError, type CliIo } from './cli-io.js';

export const USAGE = `usage: keyway export [--environment ID] [--include-secrets] [--out FILE] [--format yaml|json] [--url URL] [--environment-id ID] [--client-id ID] [--client-secret SECRET]

Writes the server's environments (all but the admin worker's own, or one) in the configuration
format, which \`keyway apply\` takes: applied to an empty server it makes the same objects under
the same ids. \${ in values is written $\${ so that apply reads it back unchanged.

  --environment ID        only this environment
  --include-secrets       add application secrets and signing keys' private keys (file mode 0600);
                          without it they are left out: add them as \${VAR} references
  --out FILE              write FILE instead of standard output
  --format yaml|json      default: json for an --out FILE ending .json, else yaml
${CONNECTION_USAGE}`;

const NO_SECRETS_NOTE = [
  'Exported without secrets: applications\' "secret" and keys\' "privateKey" are left out. Add',
  'them as ${VAR} references (secret: ${WEB_SECRET}, privateKey: ${SIGNING_KEY}) and set the',
  'variables when applying, or export again with --include-secrets. Users\' passwords are never',
  'exported: add password: ${ANN_PASSWORD} where users need one.',
];

type Format = 'yaml' | 'json';

export function run(args: readonly string[], io: CliIo = processIo, env: Env = process.env): Promise<number> {
  return runVerb('export', USAGE, args, io, async () => {
    const { values } = parseVerbArgs(
      args,
      {
        environment: { type: 'string' },
        'include-secrets': { type: 'boolean' },
        out: { type: 'string' },
        format: { type: 'string' },
        ...CONNECTION_OPTIONS,
      },
      false,
    );
    if (values.environment !== undefined && !isUuid(values.environment)) throw new UsageError('--environment must be an environment id (a UUID)');
    const format = formatOf(values.format, values.out);
    const secrets = values['include-secrets'] === true;
    const connection = connectionOf(values, env);

    const token = await adminToken(io, connection);
    const query = new URLSearchParams();
    if (values.environment !== undefined) query.set('environmentId', values.environment);
    if (secrets) query.set('includeSecrets', 'true');
    const reply = await managementCall(io, connection, token, 'GET', `/v1/keyway/configuration${query.size > 0 ? `?${query}` : ''}`);
    if (reply.status !== 200) {
      io.stderr(`keyway export: the server refused the export: ${describeFailure(reply)}\n`);
      return EXIT_FAILURE;
    }
    const text = render(escapeVariables(reply.body), format, secrets);
    if (values.out === undefined) io.stdout(text);
    else writeFileSync(resolve(io.cwd, values.out), text, { mode: secrets ? 0o600 : 0o644 });
    if (!secrets && format === 'json') io.stderr(`${NO_SECRETS_NOTE.join('\n')}\n`);
    return EXIT_OK;
  });
}

function formatOf(flag: string | undefined, out: string | undefined): Format {
  if (flag === undefined) return out !== undefined && extname(out).toLowerCase() === '.json' ? 'json' : 'yaml';
  if (flag !== 'yaml' && flag !== 'json') throw new UsageError('--format must be yaml or json');
  return flag;
}

/** YAML with a header saying what the file is (and, without secrets, how to add them); or JSON. */
function render(document: unknown, format: Format, secrets: boolean): string {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  const header = ['Keyway configuration (keyway export); apply with: keyway apply FILE', ...(secrets ? ['Holds secrets and private keys: keep it out of version control.'] : NO_SECRETS_NOTE)];
  return `${header.map((l) => `# ${l}`).join('\n')}\n${stringify(document, { lineWidth: 0 })}`;
}
