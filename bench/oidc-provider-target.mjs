// oidc-provider as a benchmark target: oidc-provider-server.mjs on a free loopback port,
// with the same client key, scope and access tokens (RS256, or ES256 with `alg`) as the Keyway target.
// Key pairs imported from their DER, so that exporting them cannot deadlock Node (src/keys/key-pair.ts).
import { newKeyPairSync } from '../dist/keys/key-pair.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonEventLoop } from './event-loop.mjs';
import { freePort, startNode, waitForHttp } from './processes.mjs';

const SERVER = fileURLToPath(new URL('./oidc-provider-server.mjs', import.meta.url));
export const SCOPE = 'bench:read';
const CLIENT_ID = 'bench-client';

/** @returns {Promise<{proc, tokenEndpoint, audience, clientId, serverPids, eventLoop}>} */
export async function startOidcProvider({ workDir, jwks, maxSeconds, alg = 'RS256' }) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = alg === 'ES256' ? newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }) : newKeyPairSync({ type: 'rsa', modulusLength: 2048 });
  const config = {
    port,
    issuer,
    clientId: CLIENT_ID,
    clientJwks: JSON.parse(jwks),
    signingJwk: { ...privateKey.export({ format: 'jwk' }), kid: 'bench-signing-key', alg, use: 'sig' },
    alg,
    scope: SCOPE,
    resource: 'https://bench-api.oidc-provider.test',
  };
  const configFile = join(workDir, `oidc-provider-${alg}.json`);
  writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const proc = startNode(SERVER, [configFile], { maxSeconds });
  await waitForHttp(`${issuer}/.well-known/openid-configuration`, proc);
  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  // oidc-provider accepts the issuer, the token endpoint or the endpoint URL as aud; the issuer
  // is what RFC 7523bis asks for and what Keyway is sent too.
  return {
    proc,
    tokenEndpoint: discovery.token_endpoint,
    audience: discovery.issuer,
    clientId: CLIENT_ID,
    serverPids: () => [proc.child.pid],
    eventLoop: () => jsonEventLoop(`${issuer}/__bench/event-loop`),
  };
}
