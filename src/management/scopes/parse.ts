/**
 * Request bodies of POST/PUT .../resources/{resourceId}/scopes (reference/pingone-api.md §5.2).
 */
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject } from '../fields.js';

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), so no spaces, quotes or backslashes. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const SCOPE_TOKEN_PATTERN = '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$';
const MAX_NAME_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 1024;

export interface ScopeInput {
  name: string;
  description?: string;
}

/**
 * Validates a create or replace body (PUT is a full replacement).
 * @throws InvalidDataError listing every violation found.
 */
export function parseScopeBody(body: unknown): ScopeInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = readName(fields);
  const description = fields.string('description', MAX_DESCRIPTION_LENGTH);
  throwIfInvalid(fields.issues);
  const input: ScopeInput = { name: name as string };
  if (description !== undefined) input.description = description;
  return input;
}

function readName(fields: FieldReader): string | undefined {
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  if (name === undefined) return undefined;
  // Scope names travel space-separated in `scope` parameters, so they must be single tokens.
  if (!SCOPE_TOKEN.test(name)) {
    fields.report(
      detail.invalid('name', 'name must be a scope token: printable ASCII without spaces, `"` or `\\`.', {
        allowedPattern: SCOPE_TOKEN_PATTERN,
      }),
    );
    return undefined;
  }
  return name;
}
