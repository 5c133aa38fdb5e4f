/**
 * Health probes (README, "Health and metrics"). Liveness says the process answers; readiness says
 * it can serve: the store answers and is migrated (it is opened migrated, so a query that
 * succeeds is enough) and, on a store shared by several instances (PostgreSQL), the change feed
 * is listening, without which configuration caches are bypassed and a change made elsewhere
 * could be missed. Both are cheap enough to poll every second: one `SELECT 1` at most.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface HealthDeps {
  /** Resolves when the store is open, migrated and answers. */
  ready(): Promise<void>;
  /** Whether the change feed listens; undefined for a store without one (SQLite). */
  changeFeedListening(): boolean | undefined;
}

type Check = 'ok' | 'unavailable';

/** A database that does not answer within this long is reported unavailable (probes poll every second or so). */
const STORE_CHECK_MS = 2_000;

export function healthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  const ready = async (_request: unknown, reply: FastifyReply): Promise<FastifyReply> => {
    const checks: Record<string, Check> = { store: await storeCheck(deps) };
    const feed = deps.changeFeedListening();
    if (feed !== undefined) checks.changeFeed = feed ? 'ok' : 'unavailable';
    const up = Object.values(checks).every((c) => c === 'ok');
    return reply
      .code(up ? 200 : 503)
      .header('Cache-Control', 'no-store')
      .send({ status: up ? 'ok' : 'unavailable', checks });
  };
  app.get('/health/live', async (_request, reply) => reply.header('Cache-Control', 'no-store').send({ status: 'ok' }));
  app.get('/health/ready', ready);
  // The probe of earlier versions, kept as an alias.
  app.get('/healthz', ready);
}

async function storeCheck(deps: HealthDeps): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), STORE_CHECK_MS);
  });
  const answer = deps.ready().then(
    (): Check => 'ok',
    (): Check => 'unavailable',
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
