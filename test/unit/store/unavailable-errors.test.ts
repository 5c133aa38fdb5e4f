/**
 * Which driver failures mean "the database cannot be used right now" (StoreUnavailable, answered
 * 503 with Retry-After by both error mappers), per engine. PostgreSQL's codes are from the
 * manual's Appendix A ("PostgreSQL Error Codes"); SQLite's from its result-code list
 * (sqlite.org/rescode.html). Anything else stays what it was (a bug is a 500, not a retry).
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import pg from 'pg';
import { mapPostgresError } from '../../../src/store/postgres/errors.js';
import { mapSqliteError } from '../../../src/store/sqlite/errors.js';
import { StoreUnavailable, UniqueViolation } from '../../../src/store/types.js';

const dbError = (code: string, message = 'failed'): pg.DatabaseError => Object.assign(new pg.DatabaseError(message, 0, 'error'), { code });
const socketError = (code: string, syscall = 'connect'): Error => Object.assign(new Error(`${syscall} ${code} 127.0.0.1:5432`), { code, syscall });
const sqliteError = (code: string): Error => Object.assign(new Error(code), { code });

describe('PostgreSQL failures classified as unavailable', () => {
  const sqlstates: Array<[string, string]> = [
    ['08000', 'connection exception'],
    ['08001', 'cannot establish connection'],
    ['08003', 'connection does not exist'],
    ['08006', 'connection failure'],
    ['08P01', 'protocol violation'],
    ['25006', 'read-only transaction (standby after a failover, default_transaction_read_only)'],
    ['28000', 'invalid authorization'],
    ['28P01', 'invalid password'],
    ['3D000', 'database does not exist'],
    ['40001', 'serialization failure after the retries'],
    ['40P01', 'deadlock after the retries'],
    ['53000', 'insufficient resources'],
    ['53100', 'disk full'],
    ['53200', 'out of memory'],
    ['53300', 'too many connections'],
    ['55000', 'database is not currently accepting connections (ALLOW_CONNECTIONS false)'],
    ['55P03', 'lock not available'],
    ['57014', 'statement timeout'],
    ['57P01', 'admin shutdown (backend terminated)'],
    ['57P02', 'crash shutdown'],
    ['57P03', 'cannot connect now (starting up, in recovery)'],
    ['57P04', 'database dropped'],
    ['57P05', 'idle-session timeout'],
    ['58000', 'system error'],
    ['58030', 'I/O error'],
  ];
  for (const [code, what] of sqlstates) {
    test(`SQLSTATE ${code}: ${what}`, () => {
      const err = dbError(code);
      const mapped = mapPostgresError(err);
      assert.ok(mapped instanceof StoreUnavailable, code);
      assert.equal(mapped.cause, err, 'the driver error is kept as the cause (logs)');
    });
  }

  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL', 'EPIPE']) {
    test(`socket error ${code}, alone or among every address of a host name`, () => {
      assert.ok(mapPostgresError(socketError(code)) instanceof StoreUnavailable);
      assert.ok(mapPostgresError(new AggregateError([socketError(code)], '')) instanceof StoreUnavailable);
    });
  }

  test('ENOENT connecting to a Unix-domain socket (server down); not ENOENT of anything else', () => {
    assert.ok(mapPostgresError(socketError('ENOENT')) instanceof StoreUnavailable);
    const file = socketError('ENOENT', 'open');
    assert.equal(mapPostgresError(file), file);
  });

  for (const message of [
    'timeout exceeded when trying to connect',
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'Client has encountered a connection error and is not queryable',
    'Cannot use a pool after calling end on the pool',
    'Query read timeout',
  ]) {
    test(`pg message: ${message}`, () => assert.ok(mapPostgresError(new Error(message)) instanceof StoreUnavailable));
  }

  test('other failures keep their meaning: unique violation, foreign key, syntax, data errors', () => {
    assert.ok(mapPostgresError(dbError('23505')) instanceof UniqueViolation);
    for (const code of ['23503', '42601', '42P01', '22P02', '22021', 'XX000', '55006']) {
      const err = dbError(code);
      assert.equal(mapPostgresError(err), err, code);
    }
  });
});

describe('SQLite failures classified as unavailable (the same conditions on one file)', () => {
  for (const code of [
    'SQLITE_BUSY',
    'SQLITE_BUSY_SNAPSHOT',
    'SQLITE_LOCKED',
    'SQLITE_IOERR',
    'SQLITE_IOERR_FSYNC',
    'SQLITE_CANTOPEN',
    'SQLITE_FULL',
    'SQLITE_READONLY',
    'SQLITE_READONLY_DBMOVED',
    'SQLITE_CORRUPT',
    'SQLITE_NOTADB',
    'SQLITE_PROTOCOL',
    'SQLITE_NOMEM',
  ]) {
    test(code, () => assert.ok(mapSqliteError(sqliteError(code)) instanceof StoreUnavailable));
  }

  test('a closed or unopenable database (better-sqlite3 TypeErrors)', () => {
    assert.ok(mapSqliteError(new TypeError('The database connection is not open')) instanceof StoreUnavailable);
    assert.ok(mapSqliteError(new TypeError('Cannot open database because the directory does not exist')) instanceof StoreUnavailable);
  });

  test('other failures keep their meaning', () => {
    assert.ok(mapSqliteError(sqliteError('SQLITE_CONSTRAINT_UNIQUE')) instanceof UniqueViolation);
    for (const code of ['SQLITE_CONSTRAINT_FOREIGNKEY', 'SQLITE_ERROR', 'SQLITE_MISMATCH']) {
      const err = sqliteError(code);
      assert.equal(mapSqliteError(err), err, code);
    }
  });
});
