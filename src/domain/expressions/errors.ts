/**
 * The two ways an expression fails: at write time (a syntax error, an unknown helper or root,
 * with the 1-based character where it was found and what was expected there) and at run time
 * (an evaluation that went wrong or over a bound, which yields no value).
 */
export class ExpressionSyntaxError extends Error {
  /** 1-based character of the mapping value where the problem is. */
  readonly position: number;
  /** What the parser expected there, in words. */
  readonly expected: string;
  constructor(position: number, expected: string, found: string) {
    super(`At character ${position}: expected ${expected}, found ${found}.`);
    this.position = position;
    this.expected = expected;
  }
}

export class EvaluationError extends Error {
  /** True when a bound of EXPRESSION_LIMITS stopped the evaluation. */
  readonly limit: boolean;
  constructor(message: string, limit = false) {
    super(message);
    this.limit = limit;
  }
}
