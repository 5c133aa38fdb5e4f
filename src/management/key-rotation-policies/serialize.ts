/**
 * A key rotation policy as PingOne returns it (OpenAPI `KeyRotationPolicy`), with the `kid`s of
 * its CURRENT and NEXT keys.
 */
import type { SigningKeyRecord } from '../../domain/signing-key.js';
import type { KeyRotationPolicyRecord } from '../../store/types.js';

export function policyHref(apiBase: string, environmentId: string, policyId: string): string {
  return `${apiBase}/environments/${environmentId}/keyRotationPolicies/${policyId}`;
}

export function toPolicyResponse(policy: KeyRotationPolicyRecord, keys: readonly SigningKeyRecord[], apiBase: string): Record<string, unknown> {
  const kid = (state: SigningKeyRecord['rotationState']) => keys.find((k) => k.rotationPolicyId === policy.id && k.rotationState === state)?.id;
  const body: Record<string, unknown> = {
    _links: {
      self: { href: policyHref(apiBase, policy.environmentId, policy.id) },
      environment: { href: `${apiBase}/environments/${policy.environmentId}` },
    },
    id: policy.id,
    environment: { id: policy.environmentId },
    name: policy.name,
    algorithm: policy.settings.algorithm,
    keyLength: policy.settings.keyLength,
    signatureAlgorithm: policy.settings.signatureAlgorithm,
    dn: policy.settings.dn,
    usageType: policy.settings.usageType,
    validityPeriod: policy.settings.validityPeriod,
    rotationPeriod: policy.settings.rotationPeriod,
  };
  const current = kid('CURRENT');
  const next = kid('NEXT');
  if (current !== undefined) body.currentKeyId = current;
  if (next !== undefined) body.nextKeyId = next;
  body.rotatedAt = policy.rotatedAt;
  return body;
}
