/**
 * Environment resource as PingOne returns it.
 */
import type { EnvironmentRecord } from '../../store/types.js';
import { billOfMaterialsOf } from './bill-of-materials.js';

export function toEnvironmentResponse(env: EnvironmentRecord, apiBase: string): Record<string, unknown> {
  const self = `${apiBase}/environments/${env.id}`;
  const body: Record<string, unknown> = {
    _links: {
      self: { href: self },
      organization: { href: `${apiBase}/organizations/${env.organizationId}` },
      license: { href: `${apiBase}/organizations/${env.organizationId}/licenses/${env.licenseId}` },
      populations: { href: `${self}/populations` },
      applications: { href: `${self}/applications` },
      resources: { href: `${self}/resources` },
    },
    id: env.id,
    name: env.name,
  };
  if (env.description !== undefined) body.description = env.description;
  Object.assign(body, {
    organization: { id: env.organizationId },
    type: env.type,
    region: env.region,
    license: { id: env.licenseId },
    status: env.status,
    createdAt: env.createdAt,
    updatedAt: env.updatedAt,
  });
  if (env.extras.icon !== undefined) body.icon = env.extras.icon;
  if (env.extras.billOfMaterials !== undefined) body.billOfMaterials = billOfMaterialsOf(env);
  return body;
}
