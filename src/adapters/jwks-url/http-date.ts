/**
 * HTTP-date (RFC 9110 §5.6.7): the preferred IMF-fixdate and the two obsolete forms a recipient
 * must still accept. `Date.parse` is not used: it accepts many other texts (it reads "0" as the
 * year 2000), and RFC 9111 §5.3 wants every invalid date treated as invalid.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** `Sun Nov  6 08:49:37 1994` */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * Milliseconds since the epoch, or undefined when `text` is not an HTTP-date. `now` places a
 * two-digit rfc850 year: RFC 9110 §5.6.7 reads one more than 50 years ahead as the past century.
 */
export function parseHttpDate(text: string, now: number): number | undefined {
  const value = text.trim();
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(Number(m[3]), m[2], Number(m[1]), m.slice(4, 7));
  m = ASCTIME.exec(value);
  if (m) return utc(Number(m[6]), m[1], Number(m[2]?.trim()), m.slice(3, 6));
  m = RFC850.exec(value);
  if (m) return utc(fullYear(Number(m[3]), now), m[2], Number(m[1]), m.slice(4, 7));
  return undefined;
}

function fullYear(twoDigits: number, now: number): number {
  const current = new Date(now).getUTCFullYear();
  const year = Math.floor(current / 100) * 100 + twoDigits;
  return year > current + 50 ? year - 100 : year;
}

/** The instant, or undefined when a field is out of range (31 Feb, 25:00:00, second 61). */
function utc(year: number, monthName: string | undefined, day: number, time: ReadonlyArray<string | undefined>): number | undefined {
  const month = MONTHS.indexOf(monthName ?? '');
  const [hour, minute, second] = time.map(Number) as [number, number, number];
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const at = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  const check = new Date(at);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month || check.getUTCDate() !== day) return undefined;
  return at;
}
