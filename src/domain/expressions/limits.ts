/**
 * Bounds of the expression language. An expression is written by an administrator and evaluated
 * for every token, so each one is bounded when it is written (size, nesting) and when it runs
 * (steps, sizes of the values it builds): a hostile expression fails at write time or stops within
 * these bounds (README, "Claims and the PingOne expression language").
 */
export const EXPRESSION_LIMITS = {
  /** Characters of a mapping value, template text included. */
  maxSourceLength: 4096,
  /** Tokens of one value. */
  maxTokens: 1024,
  /** Nesting of the syntax tree (parentheses, operators, literals, selections). */
  maxDepth: 32,
  /** Digits and marks of one number literal. */
  maxNumberLiteralLength: 32,
  /** Items of one list or map literal. */
  maxLiteralItems: 256,
  /** Interpreter steps (one per node visited, one per collection element) per evaluation. */
  maxSteps: 20_000,
  /** Characters of any string an evaluation builds. */
  maxStringLength: 16_384,
  /** Elements of any list or map an evaluation builds or walks. */
  maxCollectionSize: 10_000,
  /** Characters of a regular expression pattern or a date-time pattern. */
  maxPatternLength: 256,
  /** Characters of the text `#datetime.parse` reads (longer text is not a date: null). */
  maxParseInputLength: 1024,
  /** Characters of the text a regular expression is run over. */
  maxRegexInputLength: 1024,
} as const;
