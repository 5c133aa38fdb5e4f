/**
 * Prints a compiled pattern for a date-time in a zone, as DateTimeFormatter.format does for a
 * ZonedDateTime: every field is available, so an optional section is always printed.
 */
import { dayOfWeek, dayOfYear, epochDay, type LocalDateTime } from '../../calendar/civil.js';
import { AM_PM, DAYS, MONTHS, QUARTERS, textOf } from './names.js';
import { offsetStyle, printOffset } from './offsets.js';
import type { PatternItem } from './pattern.js';
import type { Zone } from './zones.js';
import { zoneName } from './zones.js';

export interface ZonedDateTime {
  local: LocalDateTime;
  offsetSeconds: number;
  zone: Zone;
  epochMs: number;
}

export function printPattern(items: readonly PatternItem[], dt: ZonedDateTime): string {
  let out = '';
  for (const item of items) {
    if (item.kind === 'text') out += item.text;
    else if (item.kind === 'optional') out += printPattern(item.items, dt);
    else out += printField(item.letter, item.count, dt);
  }
  return out;
}

function printField(letter: string, count: number, dt: ZonedDateTime): string {
  const { local } = dt;
  switch (letter) {
    case 'y':
      return printYear(local.year >= 1 ? local.year : 1 - local.year, count);
    case 'u':
      return printYear(local.year, count);
    case 'Y':
      return printYear(weekBasedYear(local), count);
    case 'M':
    case 'L':
      return count >= 3 ? textOf(MONTHS, local.month, count) : pad(local.month, count);
    case 'Q':
    case 'q':
      return printQuarter(Math.ceil(local.month / 3), count);
    case 'd':
      return pad(local.day, count);
    case 'D':
      return pad(dayOfYear(local), count);
    case 'E':
      return textOf(DAYS, dayOfWeek(local), Math.max(count, 3));
    case 'a':
      return AM_PM[local.hour < 12 ? 0 : 1] as string;
    case 'h':
      return pad(local.hour % 12 === 0 ? 12 : local.hour % 12, count);
    case 'K':
      return pad(local.hour % 12, count);
    case 'k':
      return pad(local.hour === 0 ? 24 : local.hour, count);
    case 'H':
      return pad(local.hour, count);
    case 'm':
      return pad(local.minute, count);
    case 's':
      return pad(local.second, count);
    case 'S':
      return String(local.nano).padStart(9, '0').slice(0, count);
    case 'X':
    case 'x':
    case 'Z':
      return printOffset(dt.offsetSeconds, offsetStyle(letter, count));
    case 'z':
      return zoneName(dt.zone, dt.epochMs, count === 4);
    default:
      return dt.zone.id;
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `yy` the last two digits; `y` and `yyy` as many digits as needed; 4 or more pad, `+` when wider. */
function printYear(year: number, count: number): string {
  if (count === 2) return pad(((year % 100) + 100) % 100, 2);
  const digits = String(Math.abs(year));
  const sign = year < 0 ? '-' : count >= 4 && digits.length > count ? '+' : '';
  return sign + digits.padStart(count, '0');
}

function printQuarter(quarter: number, count: number): string {
  if (count === 3) return `Q${quarter}`;
  if (count === 4) return QUARTERS[quarter - 1] as string;
  return count === 2 ? pad(quarter, 2) : String(quarter);
}

/**
 * The week-based year of Locale.US (weeks start on Sunday; week 1 holds 1 January): the year of
 * the Saturday that ends the date's week.
 */
export function weekBasedYear(date: LocalDateTime | { year: number; month: number; day: number }): number {
  const daysToSaturday = 6 - (dayOfWeek(date) % 7);
  const saturday = epochDay(date) + daysToSaturday;
  return saturday >= epochDay({ year: date.year + 1, month: 1, day: 1 }) ? date.year + 1 : date.year;
}
