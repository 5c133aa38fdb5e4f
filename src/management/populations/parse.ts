/**
 * Request bodies of `POST/PUT …/populations[/{id}]` (reference/pingone-api.md §5.3, OpenAPI
 * `Population`). Keyway stores `name`, `description` and `default`; `userCount` and the other
 * read-only fields are ignored, as are PingOne's `passwordPolicy`, `theme`, `preferredLanguage`
 * and `alternativeIdentifiers`, which Keyway does not implement.
 */
import { asObject, FieldReader } from '../common.js';
import { detail, throwIfInvalid } from '../errors.js';

const MAX_NAME_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 1024;

export interface PopulationInput {
  name: string;
  description?: string;
  /** Absent when the body does not say (create: not the default; replace: unchanged). */
  default?: boolean;
}

export function parsePopulationBody(body: unknown): PopulationInput {
  const fields = new FieldReader(asObject(body));
  const name = fields.string('name', { required: true, max: MAX_NAME_LENGTH });
  const description = fields.string('description', { max: MAX_DESCRIPTION_LENGTH, min: 1 });
  const isDefault = fields.body.default;
  if (isDefault !== undefined && isDefault !== null && typeof isDefault !== 'boolean') {
    fields.details.push(detail.invalid('default', 'default must be a boolean.'));
  }
  throwIfInvalid(fields.details);
  const input: PopulationInput = { name: name as string };
  if (description !== undefined) input.description = description;
  if (typeof isDefault === 'boolean') input.default = isDefault;
  return input;
}
