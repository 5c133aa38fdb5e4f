/**
 * The password rules, applied wherever a password is set (create user, `PUT …/password`), taken
 * from the effective password policy (../password-policies/service.ts: the population's policy,
 * else the environment's default). Of PingOne's rules (OpenAPI `PasswordPolicy`) Keyway enforces:
 *
 * - `length.min` / `length.max` (Unicode code points; never more than 255 whatever the policy);
 * - `minCharacters`: at least that many characters of each listed class;
 * - `maxRepeatedCharacters`: no longer run of one character;
 * - `minUniqueCharacters`: at least that many distinct characters;
 * - `excludesProfileData`: not the username (compared case-insensitively).
 *
 * The other rules (`excludesCommonlyUsed`, `notSimilarToCurrent`, `history`, `minComplexity`,
 * the sequence rules, `maxAgeDays`, `minAgeDays`) are stored and returned but not enforced (see
 * README). Whatever the policy, control characters (U+0000–U+001F, U+007F–U+009F) and
 * pre-encoded values (`{SSHA512}…`) are refused.
 *
 * A violation is a 400 INVALID_DATA with one INVALID_VALUE detail per broken rule.
 */
import type { ErrorDetail } from '../../domain/pingone-error.js';
import type { PasswordPolicySettings } from '../../domain/users/password-policy-settings.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';
import { STANDARD_POLICY } from '../password-policies/built-in.js';

/** Keyway's bounds whatever the policy: a stored password is 1 to 255 code points. */
export const PASSWORD_POLICY = { minLength: 1, maxLength: 255 } as const;

/** Bound on the raw string; up to it, the length rule below answers with its own message. */
const MAX_RAW_LENGTH = 4096;

const CONTROL = /\p{Cc}/u;
const PRE_ENCODED = /^\{[A-Za-z0-9-]+\}/;

export interface PasswordInput {
  value: string;
  forceChange: boolean;
}

/** The longest run of one repeated character in `chars`. */
function longestRun(chars: readonly string[]): number {
  let longest = 0;
  let run = 0;
  chars.forEach((c, i) => {
    run = i > 0 && chars[i - 1] === c ? run + 1 : 1;
    longest = Math.max(longest, run);
  });
  return longest;
}

function lengthDetails(chars: readonly string[], policy: PasswordPolicySettings, target: string): ErrorDetail[] {
  const min = Math.max(policy.length?.min ?? PASSWORD_POLICY.minLength, PASSWORD_POLICY.minLength);
  const max = Math.min(policy.length?.max ?? PASSWORD_POLICY.maxLength, PASSWORD_POLICY.maxLength);
  return chars.length < min || chars.length > max ? [detail.invalid(target, `The password must be ${min} to ${max} characters long.`)] : [];
}

function characterDetails(chars: readonly string[], policy: PasswordPolicySettings, target: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const [characters, min] of Object.entries(policy.minCharacters ?? {})) {
    const count = chars.filter((c) => characters.includes(c)).length;
    if (min !== undefined && count < min) details.push(detail.invalid(target, `The password must contain at least ${min} of these characters: ${characters}`));
  }
  if (policy.maxRepeatedCharacters !== undefined && longestRun(chars) > policy.maxRepeatedCharacters) {
    details.push(detail.invalid(target, `The password must not repeat a character more than ${policy.maxRepeatedCharacters} times in a row.`));
  }
  if (policy.minUniqueCharacters !== undefined && new Set(chars).size < policy.minUniqueCharacters) {
    details.push(detail.invalid(target, `The password must contain at least ${policy.minUniqueCharacters} different characters.`));
  }
  return details;
}

/** One detail per rule `value` breaks, each with `target`; empty when the password is acceptable. */
export function passwordPolicyDetails(
  value: string,
  username: string | undefined,
  target: string,
  policy: PasswordPolicySettings = STANDARD_POLICY,
): ErrorDetail[] {
  const chars = [...value];
  const details = lengthDetails(chars, policy, target);
  if (CONTROL.test(value)) details.push(detail.invalid(target, 'The password must not contain control characters.'));
  if (PRE_ENCODED.test(value)) details.push(detail.invalid(target, 'Pre-encoded password values ({ALGORITHM}…) are not supported; send the password itself.'));
  if (policy.excludesProfileData && username !== undefined && value.normalize('NFC').toLowerCase() === username.normalize('NFC').toLowerCase()) {
    details.push(detail.invalid(target, 'The password must not be the username.'));
  }
  return [...details, ...characterDetails(chars, policy, target)];
}

/**
 * Reads `{value, forceChange?}` (the body of `PUT …/password`, or a create body's `password`
 * object): the input when acceptable, else `undefined` with every violation reported to `fields`.
 */
export function readPassword(
  fields: FieldReader,
  username: string | undefined,
  policy: PasswordPolicySettings = STANDARD_POLICY,
): PasswordInput | undefined {
  const value = fields.string('value', MAX_RAW_LENGTH, { required: true, nonBlank: true });
  const forceChange = fields.boolean('forceChange');
  if (value === undefined) return undefined;
  const violations = passwordPolicyDetails(value, username, fields.target('value'), policy);
  violations.forEach((d) => fields.report(d));
  const forceChangeValid = forceChange !== undefined || !fields.has('forceChange');
  return violations.length === 0 && forceChangeValid ? { value, forceChange: forceChange === true } : undefined;
}

/** The body of `PUT …/users/{id}/password`, checked against `policy` for `username`. */
export function parsePasswordBody(body: unknown, username: string, policy: PasswordPolicySettings = STANDARD_POLICY): PasswordInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const input = readPassword(fields, username, policy);
  throwIfInvalid(fields.issues);
  return input as PasswordInput;
}
