/**
 * A recursive-descent parser for the PingOne expression language (PingOne's "PingOne expression
 * language" pages; SpEL's grammar for precedence). Lowest to highest: ternary and elvis, `or`,
 * `and`, equality and relations, `+ -`, `* / %`, unary `! -`, then postfix property access
 * (`.`, `?.`), indexing (`[…]`), selection (`.?[…]`, `.^[…]`, `.$[…]`), projection (`.![…]`) on a
 * primary. Written once, it is checked once: names at the top must be data-model roots, `#`
 * variables `#root`, `#this` or a helper library, helpers must exist with their arity, and
 * regular-expression arguments must be literals that pass the regex rules, and date-time
 * patterns and format strings written as literals must be ones Keyway implements.
 */
import type { BinaryOperator, Node, TemplatePart } from './ast.js';
import { ExpressionSyntaxError } from './errors.js';
import { HELPERS, HELPER_LIBRARIES } from './helpers/index.js';
import { checkPattern } from './helpers/regex.js';
import { describe, tokenize, type Token } from './lexer.js';
import { EXPRESSION_LIMITS } from './limits.js';

/** The data model's top-level names (PingOne: `user`, and `context` for `#root.context.…`). */
export const EXPRESSION_ROOTS = ['user', 'context'] as const;

const KEYWORD_OPERATORS: Record<string, BinaryOperator> = {
  eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', div: '/', mod: '%',
};
/**
 * The element types of `new T[] {…}` (see `arrayInitializer`): Java's primitive types, the only
 * arrays PingOne's expression language declares ("Disabled SpEL features": lists serve for the rest).
 */
const ARRAY_ELEMENT_TYPES: ReadonlySet<string> = new Set(['int', 'long', 'short', 'byte', 'double', 'float', 'boolean', 'char']);

/** Whether an access to `node` belongs to a chain that starts at a map or list literal: the literal itself, or an access already marked so. */
function startsAtLiteral(node: Node): boolean {
  if (node.type === 'property' || node.type === 'index') return node.ofLiteral;
  return node.type === 'map' || node.type === 'list';
}

const RESERVED_NAMES = new Set(['true', 'false', 'null', 'and', 'or', 'not', 'new', 'T', ...Object.keys(KEYWORD_OPERATORS)]);

/**
 * Parses a mapping value: text with `${expression}` placeholders (PingOne writes mappings as
 * `${user.name.given}`). Text outside placeholders is kept as it is.
 */
