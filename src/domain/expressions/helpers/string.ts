/**
 * `#string` (PingOne's "Custom library functions", String library). Each returns null for a null
 * input, as documented; a non-string input is an evaluation error.
 */
import { EvaluationError } from '../errors.js';
import type { JsonValue } from '../ast.js';
import { EXPRESSION_LIMITS } from '../limits.js';
import { STRING_FORMAT } from './string-format.js';
import type { Helper } from './types.js';

function text(value: JsonValue | undefined, fn: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new EvaluationError(`#string.${fn} takes a string`);
  return value;
}

function integer(value: JsonValue | undefined, fn: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new EvaluationError(`#string.${fn} takes integer positions`);
  return value;
}

function mapped(fn: string, f: (s: string) => string): Helper {
  return { minArgs: 1, maxArgs: 1, call: ([s]) => { const input = text(s, fn); return input === null ? null : f(input); } };
}

/** A position counted from the end when negative, clamped to the string (Apache StringUtils). */
function position(index: number, length: number): number {
  const at = index < 0 ? length + index : index;
  return Math.min(Math.max(at, 0), length);
}

export const STRING_HELPERS: Record<string, Helper> = {
  isNotEmpty: { minArgs: 1, maxArgs: 1, call: ([s]) => { const input = text(s, 'isNotEmpty'); return input !== null && input.length > 0; } },
  isNotBlank: { minArgs: 1, maxArgs: 1, call: ([s]) => { const input = text(s, 'isNotBlank'); return input !== null && input.trim().length > 0; } },
  upperCase: mapped('upperCase', (s) => s.toUpperCase()),
  lowerCase: mapped('lowerCase', (s) => s.toLowerCase()),
  trim: mapped('trim', (s) => s.trim()),
  substring: {
    minArgs: 2,
    maxArgs: 3,
    call: ([s, start, end]) => {
      const input = text(s, 'substring');
      if (input === null) return null;
      const from = position(integer(start, 'substring'), input.length);
      const to = end === undefined ? input.length : position(integer(end, 'substring'), input.length);
      return from < to ? input.slice(from, to) : '';
    },
  },
  startsWith: { minArgs: 2, maxArgs: 2, call: ([s, p]) => bothNullOr(s, p, 'startsWith', (a, b) => a.startsWith(b)) },
  endsWith: { minArgs: 2, maxArgs: 2, call: ([s, p]) => bothNullOr(s, p, 'endsWith', (a, b) => a.endsWith(b)) },
  split: {
    minArgs: 2,
    maxArgs: 2,
    call: ([s, separators]) => {
      const input = text(s, 'split');
      return input === null ? null : split(input, text(separators, 'split'));
    },
  },
  join: {
    minArgs: 2,
    maxArgs: 2,
    call: ([values, separator]) => {
      if (values === null || values === undefined) return null;
      if (!Array.isArray(values)) throw new EvaluationError('#string.join takes a list');
      const sep = text(separator, 'join') ?? '';
      const out = values.map((v) => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v))).join(sep);
      if (out.length > EXPRESSION_LIMITS.maxStringLength) throw new EvaluationError('the expression built too long a string', true);
      return out;
    },
  },
  indexOf: {
    minArgs: 3,
    maxArgs: 3,
    call: ([s, search, from]) => {
      const input = text(s, 'indexOf');
      const find = text(search, 'indexOf');
      return input === null || find === null ? -1 : input.indexOf(find, Math.max(0, integer(from, 'indexOf')));
    },
  },
  lastIndexOf: {
    minArgs: 3,
    maxArgs: 3,
    call: ([s, search, from]) => {
      const input = text(s, 'lastIndexOf');
      const find = text(search, 'lastIndexOf');
      return input === null || find === null ? -1 : input.lastIndexOf(find, Math.max(0, integer(from, 'lastIndexOf')));
    },
  },
  length: { minArgs: 1, maxArgs: 1, call: ([s]) => text(s, 'length')?.length ?? 0 },
  replace: {
    minArgs: 4,
    maxArgs: 4,
    call: ([s, search, replacement, max]) => {
      const input = text(s, 'replace');
      const find = text(search, 'replace');
      const by = text(replacement, 'replace');
      const limit = integer(max, 'replace');
      if (input === null || find === null || by === null || find === '' || limit === 0) return input;
      const parts = input.split(find);
      const count = limit < 0 ? parts.length - 1 : Math.min(limit, parts.length - 1);
      const out = parts.slice(0, count + 1).join(by) + (count + 1 < parts.length ? find + parts.slice(count + 1).join(find) : '');
      if (out.length > EXPRESSION_LIMITS.maxStringLength) throw new EvaluationError('the expression built too long a string', true);
      return out;
    },
  },
  compare: {
    minArgs: 3,
    maxArgs: 3,
    call: ([a, b, ignoreCase]) => {
      if (typeof ignoreCase !== 'boolean') throw new EvaluationError('#string.compare takes a boolean ignoreCase');
      const left = text(a, 'compare');
      const right = text(b, 'compare');
      if (left === null || right === null) return left === right ? 0 : left === null ? -1 : 1;
      return javaCompare(left, right, ignoreCase);
    },
  },
  asInt: number('asInt', (s) => (/^[+-]?\d+$/.test(s) && within(s, 2n ** 31n) ? Number(s) : undefined)),
  asLong: number('asLong', (s) => (/^[+-]?\d+$/.test(s) && within(s, 2n ** 63n) ? Number(s) : undefined)),
  asBigInt: number('asBigInt', (s) => (/^[+-]?\d+$/.test(s) ? Number(s) : undefined)),
  asFloat: number('asFloat', (s) => finite(Math.fround(decimal(s)))),
  asDouble: number('asDouble', (s) => finite(decimal(s))),
  asBigDecimal: number('asBigDecimal', (s) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? finite(Number(s)) : undefined)),
  asBase64Encoded: mappedOrEmpty('asBase64Encoded', (s) => checkedLength(Buffer.from(s, 'utf8').toString('base64'))),
  asBase64Decoded: mappedOrEmpty('asBase64Decoded', (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 !== 1 ? Buffer.from(s, 'base64').toString('utf8') : null)),
  asUrlEncoded: mappedOrEmpty('asUrlEncoded', (s) => checkedLength(encodeURIComponent(s).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+'))),
  asUrlDecoded: mappedOrEmpty('asUrlDecoded', (s) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }),
  uuidAsBase64Guid: {
    minArgs: 2,
    maxArgs: 2,
    call: ([s, fallback]) => {
      const m = typeof s === 'string' ? UUID.exec(s) : null;
      if (!m) return fallback ?? null;
      // A GUID's first three fields are little-endian (Microsoft's GUID layout); the rest as written.
      const hex = [m[1], m[2], m[3]].map((field) => (field as string).match(/../g)!.reverse().join('')).join('') + (m[4] as string) + (m[5] as string);
      return Buffer.from(hex, 'hex').toString('base64');
    },
  },
  format: STRING_FORMAT,
  firstNonEmpty: { minArgs: 1, maxArgs: 10, call: (args) => args.find((v) => v !== null && v !== '') ?? null },
  firstNonBlank: { minArgs: 1, maxArgs: 10, call: (args) => args.find((v) => v !== null && !(typeof v === 'string' && v.trim() === '')) ?? null },
};

