import { evaluateExpression } from '../../../../src/domain/expressions/interpreter.js';
import { parseExpression } from '../../../../src/domain/expressions/parser.js';
import type { JsonValue } from '../../../../src/domain/expressions/ast.js';

export const NOW = new Date('2024-05-06T07:08:09.010Z');

/** Parses and evaluates one expression over `root`. */
export function run(expression: string, root: JsonValue = {}): JsonValue {
  return evaluateExpression(parseExpression(expression), { root, now: NOW });
}
