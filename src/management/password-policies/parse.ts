/**
 * The body of `POST …/passwordPolicies` and `PUT …/passwordPolicies/{id}` (OpenAPI
 * `PasswordPolicy`): `name`, `excludesCommonlyUsed`, `excludesProfileData` and
 * `notSimilarToCurrent` are required; every other rule is optional and, when absent, not enforced.
 * PUT replaces the whole policy (an omitted rule is removed), as PingOne's update does. The bounds
 * are the OpenAPI description's (`length.min` 8–32, sequence rules 2–3 or 3, `minimum: 1`).
 * Read-only fields (`id`, `environment`, `populationCount`, `createdAt`, `updatedAt`, `_links`)
 * are ignored.
 */
import { CHARACTER_CLASSES, type PasswordPolicySettings } from '../../domain/users/password-policy-settings.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';

const MAX_NAME_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 1024;
/** Beyond any sensible setting; keeps stored numbers small. */
const LARGE = 100_000;
const MAX_PASSWORD_LENGTH = 255;

export interface PasswordPolicyInput {
  name: string;
  /** Absent when the body does not say (create: not the default; replace: unchanged). */
  default?: boolean;
  settings: PasswordPolicySettings;
}

export function parsePasswordPolicyBody(body: unknown): PasswordPolicyInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  const isDefault = fields.boolean('default');
  const settings = readSettings(fields);
  throwIfInvalid(fields.issues);
  const input: PasswordPolicyInput = { name: name as string, settings };
  if (isDefault !== undefined) input.default = isDefault;
  return input;
}

function readSettings(fields: FieldReader): PasswordPolicySettings {
  const settings: PasswordPolicySettings = {
    excludesProfileData: fields.boolean('excludesProfileData', { required: true }) ?? false,
    notSimilarToCurrent: fields.boolean('notSimilarToCurrent', { required: true }) ?? false,
    excludesCommonlyUsed: fields.boolean('excludesCommonlyUsed', { required: true }) ?? false,
  };
  const description = fields.string('description', MAX_DESCRIPTION_LENGTH, { nonBlank: true });
  if (description !== undefined) settings.description = description;
  const length = readLength(fields);
  if (length) settings.length = length;
  const minCharacters = readMinCharacters(fields);
  if (minCharacters) settings.minCharacters = minCharacters;
  setNumber(settings, 'maxRepeatedCharacters', fields.integer('maxRepeatedCharacters', 1, MAX_PASSWORD_LENGTH));
  setNumber(settings, 'minUniqueCharacters', fields.integer('minUniqueCharacters', 1, MAX_PASSWORD_LENGTH));
  setNumber(settings, 'minComplexity', fields.integer('minComplexity', 1, LARGE));
  setNumber(settings, 'maxAgeDays', fields.integer('maxAgeDays', 1, LARGE));
  setNumber(settings, 'minAgeDays', fields.integer('minAgeDays', 1, LARGE));
  checkAges(fields, settings);
  const history = readNested(fields, 'history', { count: [1, LARGE], retentionDays: [1, LARGE] });
  if (history) settings.history = history;
  const lockout = readNested(fields, 'lockout', { failureCount: [1, LARGE], durationSeconds: [1, LARGE] });
  if (lockout) settings.lockout = lockout;
  for (const [key, min] of [['alphabetSequenceRule', 2], ['numberSequenceRule', 2], ['qwertySequenceRule', 3], ['shiftedNumberRowSequenceRule', 3]] as const) {
    const rule = readNested(fields, key, { maxLength: [min, 3] });
    if (rule) settings[key] = rule;
  }
  return settings;
}

function setNumber<K extends keyof PasswordPolicySettings>(settings: PasswordPolicySettings, key: K, value: number | undefined): void {
  if (value !== undefined) (settings as unknown as Record<string, unknown>)[key] = value;
}

/** `length.min` 8–32 (PingOne's bounds), `length.max` up to 255 and not below `min`. */
function readLength(fields: FieldReader): { min?: number; max?: number } | undefined {
  const length = readNested(fields, 'length', { min: [8, 32], max: [8, MAX_PASSWORD_LENGTH] });
  if (length?.min !== undefined && length.max !== undefined && length.max < length.min) {
    fields.report(detail.invalid('length.max', 'length.max must not be less than length.min.'));
  }
  return length;
}

/** PingOne allows only its four character-class keys. */
function readMinCharacters(fields: FieldReader): PasswordPolicySettings['minCharacters'] {
  const inner = fields.object('minCharacters');
  if (!inner) return undefined;
  const raw = fields.raw('minCharacters') as Record<string, unknown>;
  const known: readonly string[] = CHARACTER_CLASSES;
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      fields.report(detail.invalid(`minCharacters.${key}`, `minCharacters keys must be one of: ${CHARACTER_CLASSES.map((k) => `"${k}"`).join(', ')}.`));
    }
  }
  const counts: Record<string, number> = {};
  for (const key of CHARACTER_CLASSES) {
    const value = inner.integer(key, 0, MAX_PASSWORD_LENGTH);
    if (value !== undefined) counts[key] = value;
  }
  return counts;
}

/** PingOne: `maxAgeDays` must exceed `minAgeDays` + 21, the expiry warning interval. */
function checkAges(fields: FieldReader, settings: PasswordPolicySettings): void {
  if (settings.maxAgeDays !== undefined && settings.maxAgeDays <= (settings.minAgeDays ?? 0) + 21) {
    fields.report(detail.invalid('maxAgeDays', 'maxAgeDays must be greater than minAgeDays (if set) + 21, the password expiry warning interval.'));
  }
}

/** An object of bounded integers; absent members stay absent. */
function readNested<K extends string>(fields: FieldReader, key: string, bounds: Record<K, [number, number]>): Partial<Record<K, number>> | undefined {
  const inner = fields.object(key);
  if (!inner) return undefined;
  const result: Partial<Record<K, number>> = {};
  for (const [member, [min, max]] of Object.entries(bounds) as [K, [number, number]][]) {
    const value = inner.integer(member, min, max);
    if (value !== undefined) result[member] = value;
  }
  return result;
}
