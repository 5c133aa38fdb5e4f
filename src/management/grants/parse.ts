/**
 * Request bodies of POST/PUT .../applications/{appId}/grants (reference/pingone-api.md §5.1):
 * `{resource: {id}, scopes: [{id}, ...]}`. Only the shape is checked here; whether the ids
 * exist is the service's job.
 */
import { FieldReader, asObject, isUuid } from '../common.js';
import { detail, throwIfInvalid, type ErrorDetail } from '../errors.js';

/** Keyway's bound, the same as the most scopes one token request may name. */
export const MAX_GRANT_SCOPES = 100;

export interface GrantInput {
  resourceId: string;
  scopeIds: string[];
}

/** @throws InvalidDataError listing every violation found. */
export function parseGrantBody(body: unknown): GrantInput {
  const fields = new FieldReader(asObject(body));
  const resourceId = fields.reference('resource', { required: true });
  const scopeIds = readScopeIds(fields.body.scopes, fields.details);
  throwIfInvalid(fields.details);
  return { resourceId: resourceId as string, scopeIds: scopeIds as string[] };
}

function readScopeIds(value: unknown, details: ErrorDetail[]): string[] | undefined {
  if (value === undefined || value === null) {
    details.push(detail.required('scopes'));
    return undefined;
  }
  if (!Array.isArray(value)) {
    details.push(detail.invalid('scopes', 'scopes must be an array of {"id": "<scope id>"} objects.'));
    return undefined;
  }
  if (value.length === 0) {
    details.push({ code: 'EMPTY_VALUE', target: 'scopes', message: 'scopes must name at least one scope.' });
    return undefined;
  }
  if (value.length > MAX_GRANT_SCOPES) {
    details.push(detail.size('scopes', `A grant can name at most ${MAX_GRANT_SCOPES} scopes.`, MAX_GRANT_SCOPES));
    return undefined;
  }
  const ids: string[] = [];
  value.forEach((item: unknown, i) => {
    const id = scopeIdOf(item);
    const target = `scopes[${i}].id`;
    if (id === undefined) details.push(detail.invalid(target, `${target} must be a UUID.`));
    else if (ids.includes(id)) details.push(detail.invalid(target, `${target} names the same scope as an earlier entry.`));
    else ids.push(id);
  });
  return ids.length === value.length ? ids : undefined;
}

function scopeIdOf(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const id = (item as Record<string, unknown>).id;
  return typeof id === 'string' && isUuid(id) ? id : undefined;
}
