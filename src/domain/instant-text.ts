/**
 * The text every instant is stored in: `Date.prototype.toISOString`'s `YYYY-MM-DDTHH:MM:SS.sssZ`
 * (src/store/sql/dialect.ts), which compares as text in time order.
 *
 * Written out by arithmetic because the token endpoint writes two per request (a client
 * assertion's expiry and the time it was recorded), and V8 formats `toISOString` through a
 * printf-style routine that costs about as much as the rest of the replay check's work on the
 * event loop (docs/decisions.md, "The token endpoint's hot path"). Outside the years 0000–9999,
 * where `toISOString` writes a signed six-digit year, it is used as it is.
 */

const MS_PER_DAY = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 10000-01-01T00:00:00.000Z, in milliseconds since the epoch. */
const FIRST_MS = -62_167_219_200_000;
const END_MS = 253_402_300_800_000;

/** `new Date(ms).toISOString()`, for a finite `ms`. */
export function instantText(ms: number): string {
  if (!(ms >= FIRST_MS && ms < END_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / MS_PER_DAY);
  const inDay = ms - days * MS_PER_DAY;
  return `${civilDate(days)}T${two(Math.floor(inDay / 3_600_000))}:${two(Math.floor(inDay / 60_000) % 60)}:${two(Math.floor(inDay / 1000) % 60)}.${three(inDay % 1000)}Z`;
}

/**
 * `YYYY-MM-DD` of the day `days` after 1970-01-01 in the proleptic Gregorian calendar, by the
 * era arithmetic of H. Hinnant's "chrono-Compatible Low-Level Date Algorithms" (civil_from_days):
 * 400-year eras of 146,097 days, years counted from March so that a leap day ends the year.
 */
function civilDate(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${four(year)}-${two(month)}-${two(day)}`;
}

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const four = (n: number): string => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`);
