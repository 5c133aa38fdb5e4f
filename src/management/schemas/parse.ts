/**
 * The body of `POST …/schemas/{schemaId}/attributes` and of `PUT …/attributes/{attributeId}`
 * (OpenAPI `SchemaAttribute`; developer.pingidentity.com, "Schemas", "Schema attributes POST,
 * PUT, PATCH data model"). `name` and `enabled` are required; `type` defaults to STRING, and only
 * STRING and JSON attributes can be created (`EnumSchemaAttributeType`: "Complex and boolean
 * attributes may not be created"). `enumeratedValues` and `regexValidation` constrain STRING
 * values, one or the other ("the service does not support both of these properties in the same
 * POST request"). Read-only fields (`id`, `environment`, `schema`, `schemaType`, `ldapAttribute`,
 * `_links`) are ignored.
 */
import type { CustomAttributeSettings, CustomAttributeType, EnumeratedValue, RegexValidation } from '../../domain/users/custom-attribute.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';

const MAX_NAME_LENGTH = 256;
const MAX_TEXT_LENGTH = 1024;
/** PingOne's `multiValued` limit is 1,000 values; enumerations are held to the same bound. */
const MAX_ENUMERATED_VALUES = 1000;
/** OpenAPI `SchemaAttribute.name`: "must start with a letter and may be followed by letters, numbers or hyphens". */
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]*$/;
const CREATABLE_TYPES: readonly CustomAttributeType[] = ['STRING', 'JSON'];

export interface CustomAttributeInput {
  name: string;
  settings: CustomAttributeSettings;
}

export function parseCustomAttributeBody(body: unknown): CustomAttributeInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = readName(fields);
  const type = readType(fields);
  const settings: CustomAttributeSettings = {
    type,
    enabled: fields.boolean('enabled', { required: true }) ?? true,
    required: fields.boolean('required') ?? false,
    unique: fields.boolean('unique') ?? false,
    multiValued: fields.boolean('multiValued') ?? false,
  };
  const displayName = fields.string('displayName', MAX_NAME_LENGTH, { nonBlank: true });
  if (displayName !== undefined) settings.displayName = displayName;
  const description = fields.string('description', MAX_TEXT_LENGTH, { nonBlank: true });
  if (description !== undefined) settings.description = description;
  const enumeratedValues = readEnumeratedValues(fields);
  if (enumeratedValues) settings.enumeratedValues = enumeratedValues;
  const regexValidation = readRegexValidation(fields);
  if (regexValidation) settings.regexValidation = regexValidation;
  checkStringOnly(fields, settings);
  throwIfInvalid(fields.issues);
  return { name: name as string, settings };
}

function readName(fields: FieldReader): string | undefined {
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    fields.report(detail.invalid('name', 'name must start with a letter and may be followed by letters, numbers or hyphens.'));
  }
  return name;
}

function readType(fields: FieldReader): CustomAttributeType {
  const type = fields.raw('type');
  if (type === undefined) return 'STRING';
  if (typeof type === 'string' && (CREATABLE_TYPES as readonly string[]).includes(type)) return type as CustomAttributeType;
  fields.report(detail.invalid('type', `type must be one of ${CREATABLE_TYPES.join(', ')}: COMPLEX and BOOLEAN attributes cannot be created.`));
  return 'STRING';
}

function readEnumeratedValues(fields: FieldReader): EnumeratedValue[] | undefined {
  const items = fields.objectArray('enumeratedValues', MAX_ENUMERATED_VALUES);
  if (!items) return undefined;
  const seen = new Set<string>();
  const values: EnumeratedValue[] = [];
  items.forEach((item, i) => {
    const value = item.string('value', MAX_TEXT_LENGTH, { required: true, nonBlank: true });
    if (value === undefined) return;
    if (seen.has(value)) item.report(detail.invalid(`enumeratedValues[${i}].value`, `enumeratedValues must not contain "${value}" more than once.`));
    seen.add(value);
    const entry: EnumeratedValue = { value };
    const archived = item.boolean('archived');
    if (archived !== undefined) entry.archived = archived;
    const description = item.string('description', MAX_TEXT_LENGTH, { nonBlank: true });
    if (description !== undefined) entry.description = description;
    values.push(entry);
  });
  return values;
}

function readRegexValidation(fields: FieldReader): RegexValidation | undefined {
  const regex = fields.object('regexValidation');
  if (!regex) return undefined;
  const pattern = regex.string('pattern', MAX_TEXT_LENGTH, { required: true, nonBlank: true });
  const requirements = regex.string('requirements', MAX_TEXT_LENGTH, { required: true, nonBlank: true });
  if (pattern !== undefined && !compiles(pattern)) regex.report(detail.invalid('regexValidation.pattern', 'regexValidation.pattern must be a valid regular expression.'));
  const shouldMatch = regex.stringArray('valuesPatternShouldMatch', 100, MAX_TEXT_LENGTH, () => undefined);
  const shouldNotMatch = regex.stringArray('valuesPatternShouldNotMatch', 100, MAX_TEXT_LENGTH, () => undefined);
  if (pattern === undefined || requirements === undefined || !compiles(pattern)) return undefined;
  const result: RegexValidation = { pattern, requirements };
  if (shouldMatch) result.valuesPatternShouldMatch = shouldMatch;
  if (shouldNotMatch) result.valuesPatternShouldNotMatch = shouldNotMatch;
  checkSamples(regex, result);
  return result;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** PingOne checks the examples a regex comes with against it, so a pattern is proven as written. */
function checkSamples(regex: FieldReader, v: RegexValidation): void {
  const re = wholeValue(v.pattern);
  v.valuesPatternShouldMatch?.forEach((s, i) => {
    if (!re.test(s)) regex.report(detail.invalid(`regexValidation.valuesPatternShouldMatch[${i}]`, `"${s}" does not match regexValidation.pattern.`));
  });
  v.valuesPatternShouldNotMatch?.forEach((s, i) => {
    if (re.test(s)) regex.report(detail.invalid(`regexValidation.valuesPatternShouldNotMatch[${i}]`, `"${s}" matches regexValidation.pattern.`));
  });
}

/** A value satisfies `regexValidation.pattern` when the pattern matches all of it. */
export function wholeValue(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function checkStringOnly(fields: FieldReader, s: CustomAttributeSettings): void {
  if (s.type !== 'STRING') {
    if (s.enumeratedValues) fields.report(detail.invalid('enumeratedValues', 'enumeratedValues apply to STRING attributes only.'));
    if (s.regexValidation) fields.report(detail.invalid('regexValidation', 'regexValidation applies to STRING attributes only.'));
  }
  if (s.enumeratedValues && s.regexValidation) {
    fields.report(detail.invalid('regexValidation', 'An attribute takes enumeratedValues or regexValidation, not both.'));
  }
}
