/**
 * Tokens of the PingOne expression language (a subset of SpEL, PingOne's "Expressions and
 * concatenation" page): single- or double-quoted strings with the quote doubled inside, numbers
 * (Java forms, an `L`, `D` or `F` suffix read and dropped), names, `#` variables and operators.
 * Positions are 0-based offsets into the mapping value; errors report them 1-based.
 */
import { ExpressionSyntaxError } from './errors.js';
import { EXPRESSION_LIMITS } from './limits.js';

export type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'str'; value: string; at: number }
  | { kind: 'ident'; value: string; at: number }
  | { kind: 'var'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; value: ''; at: number };

/** Longest first, so `?.` wins over `?` and `<=` over `<`. */
const OPERATORS = ['.?[', '.^[', '.$[', '.![', '?.', '?:', '==', '!=', '<=', '>=', '&&', '||', '(', ')', '[', ']', '{', '}', ',', ':', '.', '?', '+', '-', '*', '/', '%', '<', '>', '!'];

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const NUMBER = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[lLdDfF]?/;

export interface Tokens {
  tokens: Token[];
  /** Offset just after the last character read (after the closing `}` when embedded). */
  end: number;
}

/**
 * Reads tokens from `start`. Embedded (inside `${…}`), it stops at the `}` that closes the
 * placeholder; otherwise at the end of the text.
 */
export function tokenize(source: string, start: number, embedded: boolean): Tokens {
  const tokens: Token[] = [];
  let depth = 0;
  let i = start;
  const push = (token: Token) => {
    tokens.push(token);
    if (tokens.length > EXPRESSION_LIMITS.maxTokens) throw new ExpressionSyntaxError(token.at + 1, `at most ${EXPRESSION_LIMITS.maxTokens} tokens`, 'more');
  };
  while (i < source.length) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const { value, next } = readString(source, i, c);
      push({ kind: 'str', value, at: i });
      i = next;
      continue;
    }
    if (c >= '0' && c <= '9') {
      const text = NUMBER.exec(source.slice(i, i + EXPRESSION_LIMITS.maxNumberLiteralLength + 2))?.[0] as string;
      if (text.length > EXPRESSION_LIMITS.maxNumberLiteralLength) throw new ExpressionSyntaxError(i + 1, `a number of at most ${EXPRESSION_LIMITS.maxNumberLiteralLength} characters`, 'a longer one');
      const value = Number(text.replace(/[lLdDfF]$/, ''));
      if (!Number.isFinite(value)) throw new ExpressionSyntaxError(i + 1, 'a finite number', text);
      push({ kind: 'num', value, at: i });
      i += text.length;
      continue;
    }
    if (IDENT_START.test(c)) {
      const from = i;
      while (i < source.length && IDENT_PART.test(source[i] as string)) i++;
      push({ kind: 'ident', value: source.slice(from, i), at: from });
      continue;
    }
    if (c === '#') {
      const from = i++;
      while (i < source.length && IDENT_PART.test(source[i] as string)) i++;
      if (i === from + 1) throw new ExpressionSyntaxError(from + 1, 'a variable name after #', describe(source, i));
      push({ kind: 'var', value: source.slice(from + 1, i), at: from });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new ExpressionSyntaxError(i + 1, 'an operator, a name or a literal', describe(source, i));
    if (op === '{') depth++;
    if (op === '}') {
      if (depth === 0 && embedded) {
        tokens.push({ kind: 'end', value: '', at: i });
        return { tokens, end: i + 1 };
      }
      depth--;
    }
    push({ kind: 'op', value: op, at: i });
    i += op.length;
  }
  if (embedded) throw new ExpressionSyntaxError(source.length + 1, "'}' closing '${'", 'the end of the value');
  tokens.push({ kind: 'end', value: '', at: i });
  return { tokens, end: i };
}

/** A quoted string; the quote character doubled stands for itself. */
function readString(source: string, at: number, quote: string): { value: string; next: number } {
  let value = '';
  let i = at + 1;
  for (;;) {
    const next = source.indexOf(quote, i);
    if (next === -1) throw new ExpressionSyntaxError(source.length + 1, `${quote} closing the string opened at character ${at + 1}`, 'the end of the value');
    value += source.slice(i, next);
    if (source[next + 1] === quote) {
      value += quote;
      i = next + 2;
      continue;
    }
    return { value, next: next + 1 };
  }
}

export function describe(source: string, at: number): string {
  if (at >= source.length) return 'the end of the value';
  return JSON.stringify(source.slice(at, at + 12));
}
