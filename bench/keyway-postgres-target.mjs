// Keyway on PostgreSQL as a benchmark target: TWO Keyway processes (A and B) on one database, as
// behind a load balancer. A fresh schema `keyway_bench_<hex>` in the database of
// BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), handed to both as
// `options=-c search_path=<schema>` in KEYWAY_DATABASE_URL; the same KEYWAY_MASTER_KEY (32 random
// bytes), KEYWAY_PUBLIC_URL and pinned bootstrap values; different ports and data directories.
// The client is configured once, through A's management API; the load generator then spreads its
// connections over A and B (round-robin per connection). `stop()` stops both and drops the schema.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { bootstrapPins, configureBenchClient, startKeywayProcess } from './keyway-target.mjs';
import { backendPids, createBenchSchema, databaseUrl } from './postgres.mjs';
import { stop } from './processes.mjs';

export const INSTANCES = 2;

/** @returns {Promise<{procs, serverPids, eventLoop, logBytes, stop, tokenEndpoints, audience, clientId, baseUrl, baseUrls, envId, token, api, schema, masterKey, databaseUrl, dbPids}>} */
export async function startKeywayPostgres({ workDir, jwks, maxSeconds, main }) {
  const base = databaseUrl();
  const db = await createBenchSchema(base);
  const procs = [];
  const stopAll = async () => {
    await Promise.all(procs.map((p) => stop(p)));
    await db.drop();
  };
  try {
    const admin = bootstrapPins();
    const masterKey = randomBytes(32).toString('base64');
    // One public URL for every instance, as behind a load balancer: issuer, audiences and the
    // management API audience are the same whichever instance answers. Nothing fetches it.
    const publicUrl = 'http://keyway-bench.test';
    const env = { KEYWAY_DATABASE_URL: db.url(), KEYWAY_MASTER_KEY: masterKey };
    const started = [];
    for (let i = 0; i < INSTANCES; i += 1) {
      // One after the other: the first start migrates and bootstraps, the next finds it done.
      const instance = await startKeywayProcess({ dataDir: join(workDir, `keyway-pg-${db.schema}-${i}`), admin, maxSeconds, env, publicUrl, ...(main ? { main } : {}) });
      procs.push(instance.proc);
      started.push(instance);
    }
    const [a] = started;
    const client = await configureBenchClient(a.baseUrl, admin, jwks);
    const issuer = `${publicUrl}/${client.envId}/as`;
    return {
      procs,
      serverPids: () => started.flatMap((s) => s.serverPids()),
      eventLoop: async () => Object.assign({}, ...(await Promise.all(started.map((s) => s.eventLoop())))),
      logBytes: () => procs.reduce((sum, p) => sum + p.stdoutBytes(), 0),
      stop: stopAll,
      tokenEndpoints: started.map((s) => `${s.baseUrl}/${client.envId}/as/token`),
      audience: issuer,
      baseUrl: a.baseUrl,
      baseUrls: started.map((s) => s.baseUrl),
      schema: db.schema,
      masterKey,
      /** The schema's URL; `extraOptions` adds `-c name=value` settings for the connection. */
      databaseUrl: (extraOptions) => db.url(extraOptions),
      /** The database backends serving this run's Keyway pools. */
      dbPids: () => backendPids(base, db.appName),
      ...client,
    };
  } catch (err) {
    await stopAll().catch(() => {});
    throw err;
  }
}
