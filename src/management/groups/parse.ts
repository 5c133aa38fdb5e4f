/**
 * Request bodies and query parameters of groups (PingOne "Groups" data model, OpenAPI `Group`):
 * `name` (required), `description`, `population.id` (on create only: PingOne never moves a
 * group between populations or to or from the environment), `userFilter` (a SCIM filter over
 * users, checked with the users collection's rules), `externalId`, `customData` (a JSON object).
 * Read-only fields (`id`, counts, `displayName`, `sourceId`, `sourceType`) are ignored.
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import { isJsonObject } from '../../domain/json-object.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';
import { parseCollectionFilter, USER_FILTER } from '../filter/spec.js';
import { MAX_FILTER_LENGTH } from '../filter/parse.js';

const MAX_NAME_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 1024;
const MAX_EXTERNAL_ID_LENGTH = 1024;
/** customData is stored as JSON text; bounded so one group cannot grow without limit. */
const MAX_CUSTOM_DATA_BYTES = 16 * 1024;

export interface GroupInput {
  name: string;
  populationId?: string;
  description?: string;
  userFilter?: string;
  externalId?: string;
  customData?: Record<string, unknown>;
}

/**
 * A userFilter must be one the users collection accepts (PingOne "Group Membership": "The filter
 * supports all the operators and properties that are supported when searching user data"); a
 * refusal is the filter check's own INVALID_FILTER detail, aimed at `userFilter`.
 */
function userFilter(fields: FieldReader): string | undefined {
  const value = fields.string('userFilter', MAX_FILTER_LENGTH, { nonBlank: true });
  if (value === undefined) return undefined;
  try {
    parseCollectionFilter(USER_FILTER, value);
    return value;
  } catch (err) {
    if (!(err instanceof InvalidDataError)) throw err;
    for (const issue of err.details) fields.report({ ...issue, target: 'userFilter' });
    return undefined;
  }
}

function customData(fields: FieldReader): Record<string, unknown> | undefined {
  const value = fields.raw('customData');
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) {
    fields.report(detail.invalid('customData', 'customData must be a JSON object.'));
    return undefined;
  }
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_CUSTOM_DATA_BYTES) {
    fields.report(detail.size('customData', `customData must be at most ${MAX_CUSTOM_DATA_BYTES} bytes as JSON.`, MAX_CUSTOM_DATA_BYTES));
    return undefined;
  }
  if (JSON.stringify(value).includes('\\u0000')) {
    fields.report(detail.invalid('customData', 'customData must not contain U+0000.'));
    return undefined;
  }
  return value as Record<string, unknown>;
}

export function parseGroupBody(body: unknown): GroupInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  const description = fields.string('description', MAX_DESCRIPTION_LENGTH);
  const populationId = fields.reference('population');
  const filter = userFilter(fields);
  const externalId = fields.string('externalId', MAX_EXTERNAL_ID_LENGTH, { nonBlank: true });
  const data = customData(fields);
  throwIfInvalid(fields.issues);
  const input: GroupInput = { name: name as string };
  if (populationId !== undefined) input.populationId = populationId;
  if (description !== undefined) input.description = description;
  if (filter !== undefined) input.userFilter = filter;
  if (externalId !== undefined) input.externalId = externalId;
  if (data !== undefined) input.customData = data;
  return input;
}

/** The `{ "id": "<group id>" }` body that adds a membership or a nesting. */
export function parseMembershipBody(body: unknown): string {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const raw = fields.raw('id');
  if (raw === undefined) throw new InvalidDataError([detail.required('id')]);
  const id = fields.checkedString('id', 36, (value) => (/^[0-9a-f-]{36}$/i.test(value) ? undefined : 'id must be a group id (a UUID).'));
  throwIfInvalid(fields.issues);
  return (id as string).toLowerCase();
}

export type GroupCountsRequest = { direct: boolean; total: boolean };

const COUNT_NAMES = ['directMemberCounts', 'totalMemberCounts'] as const;

/**
 * The member counts a read asks for, by `expand` or `include` (PingOne documents both spellings
 * for the counts), comma-separated. Any other value is refused rather than ignored.
 */
export function parseCountsRequest(query: Record<string, unknown>): GroupCountsRequest {
  const names: string[] = [];
  for (const key of ['expand', 'include'] as const) {
    const value = query[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalidParameter(key, `${key} must be given once.`);
    for (const name of value.split(',').map((v) => v.trim())) {
      if (!(COUNT_NAMES as readonly string[]).includes(name)) throw invalidParameter(key, `${key} takes ${COUNT_NAMES.join(' and ')}, comma-separated.`);
      names.push(name);
    }
  }
  return { direct: names.includes('directMemberCounts'), total: names.includes('totalMemberCounts') };
}

/** `expand=group` on membership lists embeds each group (PingOne "Read Group Nesting", "Read User Group Memberships"). */
export function parseExpandGroup(query: Record<string, unknown>): boolean {
  const value = query.expand;
  if (value === undefined) return false;
  if (value !== 'group') throw invalidParameter('expand', 'expand takes group.');
  return true;
}

function invalidParameter(target: string, message: string): InvalidDataError {
  return new InvalidDataError([{ code: 'INVALID_PARAMETER', target, message }]);
}
