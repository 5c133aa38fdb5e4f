/**
 * The protocol's IssuerKeys over the environments' signing keys.
 */
import type { SigningKeySource } from '../../keys/signing-keys.js';
import type { IssuerKeys } from '../../protocol/tokens/ports.js';

export function issuerKeys(keys: SigningKeySource): IssuerKeys {
  return {
    activeKey: async (environmentId, signingPolicyId) => {
      const found = await keys.get(environmentId);
      return (signingPolicyId === undefined ? undefined : found?.byPolicy.get(signingPolicyId)) ?? found?.active;
    },
    publicKeys: async (environmentId) => (await keys.get(environmentId))?.publicKeys ?? new Map(),
  };
}
