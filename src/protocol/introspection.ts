/**
 * Token introspection (RFC 7662). The caller has authenticated the client with the shared
 * client-authentication step; any client of the environment may introspect its tokens, as
 * resource servers are registered as applications. Inactive, unknown, foreign or malformed
 * tokens all answer `{"active": false}` (§2.2).
 */
import { authenticateClient, type ClientAuthDeps, type ClientAuthInput } from './client-auth/authenticate.js';
import type { Params } from './params.js';
import { requireParam } from './params.js';
import { verifyAccessToken, type VerifyDeps } from './tokens/verify-access-token.js';

/** POST /as/introspect: the shared client-authentication step, then the introspection. */
export async function introspectionEndpoint(
  deps: { clientAuth: ClientAuthDeps; verify: VerifyDeps },
  issuer: string,
  input: ClientAuthInput,
): Promise<Record<string, unknown>> {
  await authenticateClient(input, deps.clientAuth);
  return introspect(deps.verify, input.environmentId, issuer, input.params, input.now);
}

export async function introspect(
  deps: VerifyDeps,
  environmentId: string,
  issuer: string,
  params: Params,
  now: Date,
): Promise<Record<string, unknown>> {
  const token = requireParam(params, 'token');
  const claims = await verifyAccessToken(deps, environmentId, issuer, token, now);
  if (!claims) return { active: false };
  const { others, ...typed } = claims;
  return { active: true, token_type: 'Bearer', ...others, ...typed };
}
