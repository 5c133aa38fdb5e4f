/**
 * Runs the persister's units of work (../sql/statement.ts) on a better-sqlite3 connection,
 * synchronously from the first statement to the last: no other work of this process can run in
 * between, and a transaction never awaits.
 */
import type { Q, Statement } from '../sql/statement.js';
import type { Connection, SqlValue } from './connection.js';

function execute(conn: Connection, statement: Statement): unknown {
  const params = statement.params as SqlValue[];
  switch (statement.want) {
    case 'row':
      return conn.get(statement.sql, params);
    case 'rows':
      return conn.all(statement.sql, params);
    case 'changes':
      return conn.run(statement.sql, params);
  }
}

/** Runs `work` to its end; a failing statement's error is thrown into it, so its own handling runs. */
export function runSync<T>(conn: Connection, work: Q<T>): T {
  let step = work.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = execute(conn, step.value);
    } catch (err) {
      step = work.throw(err);
      continue;
    }
    step = work.next(result);
  }
  return step.value;
}
