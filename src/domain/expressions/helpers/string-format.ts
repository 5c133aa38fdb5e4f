/**
 * `#string.format` (PingOne's "Custom library functions", String library): java.util.Formatter
 * format strings. A format Java refuses (bad syntax, a conversion that does not fit its argument,
 * too few arguments, flags a conversion does not take) gives null, as documented. Keyway
 * implements the conversions `%s %S %b %B %c %C %d %o %x %X %e %E %f %% %n`; `%g %a %h %t` are
 * refused when the format is a literal, an evaluation error otherwise. Numbers are JSON numbers:
 * an integral value is an Integer or Long for `%d %o %x`, any number is a double for `%e %f`.
 */
import type { JsonValue } from '../ast.js';
import { EvaluationError } from '../errors.js';
import { EXPRESSION_LIMITS } from '../limits.js';
import { fixedDigits, scientificDigits } from './java-decimal.js';
import type { Helper, HelperEnvironment } from './types.js';

const SPECIFIER = /%(\d+\$|<)?([-#+ 0,(]*)(\d+)?(\.\d+)?([tT]?[a-zA-Z%])/y;
const IMPLEMENTED = new Set([...'sSbBcCdoxXeEf%n']);
const UNIMPLEMENTED = new Set([...'gGaAhHtT']);

interface Spec {
  index: 'next' | 'previous' | number;
  flags: string;
  width?: number;
  precision?: number;
  conversion: string;
}

/** Thrown inside this module for what Java's Formatter would throw: the call gives null. */
class IllegalFormat extends Error {}

/** Write-time check of a literal format: the problem in words, or undefined. */
export function checkFormatString(format: string): string | undefined {
  for (let i = format.indexOf('%'); i !== -1; i = format.indexOf('%', i + 1)) {
    SPECIFIER.lastIndex = i;
    const m = SPECIFIER.exec(format);
    if (!m) continue;
    const conversion = (m[5] as string)[0] as string;
    if (UNIMPLEMENTED.has(conversion)) return `a format without %${conversion} (Keyway implements %s %S %b %B %c %C %d %o %x %X %e %E %f %% %n)`;
    i = SPECIFIER.lastIndex - 1;
  }
  return undefined;
}

function parseSpecifier(format: string, at: number): { spec: Spec; end: number } {
  SPECIFIER.lastIndex = at;
  const m = SPECIFIER.exec(format);
  if (!m) throw new IllegalFormat('unknown format conversion');
  const conversion = m[5] as string;
  if (UNIMPLEMENTED.has(conversion[0] as string)) throw new EvaluationError(`#string.format: %${conversion[0]} is not supported`);
  if (!IMPLEMENTED.has(conversion)) throw new IllegalFormat('unknown format conversion');
  const flags = m[2] as string;
  if (new Set(flags).size !== flags.length) throw new IllegalFormat('duplicate flags');
  const index = m[1] === undefined ? 'next' : m[1] === '<' ? 'previous' : Number((m[1] as string).slice(0, -1));
  const width = m[3] === undefined ? undefined : bounded(Number(m[3]));
  const precision = m[4] === undefined ? undefined : bounded(Number(m[4].slice(1)));
  return { spec: { index, flags, conversion, ...(width !== undefined ? { width } : {}), ...(precision !== undefined ? { precision } : {}) }, end: SPECIFIER.lastIndex };
}

function bounded(n: number): number {
  if (n > EXPRESSION_LIMITS.maxStringLength) throw new EvaluationError('#string.format: a width or precision is too large', true);
  return n;
}

/** Formatter's checks of flags, width and precision per conversion, before any argument is read. */
function checkSpec({ flags, width, precision, conversion }: Spec): void {
  const has = (f: string) => flags.includes(f);
  const refuse = (bad: string) => {
    if ([...bad].some(has)) throw new IllegalFormat('flags do not fit the conversion');
  };
  if (conversion === 'n') {
    if (flags || width !== undefined || precision !== undefined) throw new IllegalFormat('%n takes nothing');
    return;
  }
  if ((has('-') || has('0')) && width === undefined) throw new IllegalFormat('missing width');
  if ((has('+') && has(' ')) || (has('-') && has('0'))) throw new IllegalFormat('illegal flags');
  const kind = conversion.toLowerCase();
  if ('%cdox'.includes(kind) && precision !== undefined) throw new IllegalFormat('no precision');
  // `#` with %s needs a java.util.Formattable, which no JSON value is.
  if ('%sbc'.includes(kind)) refuse('#+ 0,(');
  else if (kind === 'd') refuse('#');
  else if (kind === 'o' || kind === 'x') refuse(',');
  else if (kind === 'e') refuse(',');
}

function fail(): never {
  throw new IllegalFormat('illegal format');
}

/** Java's String.valueOf as Keyway's `+` writes values: null, numbers, booleans, lists and maps as JSON. */
function display(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  return JSON.stringify(value);
}

function justify(text: string, spec: Spec): string {
  if (spec.width === undefined || text.length >= spec.width) return text;
  return spec.flags.includes('-') ? text.padEnd(spec.width) : text.padStart(spec.width);
}

function upper(text: string, spec: Spec): string {
  return spec.conversion === spec.conversion.toUpperCase() ? text.toUpperCase() : text;
}

function general(value: JsonValue, spec: Spec): string {
  const kind = spec.conversion.toLowerCase();
  let text = kind === 'b' ? String(value === null ? false : typeof value === 'boolean' ? value : true) : display(value);
  if (spec.precision !== undefined) text = text.slice(0, spec.precision);
  return justify(upper(text, spec), spec);
}

function character(value: JsonValue, spec: Spec): string {
  if (value === null) return justify(upper('null', spec), spec);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0x10ffff) fail();
  return justify(upper(String.fromCodePoint(value), spec), spec);
}

/** Sign, digits and zero padding of a number, as Formatter writes them for `%d %e %f`. */
function signed(negative: boolean, magnitude: string, spec: Spec): string {
  const has = (f: string) => spec.flags.includes(f);
  const prefix = negative ? (has('(') ? '(' : '-') : has('+') ? '+' : has(' ') ? ' ' : '';
  const suffix = negative && has('(') ? ')' : '';
  const zeros = has('0') && spec.width !== undefined ? Math.max(0, spec.width - prefix.length - suffix.length - magnitude.length) : 0;
  return justify(prefix + '0'.repeat(zeros) + magnitude + suffix, spec);
}

function grouped(digits: string, spec: Spec): string {
  return spec.flags.includes(',') ? digits.replace(/\B(?=(\d{3})+$)/g, ',') : digits;
}

function integral(value: JsonValue, spec: Spec): string {
  if (value === null) return justify('null', spec);
  if (typeof value !== 'number' || !Number.isInteger(value)) fail();
  const n = BigInt(value);
  const kind = spec.conversion.toLowerCase();
  if (kind === 'd') return signed(n < 0n, grouped((n < 0n ? -n : n).toString(), spec), spec);
  const radix = kind === 'o' ? 8 : 16;
  const alternate = spec.flags.includes('#') ? (kind === 'o' ? '0' : '0x') : '';
  // Integer and Long print their two's complement; a wider value is a BigInteger, signed.
  const bits = n >= -(2n ** 31n) && n < 2n ** 31n ? 32n : n >= -(2n ** 63n) && n < 2n ** 63n ? 64n : 0n;
  if (bits === 0n) return upper(signed(n < 0n, alternate + (n < 0n ? -n : n).toString(radix), spec), spec);
  if (/[+ (]/.test(spec.flags)) fail();
  const digits = (n < 0n ? n + 2n ** bits : n).toString(radix);
  return upper(justify(alternate + padZeros(digits, spec, alternate.length), spec), spec);
}

function padZeros(digits: string, spec: Spec, prefix: number): string {
  return spec.flags.includes('0') && spec.width !== undefined ? digits.padStart(spec.width - prefix, '0') : digits;
}

function floating(value: JsonValue, spec: Spec): string {
  if (value === null) return justify(upper('null', spec), spec);
  if (typeof value !== 'number') fail();
  const precision = spec.precision ?? 6;
  const dot = precision > 0 || spec.flags.includes('#') ? '.' : '';
  if (spec.conversion === 'f') {
    const { integer, fraction } = fixedDigits(value, precision);
    return signed(value < 0, grouped(integer, spec) + dot + fraction, spec);
  }
  const { digits, exponent } = scientificDigits(value, precision);
  const exp = `e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return upper(signed(value < 0, digits[0] + dot + digits.slice(1) + exp, spec), spec);
}

function formatOne(spec: Spec, value: JsonValue): string {
  const kind = spec.conversion.toLowerCase();
  if (kind === 's' || kind === 'b') return general(value, spec);
  if (kind === 'c') return character(value, spec);
  if (kind === 'e' || kind === 'f') return floating(value, spec);
  return integral(value, spec);
}

function format(pattern: string, args: readonly JsonValue[], env: HelperEnvironment): string {
  let out = '';
  let ordinary = 0;
  let previous = -1;
  for (let i = 0; i < pattern.length; ) {
    const at = pattern.indexOf('%', i);
    out += pattern.slice(i, at === -1 ? undefined : at);
    if (at === -1) break;
    env.step();
    const { spec, end } = parseSpecifier(pattern, at);
    checkSpec(spec);
    i = end;
    if (spec.conversion === '%') out += justify('%', spec);
    else if (spec.conversion === 'n') out += '\n';
    else {
      const index = spec.index === 'next' ? ordinary++ : spec.index === 'previous' ? previous : spec.index - 1;
      if (index < 0 || index >= args.length) throw new IllegalFormat('missing argument');
      previous = index;
      out += formatOne(spec, args[index] as JsonValue);
    }
    if (out.length > EXPRESSION_LIMITS.maxStringLength) throw new EvaluationError('the expression built too long a string', true);
  }
  return out;
}

export const STRING_FORMAT: Helper = {
  minArgs: 1,
  maxArgs: 1 + EXPRESSION_LIMITS.maxLiteralItems,
  literalChecks: { 0: checkFormatString },
  call: ([pattern, ...args], env) => {
    if (pattern === null || pattern === undefined) return null;
    if (typeof pattern !== 'string') throw new EvaluationError('#string.format takes a format string');
    try {
      return format(pattern, args, env);
    } catch (err) {
      if (err instanceof IllegalFormat) return null;
      throw err;
    }
  },
};
