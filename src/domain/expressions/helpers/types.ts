import type { JsonValue } from '../ast.js';

/** What a helper may know besides its arguments: the evaluation's clock. */
export interface HelperEnvironment {
  now: Date;
}

export interface Helper {
  minArgs: number;
  maxArgs: number;
  /** Index of an argument that is a regular expression: it must be a literal, checked at write time. */
  patternArgument?: number;
  call(args: readonly JsonValue[], env: HelperEnvironment): JsonValue;
}
