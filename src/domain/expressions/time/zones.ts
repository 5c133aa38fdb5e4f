/**
 * Time zones for `#datetime`: fixed offsets, UTC and IANA region ids, read with java.time's
 * `ZoneId.of` rules (PingOne's "Date and time library", `toDateTimeInTimezone`: `Z` is UTC, a
 * single letter is invalid, `GMT`, `UTC` and `UT` are UTC, `+hh:mm` style offsets, region ids
 * of the IANA Time Zone Database). Region rules come from the ICU data of Node's Intl.
 */

export type Zone =
  | { kind: 'offset'; id: string; seconds: number }
  | { kind: 'region'; id: string };

export const UTC: Zone = { kind: 'offset', id: 'Z', seconds: 0 };

const MAX_OFFSET_SECONDS = 18 * 3600;
const OFFSET = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/;

/** ZoneOffset.of: `±h`, `±hh`, `±hh:mm`, `±hhmm`, `±hh:mm:ss`, `±hhmmss`, at most ±18:00. */
export function parseOffset(text: string): number | undefined {
  const m = OFFSET.exec(text);
  if (!m) return undefined;
  const [hours, minutes, seconds] = [m[2], m[3] ?? '0', m[4] ?? '0'].map(Number) as [number, number, number];
  // One hour digit only on its own (`+1`), as ZoneOffset.of reads it.
  if (m[2]!.length === 1 && m[3] !== undefined) return undefined;
  if (minutes > 59 || seconds > 59) return undefined;
  // ZoneOffset.of takes `+hh:mm:ss` or `+hhmmss`, never a mix of the two.
  const colons = (text.match(/:/g) ?? []).length;
  if (colons > 0 && colons !== (m[4] !== undefined ? 2 : 1)) return undefined;
  const total = (m[1] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds);
  return Math.abs(total) <= MAX_OFFSET_SECONDS ? total : undefined;
}

/** ZoneOffset's id: `Z`, `+01:00`, `-05:30`, `+01:02:03`. */
export function offsetId(seconds: number): string {
  if (seconds === 0) return 'Z';
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor(abs / 60) % 60).padStart(2, '0');
  const ss = abs % 60;
  return `${seconds < 0 ? '-' : '+'}${hh}:${mm}${ss ? `:${String(ss).padStart(2, '0')}` : ''}`;
}

/**
 * java.time's pre-JSR-310 three-letter ids (ZoneId.SHORT_IDS) that ICU still accepts but
 * ZoneId.of refuses; EST, MST and HST are zones of the tz database and stay valid.
 */
const JAVA_SHORT_IDS = new Set(['ACT', 'AET', 'AGT', 'ART', 'AST', 'BET', 'BST', 'CAT', 'CNT', 'CST', 'CTT', 'EAT', 'ECT', 'IET', 'IST', 'JST', 'MIT', 'NET', 'NST', 'PLT', 'PNT', 'PRT', 'PST', 'SST', 'VST']);
const REGION_ID = /^[A-Za-z][A-Za-z0-9~/._+-]+$/;

/**
 * ZoneId.of; undefined for an id Java would refuse. Ids outside ICU's canonical list (links such
 * as `US/Pacific`) need an Intl lookup, done only when `lookup` is set.
 */
export function zoneOf(id: string, lookup = true): Zone | undefined {
  if (id === 'Z') return UTC;
  if (id.startsWith('+') || id.startsWith('-')) {
    const seconds = parseOffset(id);
    return seconds === undefined ? undefined : { kind: 'offset', id: offsetId(seconds), seconds };
  }
  if (id === 'UTC' || id === 'GMT' || id === 'UT') return { kind: 'offset', id, seconds: 0 };
  const prefixed = /^(UTC|GMT|UT)([+-].*)$/.exec(id);
  if (prefixed) {
    const seconds = parseOffset(prefixed[2] as string);
    return seconds === undefined ? undefined : { kind: 'offset', id: `${prefixed[1]}${seconds === 0 ? '' : offsetId(seconds)}`, seconds };
  }
  if (!REGION_ID.test(id) || JAVA_SHORT_IDS.has(id)) return undefined;
  if (canonicalIds().has(id)) return { kind: 'region', id };
  if (!lookup) return undefined;
  const resolved = regionFormatter(id)?.resolvedOptions().timeZone;
  // Java's ids are case-sensitive; ICU's are not.
  if (resolved === undefined || (resolved !== id && resolved.toLowerCase() === id.toLowerCase())) return undefined;
  return { kind: 'region', id };
}

/** Formatters of valid ids only, so text that is not an id fills no cache. */
let CANONICAL: ReadonlySet<string> | undefined;

/** ICU's canonical IANA ids, read once. */
function canonicalIds(): ReadonlySet<string> {
  CANONICAL ??= new Set(Intl.supportedValuesOf('timeZone'));
  return CANONICAL;
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat | null>();
const MAX_CACHED_ZONES = 256;

/**
 * One Intl formatter per region id, or null for an id ICU refuses; both are cached, as a refused
 * construction costs about a tenth of a millisecond (bounded: the cache is emptied when full).
 */
function regionFormatter(id: string): Intl.DateTimeFormat | undefined {
  let formatter = FORMATTERS.get(id);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'longOffset' });
    } catch {
      formatter = null;
    }
    if (FORMATTERS.size >= MAX_CACHED_ZONES) FORMATTERS.clear();
    FORMATTERS.set(id, formatter);
  }
  return formatter ?? undefined;
}

/** The zone's offset from UTC at an instant, in seconds. */
export function offsetAt(zone: Zone, epochMs: number): number {
  if (zone.kind === 'offset') return zone.seconds;
  const text = regionFormatter(zone.id)?.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m || m[1] === undefined) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0));
}

/**
 * The instant of a local date-time in a zone, as ZonedDateTime.ofLocal chooses it: in an overlap
 * the earlier offset (the one before the transition), in a gap the local time moved later by the
 * gap's length. `localMs` is the local date-time read as if it were UTC.
 */
export function instantOfLocal(zone: Zone, localMs: number): number {
  if (zone.kind === 'offset') return localMs - zone.seconds * 1000;
  const before = offsetAt(zone, localMs - 86_400_000);
  const after = offsetAt(zone, localMs + 86_400_000);
  const valid = [before, after].filter((offset) => offsetAt(zone, localMs - offset * 1000) === offset);
  if (valid.length === 0) return localMs - before * 1000;
  // Both valid: an overlap, where the offset before the transition is the larger one.
  return localMs - Math.max(...valid) * 1000;
}

const SHORT_NAMES = new Map<string, Intl.DateTimeFormat>();

/** The zone's name for `z` (short) and `zzzz` (long) patterns: the id of an offset, else ICU's English name. */
export function zoneName(zone: Zone, epochMs: number, long: boolean): string {
  if (zone.kind === 'offset') return zone.id;
  const key = `${zone.id}|${long ? 'long' : 'short'}`;
  let formatter = SHORT_NAMES.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: long ? 'long' : 'short' });
    if (SHORT_NAMES.size >= MAX_CACHED_ZONES) SHORT_NAMES.clear();
    SHORT_NAMES.set(key, formatter);
  }
  return formatter.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? zone.id;
}
