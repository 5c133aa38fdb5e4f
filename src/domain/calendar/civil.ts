/**
 * Calendar arithmetic of the proleptic Gregorian calendar (java.time's ISO chronology) on plain
 * numbers: dates as {year, month, day}, instants as epoch milliseconds. The `#datetime` helpers
 * compute in UTC, so a date is the UTC calendar date of an instant.
 */

export interface CivilDate {
  year: number;
  /** 1 to 12. */
  month: number;
  /** 1 to 31. */
  day: number;
}

/** A date and time of day, as read on a clock (no zone). */
export interface LocalDateTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  /** Nanosecond of the second, 0 to 999,999,999 (Keyway keeps milliseconds: a multiple of 10^6). */
  nano: number;
}

export const MS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function lengthOfMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 (java.time's epoch day), exact for any year (civil-from-days arithmetic). */
export function epochDay(date: CivilDate): number {
  const y = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYearMarch = Math.floor((153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5) + date.day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYearMarch;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date of an epoch day. */
export function civilDate(day: number): CivilDate {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYearMarch = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthMarch = Math.floor((5 * dayOfYearMarch + 2) / 153);
  const month = monthMarch < 10 ? monthMarch + 3 : monthMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYearMarch - Math.floor((153 * monthMarch + 2) / 5) + 1 };
}

/**
 * The UTC date and time of an instant. The date's fields are copied one by one: V8 built
 * `{ ...civilDate(day), hour, … }` through its runtime, about 4 µs a call against 0.06 µs
 * (docs/decisions.md, "The token endpoint's hot path": the replay check formats two instants with
 * it per token request).
 */
export function utcFields(epochMs: number): LocalDateTime {
  const day = Math.floor(epochMs / MS_PER_DAY);
  const ms = epochMs - day * MS_PER_DAY;
  const date = civilDate(day);
  return {
    year: date.year,
    month: date.month,
    day: date.day,
    hour: Math.floor(ms / 3_600_000),
    minute: Math.floor(ms / 60_000) % 60,
    second: Math.floor(ms / 1000) % 60,
    nano: (ms % 1000) * 1_000_000,
  };
}

/** ISO day of week: 1 Monday to 7 Sunday. */
export function dayOfWeek(date: CivilDate): number {
  return (((epochDay(date) + 3) % 7) + 7) % 7 + 1;
}

export function dayOfYear(date: CivilDate): number {
  return epochDay(date) - epochDay({ year: date.year, month: 1, day: 1 }) + 1;
}

/** java.time's plusMonths: the day is kept, or clamped to the last day of the month. */
export function plusMonths(date: CivilDate, months: number): CivilDate {
  const total = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return { year, month, day: Math.min(date.day, lengthOfMonth(year, month)) };
}

/** Whole months from one date to another, truncated toward zero (LocalDate.until in MONTHS); `+ 0` turns -0 into 0. */
export function monthsBetween(from: CivilDate, to: CivilDate): number {
  const packed = (d: CivilDate) => (d.year * 12 + d.month - 1) * 32 + d.day;
  return Math.trunc((packed(to) - packed(from)) / 32) + 0;
}

export interface Period {
  years: number;
  months: number;
  days: number;
}

/**
 * Period.between: complete months are removed first, then the remaining days are counted, the
 * two adjusted to share a sign; the months are then split into years of 12 months.
 */
export function periodBetween(from: CivilDate, to: CivilDate): Period {
  let totalMonths = to.year * 12 + to.month - (from.year * 12 + from.month);
  let days = to.day - from.day;
  if (totalMonths > 0 && days < 0) {
    totalMonths--;
    days = epochDay(to) - epochDay(plusMonths(from, totalMonths));
  } else if (totalMonths < 0 && days > 0) {
    totalMonths++;
    days -= lengthOfMonth(to.year, to.month);
  }
  return { years: Math.trunc(totalMonths / 12) + 0, months: (totalMonths % 12) + 0, days };
}

/** Period.toString: `P0D` for zero, else the non-zero parts among `nY`, `nM`, `nD`. */
export function periodText(p: Period): string {
  if (p.years === 0 && p.months === 0 && p.days === 0) return 'P0D';
  return `P${p.years !== 0 ? `${p.years}Y` : ''}${p.months !== 0 ? `${p.months}M` : ''}${p.days !== 0 ? `${p.days}D` : ''}`;
}
