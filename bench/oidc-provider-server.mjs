// oidc-provider configured like the Keyway application under test: one client using
// private_key_jwt with its own jwks, the client_credentials grant, and RS256 (or ES256) JWT access tokens
// for a resource indicator defaulted for the client (features.resourceIndicators).
// Usage: node bench/oidc-provider-server.mjs CONFIG.json
//   CONFIG: {port, issuer, clientId, clientJwks, signingJwk, scope, resource, alg (RS256 or ES256)}
// Prints "ready" on stdout once listening on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const resourceServer = {
  scope: config.scope,
  audience: config.resource,
  accessTokenTTL: 3600,
  accessTokenFormat: 'jwt',
  jwt: { sign: { alg: config.alg ?? 'RS256' } },
};

const provider = new Provider(config.issuer, {
  clients: [
    {
      client_id: config.clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: config.clientJwks,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: config.scope,
      // Client metadata must name an algorithm the provider's keys offer (its default is RS256).
      id_token_signed_response_alg: config.alg ?? 'RS256',
    },
  ],
  jwks: { keys: [config.signingJwk] },
  clientAuthMethods: ['private_key_jwt'],
  scopes: [config.scope],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => config.resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator !== config.resource) throw new errors.InvalidTarget();
        return resourceServer;
      },
    },
  },
  ttl: { ClientCredentials: 3600 },
});

// The benchmark reads the event loop's busy time from this route (bench/event-loop.mjs), as it
// reads Keyway's from /metrics; every other path goes to the provider.
const ELU_PATH = '/__bench/event-loop';
const callback = provider.callback();
const server = createServer((req, res) => {
  if (req.url !== ELU_PATH) return callback(req, res);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ pid: process.pid, activeSeconds: performance.eventLoopUtilization().active / 1000 }));
});
server.keepAliveTimeout = 120_000;
server.listen(config.port, '127.0.0.1', () => process.stdout.write('ready\n'));

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
