/**
 * The attribute fields of a user body, with PingOne's bounds and character classes (OpenAPI
 * `User`, `User_name`, `User_address`, `User_photo`): each string is bounded, U+0000 and control
 * characters are refused, and an explicit `null` means "absent" (PingOne's way to unset an
 * attribute, a whole `address` or `photo` as well as one member of `address`).
 */
import type { UserAddress, UserName, UserPhoto, UserProfile } from '../../domain/users/user-profile.js';
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
/**
 * `User_address.streetAddress`: PingOne's pattern, which unlike PRINTABLE takes line breaks
 * ("multi-line extended street address information") and no symbols.
 */
const STREET_ADDRESS = /^[\p{L}\p{M}\p{N}\p{Zs}\p{P}\n\r]*$/u;
/**
 * `User_address.countryCode`: "ISO 3166-1 `alpha-2` code format … two upper-case letters". The
 * OpenAPI pattern `[A-Z]{2}` is unanchored; anchored here, as the description means the whole value.
 */
const COUNTRY_CODE = /^[A-Z]{2}$/;
/**
 * `User_photo.href`: "a valid URL that starts with the HTTP or HTTPS scheme"; a URI has no
 * spaces or control characters (RFC 3986 §2), which the WHATWG parser would otherwise drop or encode.
 */
const HTTP_URL = /^https?:\/\/[^\s\p{Cc}]+$/iu;
/** Keyway's bound on `photo.href` (PingOne gives none): a URL longer than this is not a photo link. */
const PHOTO_HREF_MAX = 2048;

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

const ADDRESS_FIELDS: Record<keyof UserAddress, TextRule> = {
  streetAddress: { max: 256, pattern: STREET_ADDRESS, expected: 'letters, digits, punctuation, spaces or line breaks' },
  locality: { max: 256, pattern: PRINTABLE },
  region: { max: 256, pattern: PRINTABLE },
  postalCode: { max: 40, pattern: PRINTABLE },
  countryCode: { max: 2, pattern: COUNTRY_CODE, expected: 'two upper-case letters, an ISO 3166-1 alpha-2 code such as "US"' },
};

/** The string attributes at the top level of a user (the objects `name`, `address`, `photo` aside). */
const PROFILE_FIELDS: Record<Exclude<keyof UserProfile, 'name' | 'address' | 'photo'>, TextRule> = {
  externalId: { max: 1024, pattern: PRINTABLE },
  // Not in PingOne's OpenAPI `User`, but a standard attribute of its user schema ("Account ID",
  // an organization-specific identifier): bounded and held to the characters of externalId.
  accountId: { max: 1024, pattern: PRINTABLE },
  mobilePhone: { max: 32, pattern: PRINTABLE },
  primaryPhone: { max: 32, pattern: PRINTABLE },
  locale: { max: 256, pattern: PRINTABLE },
  nickname: { max: 256, pattern: PRINTABLE },
  title: { max: 256, pattern: PRINTABLE },
  type: { max: 256, pattern: PRINTABLE },
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
  const address = readAddress(fields);
  if (address !== undefined) profile.address = address;
  const photo = readPhoto(fields);
  if (photo !== undefined) profile.photo = photo;
  Object.assign(profile, readTextMembers(fields, PROFILE_FIELDS));
  requireDigit(fields, profile, 'mobilePhone');
  requireDigit(fields, profile, 'primaryPhone');
  return profile;
}

/** OpenAPI `User.mobilePhone`, `User.primaryPhone`: "Valid phone numbers must have at least one number". */
function requireDigit(fields: FieldReader, profile: UserProfile, key: 'mobilePhone' | 'primaryPhone'): void {
  const value = profile[key];
  if (value === undefined || HAS_DIGIT.test(value)) return;
  fields.report(detail.invalid(key, `${key} must contain at least one digit.`));
  delete profile[key];
}

/**
 * An object attribute of text members (`name`, `address`): each member under its rule; an object
 * without any member is no value.
 */
function readTextObject<T extends Record<string, string>>(fields: FieldReader, key: string, rules: Record<keyof T, TextRule>): Partial<T> | undefined {
  const inner = fields.object(key, { message: `${key} must be an object.` });
  if (!inner) return undefined;
  const out = readTextMembers(inner, rules);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The text members `rules` names, each under its rule; absent and invalid ones are left out. */
function readTextMembers<T extends Record<string, string>>(reader: FieldReader, rules: Record<keyof T, TextRule>): Partial<T> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [member, rule] of Object.entries(rules) as [keyof T & string, TextRule][]) {
    const value = readText(reader, member, rule);
    if (value !== undefined) out[member] = value;
  }
  return out as Partial<T>;
}

const readName = (fields: FieldReader): UserName | undefined => readTextObject<Required<UserName>>(fields, 'name', NAME_FIELDS);

/** `address`: its components as `User_address` bounds them; an object without any is no address. */
const readAddress = (fields: FieldReader): UserAddress | undefined => readTextObject<Required<UserAddress>>(fields, 'address', ADDRESS_FIELDS);

/** `photo`: `{href}`, `href` required (OpenAPI `User_photo`), an http or https URL. */
function readPhoto(fields: FieldReader): UserPhoto | undefined {
  const inner = fields.object('photo', { message: 'photo must be an object: {"href": "https://…"}.' });
  if (!inner) return undefined;
  const href = inner.checkedString('href', PHOTO_HREF_MAX, photoHrefIssue, { required: true, nonBlank: true });
  return href === undefined ? undefined : { href };
}

function photoHrefIssue(value: string, target: string): string | undefined {
  return HTTP_URL.test(value) && URL.canParse(value) ? undefined : `${target} must be an http or https URL.`;
}