const UUID = /^([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})$/;

function checkedLength(s: string): string {
  if (s.length > EXPRESSION_LIMITS.maxStringLength) throw new EvaluationError('the expression built too long a string', true);
  return s;
}

/** Apache StringUtils' startsWith/endsWith: true when both are null. */
function bothNullOr(a: JsonValue | undefined, b: JsonValue | undefined, fn: string, f: (a: string, b: string) => boolean): boolean {
  const left = text(a, fn);
  const right = text(b, fn);
  if (left === null || right === null) return left === right;
  return f(left, right);
}

/** Apache StringUtils.split: any of the separator characters splits (null: white space); no empty parts. */
function split(input: string, separators: string | null): string[] {
  const isSeparator = separators === null ? (c: string) => /\s/.test(c) : (c: string) => separators.includes(c);
  const parts: string[] = [];
  let current = '';
  for (const c of input) {
    if (isSeparator(c)) {
      if (current !== '') parts.push(current);
      current = '';
    } else current += c;
  }
  if (current !== '') parts.push(current);
  if (parts.length > EXPRESSION_LIMITS.maxCollectionSize) throw new EvaluationError('a list is too long', true);
  return parts;
}

/** Java's String.compareTo (and compareToIgnoreCase): the first differing UTF-16 unit, else the length. */
function javaCompare(a: string, b: string, ignoreCase: boolean): number {
  const fold = (c: string) => (ignoreCase ? c.toUpperCase().toLowerCase() : c);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = fold(a[i] as string).charCodeAt(0);
    const y = fold(b[i] as string).charCodeAt(0);
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

function within(digits: string, bound: bigint): boolean {
  const n = BigInt(digits);
  return n >= -bound && n < bound;
}

function decimal(s: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(s) ? Number(s.replace(/[fFdD]$/, '')) : NaN;
}

function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

/** The number a string holds, or the given default when it is null or not such a number. */
function number(fn: string, parse: (s: string) => number | undefined): Helper {
  return {
    minArgs: 2,
    maxArgs: 2,
    call: ([s, fallback]) => {
      const input = text(s, fn);
      const value = input === null || input.length > 400 ? undefined : parse(input.trim() === input ? input : '');
      return value ?? fallback ?? null;
    },
  };
}

/** A conversion that returns null and empty input as they are. */
function mappedOrEmpty(fn: string, f: (s: string) => string | null): Helper {
  return { minArgs: 1, maxArgs: 1, call: ([s]) => { const input = text(s, fn); return input === null || input === '' ? input : f(input); } };
}
