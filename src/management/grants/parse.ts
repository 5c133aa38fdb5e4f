/**
 * Request bodies of POST/PUT .../applications/{appId}/grants (reference/pingone-api.md §5.1):
 * `{resource: {id}, scopes: [{id}, ...]}`. Only the shape is checked here; whether the ids
 * exist is the service's job.
 */
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject, referenceId } from '../fields.js';

/** Keyway's bound, the same as the most scopes one token request may name. */
export const MAX_GRANT_SCOPES = 100;

export interface GrantInput {
  resourceId: string;
  scopeIds: string[];
}

/** @throws InvalidDataError listing every violation found. */
export function parseGrantBody(body: unknown): GrantInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const resourceId = fields.reference('resource', { required: true });
  const scopeIds = readScopeIds(fields);
  throwIfInvalid(fields.issues);
  return { resourceId: resourceId as string, scopeIds: scopeIds as string[] };
}

/** `scopes` has its own messages (and EMPTY_VALUE), so it is read from the raw value. */
function readScopeIds(fields: FieldReader): string[] | undefined {
  const value = fields.raw('scopes');
  if (value === undefined) {
    fields.report(detail.required('scopes'));
    return undefined;
  }
  if (!Array.isArray(value)) {
    fields.report(detail.invalid('scopes', 'scopes must be an array of {"id": "<scope id>"} objects.'));
    return undefined;
  }
  if (value.length === 0) {
    fields.report({ code: 'EMPTY_VALUE', target: 'scopes', message: 'scopes must name at least one scope.' });
    return undefined;
  }
  if (value.length > MAX_GRANT_SCOPES) {
    fields.report(detail.size('scopes', `A grant can name at most ${MAX_GRANT_SCOPES} scopes.`, MAX_GRANT_SCOPES));
    return undefined;
  }
  const ids: string[] = [];
  value.forEach((item: unknown, i) => {
    const id = referenceId(item);
    const target = `scopes[${i}].id`;
    if (id === undefined) fields.report(detail.invalid(target, `${target} must be a UUID.`));
    else if (ids.includes(id)) fields.report(detail.invalid(target, `${target} names the same scope as an earlier entry.`));
    else ids.push(id);
  });
  return ids.length === value.length ? ids : undefined;
}
