/**
 * Request bodies of `POST/PUT …/populations[/{id}]` (reference/pingone-api.md §5.3, OpenAPI
 * `Population`). Keyway stores `name`, `description` and `default`; `userCount` and the other
 * read-only fields are ignored, as are PingOne's `passwordPolicy`, `theme`, `preferredLanguage`
 * and `alternativeIdentifiers`, which Keyway does not implement.
 */
import { throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';

const MAX_NAME_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 1024;

export interface PopulationInput {
  name: string;
  description?: string;
  /** Absent when the body does not say (create: not the default; replace: unchanged). */
  default?: boolean;
}

export function parsePopulationBody(body: unknown): PopulationInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  const description = fields.string('description', MAX_DESCRIPTION_LENGTH, { nonBlank: true });
  const isDefault = fields.boolean('default');
  throwIfInvalid(fields.issues);
  const input: PopulationInput = { name: name as string };
  if (description !== undefined) input.description = description;
  if (isDefault !== undefined) input.default = isDefault;
  return input;
}
