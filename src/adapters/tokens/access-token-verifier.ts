/**
 * The management API's AccessTokenVerifier over the authorization server's own verification
 * of the access tokens it issued.
 */
import type { AccessTokenVerifier } from '../../management/ports.js';
import type { IssuerKeys, TokenRevocations } from '../../protocol/tokens/ports.js';
import { verifyAccessToken } from '../../protocol/tokens/verify-access-token.js';

export function accessTokenVerifier(
  keys: Pick<IssuerKeys, 'publicKeys'>,
  revocations: Pick<TokenRevocations, 'isRevoked'>,
  issuer: (environmentId: string) => string,
): AccessTokenVerifier {
  return {
    verify: (environmentId, token, now) => verifyAccessToken({ keys, revocations }, environmentId, issuer(environmentId), token, now),
  };
}
