/**
 * Parses the body of `POST /environments/{envId}/applications` and
 * `PUT /environments/{envId}/applications/{appId}` into the stored ApplicationConfig.
 *
 * Every violation is collected and thrown as one InvalidDataError. Server-owned fields
 * (`id`, `environment`, `clientId`, `clientSecret`, timestamps, `_links`) and unknown fields are
 * ignored, as PingOne ignores them. PUT is a full replacement: omitted optional fields return to
 * their defaults, so a replace body is parsed like a create body, plus the immutability checks.
 */
import type { ApplicationConfig } from '../../domain/applications/application-config.js';
import { APPLICATION_TYPES, type ApplicationType } from '../../domain/applications/application-type.js';
import { isJsonObject } from '../../domain/json-object.js';
import { InvalidDataError } from '../../domain/pingone-error.js';
import type { JwksUrlHostPolicy } from '../ports.js';
import { detail, throwIfInvalid } from '../errors.js';
import { APPLICATION_RULES } from '../field-rules.js';
import { FieldReader } from '../fields.js';
import { readClientAuth } from './client-auth.js';
import { checkGrantConsistency } from './consistency.js';
import { LIMITS, SCALAR_DEFAULTS } from './defaults.js';
import { readAuthorizationSettings, readGrantSettings, readOidcSwitches, readRefreshTokenSettings } from './flows.js';
import { readCorsSettings, readPortalSettings, readTypeBoundSettings, type Section } from './general.js';
import { readRedirectSettings } from './redirect-uris.js';

export type ParseMode = (
  | { kind: 'create' }
  | {
      kind: 'replace';
      /** The stored configuration being replaced (for immutable fields and `assignActorRoles`). */
      existing: ApplicationConfig;
    }
) & {
  /**
   * True when keys registered outside the body (uploaded certificates) can verify the
   * application's client assertions, so PRIVATE_KEY_JWT needs neither `jwks` nor `jwksUrl`.
   * Defaults to false.
   */
  hasUploadedCertificates?: boolean;
  /** Refuses a `jwksUrl` naming a blocked address (ManagementDeps.jwksUrlHosts); without it the host is not judged. */
  jwksUrlHosts?: JwksUrlHostPolicy;
};

/** Types PingOne creates itself; they cannot be created or replaced through this API. */
const PLATFORM_TYPES = ['PING_ONE_SELF_SERVICE', 'PING_ONE_ADMIN_CONSOLE', 'PING_ONE_PORTAL', 'TEMPLATE_APP', 'PORTAL_LINK_APP'];
const OTHER_PROTOCOLS = ['SAML', 'WS_FED', 'EXTERNAL_LINK'];

/**
 * Validates a create or replace body and returns the configuration to store, defaults applied.
 * @throws InvalidDataError listing every violation found.
 */
export function parseApplicationBody(body: unknown, mode: ParseMode): ApplicationConfig {
  if (!isJsonObject(body)) {
    throw new InvalidDataError([{ code: 'INVALID_VALUE', message: 'The request body must be a JSON object.' }]);
  }
  const r = new FieldReader(body, APPLICATION_RULES);
  const identity = readIdentity(r, mode);
  const type = identity.type;
  const grants = readGrantSettings(r, type);
  const sections: Section[] = [
    identity,
    readPortalSettings(r),
    readTypeBoundSettings(r, type),
    grants,
    readAuthorizationSettings(r),
    readRedirectSettings(r),
    readRefreshTokenSettings(r, grants.grantTypes),
    readOidcSwitches(r),
    { corsSettings: readCorsSettings(r) },
    readClientAuth(r, grants.tokenEndpointAuthMethod, mode.hasUploadedCertificates ?? false, mode.jwksUrlHosts),
  ];
  checkGrantConsistency(r, {
    type,
    grantTypes: grants.grantTypes,
    responseTypes: grants.responseTypes,
    tokenEndpointAuthMethod: grants.tokenEndpointAuthMethod,
    methodDefaulted: !r.has('tokenEndpointAuthMethod'),
  });
  throwIfInvalid(r.issues);
  return assemble(sections);
}

function readIdentity(r: FieldReader, mode: ParseMode): Section {
  const section: Section = {
    name: r.string('name', LIMITS.name, { required: true, nonBlank: true }),
    description: r.string('description', LIMITS.description),
    enabled: r.boolean('enabled', { required: true }),
    type: readType(r),
    protocol: readProtocol(r),
    // PingOne honours assignActorRoles on POST only and ignores it on PUT.
    assignActorRoles:
      mode.kind === 'create' ? (r.boolean('assignActorRoles') ?? SCALAR_DEFAULTS.assignActorRoles) : mode.existing.assignActorRoles,
  };
  if (mode.kind === 'replace') checkImmutable(r, mode.existing, section);
  return section;
}

function readType(r: FieldReader): ApplicationType | undefined {
  const value = r.raw('type');
  if (typeof value === 'string' && PLATFORM_TYPES.includes(value)) {
    const message = `${value} applications are managed by the platform; type must be one of ${APPLICATION_TYPES.join(', ')}.`;
    r.report(detail.invalid('type', message, { allowedValues: APPLICATION_TYPES }));
    return undefined;
  }
  return r.enumValue('type', APPLICATION_TYPES, { required: true });
}

function readProtocol(r: FieldReader): 'OPENID_CONNECT' | undefined {
  const value = r.raw('protocol');
  if (typeof value === 'string' && OTHER_PROTOCOLS.includes(value)) {
    const message = `Keyway supports OPENID_CONNECT applications only; ${value} is not supported.`;
    r.report(detail.invalid('protocol', message, { allowedValues: ['OPENID_CONNECT'] }));
    return undefined;
  }
  return r.enumValue('protocol', ['OPENID_CONNECT'], { required: true });
}

function checkImmutable(r: FieldReader, existing: ApplicationConfig, next: Section): void {
  if (next.type !== undefined && next.type !== existing.type) {
    r.report(detail.constraint('type', `type cannot be changed: this application is a ${existing.type}. Create a new application instead.`));
  }
  if (next.protocol !== undefined && next.protocol !== existing.protocol) {
    r.report(detail.constraint('protocol', `protocol cannot be changed: this application uses ${existing.protocol}.`));
  }
}

const REQUIRED_KEYS = [
  'name',
  'enabled',
  'type',
  'protocol',
  'assignActorRoles',
  'grantTypes',
  'responseTypes',
  'tokenEndpointAuthMethod',
  'pkceEnforcement',
  'parRequirement',
  'parTimeout',
  'devicePollingInterval',
  'deviceTimeout',
  'requestScopesForMultipleResourcesEnabled',
] as const satisfies readonly (keyof ApplicationConfig)[];

/** Merges the sections, dropping unset fields; only called once no violation was found. */
function assemble(sections: readonly Section[]): ApplicationConfig {
  const config: Record<string, unknown> = {};
  for (const section of sections) {
    for (const [key, value] of Object.entries(section)) if (value !== undefined) config[key] = value;
  }
  const missing = REQUIRED_KEYS.filter((key) => config[key] === undefined);
  if (missing.length > 0) throw new Error(`parseApplicationBody: no value for ${missing.join(', ')} (validator bug)`);
  return config as unknown as ApplicationConfig;
}
