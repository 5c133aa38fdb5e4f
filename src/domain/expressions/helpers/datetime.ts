/**
 * `#datetime` (PingOne's "Date and time library"): ISO 8601 inputs in UTC, outputs in the default
 * form `2023-01-01T23:59:59.001Z`; an input that is not a supported ISO 8601 form yields null, as
 * documented. `format` takes the letters of Java's DateTimeFormatter listed in FORMAT_FIELDS.
 */
import type { JsonValue } from '../ast.js';
import { EvaluationError } from '../errors.js';
import type { Helper } from './types.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?|[+-]\d{3})?$/;

/** Parses the ISO 8601 forms PingOne documents; undefined for anything else. */
export function parseIsoDate(value: JsonValue | undefined): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const date = new Date(utc);
  if (date.getUTCDate() !== day) return undefined;
  return new Date(utc - offsetMinutes(m[8]) * 60_000);
}

/** `Z`, `+08:00`, `+0800`, `+08`, or PingOne's `+800`. */
function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const padded = digits.length === 2 ? `${digits}00` : digits.padStart(4, '0');
  return sign * (Number(padded.slice(0, 2)) * 60 + Number(padded.slice(2)));
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Pattern letters by run length; the longest run given is used. */
const FORMAT_FIELDS: Record<string, (d: Date, count: number) => string> = {
  y: (d, n) => (n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), n)),
  M: (d, n) => (n >= 4 ? (MONTHS[d.getUTCMonth()] as string) : n === 3 ? (MONTHS[d.getUTCMonth()] as string).slice(0, 3) : pad(d.getUTCMonth() + 1, n)),
  d: (d, n) => pad(d.getUTCDate(), n),
  E: (d, n) => (n >= 4 ? (DAYS[d.getUTCDay()] as string) : (DAYS[d.getUTCDay()] as string).slice(0, 3)),
  H: (d, n) => pad(d.getUTCHours(), n),
  h: (d, n) => pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, n),
  m: (d, n) => pad(d.getUTCMinutes(), n),
  s: (d, n) => pad(d.getUTCSeconds(), n),
  S: (d, n) => pad(d.getUTCMilliseconds(), 3).slice(0, n).padEnd(n, '0'),
  a: (d) => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
};

function format(date: Date, pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string;
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close === -1) throw new EvaluationError('#datetime.format: unclosed quote in the pattern');
      out += close === i + 1 ? "'" : pattern.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      const field = FORMAT_FIELDS[c];
      if (!field) throw new EvaluationError(`#datetime.format: pattern letter ${c} is not supported`);
      out += field(date, n);
      i += n;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function integer(value: JsonValue | undefined, fn: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 1_000_000) throw new EvaluationError(`#datetime.${fn} takes an integer`);
  return value;
}

/** Java's plusMonths: the day is kept, or clamped to the last day of the month. */
function addMonths(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target;
}

const iso = (d: Date): string | null => (Number.isNaN(d.getTime()) ? null : d.toISOString());

export const DATETIME_HELPERS: Record<string, Helper> = {
  now: { minArgs: 0, maxArgs: 0, call: (_args, env) => env.now.toISOString() },
  addDays: {
    minArgs: 2,
    maxArgs: 2,
    call: ([input, days]) => {
      const date = parseIsoDate(input);
      return date ? iso(new Date(date.getTime() + integer(days, 'addDays') * 86_400_000)) : null;
    },
  },
  addMonths: {
    minArgs: 2,
    maxArgs: 2,
    call: ([input, months]) => {
      const date = parseIsoDate(input);
      return date ? iso(addMonths(date, integer(months, 'addMonths'))) : null;
    },
  },
  format: {
    minArgs: 2,
    maxArgs: 2,
    call: ([input, pattern]) => {
      if (typeof pattern !== 'string' || pattern.length > 256) throw new EvaluationError('#datetime.format takes a pattern string');
      const date = parseIsoDate(input);
      return date ? format(date, pattern) : null;
    },
  },
  addYears: shift('addYears', (d, n) => addMonths(d, n * 12)),
  addHours: shift('addHours', (d, n) => new Date(d.getTime() + n * 3_600_000)),
  addMinutes: shift('addMinutes', (d, n) => new Date(d.getTime() + n * 60_000)),
  addSeconds: shift('addSeconds', (d, n) => new Date(d.getTime() + n * 1000)),
  getDayOfMonth: field((d) => d.getUTCDate()),
  getMonth: field((d) => d.getUTCMonth() + 1),
  getYear: field((d) => d.getUTCFullYear()),
  getHour: field((d) => d.getUTCHours()),
  getMinute: field((d) => d.getUTCMinutes()),
  getSecond: field((d) => d.getUTCSeconds()),
  /** Seconds since the epoch, as the documented `String` result. */
  toUnixTimestamp: {
    minArgs: 1,
    maxArgs: 1,
    call: ([input]) => {
      const date = parseIsoDate(input);
      return date ? String(Math.floor(date.getTime() / 1000)) : null;
    },
  },
  fromUnixTimestamp: {
    minArgs: 1,
    maxArgs: 1,
    call: ([seconds]) => {
      if (seconds === null || seconds === undefined) return null;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds)) throw new EvaluationError('#datetime.fromUnixTimestamp takes whole seconds');
      return iso(new Date(seconds * 1000));
    },
  },
};

function shift(fn: string, f: (date: Date, amount: number) => Date): Helper {
  return {
    minArgs: 2,
    maxArgs: 2,
    call: ([input, amount]) => {
      const date = parseIsoDate(input);
      return date ? iso(f(date, integer(amount, fn))) : null;
    },
  };
}

/** A UTC field of the date, or -1 for an input that is not a supported ISO 8601 date. */
function field(f: (date: Date) => number): Helper {
  return { minArgs: 1, maxArgs: 1, call: ([input]) => { const date = parseIsoDate(input); return date ? f(date) : -1; } };
}
