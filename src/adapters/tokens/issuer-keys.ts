/**
 * The protocol's IssuerKeys over the environments' signing keys.
 */
import type { SigningKeySource } from '../../keys/signing-keys.js';
import type { IssuerKeys } from '../../protocol/tokens/ports.js';

export function issuerKeys(keys: SigningKeySource): IssuerKeys {
  return {
    activeKey: async (environmentId) => (await keys.get(environmentId))?.active,
    publicKeys: async (environmentId) => (await keys.get(environmentId))?.publicKeys ?? new Map(),
  };
}
