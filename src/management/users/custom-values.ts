/**
 * Custom attribute values in a user body (`POST …/users`, also as `user.import+json`, and
 * `PUT`/`PATCH …/users/{id}`): PingOne takes them by attribute name at the top level of the
 * user (developer.pingidentity.com, "Schemas", Custom attributes) and holds them to the
 * attribute's definition (OpenAPI `SchemaAttribute`):
 *
 * - a STRING attribute takes a non-blank string, a JSON attribute an object;
 * - `multiValued`: an array of those (at most 1,000, none twice); otherwise never an array;
 * - `enumeratedValues`: one of the values (an archived one only if the user already holds it);
 * - `regexValidation`: the pattern matches the whole value; the refusal quotes `requirements`;
 * - `required`: "Required attributes must be provided a value during create/update";
 * - together at most 16 KB: "the string length for all of the custom attribute values", JSON
 *   values by their JSON text ("Schemas", Custom attributes);
 * - "Disabled attributes are ignored on create/update and not returned on read": a value of a
 *   disabled attribute is dropped, and the store keeps what the user held.
 *
 * A top-level name that is neither a field of PingOne's `User` nor an attribute of the schema is
 * refused with INVALID_VALUE (README, "Custom attribute values"). Uniqueness is the store's.
 */
import type { ErrorDetail } from '../../domain/pingone-error.js';
import { isJsonObject } from '../../domain/json-object.js';
import type { CustomAttributeItem, CustomAttributeValue, CustomAttributeValues } from '../../domain/users/custom-attribute-values.js';
import type { SchemaAttributeRecord } from '../../store/types.js';
import { detail } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import type { JsonObject } from '../fields.js';
import { wholeValue } from '../schemas/parse.js';

/** PingOne's bound on the values of all custom attributes of one user (characters). */
export const MAX_CUSTOM_VALUES_SIZE = 16384;
/** OpenAPI `SchemaAttribute.multiValued`: "Maximum number of values stored is 1,000." */
export const MAX_VALUES_PER_ATTRIBUTE = 1000;

/**
 * The properties of OpenAPI `User`, and `accountId`, a standard attribute of PingOne's user schema
 * that the OpenAPI document leaves out (./profile.ts): a body may carry them whether or not
 * Keyway keeps them.
 */
export const USER_FIELDS: ReadonlySet<string> = new Set([
  '_links', 'account', 'accountId', 'address', 'createdAt', 'email', 'emailVerified', 'enabled', 'environment', 'externalId', 'id',
  'identityProvider', 'lastSignOn', 'lifecycle', 'locale', 'memberOfGroupIDs', 'memberOfGroupNames', 'mfaEnabled',
  'mobilePhone', 'name', 'nickname', 'password', 'photo', 'population', 'preferredLanguage', 'primaryPhone', 'timezone',
  'title', 'type', 'updatedAt', 'username', 'verifyStatus',
]);

/**
 * The values `body` gives the enabled custom attributes of `schema`; every violation is pushed
 * onto `issues`. `current` is what the user holds (an update), for archived enumerated values.
 */
export function readCustomValues(
  body: JsonObject,
  schema: readonly SchemaAttributeRecord[],
  issues: ErrorDetail[],
  current: CustomAttributeValues = {},
): CustomAttributeValues {
  refuseUnknownNames(body, schema, issues);
  const values: CustomAttributeValues = {};
  let size = 0;
  for (const attribute of schema) {
    if (!attribute.settings.enabled) continue;
    const value = readAttribute(body[attribute.name], attribute, issues, current[attribute.name]);
    if (value === undefined) continue;
    values[attribute.name] = value;
    size += sizeOf(value);
    if (size > MAX_CUSTOM_VALUES_SIZE) {
      issues.push(detail.size(attribute.name, `The values of a user's custom attributes may hold at most ${MAX_CUSTOM_VALUES_SIZE} characters together.`, MAX_CUSTOM_VALUES_SIZE));
      return values;
    }
  }
  return values;
}

function refuseUnknownNames(body: JsonObject, schema: readonly SchemaAttributeRecord[], issues: ErrorDetail[]): void {
  const custom = new Set(schema.map((a) => a.name));
  for (const key of Object.keys(body)) {
    if (!USER_FIELDS.has(key) && !custom.has(key)) {
      issues.push(detail.invalid(key, `${key} is not an attribute of the user schema.`));
    }
  }
}

