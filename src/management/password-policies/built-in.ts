/**
 * PingOne's three built-in password policies, which every environment starts with: "Standard"
 * (the default), "Passphrase" and "Basic" (developer.pingidentity.com, "Password Policies";
 * docs.pingidentity.com, "Password policies", the comparison table). Keyway enforces the rules it
 * knows (see ../users/password-policy.ts); the others are stored and returned as PingOne's are.
 *
 * Checked against PingOne's public pages: the "Password Policies" page of the Platform API
 * reference (developer.pingidentity.com/pingone-api/platform/password-policies.html) says every
 * environment starts with these three, that Basic has no expiration rule (no `maxAgeDays` below),
 * checks the commonly used list and takes 8 to 255 characters. Standard's history (6 passwords,
 * 365 days), age (182 days at most, 1 at least), length (8 to 255) and lockout (5 failures, 900 s)
 * are the values of the Standard-like example of PingOne's Terraform provider documentation
 * (`pingone_password_policy`); the rest of Standard's and Passphrase's requirements
 * (`minComplexity` 7, the repeated and unique character counts) could not be confirmed there.
 */
import { newId } from '../../domain/ids.js';
import type { PasswordPolicySettings } from '../../domain/users/password-policy-settings.js';
import type { PasswordPolicyRecord } from '../../store/types.js';

/** One of each: an upper-case letter, a lower-case letter, a digit and one of PingOne's specials. */
const ONE_OF_EACH: PasswordPolicySettings['minCharacters'] = {
  ABCDEFGHIJKLMNOPQRSTUVWXYZ: 1,
  abcdefghijklmnopqrstuvwxyz: 1,
  '0123456789': 1,
  '~!@#$%^&*()-_=+[]{}|;:,.<>/?': 1,
};

/** 5 failures lock the account for 15 minutes, Keyway's lockout before policies existed. */
const LOCKOUT = { failureCount: 5, durationSeconds: 900 };

export const STANDARD_POLICY: PasswordPolicySettings = {
  description: 'A standard policy that incorporates industry best practices',
  excludesProfileData: true,
  notSimilarToCurrent: true,
  excludesCommonlyUsed: true,
  maxRepeatedCharacters: 2,
  minUniqueCharacters: 5,
  history: { count: 6, retentionDays: 365 },
  lockout: LOCKOUT,
  length: { min: 8, max: 255 },
  minCharacters: ONE_OF_EACH,
  maxAgeDays: 182,
  minAgeDays: 1,
};

const PASSPHRASE_POLICY: PasswordPolicySettings = {
  description: 'A policy that encourages passphrases',
  excludesProfileData: true,
  notSimilarToCurrent: true,
  excludesCommonlyUsed: true,
  minComplexity: 7,
  history: { count: 6, retentionDays: 365 },
  lockout: LOCKOUT,
};

const BASIC_POLICY: PasswordPolicySettings = {
  description: 'A relaxed policy that allows maximum customer flexibility',
  excludesProfileData: false,
  notSimilarToCurrent: false,
  excludesCommonlyUsed: true,
  length: { min: 8, max: 255 },
  minCharacters: ONE_OF_EACH,
  lockout: LOCKOUT,
};

/** The three policies of a new environment, by name, Standard (the default) first. */
const BUILT_IN: ReadonlyArray<readonly [name: string, settings: PasswordPolicySettings]> = [
  ['Standard', STANDARD_POLICY],
  ['Passphrase', PASSPHRASE_POLICY],
  ['Basic', BASIC_POLICY],
];

export const BUILT_IN_PASSWORD_POLICY_NAMES: readonly string[] = BUILT_IN.map(([name]) => name);

/** The three policies of a new environment, Standard the default. */
export function builtInPasswordPolicies(environmentId: string, at: string): PasswordPolicyRecord[] {
  const stamp = { version: 1, createdAt: at, updatedAt: at };
  const make = (name: string, settings: PasswordPolicySettings, isDefault: boolean): PasswordPolicyRecord => ({
    id: newId(),
    environmentId,
    name,
    default: isDefault,
    settings: structuredClone(settings),
    ...stamp,
  });
  return BUILT_IN.map(([name, settings], i) => make(name, settings, i === 0));
}
