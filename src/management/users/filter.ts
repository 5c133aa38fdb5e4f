/**
 * The `filter` query parameter of `GET …/users`. PingOne takes SCIM expressions
 * (RFC 7644 §3.4.2.2); Keyway supports two of them:
 *
 *     username eq "<value>"     (compared case-insensitively, like uniqueness)
 *     email eq "<value>"        (compared exactly)
 *
 * Attribute and operator names are case-insensitive, as in SCIM; the value is a JSON string
 * literal (`\"` and `\\` escapes). Anything else is a 400 INVALID_DATA with detail INVALID_FILTER.
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import type { UserFilter } from '../../store/types.js';

const MAX_FILTER_LENGTH = 1024;
const EXPRESSION = /^\s*(username|email)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/is;

function invalidFilter(): InvalidDataError {
  return new InvalidDataError([
    {
      code: 'INVALID_FILTER',
      target: 'filter',
      message: 'Unsupported filter. Use username eq "<value>" or email eq "<value>".',
    },
  ]);
}

/** The filter of a list request, or undefined when none was given. */
export function parseUserFilter(raw: unknown): UserFilter | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.length > MAX_FILTER_LENGTH) throw invalidFilter();
  const match = EXPRESSION.exec(raw);
  if (!match?.[1] || !match[2]) throw invalidFilter();
  let value: unknown;
  try {
    value = JSON.parse(match[2]);
  } catch {
    throw invalidFilter();
  }
  if (typeof value !== 'string' || value.includes('\u0000')) throw invalidFilter();
  return { attribute: match[1].toLowerCase() === 'username' ? 'username' : 'email', value };
}
