/**
 * The SCIM filter grammar of RFC 7644 §3.4.2.2, parsed into a tree whose attribute paths are
 * still as written: `attrPath op value`, `attrPath pr`, `and` (binding tighter than `or`),
 * `not (…)`, parentheses, and the valuePath `attr[filter]`. Attribute names and operators are
 * case-insensitive (§3.4.2.2); literals are JSON's (string, number, true, false, null, RFC 8259).
 * What a collection accepts of this is decided by its spec (./spec.ts), not here.
 */
import type { CompareOperator, FilterExpression, FilterValue } from '../../domain/scim-filter.js';

/** Why a text is not a filter, in words a client can act on. */
export class FilterSyntaxError extends Error {}

const COMPARE_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
export const MAX_FILTER_LENGTH = 1024;
/** Nesting of parentheses, `not` and valuePaths: deep enough for any real filter, bounded for the stack. */
const MAX_DEPTH = 32;

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'value'; value: FilterValue; at: number }
  | { type: '(' | ')' | '[' | ']'; at: number };

// RFC 7644 §3.4.2.2: ATTRNAME = ALPHA *(nameChar), subAttr = "." ATTRNAME; an optional schema
// URI prefix is not accepted (PingOne's attributes have none).
const WORD = /[A-Za-z][A-Za-z0-9_$-]*(?:\.[A-Za-z][A-Za-z0-9_$-]*)*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t') {
      i += 1;
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ type: c, at: i });
      i += 1;
      continue;
    }
    const matched = matchAt(STRING, text, i) ?? matchAt(NUMBER, text, i) ?? matchAt(WORD, text, i);
    if (matched === undefined) throw new FilterSyntaxError(`unexpected character at position ${i + 1}`);
    tokens.push(toToken(matched, i));
    i += matched.length;
  }
  return tokens;
}

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

function toToken(text: string, at: number): Token {
  if (text.startsWith('"')) return { type: 'value', value: JSON.parse(text) as string, at };
  if (/^-?\d/.test(text)) return { type: 'value', value: Number(text), at };
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false') return { type: 'value', value: lower === 'true', at };
  if (lower === 'null') return { type: 'value', value: null, at };
  return { type: 'word', text, at };
}

class Parser {
  private next = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterExpression {
    const expression = this.or(0);
    const extra = this.tokens[this.next];
    if (extra) throw new FilterSyntaxError(`unexpected ${describe(extra)} at position ${extra.at + 1}`);
    return expression;
  }

  private or(depth: number): FilterExpression {
    let left = this.and(depth);
    while (this.keyword('or')) left = { kind: 'or', left, right: this.and(depth) };
    return left;
  }

  private and(depth: number): FilterExpression {
    let left = this.unary(depth);
    while (this.keyword('and')) left = { kind: 'and', left, right: this.unary(depth) };
    return left;
  }

  private unary(depth: number): FilterExpression {
    if (depth > MAX_DEPTH) throw new FilterSyntaxError(`nesting deeper than ${MAX_DEPTH}`);
    if (this.keyword('not')) {
      this.expect('(');
      const operand = this.or(depth + 1);
      this.expect(')');
      return { kind: 'not', operand };
    }
    if (this.peek()?.type === '(') {
      this.next += 1;
      const inner = this.or(depth + 1);
      this.expect(')');
      return inner;
    }
    return this.attributeExpression(depth);
  }

  private attributeExpression(depth: number): FilterExpression {
    const attribute = this.word('an attribute name');
    if (this.peek()?.type === '[') {
      this.next += 1;
      const filter = this.or(depth + 1);
      this.expect(']');
      return { kind: 'member', attribute, filter };
    }
    const operator = this.word('an operator').toLowerCase();
    if (operator === 'pr') return { kind: 'present', attribute };
    if (!(COMPARE_OPERATORS as readonly string[]).includes(operator)) throw new FilterSyntaxError(`"${operator}" is not a SCIM operator`);
    const value = this.tokens[this.next];
    if (value?.type !== 'value') throw new FilterSyntaxError(`${operator} needs a value (a "quoted string", number, true, false or null)`);
    this.next += 1;
    return { kind: 'compare', attribute, operator: operator as CompareOperator, value: value.value };
  }

  private peek(): Token | undefined {
    return this.tokens[this.next];
  }

  private keyword(name: string): boolean {
    const token = this.peek();
    if (token?.type !== 'word' || token.text.toLowerCase() !== name) return false;
    this.next += 1;
    return true;
  }

  private word(what: string): string {
    const token = this.peek();
    if (token?.type !== 'word') throw new FilterSyntaxError(`expected ${what}${token ? ` at position ${token.at + 1}` : ' at the end'}`);
    this.next += 1;
    return token.text;
  }

  private expect(type: '(' | ')' | ']'): void {
    const token = this.peek();
    if (token?.type !== type) throw new FilterSyntaxError(`expected "${type}"${token ? ` at position ${token.at + 1}` : ' at the end'}`);
    this.next += 1;
  }
}

function describe(token: Token): string {
  if (token.type === 'word') return `"${token.text}"`;
  if (token.type === 'value') return 'value';
  return `"${token.type}"`;
}

/** The tree of a filter text, or a FilterSyntaxError saying what is wrong with it. */
export function parseScimFilter(text: string): FilterExpression {
  if (text.length > MAX_FILTER_LENGTH) throw new FilterSyntaxError(`longer than ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new FilterSyntaxError('empty');
  return new Parser(tokens).parse();
}
