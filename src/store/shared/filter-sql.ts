/**
 * A checked SCIM filter (src/domain/scim-filter.ts) as a parameterised SQL predicate over one
 * table, for both engines. The management API has already refused whatever the collection does
 * not support, so an attribute or operator without a column here is a programming error
 * (TypeError), never a silently ignored filter. Every comparison is on an indexed column:
 * `eq` is equality, `sw` a half-open range on the column's binary order (both engines compare
 * ids and names byte-wise: PostgreSQL's columns are `COLLATE "C"`), so the index serves it.
 */
import type { CompareOperator, FilterExpression, FilterValue } from '../../domain/scim-filter.js';
import type { Dialect } from '../sql/dialect.js';
import type { SqlValue } from '../sql/statement.js';

/** How one filterable attribute is stored: a column, or an expression the dialect writes (a JSON member). */
export interface FilterColumn {
  column: string | ((dialect: Dialect) => string);
  type: 'string' | 'boolean';
  /** The stored form of a compared string (a lower-cased key, say). */
  key?: (value: string) => string;
}

/** A valuePath's predicate (`memberOfGroups[id eq "…"]`) for one comparison inside it. */
export type MemberPredicate = (dialect: Dialect, environmentId: string, operator: CompareOperator, value: FilterValue) => Predicate;

export interface FilterColumns {
  columns: Readonly<Record<string, FilterColumn>>;
  members?: Readonly<Record<string, Readonly<Record<string, MemberPredicate>>>>;
}

export type Predicate = [sql: string, params: SqlValue[]];

/** Above every character a stored string holds, so `prefix + HIGHEST` bounds every string starting with `prefix`. */
const HIGHEST = '\u{10FFFF}';

function comparison(dialect: Dialect, spec: FilterColumn, operator: CompareOperator, value: FilterValue): Predicate {
  const column = typeof spec.column === 'string' ? spec.column : spec.column(dialect);
  if (spec.type === 'boolean') {
    if (operator !== 'eq' || typeof value !== 'boolean') throw new TypeError(`unsupported boolean comparison ${operator} on ${column}`);
    return [`${column} = ?`, [dialect.bool(value)]];
  }
  if (typeof value !== 'string') throw new TypeError(`${column} compares with strings`);
  const stored = spec.key ? spec.key(value) : value;
  switch (operator) {
    case 'eq':
      return [`${column} = ?`, [stored]];
    case 'ne':
      return [`${column} <> ?`, [stored]];
    case 'sw':
      return [`(${column} >= ? AND ${column} < ?)`, [stored, stored + HIGHEST]];
    case 'ew': {
      // No index serves a suffix: the collection's other predicates (the environment at least) narrow first.
      // CAST: PostgreSQL cannot choose among length()'s overloads for an untyped parameter.
      const n = 'length(CAST(? AS TEXT))';
      return [`(length(${column}) >= ${n} AND substr(${column}, length(${column}) - ${n} + 1) = ?)`, [stored, stored, stored]];
    }
    case 'gt':
      return [`${column} > ?`, [stored]];
    case 'ge':
      return [`${column} >= ?`, [stored]];
    case 'lt':
      return [`${column} < ?`, [stored]];
    case 'le':
      return [`${column} <= ?`, [stored]];
    default:
      throw new TypeError(`operator ${operator} has no SQL form here`);
  }
}

/** The predicate of `filter` (none: always true) and its parameters, in order. */
export function filterPredicate(
  dialect: Dialect,
  environmentId: string,
  table: FilterColumns,
  filter: FilterExpression | undefined,
): Predicate {
  if (!filter) return ['', []];
  return compile(dialect, environmentId, table, filter);
}

function compile(dialect: Dialect, environmentId: string, table: FilterColumns, node: FilterExpression): Predicate {
  switch (node.kind) {
    case 'compare': {
      const spec = table.columns[node.attribute];
      if (!spec) throw new TypeError(`attribute ${node.attribute} is not filterable here`);
      return comparison(dialect, spec, node.operator, node.value);
    }
    case 'and':
    case 'or': {
      const [left, leftParams] = compile(dialect, environmentId, table, node.left);
      const [right, rightParams] = compile(dialect, environmentId, table, node.right);
      return [`(${left} ${node.kind.toUpperCase()} ${right})`, [...leftParams, ...rightParams]];
    }
    case 'not': {
      const [inner, params] = compile(dialect, environmentId, table, node.operand);
      return [`NOT (${inner})`, params];
    }
    case 'member': {
      const inner = node.filter;
      const member = inner.kind === 'compare' ? table.members?.[node.attribute]?.[inner.attribute] : undefined;
      if (!member || inner.kind !== 'compare') throw new TypeError(`${node.attribute}[…] is not filterable here`);
      return member(dialect, environmentId, inner.operator, inner.value);
    }
    case 'present':
      throw new TypeError(`pr on ${node.attribute} has no SQL form here`);
  }
}
