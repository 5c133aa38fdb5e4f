/**
 * The Config of a test run, parsed by `loadConfig` from variables this module writes (never
 * from `process.env`: a test run must not depend on the shell it starts in), so every value is
 * checked as the server checks it and errors name the variable.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../config/config.js';
import type { AdminPins, StartKeywayOptions } from './options.js';

/** Variables the library sets itself, and the option that sets each (if any). */
const SET_BY_LIBRARY: Readonly<Record<string, string>> = {
  KEYWAY_PORT: 'port',
  KEYWAY_HOST: 'none: always 127.0.0.1',
  KEYWAY_PUBLIC_URL: 'none: always the listening address',
  KEYWAY_DATA_DIR: 'none: a temporary directory',
  KEYWAY_DATABASE_URL: 'databaseUrl',
  KEYWAY_MASTER_KEY: 'masterKey',
  KEYWAY_LOG_LEVEL: 'logLevel',
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: 'admin.environmentId',
  KEYWAY_BOOTSTRAP_CLIENT_ID: 'admin.clientId',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'admin.clientSecret',
  KEYWAY_TLS: 'none: plain HTTP',
  KEYWAY_TLS_CERT: 'none: plain HTTP',
  KEYWAY_TLS_KEY: 'none: plain HTTP',
  KEYWAY_METRICS_PORT: 'none: /metrics is served on the main port',
  KEYWAY_SHUTDOWN_TIMEOUT_SECONDS: 'none: stop() closes at once',
  // The server runs inside the test's own process: it starts no workers of its own, and its key
  // operation threads are that process's, configured by `keyway start` only.
  KEYWAY_WORKERS: 'none: one server, in the test process',
  KEYWAY_KEY_THREADS: "none: the test process's own",
};

export function testConfig(options: StartKeywayOptions, admin: Required<AdminPins>, port: number, dataDir: string): Config {
  const config = loadConfig({
    ...extraSettings(options.env ?? {}),
    KEYWAY_PORT: String(port),
    KEYWAY_HOST: '127.0.0.1',
    KEYWAY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    KEYWAY_DATA_DIR: dataDir,
    KEYWAY_LOG_LEVEL: options.logLevel ?? 'silent',
    KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: admin.environmentId,
    KEYWAY_BOOTSTRAP_CLIENT_ID: admin.clientId,
    KEYWAY_BOOTSTRAP_CLIENT_SECRET: admin.clientSecret,
    ...(options.databaseUrl === undefined ? {} : { KEYWAY_DATABASE_URL: options.databaseUrl }),
    ...(typeof options.masterKey === 'string' ? { KEYWAY_MASTER_KEY: options.masterKey } : {}),
  });
  // A key in memory rather than a key file: nothing of the run outlives it unless asked.
  config.masterKey = Buffer.isBuffer(options.masterKey) ? masterKeyBytes(options.masterKey) : (config.masterKey ?? randomBytes(32));
  return config;
}

function masterKeyBytes(key: Buffer): Buffer {
  if (key.length !== 32) throw new TypeError(`startKeyway: masterKey must be 32 bytes, got ${key.length}`);
  return key;
}

function extraSettings(env: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(env)) {
    if (!name.startsWith('KEYWAY_')) throw new TypeError(`startKeyway: env takes KEYWAY_* settings only, not ${name}`);
    const option = SET_BY_LIBRARY[name];
    if (option !== undefined) throw new TypeError(`startKeyway: ${name} is set by the library (option: ${option})`);
  }
  return env;
}
