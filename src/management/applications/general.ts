/**
 * Portal, access-control and browser settings of an application: `hiddenFromAppPortal`,
 * `icon`, page URLs, `accessControl`, `tags`, `signing` and `corsSettings`
 * (docs/pingone-reference.md §4.1, §4.2).
 */
import type { ApplicationConfig, CorsSettings } from '../../domain/applications/application-config.js';
import type { ApplicationType } from '../../domain/applications/application-type.js';
import { detail } from '../errors.js';
import type { FieldReader } from '../fields.js';
import { LIMITS, SCALAR_DEFAULTS } from './defaults.js';
import { absoluteUriIssue, corsOriginIssue, webUrlIssue } from './urls.js';

export type Section = Partial<ApplicationConfig>;

/** Types that may pin a key rotation policy (PingOne: every user-creatable type but SERVICE). */
const SIGNING_TYPES: readonly ApplicationType[] = ['WORKER', 'WEB_APP', 'NATIVE_APP', 'SINGLE_PAGE_APP', 'CUSTOM_APP'];
const TAGS = ['PING_FED_CONNECTION_INTEGRATION'] as const;
const CORS_BEHAVIORS = ['ALLOW_NO_ORIGINS', 'ALLOW_SPECIFIC_ORIGINS'] as const;

export function readPortalSettings(r: FieldReader): Section {
  return {
    hiddenFromAppPortal: r.boolean('hiddenFromAppPortal') ?? SCALAR_DEFAULTS.hiddenFromAppPortal,
    icon: readIcon(r),
    loginPageUrl: r.checkedString('loginPageUrl', LIMITS.url, webUrlIssue),
    homePageUrl: r.checkedString('homePageUrl', LIMITS.url, webUrlIssue),
    initiateLoginUri: r.checkedString('initiateLoginUri', LIMITS.url, webUrlIssue),
    targetLinkUri: r.checkedString('targetLinkUri', LIMITS.url, absoluteUriIssue),
    accessControl: readAccessControl(r),
  };
}

function readIcon(r: FieldReader): ApplicationConfig['icon'] {
  const icon = r.object('icon');
  if (!icon) return undefined;
  const id = icon.string('id', LIMITS.id, { required: true, nonBlank: true });
  const href = icon.string('href', LIMITS.url, { required: true, nonBlank: true });
  return id !== undefined && href !== undefined ? { id, href } : undefined;
}

/** `{role?: {type}, group?: {type, groups: [{id}]}}`; only these members are kept. */
function readAccessControl(r: FieldReader): Record<string, unknown> | undefined {
  const ac = r.object('accessControl');
  if (!ac) return undefined;
  const out: Record<string, unknown> = {};
  const role = ac.object('role');
  const roleType = role?.enumValue('type', ['ADMIN_USERS_ONLY'], { required: true });
  if (roleType) out.role = { type: roleType };
  const group = ac.object('group');
  if (group) {
    const type = group.enumValue('type', ['ANY_GROUP', 'ALL_GROUPS'], { required: true });
    const groups = readGroupRefs(group);
    if (type && groups) out.group = { type, groups };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function readGroupRefs(group: FieldReader): { id: string }[] | undefined {
  if (!group.has('groups')) {
    group.report(detail.required(group.target('groups')));
    return undefined;
  }
  const items = group.objectArray('groups', LIMITS.accessControlGroups);
  if (!items) return undefined;
  if (items.length === 0) {
    group.report(detail.invalid(group.target('groups'), `${group.target('groups')} must list at least one group.`));
    return undefined;
  }
  const ids = items.map((item) => item.string('id', LIMITS.id, { required: true, nonBlank: true }));
  return ids.every((id) => id !== undefined) ? ids.map((id) => ({ id: id as string })) : undefined;
}

/** `tags` (WORKER only) and `signing.keyRotationPolicy.id` (not SERVICE). */
export function readTypeBoundSettings(r: FieldReader, type: ApplicationType | undefined): Section {
  const tags = r.enumArray('tags', TAGS);
  if (tags && tags.length > 0 && type !== undefined && type !== 'WORKER') {
    r.report(detail.constraint('tags', `tags apply only to WORKER applications, not to ${type}.`));
  }
  const signing = readSigning(r);
  if (signing && type !== undefined && !SIGNING_TYPES.includes(type)) {
    r.report(detail.constraint('signing', `signing is not available for ${type} applications; it applies to ${SIGNING_TYPES.join(', ')}.`));
  }
  return { tags, signing };
}

function readSigning(r: FieldReader): ApplicationConfig['signing'] {
  const signing = r.object('signing');
  const policy = signing?.object('keyRotationPolicy', { required: true });
  const id = policy?.string('id', LIMITS.id, { required: true, nonBlank: true });
  return id === undefined ? undefined : { keyRotationPolicy: { id } };
}

/** `origins` must be non-empty exactly when `behavior` is ALLOW_SPECIFIC_ORIGINS. */
export function readCorsSettings(r: FieldReader): CorsSettings | undefined {
  const cors = r.object('corsSettings');
  if (!cors) return undefined;
  const behavior = cors.enumValue('behavior', CORS_BEHAVIORS, { required: true });
  const origins = cors.stringArray('origins', LIMITS.corsOrigins, LIMITS.url, corsOriginIssue);
  const target = cors.target('origins');
  if (behavior === 'ALLOW_SPECIFIC_ORIGINS' && (!cors.has('origins') || origins?.length === 0)) {
    cors.report({ code: 'REQUIRED_VALUE', target, message: `${target} must list at least one origin when behavior is ALLOW_SPECIFIC_ORIGINS.` });
  } else if (behavior === 'ALLOW_NO_ORIGINS' && origins && origins.length > 0) {
    cors.report(detail.constraint(target, `${target} must be empty when behavior is ALLOW_NO_ORIGINS.`));
  }
  if (behavior === undefined) return undefined;
  return behavior === 'ALLOW_SPECIFIC_ORIGINS' && origins ? { behavior, origins } : { behavior };
}
