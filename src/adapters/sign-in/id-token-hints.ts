/**
 * The sign-in protocol's IdTokenHintVerifier over the environments' signing keys.
 */
import { verifyJwt } from '../../jose/jwt.js';
import type { SigningKeySource } from '../../keys/signing-keys.js';
import type { IdTokenHintVerifier } from '../../protocol/sign-in/ports.js';

/** OIDC RP-Initiated Logout §2: signature and issuer are checked; an expired hint is still a hint. */
export function idTokenHints(signingKeys: SigningKeySource, issuer: (environmentId: string) => string): IdTokenHintVerifier {
  return {
    async verify(environmentId, token) {
      const keys = await signingKeys.get(environmentId);
      const verified = keys && verifyJwt(token, keys.publicKeys);
      const p = verified?.payload;
      if (!p || p.iss !== issuer(environmentId) || typeof p.sub !== 'string') return undefined;
      const aud = (Array.isArray(p.aud) ? p.aud : [p.aud]).filter((a): a is string => typeof a === 'string');
      const claims = { sub: p.sub, aud, ...(typeof p.azp === 'string' ? { azp: p.azp } : {}), ...(typeof p.sid === 'string' ? { sid: p.sid } : {}) };
      return claims;
    },
  };
}
