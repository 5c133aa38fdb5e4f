/**
 * A PostgreSQL server of a test's own: a new cluster in a temporary directory (initdb), on a free
 * port of 127.0.0.1, that the test can stop and start again (pg_ctl) without touching the shared
 * test database other files use at the same time. PostgreSQL refuses to run as root, so as root
 * its programs run as the `postgres` user (runuser), which Debian's server package creates.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.js';

/** The directory of initdb, pg_ctl and postgres: Debian's /usr/lib/postgresql/<version>/bin, the newest. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async create(bin: string): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'keyway-private-pg-'));
    chmodSync(dir, 0o755);
    if (runsAsRoot()) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(dir, uid, gid);
    }
    const server = new PrivatePostgres(bin, dir, await freePort());
    server.run('initdb', ['-D', server.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    server.start();
    return server;
  }

  /** The URL Keyway is given (database `postgres` of the new cluster). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  /** Starts the server and waits until it accepts connections. */
  start(): void {
    this.run('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'log'), '-w', '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`, 'start']);
  }

  /** Stops the server ("fast": open sessions are ended) and waits until it is down. */
  stop(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  /** Stops the server if it runs, and removes the cluster. */
  remove(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(program: string, args: string[]): void {
    const path = join(this.bin, program);
    const [file, argv] = runsAsRoot() ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    execFileSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
  }
}

const runsAsRoot = (): boolean => userInfo().uid === 0;
