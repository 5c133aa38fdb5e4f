/**
 * The syntax tree of a parsed expression. `at` is the node's 0-based offset in the mapping value.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type Node =
  | { type: 'literal'; value: null | boolean | number | string; at: number }
  | { type: 'list'; items: Node[]; at: number }
  | { type: 'map'; entries: Array<{ key: Node; value: Node }>; at: number }
  | { type: 'root'; at: number }
  | { type: 'this'; at: number }
  /** A bare name: a property of the current object (`#this`), which is the root at the top. */
  | { type: 'name'; name: string; at: number }
  /**
   * `safe`: written `?.`. `ofLiteral`: the chain starts at a map or list literal, where a missing
   * property is an error rather than null (PingOne's "Disabled SpEL features").
   */
  | { type: 'property'; target: Node; name: string; safe: boolean; ofLiteral: boolean; at: number }
  /** `ofLiteral` as for `property`: indexing null is null on the data, an error on a literal. */
  | { type: 'index'; target: Node; index: Node; ofLiteral: boolean; at: number }
  /** `.?[…]` all matches, `.^[…]` the first, `.$[…]` the last (SpEL collection selection). */
  | { type: 'select'; target: Node; mode: 'all' | 'first' | 'last'; predicate: Node; at: number }
  /** `.![…]` (SpEL collection projection). */
  | { type: 'project'; target: Node; body: Node; at: number }
  | { type: 'call'; library: string; fn: string; args: Node[]; at: number }
  | { type: 'not'; operand: Node; at: number }
  | { type: 'negate'; operand: Node; at: number }
  | { type: 'binary'; op: BinaryOperator; left: Node; right: Node; at: number }
  | { type: 'ternary'; test: Node; then: Node; otherwise: Node; at: number }
  | { type: 'elvis'; left: Node; right: Node; at: number };

/** A mapping value: literal text and `${…}` placeholders, in order. */
export type TemplatePart = { text: string } | { expression: Node };
