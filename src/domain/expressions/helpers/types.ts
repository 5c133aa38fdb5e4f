import type { JsonValue } from '../ast.js';

/** What a helper may know besides its arguments: the evaluation's clock and its step budget. */
export interface HelperEnvironment {
  now: Date;
  /** Charges work to the evaluation's step budget (EXPRESSION_LIMITS.maxSteps); throws past it. */
  step(count?: number): void;
}

export interface Helper {
  minArgs: number;
  maxArgs: number;
  /**
   * Indexes of arguments that are regular expressions, given the number of arguments: they must
   * be literals, checked at write time.
   */
  patternArguments?: (count: number) => readonly number[];
  call(args: readonly JsonValue[], env: HelperEnvironment): JsonValue;
}
