/** Value equality of JSON values (`==`, `!=` and the helper libraries), each node and member compared costing a step. */
import type { JsonValue } from '../ast.js';
import type { HelperEnvironment } from './types.js';

export function sameValue(left: JsonValue, right: JsonValue, env: HelperEnvironment): boolean {
  env.step();
  if (left === right) return true;
  if (left === null || right === null || typeof left !== 'object' || typeof right !== 'object') return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  if (leftKeys.length !== rightKeys.length) return false;
  env.step(leftKeys.length);
  const l = left as Record<string, JsonValue>;
  const r = right as Record<string, JsonValue>;
  return leftKeys.every((k) => Object.hasOwn(r, k) && sameValue(l[k] as JsonValue, r[k] as JsonValue, env));
}
