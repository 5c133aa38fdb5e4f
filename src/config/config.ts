/**
 * Runtime configuration from environment variables (docs/decisions.md, "Runtime contract"),
 * parsed once at startup into its final typed form; errors name the variable. Imports nothing
 * from the rest of src (docs/architecture.md).
 */
import { resolve } from 'node:path';
import { parseFetchAllowList, type FetchAllowList } from './fetch-allow-list.js';
import { parseCidr, type Cidr } from './ip-address.js';
import { decodeMasterKeyText } from './master-key-text.js';
import { parseTls, TlsConfigError, type TlsSetting } from './tls.js';

export interface BootstrapPins {
  environmentId?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface Config {
  port: number;
  host: string;
  /** Base URL without trailing slash, e.g. `http://localhost:8080`. */
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  /** KEYWAY_MASTER_KEY, decoded (32 bytes); otherwise a 0600 key file in dataDir is used. */
  masterKey?: Buffer;
  bootstrap: BootstrapPins;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest accepted request body in bytes (413 above it). */
  bodyLimit: number;
  /**
   * KEYWAY_FETCH_ALLOW: CIDRs and host names that `jwksUrl` fetches may reach although they are
   * loopback or private (local development only); empty lists when unset.
   */
  fetchAllow: FetchAllowList;
  /**
   * KEYWAY_JWKS_REFETCH_COOLDOWN_SECONDS: least time between two fetches of one application's
   * `jwksUrl` prompted by an unknown `kid` or a failed fetch.
   */
  jwksRefetchCooldownSeconds: number;
  /**
   * KEYWAY_RATE_LIMIT_CLIENT_AUTH: failed client authentications per minute per (environment,
   * client, source address) at the client-authenticated /as endpoints; 0 when turned off.
   */
  rateLimitClientAuth: number;
  /** KEYWAY_RATE_LIMIT_MANAGEMENT_AUTH: failed management API tokens per minute per source address; 0 when turned off. */
  rateLimitManagementAuth: number;
  /**
   * KEYWAY_SHUTDOWN_TIMEOUT_SECONDS: after SIGTERM or SIGINT, how long requests in flight may
   * take to finish before their connections are cut.
   */
  shutdownTimeoutSeconds: number;
  /**
   * KEYWAY_REQUEST_TIMEOUT_SECONDS: the longest a client may take to send one whole request,
   * headers and body; a slower one is answered 408 and its connection closed.
   */
  requestTimeoutSeconds: number;
  /**
   * KEYWAY_TLS_CERT and KEYWAY_TLS_KEY (read and checked), or KEYWAY_TLS=self-signed: HTTPS on
   * the same port. Unset: plain HTTP.
   */
  tls?: TlsSetting;
  /** KEYWAY_METRICS_PORT: serve `/metrics` on this port (plain HTTP, the same host) instead of the main one. */
  metricsPort?: number;
  /** KEYWAY_CONFIG_FILE: a configuration file (YAML or JSON) applied at start, before the server answers. */
  configFile?: string;
  /**
   * KEYWAY_WORKERS: server processes sharing the port and the store (src/cli/workers.ts); 1 runs
   * the server in this process.
   */
  workers: number;
  /**
   * KEYWAY_KEY_THREADS: threads that sign ECDSA tokens and verify ECDSA and EdDSA client
   * assertions, per server process (src/threads/key-operations.ts); unset: the process's share
   * of the cores but one, from one to four.
   */
  keyThreads: number | undefined;
  /**
   * KEYWAY_TRUST_PROXY: the proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names a
   * request's source; empty: the source is the connection's peer, whatever the header says.
   */
  trustedProxies: readonly Cidr[];
}

export class ConfigError extends Error {}

/** The lower-case UUID form of src/domain/ids.ts, repeated: config imports nothing from the rest of src. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Documented body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Documented `jwksUrl` refetch cool-down: one minute. */
export const DEFAULT_JWKS_REFETCH_COOLDOWN_SECONDS = 60;
/**
 * Documented failure limits per minute: far above what a working client or a test suite meets
 * (a client that fails that often is broken), far below a guessing or flooding attack.
 */
export const DEFAULT_RATE_LIMIT_CLIENT_AUTH = 30;
export const DEFAULT_RATE_LIMIT_MANAGEMENT_AUTH = 60;
const MAX_RATE_LIMIT = 1_000_000;
/** Documented shutdown bound for requests in flight: ten seconds. */
export const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 10;
/**
 * Thirty seconds to send a request: a token request or an API call is a few kilobytes, so only a
 * client that trickles its bytes (holding a connection open on purpose) comes near it.
 */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
/** Upper bound of KEYWAY_WORKERS: far beyond the cores of one machine, a typo rather than a plan. */
export const MAX_WORKERS = 256;
/** Upper bound of KEYWAY_KEY_THREADS, for the same reason. */
export const MAX_KEY_THREADS = 256;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort('KEYWAY_PORT', env.KEYWAY_PORT) ?? 8080;
  const host = env.KEYWAY_HOST?.trim() || '127.0.0.1';
  const tls = parseTlsSetting(env);
  const publicUrl = parsePublicUrl(env.KEYWAY_PUBLIC_URL ?? `${tls ? 'https' : 'http'}://localhost:${port}`);
  if (tls && publicUrl.startsWith('http:')) {
    throw new ConfigError('KEYWAY_PUBLIC_URL must use https when Keyway serves HTTPS (KEYWAY_TLS, or KEYWAY_TLS_CERT and KEYWAY_TLS_KEY)');
  }
  const config: Config = {
    port,
    host,
    publicUrl,
    dataDir: resolve(env.KEYWAY_DATA_DIR?.trim() || './data'),
    bootstrap: parseBootstrapPins(env),
    logLevel: parseLogLevel(env.KEYWAY_LOG_LEVEL),
    bodyLimit: DEFAULT_BODY_LIMIT,
    fetchAllow: parseFetchAllow(env.KEYWAY_FETCH_ALLOW),
    jwksRefetchCooldownSeconds: parseSeconds('KEYWAY_JWKS_REFETCH_COOLDOWN_SECONDS', env.KEYWAY_JWKS_REFETCH_COOLDOWN_SECONDS, DEFAULT_JWKS_REFETCH_COOLDOWN_SECONDS, 86_400),
    rateLimitClientAuth: parseRateLimit('KEYWAY_RATE_LIMIT_CLIENT_AUTH', env.KEYWAY_RATE_LIMIT_CLIENT_AUTH, DEFAULT_RATE_LIMIT_CLIENT_AUTH),
    rateLimitManagementAuth: parseRateLimit('KEYWAY_RATE_LIMIT_MANAGEMENT_AUTH', env.KEYWAY_RATE_LIMIT_MANAGEMENT_AUTH, DEFAULT_RATE_LIMIT_MANAGEMENT_AUTH),
    shutdownTimeoutSeconds: parseSeconds('KEYWAY_SHUTDOWN_TIMEOUT_SECONDS', env.KEYWAY_SHUTDOWN_TIMEOUT_SECONDS, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS, 3_600),
    requestTimeoutSeconds: parseSeconds('KEYWAY_REQUEST_TIMEOUT_SECONDS', env.KEYWAY_REQUEST_TIMEOUT_SECONDS, DEFAULT_REQUEST_TIMEOUT_SECONDS, 3_600),
    workers: parseCount('KEYWAY_WORKERS', env.KEYWAY_WORKERS, 1, MAX_WORKERS),
    keyThreads: parseCount('KEYWAY_KEY_THREADS', env.KEYWAY_KEY_THREADS, undefined, MAX_KEY_THREADS),
    trustedProxies: parseTrustedProxies(env.KEYWAY_TRUST_PROXY),
  };
  if (env.KEYWAY_DATABASE_URL) config.databaseUrl = parseDatabaseUrl(env.KEYWAY_DATABASE_URL);
  if (env.KEYWAY_MASTER_KEY) config.masterKey = parseMasterKey(env.KEYWAY_MASTER_KEY);
  if (tls) config.tls = tls;
  if (env.KEYWAY_CONFIG_FILE) config.configFile = env.KEYWAY_CONFIG_FILE;
  const metricsPort = parsePort('KEYWAY_METRICS_PORT', env.KEYWAY_METRICS_PORT);
  if (metricsPort !== undefined) {
    if (metricsPort !== 0 && metricsPort === port) throw new ConfigError('KEYWAY_METRICS_PORT must differ from KEYWAY_PORT');
    config.metricsPort = metricsPort;
  }
  return config;
}

