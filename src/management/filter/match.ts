/**
 * A checked filter (./spec.ts) matched against one record in memory. Only for collections whose
 * whole content is one or two rows Keyway derives rather than stores as a table (the
 * organization and its license); every stored collection is filtered in SQL by the store.
 * String comparisons ignore case, as SCIM's default for attributes that are not caseExact
 * (RFC 7643 §2.2), which is also how PingOne matches `status eq "active"` to `ACTIVE`.
 */
import type { FilterExpression } from '../../domain/scim-filter.js';

/** The record's filterable attributes by canonical name; a missing one matches nothing. */
export type FilterableRecord = Readonly<Record<string, string | boolean | undefined>>;

function compareText(operator: string, actual: string, expected: string): boolean {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  switch (operator) {
    case 'eq':
      return a === e;
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    default:
      return false;
  }
}

function compareInstant(operator: string, actual: string, expected: string): boolean {
  const a = Date.parse(actual);
  const e = Date.parse(expected);
  if (Number.isNaN(a) || Number.isNaN(e)) return false;
  switch (operator) {
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    default:
      return a === e;
  }
}

const ORDERING = new Set(['lt', 'le', 'gt', 'ge']);

export function matchesFilter(filter: FilterExpression | undefined, record: FilterableRecord): boolean {
  if (filter === undefined) return true;
  switch (filter.kind) {
    case 'and':
      return matchesFilter(filter.left, record) && matchesFilter(filter.right, record);
    case 'or':
      return matchesFilter(filter.left, record) || matchesFilter(filter.right, record);
    case 'compare': {
      const actual = record[filter.attribute];
      if (actual === undefined) return false;
      if (typeof actual === 'boolean' || typeof filter.value !== 'string') return actual === filter.value;
      return ORDERING.has(filter.operator) ? compareInstant(filter.operator, actual, filter.value) : compareText(filter.operator, actual, filter.value);
    }
    case 'present':
      return record[filter.attribute] !== undefined;
    case 'not':
    case 'member':
      return false;
  }
}
