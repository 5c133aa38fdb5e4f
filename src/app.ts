/**
 * Composition root: builds the store, keys, caches, services and the HTTP server from a
 * Config. No side effects on import.
 */
import type { FastifyInstance } from 'fastify';
import { ChangeSync } from './adapters/cache/change-sync.js';
import { EnvironmentCache } from './adapters/cache/environment-cache.js';
import { KeyRing } from './adapters/cache/key-ring.js';
import { replayStore } from './adapters/client-auth/assertion-replay.js';
import { eventSink } from './adapters/client-auth/auth-event-sink.js';
import { CachedClientDirectory } from './adapters/client-auth/client-directory.js';
import { ClientKeys } from './adapters/client-auth/client-keys.js';
import { jwksUrlHostPolicy } from './adapters/jwks-url/host-policy.js';
import { jwksCacheAdmin } from './adapters/jwks-url/jwks-cache-admin.js';
import { RemoteJwks } from './adapters/jwks-url/remote-jwks.js';
import type { LoggerLike } from './adapters/logger.js';
import { countingEventSink, timedStore } from './adapters/metrics/instrument.js';
import { Metrics } from './adapters/metrics/metrics.js';
import { startPurger } from './adapters/purger.js';
import { startRotationTimer } from './management/key-rotation-policies/timer.js';
import { broadcastFailureChannel, type BroadcastLog } from './adapters/rate-limit/broadcast-failures.js';
import { ClientAuthLimits } from './adapters/rate-limit/client-auth-limits.js';
import type { FailureChannel } from './adapters/rate-limit/failure-channel.js';
import { ManagementAuthLimits } from './adapters/rate-limit/management-auth-limits.js';
import { idTokenHints } from './adapters/sign-in/id-token-hints.js';
import { passwordVerifier } from './adapters/sign-in/password-verifier.js';
import { signInClients } from './adapters/sign-in/sign-in-clients.js';
import { flowStore, grantStore, parStore, sessionStore } from './adapters/sign-in/sign-in-stores.js';
import { userInfo } from './adapters/sign-in/user-info.js';
import { accessTokenVerifier } from './adapters/tokens/access-token-verifier.js';
import { issuerKeys } from './adapters/tokens/issuer-keys.js';
import { tokenRevocations } from './adapters/tokens/token-revocations.js';
import type { Config } from './config/config.js';
import type { ApplyResult } from './declarative/plan.js';
import { applyAtStartup, type StartupConfiguration } from './declarative/startup.js';
import type { ClientAuthAttemptsOf } from './http/oauth/deps.js';
import { buildServer } from './http/server.js';
import type { LogStream } from './http/request-log.js';
import { createSealer, loadMasterKey } from './keys/master-key.js';
import type { SigningKeyPairSource } from './keys/signing-keys.js';
import { ensureBootstrap, type BootstrapResult } from './management/bootstrap.js';
import type { ManagementDeps } from './management/context.js';
import type { ChangeListener } from './management/ports.js';
import { InvalidClient } from './protocol/errors.js';
import { openStore } from './store/open.js';
import type { Store } from './store/types.js';

export interface App {
  server: FastifyInstance;
  store: Store;
  bootstrap: BootstrapResult;
  /** What applying the start-up configuration (KEYWAY_CONFIG_FILE or BuildOptions) did, counted per action; undefined without one. */
  configurationApplied: ApplyResult['summary'] | undefined;
  /** The Prometheus metrics (served at /metrics, or on KEYWAY_METRICS_PORT by the CLI). */
  metrics: Metrics;
  /** Runs the background purge of expired rows once, now (tests; the timer runs it every minute). */
  purgeExpired(): Promise<void>;
  /** Runs the key rotation pass once, now (tests; the timer runs it every minute). */
  rotateKeys(): Promise<void>;
  close(): Promise<void>;
}