function parsePort(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be an integer between 0 and 65535, got "${raw}"`);
  }
  return port;
}

function parsePublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`KEYWAY_PUBLIC_URL must be an absolute URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('KEYWAY_PUBLIC_URL must use http or https');
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError('KEYWAY_PUBLIC_URL must not carry a query, fragment or credentials');
  }
  return url.href.replace(/\/+$/, '');
}

function parseTlsSetting(env: NodeJS.ProcessEnv): TlsSetting | undefined {
  try {
    return parseTls(env);
  } catch (err) {
    if (err instanceof TlsConfigError) throw new ConfigError(err.message);
    throw err;
  }
}

function parseDatabaseUrl(raw: string): string {
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError('KEYWAY_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return raw;
}

function parseMasterKey(raw: string): Buffer {
  const key = decodeMasterKeyText(raw);
  if (!key) throw new ConfigError('KEYWAY_MASTER_KEY must encode exactly 32 bytes (base64 or hex)');
  return key;
}

function parseBootstrapPins(env: NodeJS.ProcessEnv): BootstrapPins {
  const pins: BootstrapPins = {};
  const environmentId = env.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID;
  const clientId = env.KEYWAY_BOOTSTRAP_CLIENT_ID;
  const clientSecret = env.KEYWAY_BOOTSTRAP_CLIENT_SECRET;
  if (environmentId !== undefined && environmentId !== '') {
    if (!UUID.test(environmentId)) throw new ConfigError('KEYWAY_BOOTSTRAP_ENVIRONMENT_ID must be a lower-case UUID');
    pins.environmentId = environmentId;
  }
  if (clientId !== undefined && clientId !== '') {
    if (!UUID.test(clientId)) throw new ConfigError('KEYWAY_BOOTSTRAP_CLIENT_ID must be a lower-case UUID');
    pins.clientId = clientId;
  }
  if (clientSecret !== undefined && clientSecret !== '') {
    if (clientSecret.length < 32 || clientSecret.length > 256 || !/^[\x21-\x7e]+$/.test(clientSecret)) {
      throw new ConfigError('KEYWAY_BOOTSTRAP_CLIENT_SECRET must be 32 to 256 printable ASCII characters');
    }
    pins.clientSecret = clientSecret;
  }
  return pins;
}

function parseFetchAllow(raw: string | undefined): FetchAllowList {
  try {
    return parseFetchAllowList(raw ?? '');
  } catch (err) {
    throw new ConfigError(`KEYWAY_FETCH_ALLOW: ${(err as Error).message}`);
  }
}

function parseLogLevel(raw: string | undefined): Config['logLevel'] {
  if (raw === undefined || raw === '') return 'info';
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) throw new ConfigError(`KEYWAY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** A whole number of seconds from 1 to `max`, or `fallback` when unset. */
function parseSeconds(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds < 1 || seconds > max) {
    throw new ConfigError(`${name} must be an integer between 1 and ${max}, got "${raw}"`);
  }
  return seconds;
}

/** Failures per minute, or `0` / `off` to turn the limit off (0 in the Config). */
function parseRateLimit(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'off') return 0;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > MAX_RATE_LIMIT) {
    throw new ConfigError(`${name} must be an integer from 1 to ${MAX_RATE_LIMIT} (failures per minute), or 0 or off to turn the limit off, got "${raw}"`);
  }
  return value;
}

/** Comma-separated addresses or CIDR blocks; empty entries are ignored. Host names are refused: a proxy is known by its address. */
function parseTrustedProxies(raw: string | undefined): Cidr[] {
  const entries = (raw ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  return entries.map((entry) => {
    try {
      return parseCidr(entry);
    } catch (err) {
      throw new ConfigError(`KEYWAY_TRUST_PROXY: ${(err as Error).message}`);
    }
  });
}

/** A count from 1 to `max`; `fallback` when unset. */
function parseCount<F extends number | undefined>(name: string, raw: string | undefined, fallback: F, max: number): number | F {
  if (raw === undefined || raw === '') return fallback;
  const count = Number(raw);
  if (!/^\d+$/.test(raw) || count < 1 || count > max) {
    throw new ConfigError(`${name} must be an integer between 1 and ${max}, got "${raw}"`);
  }
  return count;
}
