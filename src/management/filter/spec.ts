/**
 * What each collection accepts of the SCIM filter grammar, and the one check that turns a
 * `filter` query parameter into a tree the store can compile (docs/architecture.md, rule 4).
 * PingOne supports only some attributes and operators per collection (PingOne "Query parameter
 * quick reference", developer.pingidentity.com/pingone-api/platform/reference/
 * query-parameter-quick-reference.html); anything else is 400 INVALID_DATA with an
 * INVALID_FILTER detail that lists what the collection supports, never ignored.
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import type { CompareOperator, FilterExpression, FilterValue } from '../../domain/scim-filter.js';
import { USER_PROFILE_FILTER_ATTRIBUTES } from '../../domain/users/profile-filter-attributes.js';
import { FilterSyntaxError, parseScimFilter } from './parse.js';

/** `instant`: an RFC 3339 date-time in a quoted string, compared as an instant. */
export type FilterValueType = 'string' | 'boolean' | 'instant';

export interface FilterAttributeSpec {
  operators: readonly CompareOperator[];
  type: FilterValueType;
}

export interface FilterSpec {
  /** The collection's name in messages (`users`). */
  collection: string;
  /** By canonical spelling; matched case-insensitively. */
  attributes: Readonly<Record<string, FilterAttributeSpec>>;
  /** valuePaths: `memberOfGroups` → what its brackets accept. */
  members?: Readonly<Record<string, Readonly<Record<string, FilterAttributeSpec>>>>;
  /** Whether and/or/parentheses may combine expressions (`'and'`: only and, with parentheses). */
  logical: boolean | 'and';
}

class Unsupported extends Error {}

/** `username (eq, sw), email (eq), memberOfGroups[id eq]; and, or and parentheses`. */
export function describeSpec(spec: FilterSpec): string {
  const plain = Object.entries(spec.attributes).map(([name, a]) => `${name} (${a.operators.join(', ')})`);
  const members = Object.entries(spec.members ?? {}).flatMap(([name, inner]) =>
    Object.entries(inner).map(([sub, a]) => `${name}[${sub} ${a.operators.join('|')} "…"]`),
  );
  const all = [...plain, ...members].join(', ');
  if (spec.logical === 'and') return `${all}; combined with and`;
  return spec.logical ? `${all}; combined with and, or and parentheses` : all;
}

function invalidFilter(spec: FilterSpec, reason: string): InvalidDataError {
  const supported = Object.keys(spec.attributes).length === 0 ? 'no filter is supported' : `supported: ${describeSpec(spec)}`;
  return new InvalidDataError([
    { code: 'INVALID_FILTER', target: 'filter', message: `Unsupported filter on ${spec.collection} (${reason}); ${supported}.` },
  ]);
}

function canonical(names: readonly string[], written: string): string | undefined {
  const lower = written.toLowerCase();
  return names.find((name) => name.toLowerCase() === lower);
}

function checkValue(attribute: string, spec: FilterAttributeSpec, value: FilterValue): void {
  if (spec.type === 'boolean' && typeof value !== 'boolean') throw new Unsupported(`${attribute} takes true or false`);
  if (spec.type !== 'boolean' && typeof value !== 'string') throw new Unsupported(`${attribute} takes a "quoted string"`);
  if (spec.type === 'instant' && Number.isNaN(Date.parse(value as string))) throw new Unsupported(`${attribute} takes a date-time such as "2030-01-01T00:00:00Z"`);
  if (typeof value === 'string' && value.includes('\u0000')) throw new Unsupported('a value holds U+0000');
}

function checkCompare(
  attributes: Readonly<Record<string, FilterAttributeSpec>>,
  node: Extract<FilterExpression, { kind: 'compare' | 'present' }>,
  prefix = '',
): FilterExpression {
  const name = canonical(Object.keys(attributes), node.attribute);
  const attribute = name === undefined ? undefined : attributes[name];
  if (name === undefined || attribute === undefined) throw new Unsupported(`attribute ${prefix}${node.attribute} is not filterable`);
  const operator = node.kind === 'present' ? 'pr' : node.operator;
  if (node.kind === 'present' || !attribute.operators.includes(node.operator)) {
    throw new Unsupported(`operator ${operator} is not supported on ${prefix}${name}`);
  }
  checkValue(name, attribute, node.value);
  return { ...node, attribute: name };
}

