/**
 * The bodies of PingOne's password operations on `…/users/{id}/password`, by media type
 * (PingOne "User Passwords": Update Password (Set), (Self), (Admin), Password Check):
 *
 * - `password.set+json` `{value, forceChange?}`: a cleartext value is checked against the policy
 *   (./password-policy.ts); a pre-encoded one (`{SSHA512}…`) is not, as on PingOne, but must be
 *   one Keyway can verify (./pre-encoded.ts).
 * - `password.reset+json` with `{currentPassword, newPassword}`: the self-service change; the new
 *   password is checked against the policy.
 * - `password.reset+json` with `{newPassword}` alone: an administrator's reset to a temporary
 *   password, which PingOne does not check against the policy; Keyway still bounds it (1 to 255
 *   characters, no control characters) so that it can be typed and stored.
 * - `password.check+json` `{password}`.
 */
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';
import type { PasswordPolicySettings } from '../../domain/users/password-policy-settings.js';
import { STANDARD_POLICY } from '../password-policies/built-in.js';
import { PASSWORD_POLICY, passwordPolicyDetails } from './password-policy.js';
import { looksPreEncoded, preEncodedProblem } from './pre-encoded.js';

/** Bound on any raw password string; past it a value is refused before any rule runs. */
const MAX_RAW_LENGTH = 4096;
const CONTROL = /\p{Cc}/u;
const PRE_ENCODED_ELSEWHERE =
  'A pre-encoded password is taken on import (Content-Type: application/vnd.pingidentity.user.import+json) or with password.set+json; here send the password itself.';

/** A password to store: a cleartext to hash, or a pre-encoded hash to keep as given. */
export type NewPassword = { kind: 'cleartext'; value: string; forceChange: boolean } | { kind: 'pre-encoded'; hash: string; forceChange: boolean };

export type ResetBody = { kind: 'self'; currentPassword: string; newPassword: string } | { kind: 'admin'; newPassword: string };

/**
 * Reads `{value, forceChange?}` into `fields` (a create body's `password`, or the set body);
 * undefined with every problem reported when it is not acceptable.
 */
export function readNewPassword(
  fields: FieldReader,
  username: string | undefined,
  allowPreEncoded: boolean,
  policy: PasswordPolicySettings = STANDARD_POLICY,
): NewPassword | undefined {
  const value = fields.string('value', MAX_RAW_LENGTH, { required: true, nonBlank: true });
  const forceChange = fields.boolean('forceChange');
  if (value === undefined) return undefined;
  const forceChangeValid = forceChange !== undefined || !fields.has('forceChange');
  if (!allowPreEncoded && looksPreEncoded(value)) {
    fields.report(detail.invalid(fields.target('value'), PRE_ENCODED_ELSEWHERE));
    return undefined;
  }
  if (looksPreEncoded(value)) {
    const problem = preEncodedProblem(value);
    if (problem !== undefined) fields.report(detail.invalid(fields.target('value'), problem));
    return problem === undefined && forceChangeValid ? { kind: 'pre-encoded', hash: value, forceChange: forceChange === true } : undefined;
  }
  const violations = passwordPolicyDetails(value, username, fields.target('value'), policy);
  violations.forEach((d) => fields.report(d));
  return violations.length === 0 && forceChangeValid ? { kind: 'cleartext', value, forceChange: forceChange === true } : undefined;
}

/** The body of `PUT …/password` as `password.set+json`. */
export function parseSetBody(body: unknown, username: string, policy: PasswordPolicySettings): NewPassword {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const input = readNewPassword(fields, username, true, policy);
  throwIfInvalid(fields.issues);
  return input as NewPassword;
}

/** The body of `PUT …/password` as `password.reset+json`: a self change or an administrator's reset. */
export function parseResetBody(body: unknown, username: string, policy: PasswordPolicySettings): ResetBody {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const newPassword = fields.string('newPassword', MAX_RAW_LENGTH, { required: true, nonBlank: true });
  const currentPassword = fields.string('currentPassword', MAX_RAW_LENGTH, { nonBlank: true });
  if (newPassword !== undefined) {
    const details = currentPassword === undefined ? temporaryPasswordDetails(newPassword) : passwordPolicyDetails(newPassword, username, 'newPassword', policy);
    details.forEach((d) => fields.report(d));
  }
  throwIfInvalid(fields.issues);
  return currentPassword === undefined
    ? { kind: 'admin', newPassword: newPassword as string }
    : { kind: 'self', currentPassword, newPassword: newPassword as string };
}

/** The body of `POST …/password` as `password.check+json`. */
export function parseCheckBody(body: unknown): string {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const password = fields.string('password', MAX_RAW_LENGTH, { required: true, nonBlank: true });
  throwIfInvalid(fields.issues);
  return password as string;
}

function temporaryPasswordDetails(value: string) {
  const details = [];
  if ([...value].length > PASSWORD_POLICY.maxLength) {
    details.push(detail.invalid('newPassword', `The password must be at most ${PASSWORD_POLICY.maxLength} characters long.`));
  }
  if (CONTROL.test(value)) details.push(detail.invalid('newPassword', 'The password must not contain control characters.'));
  if (looksPreEncoded(value)) details.push(detail.invalid('newPassword', 'A reset takes the password itself; set a pre-encoded one with password.set+json.'));
  return details;
}
