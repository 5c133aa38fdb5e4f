/**
 * Composition root: builds the store, keys, caches, services and the HTTP server from a
 * Config. No side effects on import.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { ChangeSync } from './cluster/change-sync.js';
import { buildServer } from './http/server.js';
import { createSealer, loadMasterKey } from './keys/master-key.js';
import { KeyRing, type SigningKeyPairSource } from './keys/signing-keys.js';
import { ensureBootstrap, type BootstrapResult } from './management/bootstrap.js';
import type { ChangeListener, ManagementDeps } from './management/context.js';
import { eventSink, replayStore, startPurger, type LoggerLike } from './oauth/client-auth-adapters.js';
import { CachedClientDirectory } from './oauth/client-directory.js';
import { ClientKeys } from './oauth/client-keys.js';
import { EnvironmentCache } from './oauth/environment-cache.js';
import { parseFetchAllowList } from './oauth/ip-ranges.js';
import { jwksCacheAdmin } from './oauth/jwks-cache-admin.js';
import { RemoteJwks } from './oauth/remote-jwks.js';
import { flowStore, grantStore, parStore, sessionStore } from './oauth/sign-in-adapters.js';
import { idTokenHints, passwordVerifier, signInClients, userInfo } from './oauth/sign-in-ports.js';
import { InvalidClient } from './protocol/errors.js';
import type { IssuerKeys, TokenRevocations } from './protocol/ports.js';
import { openStore } from './store/open.js';
import type { Store } from './store/types.js';

export interface App {
  server: FastifyInstance;
  store: Store;
  bootstrap: BootstrapResult;
  close(): Promise<void>;
}

export interface BuildOptions {
  /** Clock override for tests. */
  now?: () => Date;
  /** Key pairs of new environments' signing keys (tests); default: a new RSA 2048 pair each. */
  signingKeyPair?: SigningKeyPairSource;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const now = options.now ?? (() => new Date());
  const sealer = createSealer(loadMasterKey(config.dataDir, config.masterKey));
  const store = await openStore(config);
  const remoteJwks = new RemoteJwks({
    guard: config.fetchAllow ? parseFetchAllowList(config.fetchAllow) : {},
    cooldownMs: config.jwksRefetchCooldownSeconds * 1000,
  });
  // The logger exists once the server does; events recorded before that are not expected.
  let server: FastifyInstance | undefined;
  const log: LoggerLike = { warn: (obj, msg) => server?.log.warn(obj, msg) };
  // Caches of configuration, kept coherent across instances on PostgreSQL (src/cluster/).
  const sync = new ChangeSync(
    store,
    {
      directory: () => new CachedClientDirectory(store, sealer, config.publicUrl),
      clientKeys: () => new ClientKeys({ remote: remoteJwks, certificates: (envId, appId) => store.listClientCertificates(envId, appId) }),
      keyRing: () => new KeyRing(store, sealer),
      environments: () => new EnvironmentCache(store),
    },
    { store, sealer },
    {
      info: (msg) => server?.log.info(msg),
      warn: (obj, msg) => server?.log.warn(obj, msg),
    },
  );
  const { directory, keyRing, environments, clientKeys } = sync.caches;
  const changes: ChangeListener = sync.changes;
  const management: ManagementDeps = {
    store,
    sealer,
    keyRing,
    now,
    apiBase: `${config.publicUrl}/v1`,
    publicUrl: config.publicUrl,
    changes,
    jwksCache: jwksCacheAdmin(directory, remoteJwks),
    signingKeyPair: options.signingKeyPair,
  };
  const bootstrap = await ensureBootstrap(management, config);

  const issuerKeys: IssuerKeys = {
    activeKey: async (envId) => (await keyRing.get(envId))?.active,
    publicKeys: async (envId) => (await keyRing.get(envId))?.publicKeys ?? new Map(),
  };
  const revocations: TokenRevocations = {
    revoke: (envId, jti, expiresAt) => store.revokeToken(envId, jti, expiresAt.toISOString()),
    isRevoked: (envId, jti) => store.isTokenRevoked(envId, jti),
  };
  const issuer = (envId: string): string => `${config.publicUrl}/${envId}/as`;
  const clientAuth = { keys: clientKeys, replay: replayStore(store, now), events: eventSink(store, log) };
  const clients = signInClients(store);
  const grants = grantStore(store);
  const users = userInfo(store);
  server = buildServer({
    logLevel: config.logLevel,
    bodyLimit: config.bodyLimit,
    management,
    authenticate: { store, keyRing, publicUrl: config.publicUrl, organizationId: bootstrap.organizationId, now },
    oauth: {
      publicUrl: config.publicUrl,
      now,
      issuer,
      directory,
      keyRing,
      issuerKeys,
      revocations,
      environments,
      clientAuth,
      signIn: {
        grants,
        users,
        settings: async (client) => (await clients.settings(client.environmentId, client.id)) ?? deletedMeanwhile(),
      },
    },
    signIn: {
      publicUrl: config.publicUrl,
      now,
      issuer,
      environments,
      clientAuth,
      directory,
      clients,
      flows: flowStore(store),
      sessions: sessionStore(store),
      grants,
      pars: parStore(store),
      passwords: passwordVerifier(store),
      idTokenHints: idTokenHints(keyRing, issuer),
    },
    ready: () => store.ping(),
  });
  const stopPurger = startPurger(store, now, log);
  sync.start();
  const app: App = {
    server,
    store,
    bootstrap,
    async close() {
      stopPurger();
      await app.server.close();
      await sync.close();
      await store.close();
    },
  };
  return app;
}

/** The application was deleted between client authentication and this read: as if unknown. */
function deletedMeanwhile(): never {
  throw new InvalidClient('CLIENT_UNKNOWN', 'the application was deleted during the request');
}
