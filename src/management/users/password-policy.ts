/**
 * Keyway's password policy, applied wherever a password is set (create user, `PUT …/password`):
 *
 * - 8 to 255 characters (Unicode code points);
 * - not the username (compared case-insensitively);
 * - characters of at least 3 of 4 kinds: lower-case letters, upper-case letters, digits, others
 *   (symbols, punctuation, spaces, letters without case);
 * - no control characters (U+0000–U+001F, U+007F–U+009F);
 * - not a pre-encoded value (`{SSHA512}…`): PingOne can import those, Keyway cannot verify them.
 *
 * A violation is a 400 INVALID_DATA with one INVALID_VALUE detail per broken rule.
 */
import type { ErrorDetail } from '../../domain/pingone-error.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';

export const PASSWORD_POLICY = { minLength: 8, maxLength: 255, minCharacterKinds: 3 } as const;

/** Bound on the raw string; up to it, the length rule below answers with its own message. */
const MAX_RAW_LENGTH = 4096;

const KINDS: readonly RegExp[] = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u];
const CONTROL = /\p{Cc}/u;
const PRE_ENCODED = /^\{[A-Za-z0-9-]+\}/;

export interface PasswordInput {
  value: string;
  forceChange: boolean;
}

/** One detail per rule `value` breaks, each with `target`; empty when the password is acceptable. */
export function passwordPolicyDetails(value: string, username: string | undefined, target: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const length = [...value].length;
  if (length < PASSWORD_POLICY.minLength || length > PASSWORD_POLICY.maxLength) {
    details.push(detail.invalid(target, `The password must be ${PASSWORD_POLICY.minLength} to ${PASSWORD_POLICY.maxLength} characters long.`));
  }
  if (CONTROL.test(value)) details.push(detail.invalid(target, 'The password must not contain control characters.'));
  if (PRE_ENCODED.test(value)) details.push(detail.invalid(target, 'Pre-encoded password values ({ALGORITHM}…) are not supported; send the password itself.'));
  if (username !== undefined && value.normalize('NFC').toLowerCase() === username.normalize('NFC').toLowerCase()) {
    details.push(detail.invalid(target, 'The password must not be the username.'));
  }
  if (KINDS.filter((kind) => kind.test(value)).length < PASSWORD_POLICY.minCharacterKinds) {
    details.push(
      detail.invalid(
        target,
        'The password must contain characters of at least 3 of these 4 kinds: lower-case letters, upper-case letters, digits, other characters.',
      ),
    );
  }
  return details;
}

/**
 * Reads `{value, forceChange?}` (the body of `PUT …/password`, or a create body's `password`
 * object): the input when acceptable, else `undefined` with every violation reported to `fields`.
 */
export function readPassword(fields: FieldReader, username: string | undefined): PasswordInput | undefined {
  const value = fields.string('value', MAX_RAW_LENGTH, { required: true, nonBlank: true });
  const forceChange = fields.boolean('forceChange');
  if (value === undefined) return undefined;
  const violations = passwordPolicyDetails(value, username, fields.target('value'));
  violations.forEach((d) => fields.report(d));
  const forceChangeValid = forceChange !== undefined || !fields.has('forceChange');
  return violations.length === 0 && forceChangeValid ? { value, forceChange: forceChange === true } : undefined;
}

/** The body of `PUT …/users/{id}/password`, checked against the policy for `username`. */
export function parsePasswordBody(body: unknown, username: string): PasswordInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const input = readPassword(fields, username);
  throwIfInvalid(fields.issues);
  return input as PasswordInput;
}
