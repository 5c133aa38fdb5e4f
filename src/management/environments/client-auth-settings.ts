/**
 * Keyway extension: `GET/PUT /v1/environments/{envId}/clientAuthenticationSettings`, the
 * environment's client-assertion policy (audience forms, clock tolerance, maximum lifetime) and
 * whether `/as` errors carry the precise reason (for local development only).
 */
import { clientAssertionPolicyOf } from '../../domain/client-auth/assertion-policy.js';
import { CLIENT_ASSERTION_AUDIENCE_POLICIES } from '../../domain/client-auth/audience-policy.js';
import type { EnvironmentSettings } from '../../domain/environment-settings.js';
import type { EnvironmentRecord } from '../../store/types.js';
import { requireEnvironment } from '../access.js';
import { unwrapUpdate } from '../common.js';
import type { ManagementDeps } from '../context.js';
import { throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject } from '../fields.js';
import type { Actor } from '../roles.js';

export async function readClientAuthSettings(deps: ManagementDeps, actor: Actor, environmentId: string) {
  const env = await requireEnvironment(deps.store, actor, 'environments:read', environmentId);
  return toSettingsResponse(deps, env);
}

export async function replaceClientAuthSettings(deps: ManagementDeps, actor: Actor, environmentId: string, body: unknown) {
  const env = await requireEnvironment(deps.store, actor, 'environments:update', environmentId);
  const settings = parseClientAuthSettings(body);
  const next: EnvironmentRecord = { ...env, settings, updatedAt: deps.now().toISOString() };
  const updated = unwrapUpdate(await deps.store.updateEnvironment(environmentId, next, env.version));
  deps.changes.environmentChanged(environmentId);
  return toSettingsResponse(deps, updated);
}

export function parseClientAuthSettings(body: unknown): EnvironmentSettings {
  const r = new FieldReader(asObject(body), GENERAL_RULES);
  const policy = r.enumValue('clientAssertionAudiencePolicy', CLIENT_ASSERTION_AUDIENCE_POLICIES);
  const tolerance = r.integer('clockToleranceSeconds', 0, 300);
  const lifetime = r.integer('maxAssertionLifetimeSeconds', 60, 86_400);
  const detailed = r.boolean('detailedErrors');
  throwIfInvalid(r.issues);
  const settings: EnvironmentSettings = {};
  if (policy !== undefined) settings.clientAssertionAudiencePolicy = policy;
  if (tolerance !== undefined) settings.clockToleranceSeconds = tolerance;
  if (lifetime !== undefined) settings.maxAssertionLifetimeSeconds = lifetime;
  if (detailed === true) settings.detailedErrors = true;
  return settings;
}

function toSettingsResponse(deps: ManagementDeps, env: EnvironmentRecord): Record<string, unknown> {
  const s = env.settings;
  const policy = clientAssertionPolicyOf(s);
  return {
    _links: {
      self: { href: `${deps.apiBase}/environments/${env.id}/clientAuthenticationSettings` },
      environment: { href: `${deps.apiBase}/environments/${env.id}` },
    },
    environment: { id: env.id },
    clientAssertionAudiencePolicy: policy.audiencePolicy,
    clockToleranceSeconds: policy.clockToleranceSeconds,
    maxAssertionLifetimeSeconds: policy.maxAssertionLifetimeSeconds,
    detailedErrors: s.detailedErrors ?? false,
  };
}
