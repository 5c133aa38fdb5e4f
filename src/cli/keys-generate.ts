/**
 * `keyway keys generate`: the first step of the PRIVATE_KEY_JWT set-up. Generates a client key
 * pair, keeps the private key in a 0600 PEM file and prints the public half as the `jwks` string
 * an application body carries.
 */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MAX_KID_LENGTH } from '../jose/jwk-checks.js';
import { generateClientKeyPair, inferAlg, isSigningAlg, jwksString, pkcs8Pem, publicJwk, thumbprint, RSA_BITS, SIGNING_ALGS, type SigningAlg } from './client-key.js';
import { EXIT_OK, EXIT_USAGE, integerOption, parseVerbArgs, processIo, required, runVerb, UsageError, type CliIo } from './cli-io.js';

export const USAGE = `usage: keyway keys generate --alg ALG [--bits 2048|3072|4096] [--out FILE] [--kid KID] [--json] [--body]

Generates a client key pair for PRIVATE_KEY_JWT. Writes the PKCS#8 PEM private key to FILE
(mode 0600, default ./keyway-client-<first 8 characters of the kid>.pem; an existing file is
never overwritten) and prints the application's "jwks" string. The kid is the RFC 7638
thumbprint of the public key unless --kid is given.

  --alg ALG   RS256 RS384 RS512 PS256 PS384 PS512 (RSA), ES256 ES384 ES512 (EC P-256,
              P-384, P-521) or EdDSA (Ed25519)
  --bits N    RSA modulus size: 2048 (default), 3072 or 4096
  --out FILE  where to write the private key
  --kid KID   key id to publish instead of the thumbprint
  --json      print {privateKeyFile, kid, alg, jwks, jwk} as JSON (plus body with --body)
  --body      also print a ready-made application PUT body carrying the jwks
`;

/** `keyway keys <subcommand>`: only `generate` exists. */
export async function runKeys(args: readonly string[], io: CliIo = processIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'generate') return run(rest, io);
  if (sub === '--help' || sub === '-h') {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  io.stderr(`keyway keys: ${sub === undefined ? 'missing subcommand' : `unknown subcommand "${sub}"`}\n${USAGE}`);
  return EXIT_USAGE;
}

/** `keyway keys generate [options]` (args after `generate`). */
export function run(args: readonly string[], io: CliIo = processIo): Promise<number> {
  return runVerb('keys generate', USAGE, args, io, async () => {
    const { values } = parseVerbArgs(
      args,
      {
        alg: { type: 'string' },
        bits: { type: 'string' },
        out: { type: 'string' },
        kid: { type: 'string' },
        json: { type: 'boolean', default: false },
        body: { type: 'boolean', default: false },
      },
      false,
    );
    const alg = algOption(required(values.alg, 'alg'));
    const bits = bitsOption(values.bits, alg);
    const kidOption = values.kid === undefined ? undefined : kidValue(values.kid);

    const { privateKey, publicKey } = await generateClientKeyPair(alg, bits);
    const kid = kidOption ?? (await thumbprint(publicKey));
    const jwk = publicJwk(publicKey, kid, alg);
    const jwks = jwksString(jwk);
    const privateKeyFile = resolve(io.cwd, values.out ?? defaultFileName(kid, await thumbprint(publicKey)));
    await writePrivateKey(privateKeyFile, pkcs8Pem(privateKey));

    const body = values.body ? seedApplicationBody(jwks) : undefined;
    if (values.json) {
      io.stdout(`${JSON.stringify({ privateKeyFile, kid, alg, jwks, jwk, ...(body ? { body } : {}) }, null, 2)}\n`);
      return EXIT_OK;
    }
    // A PEM file records neither: the other verbs infer RS256 for RSA and the thumbprint as kid.
    const flags = [...(inferAlg(privateKey) === alg ? [] : [`--alg ${alg}`]), ...(kidOption === undefined ? [] : [`--kid ${kidOption}`])];
    io.stdout(humanOutput(privateKeyFile, kid, alg, jwks, body, flags));
    return EXIT_OK;
  });
}

/**
 * The seed page's application ("Update app with PRIVATE_KEY_JWT") with this key set: a PUT of
 * `{{apiPath}}/v1/environments/{{envID}}/applications/{{appID}}`.
 */
export function seedApplicationBody(jwks: string): Record<string, unknown> {
  return {
    enabled: true,
    name: 'Shared-Web-App',
    type: 'WEB_APP',
    protocol: 'OPENID_CONNECT',
    grantTypes: ['AUTHORIZATION_CODE'],
    redirectUris: ['http://localhost:3000/callback'],
    responseTypes: ['CODE'],
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
    jwks,
  };
}

function algOption(value: string): SigningAlg {
  if (!isSigningAlg(value)) throw new UsageError(`--alg must be one of ${SIGNING_ALGS.join(', ')}`);
  return value;
}

function bitsOption(value: string | undefined, alg: SigningAlg): number | undefined {
  if (value === undefined) return undefined;
  if (!alg.startsWith('RS') && !alg.startsWith('PS')) throw new UsageError(`--bits applies to RSA algorithms only, not ${alg}`);
  const bits = integerOption(value, 'bits', 0, 16384);
  if (!(RSA_BITS as readonly number[]).includes(bits)) throw new UsageError(`--bits must be one of ${RSA_BITS.join(', ')}`);
  return bits;
}

function kidValue(kid: string): string {
  if (kid.length === 0 || kid.length > MAX_KID_LENGTH) throw new UsageError(`--kid must be 1 to ${MAX_KID_LENGTH} characters`);
  return kid;
}

/** `keyway-client-<kid8>.pem`; falls back to the thumbprint when a given kid is not file-name safe. */
function defaultFileName(kid: string, keyThumbprint: string): string {
  const safe = /^[A-Za-z0-9_-]{8}/.test(kid) ? kid : keyThumbprint;
  return `keyway-client-${safe.slice(0, 8)}.pem`;
}

/** Creates the file exclusively (never overwrites) and owner-only, whatever the umask. */
async function writePrivateKey(path: string, pem: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${path} already exists; refusing to overwrite it (choose another --out)`);
    throw new Error(`cannot create ${path}: ${code ?? String(err)}`);
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(pem, 'utf8');
  } finally {
    await handle.close();
  }
}

function humanOutput(file: string, kid: string, alg: SigningAlg, jwks: string, body: Record<string, unknown> | undefined, flags: string[]): string {
  const lines = [
    `Private key: ${file} (mode 0600; keep it secret)`,
    `kid: ${kid}`,
    `alg: ${alg}`,
    ...(flags.length > 0 ? [`Pass ${flags.join(' ')} to \`keyway assertion\` and \`keyway token\` with this key.`] : []),
    '',
    'jwks (the application\'s "jwks" value, a JSON string):',
    JSON.stringify(jwks),
  ];
  if (body) {
    lines.push(
      '',
      'PUT {{apiPath}}/v1/environments/{{envID}}/applications/{{appID}} with this body',
      '(keep your application\'s own name, type, grant types and redirect URIs):',
      JSON.stringify(body, null, 2),
    );
  }
  return `${lines.join('\n')}\n`;
}
