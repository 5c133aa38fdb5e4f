/** Runs the persister's units of work (../sql/statement.ts) on pg, awaiting each statement. */
import type { Q, Statement } from '../sql/statement.js';
import type { Queryable, SqlValue } from './pool.js';

async function execute(q: Queryable, statement: Statement): Promise<unknown> {
  const result = await q.query(statement.sql, statement.params as SqlValue[]);
  switch (statement.want) {
    case 'row':
      return result.rows[0];
    case 'rows':
      return result.rows;
    case 'changes':
      return result.rowCount;
  }
}

/** Runs `work` to its end on `q` (the pool, or a transaction's connection); a failing statement's error is thrown into it. */
export async function runAsync<T>(q: Queryable, work: Q<T>): Promise<T> {
  let step = work.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = await execute(q, step.value);
    } catch (err) {
      step = work.throw(err);
      continue;
    }
    step = work.next(result);
  }
  return step.value;
}
