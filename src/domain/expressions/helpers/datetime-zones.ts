/**
 * `#datetime.parse` and `#datetime.toDateTimeInTimezone` (PingOne's "Date and time library"):
 * text in a DateTimeFormatter pattern to the default ISO 8601 output, and an ISO 8601 date-time
 * to another zone. Zones are read as ZoneId.of reads them (time/zones.ts); a zone, pattern or
 * input Java would refuse gives null, as documented.
 */
import type { JsonValue } from '../ast.js';
import { EvaluationError } from '../errors.js';
import { EXPRESSION_LIMITS } from '../limits.js';
import { utcFields } from '../../calendar/civil.js';
import { parseIsoDate, printIso, printZonedDefault } from '../time/iso.js';
import { printPattern } from '../time/printer.js';
import { readPattern } from '../time/reader.js';
import { resolveInstant } from '../time/resolve.js';
import { offsetAt, UTC, zoneOf, type Zone } from '../time/zones.js';
import { checkDatePattern, datePattern } from './date-patterns.js';
import type { Helper } from './types.js';

function zoneArgument(value: JsonValue | undefined): Zone | undefined {
  return typeof value === 'string' && value.length <= 64 ? zoneOf(value) : undefined;
}

/** `{zoneid}`: the zone of an input without one (UTC without it); undefined for an invalid zone id. */
function defaultZone(options: JsonValue | undefined): Zone | undefined {
  if (options === null || options === undefined) return UTC;
  if (typeof options !== 'object' || Array.isArray(options)) throw new EvaluationError('#datetime.parse takes a map of options');
  if (!Object.hasOwn(options, 'zoneid') || options.zoneid === null) return UTC;
  return zoneArgument(options.zoneid);
}

const parse: Helper = {
  minArgs: 3,
  maxArgs: 3,
  literalChecks: { 1: checkDatePattern },
  call: ([input, pattern, options], env) => {
    const items = datePattern(pattern, 'parse', env);
    const zone = defaultZone(options);
    if (!items || !zone || typeof input !== 'string' || input.trim() === '') return null;
    if (input.length > EXPRESSION_LIMITS.maxParseInputLength) return null;
    const fields = readPattern(items, input);
    const instant = fields && resolveInstant(fields, zone);
    return instant === undefined ? null : printIso(new Date(instant));
  },
};

/** The date-time in the zone, with the pattern or else `yyyy-MM-dd'T'HH:mm:ss[.SSS]Z`. */
const toDateTimeInTimezone: Helper = {
  minArgs: 3,
  maxArgs: 3,
  literalChecks: { 2: checkDatePattern },
  call: ([input, timezone, pattern], env) => {
    const items = pattern === null || pattern === undefined ? undefined : datePattern(pattern, 'toDateTimeInTimezone', env);
    const date = parseIsoDate(input);
    const zone = zoneArgument(timezone);
    if (items === null || !date || !zone) return null;
    const epochMs = date.getTime();
    const offsetSeconds = offsetAt(zone, epochMs);
    const localMs = epochMs + offsetSeconds * 1000;
    if (!items) return printZonedDefault(localMs, offsetSeconds);
    return printPattern(items, { local: utcFields(localMs), offsetSeconds, zone, epochMs });
  },
};

export const ZONE_HELPERS: Record<string, Helper> = { parse, toDateTimeInTimezone };
