/**
 * `#datetime` (PingOne's "Custom library functions", Date and time library): ISO 8601 inputs in
 * UTC (time/iso.ts), outputs in the default form `2023-01-01T23:59:59.001Z`; an input that is not
 * a supported ISO 8601 form yields null, as documented. Patterns are Java DateTimeFormatter
 * patterns (time/pattern.ts). Differences between dates are in datetime-between.ts, time zones
 * and parsing in datetime-zones.ts.
 */
import type { JsonValue } from '../ast.js';
import { EvaluationError } from '../errors.js';
import { lengthOfMonth, plusMonths, utcFields } from '../../calendar/civil.js';
import { parseIsoDate, printIso, printIsoDate, printIsoTime } from '../time/iso.js';
import { printPattern } from '../time/printer.js';
import { UTC } from '../time/zones.js';
import { checkDatePattern, datePattern } from './date-patterns.js';
import { BETWEEN_HELPERS } from './datetime-between.js';
import { ZONE_HELPERS } from './datetime-zones.js';
import type { Helper } from './types.js';

function integer(value: JsonValue | undefined, fn: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 1_000_000) throw new EvaluationError(`#datetime.${fn} takes an integer`);
  return value;
}

/** Java's plusMonths (../time/civil.ts) on an instant's UTC date; the time of day is kept. */
function addMonths(date: Date, months: number): Date {
  const day = plusMonths({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }, months);
  const target = new Date(date.getTime());
  target.setUTCFullYear(day.year, day.month - 1, day.day);
  return target;
}

/** LocalDateTime.of's ranges; null for a field out of range, as documented. */
function toDateTime(args: readonly JsonValue[]): string | null {
  const [year, month, day, hour, minute, second] = args.map((a) => integer(a, 'toDateTime')) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  if (day > lengthOfMonth(year, month)) return null;
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  return printIso(date);
}

/** A function of one ISO 8601 input: null when it is not one. */
function ofDate(f: (date: Date) => JsonValue): Helper {
  return { minArgs: 1, maxArgs: 1, call: ([input]) => { const date = parseIsoDate(input); return date ? f(date) : null; } };
}

export const DATETIME_HELPERS: Record<string, Helper> = {
  now: { minArgs: 0, maxArgs: 0, call: (_args, env) => env.now.toISOString() },
  addDays: shift('addDays', (d, n) => new Date(d.getTime() + n * 86_400_000)),
  addMonths: shift('addMonths', addMonths),
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
  toDateTime: { minArgs: 6, maxArgs: 6, call: toDateTime },
  toDate: ofDate(printIsoDate),
  toTime: ofDate(printIsoTime),
  /** The date in UTC with a DateTimeFormatter pattern; null for a null or invalid pattern. */
  format: {
    minArgs: 2,
    maxArgs: 2,
    literalChecks: { 1: checkDatePattern },
    call: ([input, pattern], env) => {
      const items = datePattern(pattern, 'format', env);
      const date = parseIsoDate(input);
      if (!items || !date) return null;
      return printPattern(items, { local: utcFields(date.getTime()), offsetSeconds: 0, zone: UTC, epochMs: date.getTime() });
    },
  },
  /** Seconds since the epoch, as the documented `String` result. */
  toUnixTimestamp: ofDate((date) => String(Math.floor(date.getTime() / 1000))),
  fromUnixTimestamp: {
    minArgs: 1,
    maxArgs: 1,
    call: ([seconds]) => {
      if (seconds === null || seconds === undefined) return null;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds)) throw new EvaluationError('#datetime.fromUnixTimestamp takes whole seconds');
      return printIso(new Date(seconds * 1000));
    },
  },
  ...BETWEEN_HELPERS,
  ...ZONE_HELPERS,
};

function shift(fn: string, f: (date: Date, amount: number) => Date): Helper {
  return {
    minArgs: 2,
    maxArgs: 2,
    call: ([input, amount]) => {
      const date = parseIsoDate(input);
      return date ? printIso(f(date, integer(amount, fn))) : null;
    },
  };
}

/** A UTC field of the date, or -1 for an input that is not a supported ISO 8601 date. */
function field(f: (date: Date) => number): Helper {
  return { minArgs: 1, maxArgs: 1, call: ([input]) => { const date = parseIsoDate(input); return date ? f(date) : -1; } };
}
