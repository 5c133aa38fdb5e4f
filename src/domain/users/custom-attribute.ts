/**
 * A custom attribute of an environment's user schema as PingOne names its fields (OpenAPI
 * `SchemaAttribute`): everything it holds besides its id, name and the read-only fields. Only
 * STRING and JSON can be created: `EnumSchemaAttributeType` says COMPLEX and BOOLEAN attributes
 * "may not be created".
 */

export type CustomAttributeType = 'STRING' | 'JSON';

export interface EnumeratedValue {
  value: string;
  archived?: boolean;
  description?: string;
}

export interface RegexValidation {
  pattern: string;
  requirements: string;
  valuesPatternShouldMatch?: string[];
  valuesPatternShouldNotMatch?: string[];
}

export interface CustomAttributeSettings {
  type: CustomAttributeType;
  displayName?: string;
  description?: string;
  enabled: boolean;
  required: boolean;
  unique: boolean;
  multiValued: boolean;
  enumeratedValues?: EnumeratedValue[];
  regexValidation?: RegexValidation;
}
