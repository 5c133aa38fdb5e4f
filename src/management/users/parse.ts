/**
 * Request bodies of `POST/PUT/PATCH …/users[/{id}]` (docs/pingone-reference.md §5.3, OpenAPI
 * `User`). Read-only fields (`id`, `environment`, `account`, `createdAt`, `updatedAt`, `_links`)
 * are ignored; `enabled` and `lifecycle` are taken on create only, as in PingOne.
 *
 * PUT replaces: omitted optional attributes are removed, an omitted population is kept. PATCH
 * merges top-level fields into the current user (`null` removes one), then reads the result as
 * a PUT, so both validate alike. Custom attributes are top-level fields like the others
 * (./custom-values.ts).
 */
import type { CustomAttributeValues } from '../../domain/users/custom-attribute-values.js';
import type { PasswordPolicySettings } from '../../domain/users/password-policy-settings.js';
import type { SchemaAttributeRecord } from '../../store/types.js';
import type { UserProfile } from '../../domain/users/user-profile.js';
import type { UserLifecycleStatus, UserRecord } from '../../domain/users/user.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader, type JsonObject } from '../fields.js';
import { readCustomValues } from './custom-values.js';
import { readNewPassword, type NewPassword } from './password-bodies.js';
import { PRINTABLE, readProfile, readText } from './profile.js';

export const LIFECYCLE_STATUSES: readonly UserLifecycleStatus[] = ['ACCOUNT_OK', 'VERIFICATION_REQUIRED'];

/** Local part, `@`, a domain with a dot; no spaces. A basic check, not RFC 5322. */
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/u;

export interface UserInput {
  username: string;
  email: string;
  /** Absent: the default population (create) or the current one (replace). */
  populationId?: string;
  profile: UserProfile;
  /** Values of the schema's enabled custom attributes (./custom-values.ts). */
  customAttributes: CustomAttributeValues;
}

export interface NewUserInput extends UserInput {
  enabled: boolean;
  lifecycleStatus: UserLifecycleStatus;
  password?: NewPassword;
}

/**
 * Fields every body shares, custom attribute values included (held to `schema`, the
 * environment's custom attributes; `held` is what the user holds now); violations go to
 * `fields.issues`.
 */
function readUserFields(fields: FieldReader, body: JsonObject, schema: readonly SchemaAttributeRecord[], held?: CustomAttributeValues): Partial<UserInput> {
  const username = readText(fields, 'username', { max: 128, pattern: PRINTABLE }, true);
  const email = readText(fields, 'email', { max: 254, pattern: PRINTABLE }, true);
  if (email !== undefined && !EMAIL.test(email)) fields.report(detail.invalid('email', 'email must be an email address (name@example.com).'));
  const populationId = fields.reference('population');
  const input: Partial<UserInput> = { profile: readProfile(fields), customAttributes: readCustomValues(body, schema, fields.issues, held) };
  if (username !== undefined) input.username = username;
  if (email !== undefined && EMAIL.test(email)) input.email = email;
  if (populationId !== undefined) input.populationId = populationId;
  return input;
}

/**
 * The body of `POST …/users`, including an optional `password: {value, forceChange}` checked
 * against `policy` (the effective password policy of the user's population); a pre-encoded value
 * (`{SSHA512}…`) only with `preEncoded`, the import media type's body.
 */
export function parseNewUser(body: unknown, schema: readonly SchemaAttributeRecord[], preEncoded = false, policy?: PasswordPolicySettings): NewUserInput {
  const object = asObject(body);
  const fields = new FieldReader(object, GENERAL_RULES);
  const input = readUserFields(fields, object, schema);
  const enabled = fields.boolean('enabled');
  const lifecycleStatus = readLifecycle(fields);
  const password = readPasswordObject(fields, input.username, preEncoded, policy);
  throwIfInvalid(fields.issues);
  const user: NewUserInput = { ...(input as UserInput), enabled: enabled ?? true, lifecycleStatus: lifecycleStatus ?? 'ACCOUNT_OK' };
  if (password !== undefined) user.password = password;
  return user;
}

/**
 * The body of `PUT …/users/{id}`; a password is refused (it has its own endpoint). `held`: the
 * user's current custom attribute values.
 */
export function parseUserReplacement(body: unknown, schema: readonly SchemaAttributeRecord[], held?: CustomAttributeValues): UserInput {
  const object = asObject(body);
  const fields = new FieldReader(object, GENERAL_RULES);
  const input = readUserFields(fields, object, schema, held);
  // Even `"password": null` is refused here, unlike other fields where null means absent.
  if (fields.mentions('password')) {
    fields.report(detail.invalid('password', 'The password cannot be changed here; use PUT …/users/{userId}/password.'));
  }
  throwIfInvalid(fields.issues);
  return input as UserInput;
}

/** The body of `PATCH …/users/{id}` merged over `current`, then read as a replacement. */
export function parseUserPatch(body: unknown, current: UserRecord, schema: readonly SchemaAttributeRecord[]): UserInput {
  const patch = asObject(body);
  return parseUserReplacement({ ...currentFields(current), ...patch }, schema, current.customAttributes);
}

/** The writable fields of a stored user, as a body would carry them. */
function currentFields(user: UserRecord): JsonObject {
  return { ...user.customAttributes, username: user.username, email: user.email, population: { id: user.populationId }, ...user.profile };
}

function readLifecycle(fields: FieldReader): UserLifecycleStatus | undefined {
  const lifecycle = fields.object('lifecycle', { message: 'lifecycle must be an object.' });
  return lifecycle?.enumValue('status', LIFECYCLE_STATUSES);
}

function readPasswordObject(fields: FieldReader, username: string | undefined, preEncoded: boolean, policy?: PasswordPolicySettings): NewPassword | undefined {
  const password = fields.object('password', { message: 'password must be an object: {"value": "…", "forceChange": false}.' });
  return password && readNewPassword(password, username, preEncoded, policy);
}
