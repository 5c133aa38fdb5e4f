/**
 * The rules of a password policy as PingOne names them (OpenAPI `PasswordPolicy`): everything a
 * policy holds besides its id, name, default flag and read-only fields. Optional members are "not
 * enforced when not present", as PingOne documents each of them.
 */

/** PingOne's four `minCharacters` keys: the characters of each class, spelled out. */
export const CHARACTER_CLASSES = [
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  'abcdefghijklmnopqrstuvwxyz',
  '0123456789',
  '~!@#$%^&*()-_=+[]{}|;:,.<>/?',
] as const;

export type CharacterClass = (typeof CHARACTER_CLASSES)[number];

export interface PasswordPolicySettings {
  description?: string;
  excludesProfileData: boolean;
  notSimilarToCurrent: boolean;
  excludesCommonlyUsed: boolean;
  length?: { min?: number; max?: number };
  minCharacters?: Partial<Record<CharacterClass, number>>;
  maxRepeatedCharacters?: number;
  minUniqueCharacters?: number;
  minComplexity?: number;
  history?: { count?: number; retentionDays?: number };
  lockout?: { failureCount?: number; durationSeconds?: number };
  maxAgeDays?: number;
  minAgeDays?: number;
  alphabetSequenceRule?: { maxLength?: number };
  numberSequenceRule?: { maxLength?: number };
  qwertySequenceRule?: { maxLength?: number };
  shiftedNumberRowSequenceRule?: { maxLength?: number };
}
