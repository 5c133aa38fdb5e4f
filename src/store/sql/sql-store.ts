/**
 * The one persister: the store contract's methods, each declared once (../registry.ts), run
 * by an engine. An engine subclass supplies the dialect and `run`: how a unit of work executes
 * its statements (one by one, or in one transaction) and how driver errors become store errors.
 */
import type { StoreMethods } from '../types.js';
import type { Dialect } from './dialect.js';
import type { AnyMethod, Db } from './methods.js';
import { EnvScoped } from './scoped.js';
import type { Q } from './statement.js';
import { ENVIRONMENT_CHILD_TABLES, STORE_METHODS } from '../registry.js';

export abstract class SqlStore {
  protected readonly db: Db;

  constructor(dialect: Dialect, now: () => string) {
    this.db = { scoped: new EnvScoped(dialect), dialect, now, environmentTables: ENVIRONMENT_CHILD_TABLES };
  }

  /**
   * Runs the work `start` begins to completion: with `atomic`, every statement in one
   * transaction (all or nothing; an engine may start it again after a transaction the database
   * aborted for a deadlock). Rejects with the store's errors (UniqueViolation, StoreUnavailable, …).
   */
  protected abstract run<T>(start: () => Q<T>, atomic: boolean): Promise<T>;
}

// The declared methods, on the prototype so that an engine can override one (SQLite's jti path).
export interface SqlStore extends StoreMethods {}

function bind(name: string, method: AnyMethod): void {
  const invoke = function (this: SqlStore, ...args: unknown[]): Promise<unknown> {
    const self = this as unknown as { db: Db; run(start: () => Q<unknown>, atomic: boolean): Promise<unknown> };
    const done = self.run(() => method.run(self.db, ...args), method.atomic);
    const refine = method.mapError;
    return refine ? done.catch((err: unknown) => Promise.reject(refine(err))) : done;
  };
  Object.defineProperty(SqlStore.prototype, name, { value: invoke, writable: true, configurable: true });
}

for (const [name, method] of Object.entries(STORE_METHODS)) bind(name, method);
