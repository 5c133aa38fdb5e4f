/**
 * The attribute fields of a user body, with PingOne's bounds and character classes (OpenAPI
 * `User`, `User_name`): each string is bounded, U+0000 and control characters are refused, and
 * an explicit `null` means "absent" (PingOne's way to unset an attribute).
 */
import type { UserName, UserProfile } from '../../domain/users/user-profile.js';
import { detail } from '../errors.js';
import type { FieldReader } from '../fields.js';

/** PingOne's "any letters, numbers, combining characters, symbols, punctuation, spaces". */
export const PRINTABLE = /^[\p{L}\p{M}\p{Zs}\p{S}\p{N}\p{P}]*$/u;
/** PingOne's pattern for `name.family` and `name.formatted`: letters, marks, digits, space, `'`, `.`, `-`. */
const NAME_PART = /^[\p{L}\p{M}\p{N}' .-]*$/u;
/** `Area/Location` (IANA time zone), PingOne's pattern. */
const TIMEZONE = /^\w+\/\w+$/;
/** A language range list as in Accept-Language (`en-US, en;q=0.7`). */
const LANGUAGE_RANGES = /^[A-Za-z0-9*;=.,\- ]+$/;
const HAS_DIGIT = /\p{Nd}/u;

interface TextRule {
  max: number;
  pattern?: RegExp;
  /** Why the pattern failed, for the detail message. */
  expected?: string;
}

const NAME_FIELDS: Record<keyof UserName, TextRule> = {
  given: { max: 256, pattern: PRINTABLE },
  middle: { max: 256, pattern: PRINTABLE },
  family: { max: 256, pattern: NAME_PART, expected: "letters, digits, spaces, apostrophes, dots or hyphens" },
  formatted: { max: 256, pattern: NAME_PART, expected: "letters, digits, spaces, apostrophes, dots or hyphens" },
  honorificPrefix: { max: 256, pattern: PRINTABLE },
  honorificSuffix: { max: 256, pattern: PRINTABLE },
};

const PROFILE_FIELDS: Record<Exclude<keyof UserProfile, 'name'>, TextRule> = {
  externalId: { max: 1024, pattern: PRINTABLE },
  mobilePhone: { max: 32, pattern: PRINTABLE },
  locale: { max: 256, pattern: PRINTABLE },
  nickname: { max: 256, pattern: PRINTABLE },
  title: { max: 256, pattern: PRINTABLE },
  preferredLanguage: { max: 256, pattern: LANGUAGE_RANGES, expected: 'a language range list such as "en-US, en;q=0.7"' },
  timezone: { max: 64, pattern: TIMEZONE, expected: 'an IANA time zone such as "America/Los_Angeles"' },
};

/** A bounded, non-blank string matching the rule's pattern, or undefined (with a detail when invalid). */
export function readText(fields: FieldReader, key: string, rule: TextRule, required = false): string | undefined {
  const expected = rule.expected ?? 'printable characters (letters, digits, symbols, punctuation, spaces)';
  const check = (value: string, target: string): string | undefined =>
    rule.pattern && !rule.pattern.test(value) ? `${target} may contain only ${expected}.` : undefined;
  return fields.checkedString(key, rule.max, check, { required, nonBlank: true });
}

/** Reads every optional attribute; violations go to `fields.issues`. */
export function readProfile(fields: FieldReader): UserProfile {
  const profile: UserProfile = {};
  const name = readName(fields);
  if (name !== undefined) profile.name = name;
  for (const [key, rule] of Object.entries(PROFILE_FIELDS) as [keyof typeof PROFILE_FIELDS, TextRule][]) {
    const value = readText(fields, key, rule);
    if (value !== undefined) profile[key] = value;
  }
  if (profile.mobilePhone !== undefined && !HAS_DIGIT.test(profile.mobilePhone)) {
    fields.report(detail.invalid('mobilePhone', 'mobilePhone must contain at least one digit.'));
    delete profile.mobilePhone;
  }
  return profile;
}

function readName(fields: FieldReader): UserName | undefined {
  const inner = fields.object('name', { message: 'name must be an object.' });
  if (!inner) return undefined;
  const name: UserName = {};
  for (const [key, rule] of Object.entries(NAME_FIELDS) as [keyof UserName, TextRule][]) {
    const value = readText(inner, key, rule);
    if (value !== undefined) name[key] = value;
  }
  return Object.keys(name).length > 0 ? name : undefined;
}
