/**
 * `#data` (PingOne's "Custom library functions", Data library): operations on lists, comparing
 * elements by value. The documented examples' Java arrays (`new int[] {…}`) are lists here (the
 * parser reads an array initializer as a list literal); a null list is empty, as the
 * documented results for null (`indexOf` -1, `isNotEmpty` false) imply. Every comparison costs a
 * step, so a quadratic operation stays within EXPRESSION_LIMITS.maxSteps.
 */
import type { JsonValue } from '../ast.js';
import { EvaluationError } from '../errors.js';
import { sameValue } from './values.js';
import type { Helper, HelperEnvironment } from './types.js';

function list(value: JsonValue | undefined, fn: string): readonly JsonValue[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new EvaluationError(`#data.${fn} takes lists`);
  return value;
}

function contains(items: readonly JsonValue[], value: JsonValue, env: HelperEnvironment): boolean {
  return items.some((item) => sameValue(item, value, env));
}

export const DATA_HELPERS: Record<string, Helper> = {
  indexOf: {
    minArgs: 2,
    maxArgs: 2,
    call: ([src, value], env) => list(src, 'indexOf').findIndex((item) => sameValue(item, value as JsonValue, env)),
  },
  isNotEmpty: { minArgs: 1, maxArgs: 1, call: ([src]) => list(src, 'isNotEmpty').length > 0 },
  containsAll: {
    minArgs: 2,
    maxArgs: 2,
    call: ([src, search], env) => {
      const items = list(src, 'containsAll');
      return list(search, 'containsAll').every((value) => contains(items, value, env));
    },
  },
  containsAny: {
    minArgs: 2,
    maxArgs: 2,
    call: ([src, search], env) => {
      const items = list(src, 'containsAny');
      return list(search, 'containsAny').some((value) => contains(items, value, env));
    },
  },
  removeAll: {
    minArgs: 2,
    maxArgs: 2,
    call: ([src, remove], env) => {
      const removed = list(remove, 'removeAll');
      return list(src, 'removeAll').filter((item) => !contains(removed, item, env));
    },
  },
  retainAll: {
    minArgs: 2,
    maxArgs: 2,
    call: ([src, retain], env) => {
      const retained = list(retain, 'retainAll');
      return list(src, 'retainAll').filter((item) => contains(retained, item, env));
    },
  },
  /** The second list appended to the first, duplicates kept (the documented `[2,4,6,8,10,1,10,11]`). */
  union: { minArgs: 2, maxArgs: 2, call: ([a, b]) => [...list(a, 'union'), ...list(b, 'union')] },
  size: { minArgs: 1, maxArgs: 1, call: ([src]) => list(src, 'size').length },
  equals: {
    minArgs: 2,
    maxArgs: 2,
    call: ([a, b], env) => {
      const left = list(a, 'equals');
      const right = list(b, 'equals');
      return left.length === right.length && left.every((item, i) => sameValue(item, right[i] as JsonValue, env));
    },
  },
};