function check(spec: FilterSpec, node: FilterExpression): FilterExpression {
  switch (node.kind) {
    case 'compare':
    case 'present':
      return checkCompare(spec.attributes, node);
    case 'and':
    case 'or':
      if (!spec.logical || (spec.logical === 'and' && node.kind === 'or')) throw new Unsupported(`${node.kind} is not supported`);
      return { kind: node.kind, left: check(spec, node.left), right: check(spec, node.right) };
    case 'not':
      throw new Unsupported('not is not supported');
    case 'member': {
      const name = canonical(Object.keys(spec.members ?? {}), node.attribute);
      const inner = name === undefined ? undefined : spec.members?.[name];
      if (name === undefined || inner === undefined) throw new Unsupported(`${node.attribute}[…] is not supported`);
      if (node.filter.kind !== 'compare' && node.filter.kind !== 'present') throw new Unsupported(`${name}[…] takes one comparison`);
      return { kind: 'member', attribute: name, filter: checkCompare(inner, node.filter, `${name}.`) };
    }
  }
}

/** The checked tree of a `filter` query parameter, or undefined when none was given. */
export function parseCollectionFilter(spec: FilterSpec, raw: unknown): FilterExpression | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw invalidFilter(spec, 'filter must be given once');
  try {
    return check(spec, parseScimFilter(raw));
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw invalidFilter(spec, `malformed: ${err.message}`);
    if (err instanceof Unsupported) throw invalidFilter(spec, err.message);
    throw err;
  }
}

const EQ: FilterAttributeSpec = { operators: ['eq'], type: 'string' };
const SW: FilterAttributeSpec = { operators: ['sw'], type: 'string' };
const EQ_SW: FilterAttributeSpec = { operators: ['eq', 'sw'], type: 'string' };
const EQ_SW_EW: FilterAttributeSpec = { operators: ['eq', 'sw', 'ew'], type: 'string' };


/**
 * Users (PingOne "SCIM filter language", docs.pingidentity.com/pingone/directory/
 * p1_scim_filter_language.html: eq and sw on the profile attributes, ew on email, name.given and
 * name.family, combined with and/or and parentheses; ne, pr, gt, ge, lt, le and not are not
 * supported; and PingOne "Users": memberOfGroups[id eq], population.id). Of PingOne's list,
 * custom attributes are not filterable here. `username` compares case-insensitively, as its uniqueness
 * does. `co` is left out: its list of attributes could not be read in PingOne's page.
 */
export const USER_FILTER: FilterSpec = {
  collection: 'users',
  attributes: {
    id: EQ,
    username: EQ_SW,
    email: EQ_SW_EW,
    'population.id': EQ,
    enabled: { operators: ['eq'], type: 'boolean' },
    'lifecycle.status': EQ,
    ...Object.fromEntries(USER_PROFILE_FILTER_ATTRIBUTES.map((name) => [name, EQ_SW])),
    'name.given': EQ_SW_EW,
    'name.family': EQ_SW_EW,
  },
  members: { memberOfGroups: { id: EQ } },
  logical: true,
};

/**
 * Groups (PingOne "Groups", "Filtering groups searches": `name eq "Training"`,
 * `(name eq "Sales") and (externalId sw "W")`).
 */
export const GROUP_FILTER: FilterSpec = {
  collection: 'groups',
  attributes: { id: EQ, name: EQ_SW, externalId: EQ_SW, 'population.id': EQ },
  logical: true,
};

/** Populations (PingOne "Query parameter quick reference": /populations takes name sw and id eq). */
export const POPULATION_FILTER: FilterSpec = {
  collection: 'populations',
  attributes: { id: EQ, name: SW },
  logical: false,
};

/**
 * Environments (PingOne "Query parameter quick reference": /environments takes name sw, id eq and
 * organization.id eq; the OpenAPI description of `GET /environments` adds license.id eq and says
 * "'sw', 'eq' and 'and' are supported", so `and` combines them and `or` does not).
 */
export const ENVIRONMENT_FILTER: FilterSpec = {
  collection: 'environments',
  attributes: { id: EQ, name: SW, 'organization.id': EQ, 'license.id': EQ },
  logical: 'and',
};

/**
 * The organization list (PingOne "Query parameter quick reference": /organizations takes name sw).
 * Keyway holds one organization, so its one row is matched in memory (./match.ts).
 */
export const ORGANIZATION_FILTER: FilterSpec = { collection: 'organizations', attributes: { name: SW }, logical: false };

/**
 * An organization's licenses (PingOne "Read All Licenses": filter beginsAt (lt), status (eq), its
 * example `status eq "active"` matching `ACTIVE`). Keyway's organization holds one license, so
 * its one row is matched in memory (./match.ts).
 */
export const LICENSE_FILTER: FilterSpec = {
  collection: 'licenses',
  attributes: { beginsAt: { operators: ['lt'], type: 'instant' }, status: EQ },
  logical: 'and',
};

/**
 * Collections PingOne does not filter (their OpenAPI operations declare no `filter`, and PingOne's
 * quick reference lists none: `/roles`, `/applications`, `/resources`): any filter is refused,
 * never ignored.
 */
export function noFilter(collection: string): FilterSpec {
  return { collection, attributes: {}, logical: false };
}
