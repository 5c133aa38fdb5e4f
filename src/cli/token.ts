/**
 * `keyway token`: a `client_credentials` token request (RFC 6749 §4.4) authenticated with
 * `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9): the assertion goes in the form body,
 * and no Authorization header is sent. Prints the response body; exits 1 on an error response.
 */
import { resolve } from 'node:path';
import { DEFAULT_ASSERTION_LIFETIME, loadSigningKey, signClientAssertion } from './client-assertion.js';
import { EXIT_FAILURE, EXIT_OK, parseVerbArgs, processIo, required, runVerb, urlOption, type CliIo } from './cli-io.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const REQUEST_TIMEOUT_MS = 30_000;

export const USAGE = `usage: keyway token --token-endpoint URL --client-id ID --key FILE [--scope SCOPES] [--alg ALG] [--kid KID] [--audience URL]

Requests an access token with grant_type=client_credentials, authenticating with a client
assertion signed by the private key in FILE (private_key_jwt). Prints the JSON response;
exits 1 when the server answers with an error (the body is printed all the same).

  --token-endpoint URL  for Keyway and PingOne: {{authPath}}/{{envID}}/as/token
  --client-id ID        the application's client id
  --key FILE            PEM private key (as written by \`keyway keys generate\`)
  --scope SCOPES        space-separated scopes to request
  --alg ALG             assertion alg; inferred from the key when absent
  --kid KID             header kid; defaults to the RFC 7638 thumbprint of the public key
  --audience URL        assertion aud; defaults to the issuer, the token endpoint without
                        its trailing /token
`;

export function run(args: readonly string[], io: CliIo = processIo): Promise<number> {
  return runVerb('token', USAGE, args, io, async () => {
    const { values } = parseVerbArgs(
      args,
      {
        'token-endpoint': { type: 'string' },
        'client-id': { type: 'string' },
        key: { type: 'string' },
        scope: { type: 'string' },
        alg: { type: 'string' },
        kid: { type: 'string' },
        audience: { type: 'string' },
      },
      false,
    );
    const tokenEndpoint = urlOption(required(values['token-endpoint'], 'token-endpoint'), 'token-endpoint');
    const clientId = required(values['client-id'], 'client-id');
    const keyFile = required(values.key, 'key');
    const audience = values.audience === undefined ? issuerOf(tokenEndpoint) : urlOption(values.audience, 'audience');
    const key = await loadSigningKey(resolve(io.cwd, keyFile), values.alg, values.kid);
    const assertion = await signClientAssertion({ ...key, clientId, audience, lifetime: DEFAULT_ASSERTION_LIFETIME });

    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    });
    if (values.scope !== undefined) form.set('scope', values.scope);
    const response = await post(io, tokenEndpoint, form);
    const text = await response.text();
    io.stdout(`${prettyJson(text)}\n`);
    if (response.ok) return EXIT_OK;
    io.stderr(`keyway token: the token endpoint answered ${response.status}\n`);
    return EXIT_FAILURE;
  });
}

/** The issuer the default audience names: the token endpoint without its trailing `/token`. */
export function issuerOf(tokenEndpoint: string): string {
  return tokenEndpoint.endsWith('/token') ? tokenEndpoint.slice(0, -'/token'.length) : tokenEndpoint;
}

async function post(io: CliIo, url: string, form: URLSearchParams): Promise<Response> {
  try {
    return await io.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`request to ${url} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
