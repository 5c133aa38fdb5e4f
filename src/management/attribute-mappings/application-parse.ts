/**
 * Bodies of application attribute mappings (PingOne `ApplicationAttributeMapping`): `name`,
 * `value` (an expression of the PingOne expression language, compiled when written), `required`
 * (default false), `mappingType` (CUSTOM; CORE for `sub`), `idToken` and `userInfo` (default
 * true, not both false), `oidcScopes` (scope ids of the `openid` resource granted to the
 * application; absent means `openid`, an empty list is refused).
 */
import { isUuid } from '../../domain/ids.js';
import type { ApplicationAttributeSettings, AttributeMappingType } from '../../store/types.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject } from '../fields.js';
import { EXPRESSION_LIMITS } from '../../domain/expressions/index.js';
import { NAME_MAX_LENGTH, reservedNameIssue, valueIssue } from './rules.js';

export interface ApplicationAttributeInput {
  name: string;
  settings: ApplicationAttributeSettings;
}

const MAX_OIDC_SCOPES = 100;

/**
 * Validates a create or replace body. `core` is the `sub` mapping being replaced: its name,
 * type and `required` stay; only its value (and where it appears) may change.
 * @throws InvalidDataError listing every violation found.
 */
export function parseApplicationAttributeBody(body: unknown, grantedOidcScopeIds: ReadonlySet<string>, core: boolean): ApplicationAttributeInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', NAME_MAX_LENGTH, { required: true, nonBlank: true });
  const value = fields.string('value', EXPRESSION_LIMITS.maxSourceLength, { required: true, nonBlank: true });
  const required = fields.boolean('required');
  const mappingType = fields.string('mappingType', 16);
  const idToken = fields.boolean('idToken');
  const userInfo = fields.boolean('userInfo');
  const oidcScopes = fields.stringArray('oidcScopes', MAX_OIDC_SCOPES, 64, (id, target) => (isUuid(id) ? undefined : `${target} must be a scope id.`));

  if (name !== undefined) {
    if (core && name !== 'sub') fields.report(detail.constraint('name', 'The name of the core sub mapping cannot change.'));
    if (!core) {
      const issue = reservedNameIssue(name);
      if (issue) fields.report(issue);
    }
  }
  if (value !== undefined) {
    const issue = valueIssue(value);
    if (issue) fields.report(issue);
  }
  const type = readMappingType(fields, mappingType, core);
  if (core && required === false) fields.report(detail.constraint('required', 'The core sub mapping is always required.'));
  if (idToken === false && userInfo === false) fields.report(detail.invalid('idToken', 'idToken and userInfo cannot both be false.'));
  if (oidcScopes !== undefined) {
    if (oidcScopes.length === 0) fields.report(detail.invalid('oidcScopes', 'oidcScopes must hold at least one scope id, or be left out.'));
    oidcScopes.forEach((id, i) => {
      if (!grantedOidcScopeIds.has(id)) fields.report(detail.invalid(`oidcScopes[${i}]`, 'oidcScopes may only name scopes of the openid resource granted to the application.'));
    });
  }
  throwIfInvalid(fields.issues);

  const settings: ApplicationAttributeSettings = {
    value: value as string,
    required: core ? true : (required ?? false),
    mappingType: type,
    idToken: idToken ?? true,
    userInfo: userInfo ?? true,
  };
  if (oidcScopes !== undefined) settings.oidcScopes = [...new Set(oidcScopes)];
  return { name: name as string, settings };
}

function readMappingType(fields: FieldReader, given: string | undefined, core: boolean): AttributeMappingType {
  const expected: AttributeMappingType = core ? 'CORE' : 'CUSTOM';
  if (given !== undefined && given !== expected) {
    fields.report({ ...detail.invalid('mappingType', `mappingType must be ${expected} here.`, { allowedValues: [expected] }) });
  }
  return expected;
}
