/**
 * The text every instant is stored in: `Date.prototype.toISOString`'s `YYYY-MM-DDTHH:MM:SS.sssZ`
 * (src/store/sql/dialect.ts), which compares as text in time order.
 *
 * Written out from the calendar arithmetic of ./civil.ts because the token
 * endpoint writes two per request (a client assertion's expiry and the time it was recorded),
 * and V8 formats `toISOString` through a printf-style routine that cost about 6,800 instructions
 * a call (docs/decisions.md, "The token endpoint's hot path"). Outside the years 0000–9999,
 * where `toISOString` writes a signed six-digit year, it is used as it is.
 */
import { utcFields } from './civil.js';

/** 0000-01-01T00:00:00.000Z and 10000-01-01T00:00:00.000Z, in milliseconds since the epoch. */
const FIRST_MS = -62_167_219_200_000;
const END_MS = 253_402_300_800_000;

/** `new Date(ms).toISOString()`, for a finite `ms`. */
export function instantText(ms: number): string {
  if (!(ms >= FIRST_MS && ms < END_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const t = utcFields(ms);
  return `${four(t.year)}-${two(t.month)}-${two(t.day)}T${two(t.hour)}:${two(t.minute)}:${two(t.second)}.${three(t.nano / 1_000_000)}Z`;
}

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const four = (n: number): string => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`);
