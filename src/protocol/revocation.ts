/**
 * Token revocation (RFC 7009). Only the client the token was issued to may revoke it (§2.1);
 * invalid or unknown tokens are answered with 200 like successful revocations (§2.2).
 */
import { authenticateClient, type ClientAuthDeps, type ClientAuthInput } from './client-auth/authenticate.js';
import { UnauthorizedClient } from './errors.js';
import { requireParam, type Params } from './params.js';
import type { TokenRevocations } from './tokens/ports.js';
import { verifyAccessToken, type VerifyDeps } from './tokens/verify-access-token.js';

/** Revocation also records: the full revocation port. */
type RevokeDeps = VerifyDeps & { revocations: TokenRevocations };

/** POST /as/revoke: the shared client-authentication step, then the revocation. */
export async function revocationEndpoint(
  deps: { clientAuth: ClientAuthDeps; verify: RevokeDeps },
  issuer: string,
  input: ClientAuthInput,
): Promise<void> {
  const { profile } = await authenticateClient(input, deps.clientAuth);
  await revoke(deps.verify, input.environmentId, issuer, profile.client.id, input.params, input.now);
}

export async function revoke(
  deps: RevokeDeps,
  environmentId: string,
  issuer: string,
  clientId: string,
  params: Params,
  now: Date,
): Promise<void> {
  const token = requireParam(params, 'token');
  // token_type_hint is only an optimisation (§2.1): every token type Keyway issues is searched.
  const claims = await verifyAccessToken(deps, environmentId, issuer, token, now, { checkRevocation: false });
  if (!claims) return;
  if (claims.client_id !== clientId) throw new UnauthorizedClient('the token was issued to another client');
  await deps.revocations.revoke(environmentId, claims.jti, new Date(claims.exp * 1000));
}
