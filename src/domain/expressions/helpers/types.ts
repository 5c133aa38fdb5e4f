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
  /**
   * Arguments checked when they are written as string literals (a date-time pattern, a format
   * string), by index: the problem in words, or undefined. Other expressions are checked when run.
   */
  literalChecks?: Readonly<Record<number, (literal: string) => string | undefined>>;
  call(args: readonly JsonValue[], env: HelperEnvironment): JsonValue;
}
