/**
 * A password policy as PingOne returns it (OpenAPI `PasswordPolicy`): the stored rules, the
 * default flag and the computed `populationCount` (how many populations name the policy).
 */
import type { PasswordPolicyRecord } from '../../store/types.js';

export function passwordPolicyHref(apiBase: string, environmentId: string, policyId: string): string {
  return `${apiBase}/environments/${environmentId}/passwordPolicies/${policyId}`;
}

export function toPasswordPolicyResponse(policy: PasswordPolicyRecord, populationCount: number, apiBase: string): Record<string, unknown> {
  return {
    _links: {
      self: { href: passwordPolicyHref(apiBase, policy.environmentId, policy.id) },
      environment: { href: `${apiBase}/environments/${policy.environmentId}` },
    },
    id: policy.id,
    environment: { id: policy.environmentId },
    name: policy.name,
    ...structuredClone(policy.settings),
    default: policy.default,
    populationCount,
    createdAt: policy.createdAt,
    updatedAt: policy.updatedAt,
  };
}
