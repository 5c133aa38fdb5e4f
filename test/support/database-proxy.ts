/**
 * A TCP proxy on 127.0.0.1 in front of the test database that can be cut (every socket
 * destroyed, new ones refused), stalled (sockets kept open, nothing forwarded: a silent network
 * partition or a dead server behind a half-open connection) and restored.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class DatabaseProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  private mode: 'open' | 'cut' | 'stalled' = 'open';
  port = 0;

  /** `databaseUrl`: the database behind the proxy (its host and port are where it connects). */
  constructor(private readonly databaseUrl: string) {
    this.server = createServer((client) => this.accept(client));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  /** The database's URL through this proxy, with `search_path` set to `schema` when given. */
  url(schema?: string): string {
    const parsed = new URL(this.databaseUrl);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    if (schema !== undefined) parsed.searchParams.set('options', `-c search_path=${schema}`);
    return parsed.toString();
  }

  /** Destroys every connection and refuses new ones (a database that went away). */
  cut(): void {
    this.mode = 'cut';
    this.destroyAll();
  }

  /** Keeps connections open but forwards nothing (a silent network partition); refuses new ones. */
  stall(): void {
    this.mode = 'stalled';
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  restore(): void {
    if (this.mode === 'stalled') this.destroyAll();
    this.mode = 'open';
  }

  async close(): Promise<void> {
    this.destroyAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode !== 'open') {
      client.destroy();
      return;
    }
    const target = new URL(this.databaseUrl);
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private destroyAll(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }
}
