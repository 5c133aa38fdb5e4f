/**
 * PingOne's three built-in password policies, which every environment starts with: "Standard"
 * (the default), "Passphrase" and "Basic" (developer.pingidentity.com, "Password Policies";
 * docs.pingidentity.com, "Password policies", the comparison table). Keyway enforces the rules it
 * knows (see ../users/password-policy.ts); the others are stored and returned as PingOne's are.
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
  return [make('Standard', STANDARD_POLICY, true), make('Passphrase', PASSPHRASE_POLICY, false), make('Basic', BASIC_POLICY, false)];
}
