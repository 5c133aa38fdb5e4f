/**
 * PingOne's ISO 8601 forms ("Date and time library"): the inputs it documents (a date, a date
 * and time to the minute, second or fraction, then `Z` or an offset such as `+08:00`, `+0800`,
 * `+08` or `+800`; none means UTC) and its default outputs, in UTC: `2023-01-01T23:59:59.001Z`,
 * `2023-01-01Z`, `23:59:59Z`. Fractions are kept to the millisecond ("the output always
 * truncates to millisecond precision of 3").
 */
import type { JsonValue } from '../ast.js';
import { utcFields } from '../../calendar/civil.js';
import { offsetStyle, printOffset } from './offsets.js';

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

/** The default output, `2023-01-01T23:59:59.001Z`; null outside JavaScript's date range. */
export function printIso(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const two = (n: number) => String(n).padStart(2, '0');

/** `toDate`'s `yyyy-MM-ddX` in UTC: `2021-02-28Z`. */
export function printIsoDate(date: Date): string {
  return `${date.toISOString().slice(0, -14)}Z`;
}

/**
 * A time of day, `HH:mm:ss[.SSS]`: the milliseconds are written only when not zero, as
 * PingOne's `toTime` example (`23:59:59Z`) and `toDateTimeInTimezone` example
 * (`2022-12-31T20:30:30-0800`) show (docs/decisions.md, "#datetime outputs and patterns").
 */
export function printTimeOfDay(localMs: number): string {
  const f = utcFields(localMs);
  const millis = f.nano / 1_000_000;
  return `${two(f.hour)}:${two(f.minute)}:${two(f.second)}${millis ? `.${String(millis).padStart(3, '0')}` : ''}`;
}

/** `toTime`'s `HH:mm:ss[.SSS]X` in UTC. */
export function printIsoTime(date: Date): string {
  return `${printTimeOfDay(date.getTime())}Z`;
}

/** `toDateTimeInTimezone`'s default, `yyyy-MM-dd'T'HH:mm:ss[.SSS]Z`, for a local date-time and its offset. */
export function printZonedDefault(localMs: number, offsetSeconds: number): string {
  const day = new Date(localMs).toISOString().slice(0, -14);
  return `${day}T${printTimeOfDay(localMs)}${printOffset(offsetSeconds, offsetStyle('Z', 1))}`;
}
