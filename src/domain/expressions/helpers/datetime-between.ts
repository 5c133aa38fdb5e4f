/**
 * `#datetime.compare`, `daysBetween`, `weeksBetween`, `monthsBetween`, `yearsBetween` and
 * `periodBetween` (PingOne's "Date and time library"). The differences count whole units between
 * the two UTC calendar dates, as java.time's ChronoUnit and Period do between LocalDates: PingOne's
 * examples give -2 days from 2021-01-03T00:00:01Z to 2021-01-01T10:30:00Z, which whole 24-hour
 * periods would make -1. An input that is not a date gives the third argument, whatever it is.
 */
import type { JsonValue } from '../ast.js';
import { epochDay, monthsBetween, periodBetween, periodText, utcFields, type CivilDate } from '../../calendar/civil.js';
import { parseIsoDate } from '../time/iso.js';
import type { Helper } from './types.js';

function calendarDate(value: JsonValue | undefined): CivilDate | undefined {
  const date = parseIsoDate(value);
  return date && utcFields(date.getTime());
}

/** A difference of the two dates, or the default when either is not a date. */
function between(f: (from: CivilDate, to: CivilDate) => JsonValue): Helper {
  return {
    minArgs: 3,
    maxArgs: 3,
    call: ([first, second, fallback]) => {
      const from = calendarDate(first);
      const to = calendarDate(second);
      return from && to ? f(from, to) : (fallback ?? null);
    },
  };
}

const days = (from: CivilDate, to: CivilDate) => epochDay(to) - epochDay(from);

/**
 * ChronoZonedDateTime.compareTo on the UTC instants: by epoch second (Long.compare's -1, 0, 1),
 * then by the difference of the nanoseconds. An input that is not a date is null, and null sorts
 * first (0 when both are null), as the String library's `compare` does.
 */
function compare(first: JsonValue | undefined, second: JsonValue | undefined): number {
  const a = parseIsoDate(first)?.getTime();
  const b = parseIsoDate(second)?.getTime();
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const [secondsA, secondsB] = [Math.floor(a / 1000), Math.floor(b / 1000)];
  if (secondsA !== secondsB) return secondsA < secondsB ? -1 : 1;
  return (a - secondsA * 1000 - (b - secondsB * 1000)) * 1_000_000;
}

export const BETWEEN_HELPERS: Record<string, Helper> = {
  compare: { minArgs: 2, maxArgs: 2, call: ([a, b]) => compare(a, b) },
  daysBetween: between(days),
  weeksBetween: between((from, to) => Math.trunc(days(from, to) / 7) + 0),
  monthsBetween: between(monthsBetween),
  yearsBetween: between((from, to) => Math.trunc(monthsBetween(from, to) / 12) + 0),
  periodBetween: between((from, to) => periodText(periodBetween(from, to))),
};
