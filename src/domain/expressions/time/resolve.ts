/**
 * Turns parsed fields into an instant, as java.time's SMART resolver does: a date from year,
 * month and day (a day past the month's end is the month's last day) or from year and
 * day-of-year; a time from the hour, then minute, second and fraction in that order, each
 * defaulting to zero when the ones after it are absent too; no time at all is midnight. Fields
 * that build neither (day of week, quarter, week-based year, AM/PM) must agree with the result.
 * Without a parsed offset or zone the given default zone applies.
 */
import { civilDate, dayOfWeek, dayOfYear, epochDay, isLeapYear, lengthOfMonth, MS_PER_DAY, type CivilDate } from '../../calendar/civil.js';
import { weekBasedYear } from './printer.js';
import type { ParsedFields } from './reader.js';
import { instantOfLocal, type Zone } from './zones.js';

/** The instant the fields name, or undefined when they lack a date or do not agree. */
export function resolveInstant(parsed: ParsedFields, defaultZone: Zone): number | undefined {
  const v = parsed.values;
  const date = resolveDate(v);
  const time = resolveTime(v);
  if (!date || time === undefined || !agrees(v, date, time)) return undefined;
  const localMs = epochDay(date) * MS_PER_DAY + time;
  if (parsed.offset !== undefined) return localMs - parsed.offset * 1000;
  return instantOfLocal(parsed.zone ?? defaultZone, localMs);
}

function resolveYear(v: Record<string, number>): number | undefined {
  const proleptic = v.u ?? (v.u2 !== undefined ? 2000 + v.u2 : undefined);
  const ofEra = v.y ?? (v.y2 !== undefined ? 2000 + v.y2 : undefined);
  if (ofEra !== undefined && ofEra < 1) return undefined;
  if (proleptic !== undefined && ofEra !== undefined && proleptic !== ofEra) return undefined;
  return proleptic ?? ofEra;
}

function resolveDate(v: Record<string, number>): CivilDate | undefined {
  const year = resolveYear(v);
  if (year === undefined || Math.abs(year) > 270_000) return undefined;
  const month = v.M;
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (month !== undefined && v.d !== undefined) {
    if (v.d < 1 || v.d > 31) return undefined;
    return { year, month, day: Math.min(v.d, lengthOfMonth(year, month)) };
  }
  if (v.D !== undefined) {
    if (v.D < 1 || v.D > (isLeapYear(year) ? 366 : 365)) return undefined;
    return civilDate(epochDay({ year, month: 1, day: 1 }) + v.D - 1);
  }
  return undefined;
}

/** Milliseconds into the day, or undefined for an incomplete or out-of-range time. */
function resolveTime(v: Record<string, number>): number | undefined {
  const hours = hourCandidates(v);
  if (hours === undefined) return undefined;
  const [hour] = hours;
  if (hours.some((h) => h !== hour)) return undefined;
  const { m, s, S } = v;
  if (hour === undefined) return m === undefined && s === undefined && S === undefined ? 0 : undefined;
  if ((m === undefined && (s !== undefined || S !== undefined)) || (s === undefined && S !== undefined)) return undefined;
  if ((m ?? 0) > 59 || (s ?? 0) > 59) return undefined;
  return ((hour * 60 + (m ?? 0)) * 60 + (s ?? 0)) * 1000 + Math.floor((S ?? 0) / 1_000_000);
}

/** The hour of day each hour field gives; undefined when one is out of range or lacks its AM/PM. */
function hourCandidates(v: Record<string, number>): number[] | undefined {
  const hours: number[] = [];
  const { H, k, h, K, a } = v;
  if (H !== undefined) {
    if (H > 23) return undefined;
    hours.push(H);
  }
  if (k !== undefined) {
    if (k < 1 || k > 24) return undefined;
    hours.push(k % 24);
  }
  for (const [value, low, high] of [[h, 1, 12], [K, 0, 11]] as const) {
    if (value === undefined) continue;
    if (value < low || value > high || a === undefined) return undefined;
    hours.push((value % 12) + 12 * a);
  }
  return hours;
}

/** Fields that did not build the date or time must describe the same one. */
function agrees(v: Record<string, number>, date: CivilDate, time: number): boolean {
  const hour = Math.floor(time / 3_600_000);
  const checks: Array<[number | undefined, number]> = [
    [v.M, date.month],
    [v.D, dayOfYear(date)],
    [v.Q, Math.ceil(date.month / 3)],
    [v.E, dayOfWeek(date)],
    [v.Y, weekBasedYear(date)],
    [v.Y2, weekBasedYear(date) % 100],
    // AM/PM says something only about a parsed hour.
    [hasHour(v) ? v.a : undefined, hour < 12 ? 0 : 1],
  ];
  return checks.every(([parsed, actual]) => parsed === undefined || parsed === actual);
}

function hasHour(v: Record<string, number>): boolean {
  return v.H !== undefined || v.k !== undefined || v.h !== undefined || v.K !== undefined;
}
