/**
 * Composition root: builds the store, keys, caches, services and the HTTP server from a
 * Config. No side effects on import.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { buildServer } from './http/server.js';
import { createSealer, loadMasterKey } from './keys/master-key.js';
import { KeyRing } from './keys/signing-keys.js';
import { ensureBootstrap, type BootstrapResult } from './management/bootstrap.js';
import type { ChangeListener, ManagementDeps } from './management/context.js';
import { CachedClientDirectory } from './oauth/client-directory.js';
import { EnvironmentCache } from './oauth/environment-cache.js';
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
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const now = options.now ?? (() => new Date());
  const sealer = createSealer(loadMasterKey(config.dataDir, config.masterKey));
  const store = await openStore(config);
  const keyRing = new KeyRing(store, sealer);
  const directory = new CachedClientDirectory(store, sealer, config.publicUrl);
  const environments = new EnvironmentCache(store);
  const changes: ChangeListener = {
    applicationChanged: (envId, appId) => directory.invalidate(envId, appId),
    environmentChanged: (envId) => {
      directory.invalidate(envId);
      keyRing.forget(envId);
      environments.forget(envId);
    },
  };
  const management: ManagementDeps = { store, sealer, keyRing, now, apiBase: `${config.publicUrl}/v1`, publicUrl: config.publicUrl, changes };
  const bootstrap = await ensureBootstrap(management, config);
  const server = buildServer({
    logLevel: config.logLevel,
    bodyLimit: config.bodyLimit,
    management,
    authenticate: { store, keyRing, publicUrl: config.publicUrl, organizationId: bootstrap.organizationId, now },
    oauth: {
      publicUrl: config.publicUrl,
      now,
      issuer: (envId) => `${config.publicUrl}/${envId}/as`,
      directory,
      keyRing,
      issuerKeys: {
        activeKey: async (envId) => (await keyRing.get(envId))?.active,
      },
      environments,
    },
    ready: () => store.ping(),
  });
  return {
    server,
    store,
    bootstrap,
    async close() {
      await server.close();
      await store.close();
    },
  };
}
