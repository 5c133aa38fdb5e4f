/**
 * A `LISTEN` on one dedicated connection (not from the pool: a pooled connection is handed to
 * other work and its notifications would go astray), one per channel: the change feed
 * (`keyway_changes`, ./notify-message.ts) and the instances' broadcast (`keyway_broadcast`,
 * ./broadcast.ts). Nothing is published from here. On the change feed, the triggers of migration
 * 0005 call `pg_notify` inside the transaction that changes a configuration row, so PostgreSQL
 * delivers the message when, and only if, that transaction commits, whoever wrote it (this
 * instance, another one, a loader).
 *
 * The listening connection is watched: a heartbeat query every `heartbeatMs` that must answer
 * within `heartbeatTimeoutMs`, so a connection that silently stops answering is declared lost
 * within about a second, like one that is closed. A lost connection is re-opened with
 * exponential backoff and jitter; `listening()` is reported after every (re)connection, because
 * whatever was committed in between was missed. The pool's client-side `query_timeout` applies
 * to this connection's queries too, which is harmless: LISTEN returns at once and notifications
 * arrive outside any query.
 */
import pg from 'pg';
import type { ChangeFeed, ChangeFeedEvents } from '../types.js';

export interface PgListenerOptions {
  /** Connection settings of the listening connection (the pool's, so the same `search_path`). */
  connection: pg.ClientConfig;
  /** The channel listened on; also names the session (`{channel}:{schema}` in pg_stat_activity). */
  channel: string;
  /** Each notification's payload, with the schema of the listening connection. */
  receive(payload: string | undefined, schema: string | null): void;
  events: Pick<ChangeFeedEvents, 'listening' | 'lost'>;
  /** Default 500 ms. */
  heartbeatMs?: number;
  /** Default 500 ms. */
  heartbeatTimeoutMs?: number;
  /** Connecting and subscribing must finish within this (default 5 s). */
  connectTimeoutMs?: number;
  /** First reconnection delay (default 100 ms), doubled per failure up to `maxBackoffMs` (default 5 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

const noop = (): void => {};

function describe(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/** `work`, or a rejection once `ms` have passed without an answer. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Sets the listening session's name so operators (and tests) can find it in pg_stat_activity. */
const IDENTIFY_SQL = `SELECT current_schema() AS schema,
  set_config('application_name', left($1::text || ':' || coalesce(current_schema(), ''), 63), false) AS name`;

/** A session name per channel: `keyway_changes` listens as `keyway-changes:{schema}`. */
const sessionName = (channel: string): string => channel.replaceAll('_', '-');

export class PgListener implements ChangeFeed {
  private connection: pg.Client | undefined;
  private live = false;
  private closed = false;
  private failures = 0;
  private schema: string | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PgListenerOptions) {}

  get listening(): boolean {
    return this.live;
  }

  /** Opens the listening connection (in the background; `listening()` reports success). */
  start(): this {
    void this.connect();
    return this;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.heartbeatTimer);
    const connection = this.connection;
    this.connection = undefined;
    this.live = false;
    if (connection) await within(1_000, connection.end()).catch(noop);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.options.connection);
    this.connection = client;
    client.on('error', (err) => this.drop(client, describe(err)));
    client.on('end', () => this.drop(client, 'connection ended'));
    client.on('notification', (n) => {
      if (client === this.connection && this.live) this.receive(n.payload);
    });
    try {
      await within(this.options.connectTimeoutMs ?? 5_000, this.subscribe(client));
    } catch (err) {
      this.drop(client, describe(err));
      return;
    }
    if (client !== this.connection || this.closed) return;
    this.live = true;
    this.failures = 0;
    this.options.events.listening();
    this.scheduleHeartbeat(client);
  }

  private async subscribe(client: pg.Client): Promise<void> {
    await client.connect();
    const { rows } = await client.query<{ schema: string | null }>(IDENTIFY_SQL, [sessionName(this.options.channel)]);
    this.schema = rows[0]?.schema ?? null;
    await client.query(`LISTEN ${this.options.channel}`);
  }

  private receive(payload: string | undefined): void {
    this.options.receive(payload, this.schema);
  }

  private scheduleHeartbeat(client: pg.Client): void {
    this.heartbeatTimer = setTimeout(() => {
      within(this.options.heartbeatTimeoutMs ?? 500, client.query('SELECT 1')).then(
        () => {
          if (client === this.connection) this.scheduleHeartbeat(client);
        },
        (err: unknown) => this.drop(client, `heartbeat: ${describe(err)}`),
      );
    }, this.options.heartbeatMs ?? 500);
    this.heartbeatTimer.unref();
  }

  /** Forgets a failed connection (once) and schedules the next attempt. */
  private drop(client: pg.Client, reason: string): void {
    if (client !== this.connection) return;
    this.connection = undefined;
    const wasLive = this.live;
    this.live = false;
    clearTimeout(this.heartbeatTimer);
    client.removeAllListeners('notification');
    void client.end().catch(noop);
    if (wasLive) this.options.events.lost(reason);
    if (this.closed) return;
    const initial = this.options.initialBackoffMs ?? 100;
    const ceiling = Math.min(this.options.maxBackoffMs ?? 5_000, initial * 2 ** Math.min(this.failures, 16));
    this.failures += 1;
    this.retryTimer = setTimeout(() => void this.connect(), ceiling / 2 + (Math.random() * ceiling) / 2);
    this.retryTimer.unref();
  }
}
