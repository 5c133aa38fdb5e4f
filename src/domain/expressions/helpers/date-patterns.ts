/**
 * The DateTimeFormatter patterns of `#datetime.format`, `parse` and `toDateTimeInTimezone`: a
 * pattern Java refuses makes the call return null (PingOne documents null for an invalid
 * pattern); a pattern longer than EXPRESSION_LIMITS.maxPatternLength, or with a letter Keyway does
 * not implement, is refused when written as a literal and is an evaluation error otherwise.
 */
import type { JsonValue } from '../ast.js';
import { EvaluationError } from '../errors.js';
import { EXPRESSION_LIMITS } from '../limits.js';
import { compilePattern, itemCount, type PatternItem } from '../time/pattern.js';
import type { HelperEnvironment } from './types.js';

const CACHE = new Map<string, ReturnType<typeof compilePattern>>();
const MAX_CACHED = 256;

function compiled(pattern: string): ReturnType<typeof compilePattern> {
  let result = CACHE.get(pattern);
  if (!result) {
    result = compilePattern(pattern);
    if (CACHE.size >= MAX_CACHED) CACHE.clear();
    CACHE.set(pattern, result);
  }
  return result;
}

/** Write-time check of a literal pattern: the problem in words, or undefined. */
export function checkDatePattern(pattern: string): string | undefined {
  if (pattern.length > EXPRESSION_LIMITS.maxPatternLength) return `a date-time pattern of at most ${EXPRESSION_LIMITS.maxPatternLength} characters`;
  const result = compiled(pattern);
  return !result.ok && result.unsupported ? `a supported date-time pattern (${result.reason})` : undefined;
}

/**
 * The items of a pattern argument, charged to the step budget; null for a null or invalid
 * pattern (the call then returns null).
 */
export function datePattern(pattern: JsonValue | undefined, fn: string, env: HelperEnvironment): PatternItem[] | null {
  if (pattern === null || pattern === undefined) return null;
  if (typeof pattern !== 'string') throw new EvaluationError(`#datetime.${fn} takes a pattern string`);
  if (pattern.length > EXPRESSION_LIMITS.maxPatternLength) throw new EvaluationError(`#datetime.${fn}: the pattern is too long`, true);
  const result = compiled(pattern);
  if (!result.ok) {
    if (result.unsupported) throw new EvaluationError(`#datetime.${fn}: ${result.reason}`);
    return null;
  }
  env.step(itemCount(result.items));
  return result.items;
}