export function parseTemplate(source: string): TemplatePart[] {
  if (source.length > EXPRESSION_LIMITS.maxSourceLength) {
    throw new ExpressionSyntaxError(EXPRESSION_LIMITS.maxSourceLength + 1, `a value of at most ${EXPRESSION_LIMITS.maxSourceLength} characters`, 'a longer one');
  }
  const parts: TemplatePart[] = [];
  let i = 0;
  let tokenBudget = EXPRESSION_LIMITS.maxTokens;
  while (i < source.length) {
    const open = source.indexOf('${', i);
    if (open === -1) {
      parts.push({ text: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: source.slice(i, open) });
    const { tokens, end } = tokenize(source, open + 2, true);
    tokenBudget -= tokens.length;
    if (tokenBudget < 0) throw new ExpressionSyntaxError(open + 1, `at most ${EXPRESSION_LIMITS.maxTokens} tokens in the value`, 'more');
    parts.push({ expression: new Parser(source, tokens).parseWhole() });
    i = end;
  }
  return parts;
}

/** Parses one expression written without `${…}` (the expression language's own test form). */
export function parseExpression(source: string): Node {
  if (source.length > EXPRESSION_LIMITS.maxSourceLength) {
    throw new ExpressionSyntaxError(EXPRESSION_LIMITS.maxSourceLength + 1, `an expression of at most ${EXPRESSION_LIMITS.maxSourceLength} characters`, 'a longer one');
  }
  return new Parser(source, tokenize(source, 0, false).tokens).parseWhole();
}

class Parser {
  private pos = 0;
  private depth = 0;
  /** Inside a selection or projection body, bare names are the element's properties. */
  private inCollection = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parseWhole(): Node {
    const node = this.expression();
    const next = this.peek();
    if (next.kind !== 'end') this.fail(next, 'an operator or the end of the expression');
    return node;
  }

  /**
   * Takes a binary operator, which PingOne's expression language requires to stand between
   * spaces ("Operators": every operator but `!` needs a leading and a trailing space; "Expressions
   * and concatenation": `'Hi'+ user.name.given` is an error). Refused when written, as there.
   */
  private binaryOperator(): Token {
    const t = this.next();
    if (this.peek().kind === 'end') return t; // the missing operand is the error to report
    const before = this.source[t.at - 1];
    const after = this.source[t.at + String(t.value).length];
    if (before === undefined || after === undefined || !/\s/.test(before) || !/\s/.test(after)) {
      this.fail(t, `a space before and after ${t.value} (PingOne's binary operators stand between spaces)`);
    }
    return t;
  }

  // Precedence levels.

  private expression(): Node {
    this.enter();
    const test = this.or();
    let node = test;
    if (this.isOp('?:')) {
      const at = this.next().at;
      node = { type: 'elvis', left: test, right: this.expression(), at };
    } else if (this.isOp('?')) {
      const at = this.next().at;
      const then = this.expression();
      this.expectOp(':');
      node = { type: 'ternary', test, then, otherwise: this.expression(), at };
    }
    this.depth--;
    return node;
  }

  private or(): Node {
    let node = this.and();
    while (this.isOp('||') || this.isIdent('or')) {
      const at = this.binaryOperator().at;
      node = { type: 'binary', op: 'or', left: node, right: this.and(), at };
    }
    return node;
  }

  private and(): Node {
    let node = this.relation();
    while (this.isOp('&&') || this.isIdent('and')) {
      const at = this.binaryOperator().at;
      node = { type: 'binary', op: 'and', left: node, right: this.relation(), at };
    }
    return node;
  }

  private relation(): Node {
    const left = this.additive();
    const op = this.relationOperator();
    if (!op) return left;
    const at = this.binaryOperator().at;
    return { type: 'binary', op, left, right: this.additive(), at };
  }

  private relationOperator(): BinaryOperator | undefined {
    const t = this.peek();
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.value)) return t.value as BinaryOperator;
    if (t.kind === 'ident' && ['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(t.value)) return KEYWORD_OPERATORS[t.value];
    return undefined;
  }

  private additive(): Node {
    let node = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.binaryOperator();
      node = { type: 'binary', op: t.value as BinaryOperator, left: node, right: this.multiplicative(), at: t.at };
    }
    return node;
  }

  private multiplicative(): Node {
    let node = this.unary();
    for (;;) {
      const t = this.peek();
      let op: BinaryOperator | undefined;
      if (t.kind === 'op' && (t.value === '*' || t.value === '/' || t.value === '%')) op = t.value;
      if (t.kind === 'ident' && (t.value === 'div' || t.value === 'mod')) op = KEYWORD_OPERATORS[t.value];
      if (!op) return node;
      this.binaryOperator();
      node = { type: 'binary', op, left: node, right: this.unary(), at: t.at };
    }
  }

  private unary(): Node {
    const t = this.peek();
    if ((t.kind === 'op' && (t.value === '!' || t.value === '-')) || (t.kind === 'ident' && t.value === 'not')) {
      this.next();
      this.enter();
      const operand = this.unary();
      this.depth--;
      return t.value === '-' ? { type: 'negate', operand, at: t.at } : { type: 'not', operand, at: t.at };
    }
    return this.postfix(this.primary());
  }

  // Postfix: property access, indexing, selection, projection.

  private postfix(start: Node): Node {
    let node = start;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') return node;
      if (t.value === '.' || t.value === '?.') {
        this.next();
        const name = this.next();
        if (name.kind !== 'ident') this.fail(name, 'a property name');
        if (this.isOp('(')) this.fail(this.peek(), "a property (methods are called only on helper libraries such as #string)");
        node = { type: 'property', target: node, name: name.value, safe: t.value === '?.', ofLiteral: startsAtLiteral(node), at: name.at };
        this.checkRootProperty(node);
      } else if (t.value === '[') {
        this.next();
        const index = this.expression();
        this.expectOp(']');
        node = { type: 'index', target: node, index, ofLiteral: startsAtLiteral(node), at: t.at };
        this.checkRootProperty(node);
      } else if (t.value === '.?[' || t.value === '.^[' || t.value === '.$[' || t.value === '.![') {
        this.next();
        this.inCollection++;
        const body = this.expression();
        this.inCollection--;
        this.expectOp(']');
        if (t.value === '.![') node = { type: 'project', target: node, body, at: t.at };
        else node = { type: 'select', target: node, mode: t.value === '.?[' ? 'all' : t.value === '.^[' ? 'first' : 'last', predicate: body, at: t.at };
      } else {
        return node;
      }
    }
  }

  // Primaries.

  private primary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'num':
        return { type: 'literal', value: t.value, at: t.at };
      case 'str':
        return { type: 'literal', value: t.value, at: t.at };
      case 'var':
        return this.variable(t);
      case 'ident':
        return this.name(t);
      case 'op':
        if (t.value === '(') {
          const node = this.expression();
          this.expectOp(')');
          return node;
        }
        if (t.value === '{') return this.braces(t.at);
        return this.fail(t, 'a value');
      default:
        return this.fail(t, 'a value');
    }
  }

  private name(t: Token & { kind: 'ident' }): Node {
    if (t.value === 'true' || t.value === 'false') return { type: 'literal', value: t.value === 'true', at: t.at };
    if (t.value === 'null') return { type: 'literal', value: null, at: t.at };
    if (t.value === 'new') return this.arrayInitializer(t.at);
    if (RESERVED_NAMES.has(t.value)) return this.fail(t, 'a value');
    if (this.isOp('(')) return this.fail(this.peek(), 'an operator (functions are called as #library.function(...))');
    if (this.inCollection === 0) this.requireRoot(t.value, t.at);
    return { type: 'name', name: t.value, at: t.at };
  }

  /** `#root`, `#this`, or a helper call `#library.function(args)`. */
  private variable(t: Token & { kind: 'var' }): Node {
    if (t.value === 'root') return { type: 'root', at: t.at };
    if (t.value === 'this') return { type: 'this', at: t.at };
    if (!HELPER_LIBRARIES.includes(t.value)) {
      return this.fail(t, `#root, #this or a helper library (${HELPER_LIBRARIES.map((l) => `#${l}`).join(', ')})`);
    }
    this.expectOp('.');
    const fn = this.next();
    if (fn.kind !== 'ident') return this.fail(fn, `a function of #${t.value}`);
    const key = `${t.value}.${fn.value}`;
    const helper = Object.hasOwn(HELPERS, key) ? HELPERS[key] : undefined;
    if (!helper) {
      const known = Object.keys(HELPERS).filter((k) => k.startsWith(`${t.value}.`)).map((k) => k.slice(t.value.length + 1));
      return this.fail(fn, `a function of #${t.value} (${known.join(', ')})`);
    }
    this.expectOp('(');
    const args: Node[] = [];
    if (!this.isOp(')')) {
      do args.push(this.expression());
      while (this.isOp(',') && this.next());
    }
    const close = this.peek();
    this.expectOp(')');
    if (args.length < helper.minArgs || args.length > helper.maxArgs) {
      const arity = helper.minArgs === helper.maxArgs ? `${helper.minArgs}` : `${helper.minArgs} to ${helper.maxArgs}`;
      this.fail(close, `${arity} argument(s) for #${t.value}.${fn.value}`, `${args.length}`);
    }
    for (const i of helper.patternArguments?.(args.length) ?? []) this.checkPatternArgument(args[i], t.value, fn.value);
    for (const [i, check] of Object.entries(helper.literalChecks ?? {})) this.checkLiteralArgument(args[Number(i)], check);
    return { type: 'call', library: t.value, fn: fn.value, args, at: t.at };
  }

  private checkPatternArgument(arg: Node | undefined, library: string, fn: string): void {
    if (!arg || arg.type !== 'literal' || typeof arg.value !== 'string') {
      throw new ExpressionSyntaxError((arg?.at ?? 0) + 1, `a string literal as the pattern of #${library}.${fn}`, 'an expression');
    }
    const problem = checkPattern(arg.value);
    if (problem) throw new ExpressionSyntaxError(arg.at + 1, problem, JSON.stringify(arg.value.slice(0, 40)));
  }

  private checkLiteralArgument(arg: Node | undefined, check: (literal: string) => string | undefined): void {
    if (arg?.type !== 'literal' || typeof arg.value !== 'string') return;
    const problem = check(arg.value);
    if (problem) throw new ExpressionSyntaxError(arg.at + 1, problem, JSON.stringify(arg.value.slice(0, 40)));
  }

  /**
   * `new int[] {1, 2, 3}`: a Java array initializer of a primitive type, as PingOne's Data
   * library examples write collections; its value is a list. Only the initializer form: `new
   * int[4]`, arrays of other types, any other `new` and `T(…)` stay refused.
   */
  private arrayInitializer(at: number): Node {
    const type = this.next();
    if (type.kind !== 'ident' || !ARRAY_ELEMENT_TYPES.has(type.value)) this.fail(type, `a primitive array type (${[...ARRAY_ELEMENT_TYPES].join(', ')}): new is used only as new int[] {…}; a list {…} holds anything`);
    this.expectOp('[');
    this.expectOp(']');
    const open = this.peek();
    if (!this.isOp('{')) this.fail(open, 'an array initializer {…}');
    this.next();
    const list = this.braces(open.at);
    if (list.type !== 'list') this.fail(open, 'array items, not map entries', 'a map');
    return { ...list, at };
  }

  /** `{}` empty list, `{:}` empty map, `{a, b}` a list, `{k: v, …}` a map. */
  private braces(at: number): Node {
    this.enter();
    if (this.isOp('}')) {
      this.next();
      this.depth--;
      return { type: 'list', items: [], at };
    }
    if (this.isOp(':')) {
      this.next();
      this.expectOp('}');
      this.depth--;
      return { type: 'map', entries: [], at };
    }
    const first = this.mapKeyOrItem();
    let node: Node;
    if (this.isOp(':')) {
      const entries: Array<{ key: Node; value: Node }> = [];
      this.next();
      entries.push({ key: first, value: this.expression() });
      while (this.isOp(',')) {
        this.next();
        const key = this.mapKeyOrItem();
        this.expectOp(':');
        entries.push({ key, value: this.expression() });
        this.checkItems(entries.length);
      }
      node = { type: 'map', entries, at };
    } else {
      const items = [first];
      while (this.isOp(',')) {
        this.next();
        items.push(this.expression());
        this.checkItems(items.length);
      }
      node = { type: 'list', items, at };
    }
    this.expectOp('}');
    this.depth--;
    return node;
  }

  /**
   * A map key may be an unquoted name (a literal key, PingOne's "Maps and objects"); anything
   * else is an expression. A lone name followed by `:` is a key; otherwise it was a list item.
   */
  private mapKeyOrItem(): Node {
    const t = this.peek();
    const after = this.tokens[this.pos + 1];
    if (t.kind === 'ident' && !RESERVED_NAMES.has(t.value) && after?.kind === 'op' && after.value === ':') {
      this.next();
      return { type: 'literal', value: t.value, at: t.at };
    }
    return this.expression();
  }

  private checkItems(count: number): void {
    if (count > EXPRESSION_LIMITS.maxLiteralItems) this.fail(this.peek(), `at most ${EXPRESSION_LIMITS.maxLiteralItems} items in a literal`, 'more');
  }

  // Root checks.

  private requireRoot(name: string, at: number): void {
    if (!(EXPRESSION_ROOTS as readonly string[]).includes(name)) {
      throw new ExpressionSyntaxError(at + 1, `an attribute root (${EXPRESSION_ROOTS.join(', ')})`, JSON.stringify(name));
    }
  }

  /** `#root.x`, `#root['x']`, and `#this.x` outside a collection, name a root too. */
  private checkRootProperty(node: Node): void {
    if (node.type !== 'property' && node.type !== 'index') return;
    const target = node.target;
    const atTop = target.type === 'root' || (target.type === 'this' && this.inCollection === 0);
    if (!atTop) return;
    if (node.type === 'property') this.requireRoot(node.name, node.at);
    else if (node.index.type === 'literal' && typeof node.index.value === 'string') this.requireRoot(node.index.value, node.index.at);
    else throw new ExpressionSyntaxError(node.index.at + 1, 'a quoted attribute root', 'an expression');
  }

  // Token helpers.

  private enter(): void {
    this.depth++;
    if (this.depth > EXPRESSION_LIMITS.maxDepth) {
      const t = this.peek();
      throw new ExpressionSyntaxError(t.at + 1, `at most ${EXPRESSION_LIMITS.maxDepth} levels of nesting`, 'more');
    }
  }

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }

  private isIdent(value: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.value === value;
  }

  private expectOp(value: string): void {
    const t = this.peek();
    if (t.kind !== 'op' || t.value !== value) this.fail(t, `'${value}'`);
    this.next();
  }

  private fail(t: Token, expected: string, found?: string): never {
    throw new ExpressionSyntaxError(t.at + 1, expected, found ?? (t.kind === 'end' ? 'the end of the expression' : describe(this.source, t.at)));
  }
}
