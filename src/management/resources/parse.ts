/**
 * Request bodies of POST/PUT /v1/environments/{envId}/resources (reference/pingone-api.md §5.2).
 * PUT is a full replacement, so both are parsed alike: omitted optional fields take their
 * defaults again.
 */
import type { ResourceType } from '../../domain/resource-type.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject } from '../fields.js';

export const RESOURCE_TYPES: readonly ResourceType[] = ['OPENID_CONNECT', 'PINGONE_API', 'CUSTOM'];

/** PingOne's bounds for `accessTokenValiditySeconds`: 5 minutes to 30 days, default 1 hour. */
export const TOKEN_VALIDITY = { min: 300, max: 2_592_000, default: 3600 } as const;

/** Keyway's bound; an audience defaults to the name, which has the same limit. */
export const MAX_AUDIENCE_LENGTH = 256;
const MAX_NAME_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 1024;

/** Words PingOne reserves for its own audiences (OpenAPI `Resource.audience`). */
const RESERVED_AUDIENCE_WORDS = ['pingone', 'pingidentity'];

export interface ResourceInput {
  name: string;
  description?: string;
  audience: string;
  accessTokenValiditySeconds: number;
}

/**
 * Validates a create or replace body of a CUSTOM resource.
 * @param managementAudience the PingOne API resource's audience, which no custom resource may claim
 * @throws InvalidDataError listing every violation found.
 */
export function parseResourceBody(body: unknown, managementAudience: string): ResourceInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  readType(fields);
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  const description = fields.string('description', MAX_DESCRIPTION_LENGTH);
  const audience = readAudience(fields, managementAudience);
  const validity = fields.integer('accessTokenValiditySeconds', TOKEN_VALIDITY.min, TOKEN_VALIDITY.max);
  throwIfInvalid(fields.issues);
  const input: ResourceInput = {
    name: name as string,
    audience: audience ?? (name as string),
    accessTokenValiditySeconds: validity ?? TOKEN_VALIDITY.default,
  };
  if (description !== undefined) input.description = description;
  return input;
}

/** Only CUSTOM resources can be created; `type` may be omitted and is immutable anyway. */
function readType(fields: FieldReader): void {
  const type = fields.enumValue('type', RESOURCE_TYPES);
  if (type !== undefined && type !== 'CUSTOM') {
    fields.report(detail.invalid('type', 'Only resources of type CUSTOM can be created or replaced.', { allowedValues: ['CUSTOM'] }));
  }
}

function readAudience(fields: FieldReader, managementAudience: string): string | undefined {
  const audience = fields.string('audience', MAX_AUDIENCE_LENGTH, { nonBlank: true });
  if (audience === undefined) return undefined;
  if (audience.includes('#')) {
    fields.report(detail.invalid('audience', 'audience must not contain a fragment.'));
    return undefined;
  }
  const lower = audience.toLowerCase();
  if (RESERVED_AUDIENCE_WORDS.some((word) => lower.includes(word))) {
    fields.report(detail.invalid('audience', 'audience must not contain "pingone" or "pingidentity".'));
    return undefined;
  }
  // A custom resource sharing the management API's audience would blur which tokens may call /v1.
  if (audience.replace(/\/+$/, '') === managementAudience) {
    fields.report(detail.invalid('audience', 'audience must differ from the PingOne API resource audience.'));
    return undefined;
  }
  return audience;
}
