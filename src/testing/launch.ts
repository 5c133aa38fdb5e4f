/**
 * Starts the server of a test run: a temporary data directory, the Config, `buildApp`, and
 * `listen` on 127.0.0.1. The public URL (issuers, `_links`) names the port, so the port is
 * chosen before the app is built; when another process takes it in between, the start is
 * tried again on another port.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../app.js';
import type { Config } from '../config/config.js';
import { buildTestApp } from './build.js';
import { testConfig } from './config.js';
import { freePort, isAddressInUse } from './free-port.js';
import type { AdminPins, StartKeywayOptions } from './options.js';

const HOST = '127.0.0.1';
const ATTEMPTS = 3;

export interface Launched {
  app: App;
  config: Config;
  /** The admin application's credentials: pinned by the options, or generated for this run. */
  admin: Required<AdminPins>;
  /** Removes the temporary data directory (after the app is closed). */
  removeDataDir(): void;
}

export async function launch(options: StartKeywayOptions): Promise<Launched> {
  // Generated once, so that an attempt on another port finds the admin an earlier one created.
  const admin = adminPins(options.admin);
  // Port 0 means any free port here too, but the public URL needs the number before listening.
  const fixedPort = options.port === undefined || options.port === 0 ? undefined : options.port;
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(options, admin, fixedPort ?? (await freePort(HOST)));
    } catch (err) {
      if (!(isAddressInUse(err) && fixedPort === undefined && attempt < ATTEMPTS)) throw err;
    }
  }
}

async function launchOnce(options: StartKeywayOptions, admin: Required<AdminPins>, port: number): Promise<Launched> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyway-test-'));
  const removeDataDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  try {
    const config = testConfig(options, admin, port, dataDir);
    const app = await buildTestApp(config, options);
    try {
      await requireKnownAdmin(app, admin);
      await app.server.listen({ port, host: HOST });
    } catch (err) {
      await app.close();
      throw err;
    }
    return { app, config, admin, removeDataDir };
  } catch (err) {
    removeDataDir();
    throw err;
  }
}

function adminPins(pins: AdminPins = {}): Required<AdminPins> {
  return {
    environmentId: pins.environmentId ?? randomUUID(),
    clientId: pins.clientId ?? randomUUID(),
    clientSecret: pins.clientSecret ?? randomBytes(32).toString('base64url'),
  };
}

/**
 * A database that already holds Keyway's organization keeps the admin application of its first
 * start, whatever is pinned now: the pins must name it.
 */
async function requireKnownAdmin(app: App, admin: Required<AdminPins>): Promise<void> {
  if (app.bootstrap.created || (await app.store.getApplication(admin.environmentId, admin.clientId))) return;
  throw new Error(
    'startKeyway: the database already holds a Keyway organization whose admin application is not the one pinned; pass admin.environmentId, admin.clientId and admin.clientSecret of its first start (and the same masterKey)',
  );
}