export interface BuildOptions {
  /** Clock override for tests. */
  now?: () => Date;
  /** Key pairs of new environments' signing keys (tests); default: a new RSA 2048 pair each. */
  signingKeyPair?: SigningKeyPairSource;
  /** The certificate and key to serve HTTPS with (src/cli/tls/server-tls.ts); HTTP without. */
  tls?: { cert: string; key: string };
  /**
   * A configuration (README, "Declarative configuration") applied after the bootstrap and before
   * the server answers: a file (`path`) or a document; KEYWAY_CONFIG_FILE when absent.
   */
  configuration?: StartupConfiguration;
  /** Where the server's log goes (src/cli/log-destination.ts); standard output, written synchronously, without. */
  logStream?: LogStream;
  /**
   * The other processes of this start (KEYWAY_WORKERS), with which the failure limits are shared
   * unless the store shares them with every instance on its database (failureSharing).
   */
  failureChannel?: FailureChannel;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const now = options.now ?? (() => new Date());
  const sealer = createSealer(loadMasterKey(config.dataDir, config.masterKey));
  const opened = await openStore(config);
  const metrics = new Metrics({ poolUsage: opened.poolUsage ? () => opened.poolUsage?.() : () => undefined });
  const store = timedStore(opened, metrics);
  const remoteJwks = new RemoteJwks({
    guard: config.fetchAllow,
    cooldownMs: config.jwksRefetchCooldownSeconds * 1000,
    observer: { fetched: (outcome) => metrics.jwksFetches.labels(outcome).inc(), cacheHit: () => metrics.jwksCacheHits.inc() },
  });
  // The logger exists once the server does; events recorded before that are not expected.
  let server: FastifyInstance | undefined;
  const log: LoggerLike = { warn: (obj, msg) => server?.log.warn(obj, msg) };
  // Caches of configuration, kept coherent across instances on PostgreSQL (src/adapters/cache/).
  const sync = new ChangeSync(
    store,
    {
      directory: () => new CachedClientDirectory(store, sealer, config.publicUrl),
      clientKeys: () => new ClientKeys({ remote: remoteJwks, certificates: (envId, appId) => store.listClientCertificates(envId, appId) }),
      keyRing: () => new KeyRing(store, sealer, now),
      environments: () => new EnvironmentCache(store),
    },
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
    now,
    apiBase: `${config.publicUrl}/v1`,
    publicUrl: config.publicUrl,
    changes,
    jwksCache: jwksCacheAdmin(directory, remoteJwks),
    jwksUrlHosts: jwksUrlHostPolicy(config.fetchAllow),
    signingKeyPair: options.signingKeyPair,
  };
  const bootstrap = await ensureBootstrap(management, config);
  const configuration = options.configuration ?? (config.configFile === undefined ? undefined : { path: config.configFile });
  let configurationApplied: App['configurationApplied'];
  if (configuration) {
    try {
      configurationApplied = (await applyAtStartup(management, bootstrap.organizationId, configuration)).summary;
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  const keys = issuerKeys(keyRing);
  const revocations = tokenRevocations(store);
  const issuer = (envId: string): string => `${config.publicUrl}/${envId}/as`;
  const clientAuth = { keys: clientKeys, replay: replayStore(store, now), events: countingEventSink(eventSink(store, log), metrics) };
  const clients = signInClients(store);
  const grants = grantStore(store);
  const users = userInfo(store);
  const sharing = failureSharing(config, store, options.failureChannel, {
    info: (msg) => server?.log.info(msg),
    warn: (obj, msg) => server?.log.warn(obj, msg),
  });
  const limits = failureLimits(config, now, sharing.channel);
  server = buildServer({
    logLevel: config.logLevel,
    ...(options.logStream === undefined ? {} : { logStream: options.logStream }),
    bodyLimit: config.bodyLimit,
    requestTimeoutMs: config.requestTimeoutSeconds * 1000,
    trustedProxies: config.trustedProxies,
    management,
    authenticate: {
      store,
      tokens: accessTokenVerifier(keys, revocations, issuer),
      publicUrl: config.publicUrl,
      organizationId: bootstrap.organizationId,
      now,
    },
    managementAuthAttempts: limits.management,
    oauth: {
      publicUrl: config.publicUrl,
      now,
      issuer,
      directory,
      signingKeys: keyRing,
      issuerKeys: keys,
      revocations,
      environments,
      clientAuth,
      clientAuthAttempts: limits.clientAuth,
      metrics,
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
      clientAuthAttempts: limits.clientAuth,
      directory,
      clients,
      flows: flowStore(store),
      sessions: sessionStore(store),
      grants,
      pars: parStore(store),
      passwords: passwordVerifier(store),
      idTokenHints: idTokenHints(keyRing, issuer),
    },
    health: { ready: () => store.ping(), changeFeedListening: () => sync.listening },
    metrics,
    metricsElsewhere: config.metricsPort !== undefined,
    ...(options.tls ? { https: options.tls } : {}),
  });
  const purger = startPurger(store, now, log);
  const rotations = startRotationTimer(management, log);
  sync.start();
  const app: App = {
    server,
    store,
    bootstrap,
    configurationApplied,
    metrics,
    purgeExpired: () => purger.runOnce(),
    rotateKeys: () => rotations.runOnce(),
    async close() {
      purger.stop();
      rotations.stop();
      await app.server.close();
      await sync.close();
      await sharing.close();
      await store.close();
    },
  };
  return app;
}

/**
 * Whom the failure limits are shared with: every other instance on the database when the store
 * can broadcast (PostgreSQL; the workers of one start are instances there too), else the other
 * workers of this start (`workers`, over their primary), else no one.
 */
function failureSharing(config: Config, store: Store, workers: FailureChannel | undefined, log: BroadcastLog): { channel?: FailureChannel; close(): Promise<void> } {
  const open = store.openBroadcast?.bind(store);
  if (open === undefined || (config.rateLimitClientAuth <= 0 && config.rateLimitManagementAuth <= 0)) return { channel: workers, close: async () => {} };
  const channel = broadcastFailureChannel(open, log);
  return { channel, close: () => channel.close() };
}

interface FailureLimits {
  clientAuth?: ClientAuthAttemptsOf;
  management?: ManagementAuthLimits;
}

/**
 * The in-process failure limits (docs/decisions.md, "Failed authentications are rate limited"),
 * on the app's clock, shared with the other processes through `channel` when there are any; a
 * limit configured as 0 is not built.
 */
function failureLimits(config: Config, now: () => Date, channel: FailureChannel | undefined): FailureLimits {
  const clock = (): number => now().getTime();
  const limits: FailureLimits = {};
  if (config.rateLimitClientAuth > 0) {
    const clientAuth = new ClientAuthLimits({ perClient: config.rateLimitClientAuth, now: clock, channel });
    limits.clientAuth = (environmentId, address) => clientAuth.forRequest(environmentId, address);
  }
  if (config.rateLimitManagementAuth > 0) limits.management = new ManagementAuthLimits({ perSource: config.rateLimitManagementAuth, now: clock, channel });
  return limits;
}

/** The application was deleted between client authentication and this read: as if unknown. */
function deletedMeanwhile(): never {
  throw new InvalidClient('CLIENT_UNKNOWN', 'the application was deleted during the request');
}
