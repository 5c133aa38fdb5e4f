/**
 * How a store method is declared once for both engines: a generator over a `Db` (./statement.ts)
 * and whether its statements must commit together. `SqlStore` (./sql-store.ts) turns a table of
 * such declarations into the promise-returning methods of the store contract.
 */
import type { ScopedTable } from '../registry.js';
import type { Dialect } from './dialect.js';
import type { EnvScoped } from './scoped.js';
import type { Q } from './statement.js';

/** What area code sees: the environment-scoped statement builder, the dialect and the store's clock. */
export interface Db {
  readonly scoped: EnvScoped;
  readonly dialect: Dialect;
  /** Every table of an environment's rows, children first (../registry.ts). */
  readonly environmentTables: readonly ScopedTable[];
  /** Clock for timestamps the store writes itself (cascaded edits, revocations). */
  now(): string;
}

export interface Method<A extends unknown[], T> {
  readonly run: (db: Db, ...args: A) => Q<T>;
  /** Every statement commits together or not at all (one transaction). */
  readonly atomic: boolean;
  /** Refines a store error (already mapped from the driver's) for this method's callers. */
  readonly mapError?: (err: unknown) => unknown;
}

/** Statements run one by one: a single statement, or reads where one snapshot is not needed. */
export function plain<A extends unknown[], T>(run: (db: Db, ...args: A) => Q<T>): Method<A, T> {
  return { run, atomic: false };
}

/** Statements run in one transaction. */
export function atomic<A extends unknown[], T>(run: (db: Db, ...args: A) => Q<T>, mapError?: (err: unknown) => unknown): Method<A, T> {
  return mapError ? { run, atomic: true, mapError } : { run, atomic: true };
}

/** `any[]`: a method's parameter list is contravariant, so no narrower type admits them all. */
export type AnyMethod = Method<any[], unknown>;

/** The store contract's methods for a table of declarations. */
export type Bound<M extends Record<string, AnyMethod>> = {
  [K in keyof M]: M[K] extends Method<infer A, infer T> ? (...args: A) => Promise<T> : never;
};
