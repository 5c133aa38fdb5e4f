/**
 * What `startKeyway` takes. Every option has a default that suits a test run: a free port on
 * 127.0.0.1, SQLite in a temporary directory removed on stop, generated admin credentials and
 * master key, and no log output.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The admin WORKER application's pinned values (UUIDs; the secret 32–256 printable ASCII characters). */
export interface AdminPins {
  environmentId?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface StartKeywayOptions {
  /**
   * Declarative configuration applied at start (environments, applications, users…): the path
   * of a configuration file, or the document itself, in Keyway's declarative configuration format.
   */
  configuration?: string | Record<string, unknown>;
  /**
   * A `postgres://` URL: the PostgreSQL store instead of SQLite in the temporary directory.
   * A database Keyway has used before keeps its admin application: pass its `admin` values
   * and `masterKey` then.
   */
  databaseUrl?: string;
  /** Pin the admin environment and application instead of generating them (as KEYWAY_BOOTSTRAP_*). */
  admin?: AdminPins;
  /** 32 bytes, or their base64 or hex text (as KEYWAY_MASTER_KEY); default: random for this run. */
  masterKey?: Buffer | string;
  /** Default `silent`; at `info` every request is logged to stdout as a JSON line. */
  logLevel?: LogLevel;
  /** Listening port on 127.0.0.1; default 0, a free port. */
  port?: number;
  /** The server's clock (tokens, codes and flows expire by it); default the system clock. */
  now?: () => Date;
  /**
   * More KEYWAY_* settings of the README's configuration table, as text (for example
   * `{ KEYWAY_RATE_LIMIT_CLIENT_AUTH: 'off' }`). The ones the options above set are refused.
   */
  env?: Record<string, string>;
}
