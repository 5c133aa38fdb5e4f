/**
 * `keyway assertion`: prints a signed `private_key_jwt` client assertion (RFC 7523 §3), for use
 * as the `client_assertion` parameter of a token, introspection or revocation request.
 */
import { resolve } from 'node:path';
import { DEFAULT_ASSERTION_LIFETIME, MAX_ASSERTION_LIFETIME, loadSigningKey, signClientAssertion } from './client-assertion.js';
import { EXIT_OK, integerOption, parseVerbArgs, processIo, required, runVerb, urlOption, type CliIo } from './cli-io.js';

export const USAGE = `usage: keyway assertion --client-id ID --key FILE --audience URL [--alg ALG] [--kid KID] [--lifetime SECONDS]

Prints a client assertion signed with the private key in FILE: iss = sub = the client id,
aud = URL (the environment's issuer, for example {{authPath}}/{{envID}}/as), a random jti,
iat, and exp = iat + lifetime. Send it as client_assertion with client_assertion_type
urn:ietf:params:oauth:client-assertion-type:jwt-bearer.

  --client-id ID      the application's client id
  --key FILE          PEM private key (as written by \`keyway keys generate\`)
  --audience URL      the aud claim
  --alg ALG           RS256 … PS512, ES256/384/512, EdDSA; inferred from the key when absent
                      (RSA: RS256, P-256: ES256, P-384: ES384, P-521: ES512, Ed25519: EdDSA)
  --kid KID           header kid; defaults to the RFC 7638 thumbprint of the public key
  --lifetime SECONDS  1 to ${MAX_ASSERTION_LIFETIME}, default ${DEFAULT_ASSERTION_LIFETIME}
`;

export function run(args: readonly string[], io: CliIo = processIo): Promise<number> {
  return runVerb('assertion', USAGE, args, io, async () => {
    const { values } = parseVerbArgs(
      args,
      {
        'client-id': { type: 'string' },
        key: { type: 'string' },
        audience: { type: 'string' },
        alg: { type: 'string' },
        kid: { type: 'string' },
        lifetime: { type: 'string' },
      },
      false,
    );
    const clientId = required(values['client-id'], 'client-id');
    const keyFile = required(values.key, 'key');
    const audience = urlOption(required(values.audience, 'audience'), 'audience');
    const lifetime = values.lifetime === undefined ? DEFAULT_ASSERTION_LIFETIME : integerOption(values.lifetime, 'lifetime', 1, MAX_ASSERTION_LIFETIME);
    const key = await loadSigningKey(resolve(io.cwd, keyFile), values.alg, values.kid);
    io.stdout(`${await signClientAssertion({ ...key, clientId, audience, lifetime })}\n`);
    return EXIT_OK;
  });
}
