/**
 * `buildApp` with what a test run adds: the declarative configuration to apply, and the first
 * signing key generated while the store opens.
 */
import { buildApp, type App, type BuildOptions } from '../app.js';
import type { Config } from '../config/config.js';
import { newKeyPair, type KeyPair, type SigningKeyPairSource } from '../keys/signing-keys.js';
import type { StartKeywayOptions } from './options.js';

export function buildTestApp(config: Config, options: StartKeywayOptions): Promise<App> {
  const build: BuildOptions = { signingKeyPair: earlyFirstKeyPair() };
  if (options.now !== undefined) build.now = options.now;
  if (options.configuration !== undefined) build.configuration = configurationSource(options.configuration);
  return buildApp(config, build);
}

function configurationSource(configuration: string | Record<string, unknown>): NonNullable<BuildOptions['configuration']> {
  return typeof configuration === 'string' ? { path: configuration } : { document: configuration };
}

const newRsaPair = (): Promise<KeyPair> => newKeyPair('RSA', 2048);

/**
 * The admin environment's RSA 2048 key (the default a new environment gets) starts generating
 * on the thread pool now, while the store opens and migrates; later environments generate
 * theirs when created, as the server does.
 */
function earlyFirstKeyPair(): SigningKeyPairSource {
  let early: Promise<KeyPair> | undefined = newRsaPair();
  // A start that fails before the key is used must not leave an unhandled rejection behind.
  early.catch(() => {});
  return () => {
    const next = early ?? newRsaPair();
    early = undefined;
    return next;
  };
}
