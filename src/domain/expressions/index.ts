/**
 * The PingOne expression language: compile a mapping value once (syntax, roots and helpers are
 * checked, so a bad one is refused when written), then evaluate it per token. An evaluation that
 * fails or yields null gives no value.
 */
import type { JsonValue, TemplatePart } from './ast.js';
import { EvaluationError } from './errors.js';
import { evaluateTemplate, type EvaluationInput } from './interpreter.js';
import { parseTemplate } from './parser.js';

export type { JsonValue } from './ast.js';
export { ExpressionSyntaxError, EvaluationError } from './errors.js';
export { EXPRESSION_LIMITS } from './limits.js';
export { HELPER_LIBRARIES, HELPERS } from './helpers/index.js';
export { EXPRESSION_ROOTS } from './parser.js';
export type { EvaluationInput } from './interpreter.js';

export interface CompiledMapping {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

/** @throws ExpressionSyntaxError with the position and what was expected. */
export function compileMapping(source: string): CompiledMapping {
  return { source, parts: parseTemplate(source) };
}

export type MappingOutcome = { ok: true; value: JsonValue | undefined } | { ok: false; error: EvaluationError };

/** The value of a mapping: undefined for null (no claim), or the evaluation's error. */
export function evaluateMapping(mapping: CompiledMapping, input: EvaluationInput): MappingOutcome {
  try {
    const value = evaluateTemplate(mapping.parts, input);
    return { ok: true, value: value === null ? undefined : value };
  } catch (err) {
    if (err instanceof EvaluationError) return { ok: false, error: err };
    if (err instanceof RangeError) return { ok: false, error: new EvaluationError('the evaluation ran out of stack', true) };
    throw err;
  }
}