/** One attribute's value, or undefined (absent, or refused with a detail). */
function readAttribute(raw: unknown, a: SchemaAttributeRecord, issues: ErrorDetail[], held: CustomAttributeValue | undefined): CustomAttributeValue | undefined {
  const { name, settings } = a;
  const absent = raw === undefined || raw === null || (settings.multiValued && Array.isArray(raw) && raw.length === 0);
  if (absent) {
    if (settings.required) issues.push(detail.required(name));
    return undefined;
  }
  if (!settings.multiValued) {
    if (Array.isArray(raw)) {
      issues.push(detail.invalid(name, `${name} is single-valued: give one value, not an array.`));
      return undefined;
    }
    return readItem(raw, name, a, issues, heldItems(held));
  }
  if (!Array.isArray(raw)) {
    issues.push(detail.invalid(name, `${name} is multi-valued: give an array of values.`));
    return undefined;
  }
  return readItems(raw, a, issues, heldItems(held));
}

function readItems(raw: unknown[], a: SchemaAttributeRecord, issues: ErrorDetail[], held: readonly CustomAttributeItem[]): CustomAttributeItem[] | undefined {
  if (raw.length > MAX_VALUES_PER_ATTRIBUTE) {
    issues.push(detail.size(a.name, `${a.name} may hold at most ${MAX_VALUES_PER_ATTRIBUTE} values.`, MAX_VALUES_PER_ATTRIBUTE));
    return undefined;
  }
  const before = issues.length;
  const seen = new Set<string>();
  const items: CustomAttributeItem[] = [];
  raw.forEach((entry, i) => {
    const item = readItem(entry, `${a.name}[${i}]`, a, issues, held);
    if (item === undefined) return;
    const key = JSON.stringify(item);
    if (seen.has(key)) issues.push(detail.invalid(`${a.name}[${i}]`, `${a.name} must not hold the same value twice.`));
    seen.add(key);
    items.push(item);
  });
  return issues.length === before ? items : undefined;
}

/** One item: its type, then the STRING attribute's enumeration or pattern. */
function readItem(raw: unknown, target: string, a: SchemaAttributeRecord, issues: ErrorDetail[], held: readonly CustomAttributeItem[]): CustomAttributeItem | undefined {
  const { settings } = a;
  if (settings.type === 'JSON') {
    if (isJsonObject(raw)) return raw;
    issues.push(detail.invalid(target, `${target} must be a JSON object.`));
    return undefined;
  }
  if (typeof raw !== 'string') {
    issues.push(detail.invalid(target, `${target} must be a string.`));
    return undefined;
  }
  const textIssue = GENERAL_RULES.text(target, raw, MAX_CUSTOM_VALUES_SIZE, { nonBlank: true });
  if (textIssue) {
    issues.push(textIssue);
    return undefined;
  }
  const problem = enumerationProblem(raw, target, a, held) ?? patternProblem(raw, target, a);
  if (problem) {
    issues.push(problem);
    return undefined;
  }
  return raw;
}

function enumerationProblem(value: string, target: string, a: SchemaAttributeRecord, held: readonly CustomAttributeItem[]): ErrorDetail | undefined {
  const enumerated = a.settings.enumeratedValues;
  if (!enumerated) return undefined;
  const allowed = enumerated.filter((e) => !e.archived || held.includes(e.value)).map((e) => e.value);
  if (allowed.includes(value)) return undefined;
  return detail.invalid(target, `${target} must be one of the attribute's enumerated values.`, { allowedValues: allowed });
}

function patternProblem(value: string, target: string, a: SchemaAttributeRecord): ErrorDetail | undefined {
  const regex = a.settings.regexValidation;
  if (!regex || wholeValue(regex.pattern).test(value)) return undefined;
  return detail.invalid(target, `${target} does not meet the attribute's requirements: ${regex.requirements}`, { allowedPattern: regex.pattern });
}

function heldItems(held: CustomAttributeValue | undefined): CustomAttributeItem[] {
  return held === undefined ? [] : Array.isArray(held) ? held : [held];
}

/** PingOne's measure: a string's length; a JSON value's, its JSON text's; an array's, the sum. */
function sizeOf(value: CustomAttributeValue): number {
  return heldItems(value).reduce<number>((n, item) => n + (typeof item === 'string' ? item.length : JSON.stringify(item).length), 0);
}
