/**
 * Access tokens: JWTs signed with the environment's default key in its algorithm, claims as PingOne documents
 * (docs/pingone-reference.md §6.6): `client_id`, `iss`, `iat`, `exp`, `aud`, `scope`, and
 * `env`/`org` only when the management API is an audience.
 */
import { newId } from '../../domain/ids.js';
import { signJwtAsync } from '../../jose/jwt.js';
import { ServerError } from '../errors.js';
import type { ResolvedScopes } from '../grants/scopes.js';
import type { IssuerContext, IssuerKeys } from './ports.js';

/** Lifetime of management-API tokens, as on PingOne. */
export const MANAGEMENT_TOKEN_LIFETIME_SECONDS = 3600;

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  scope: string | undefined;
  /** The token's `jti` and `exp`: what revoking it later needs. */
  jti: string;
  expiresAt: Date;
}

export interface AccessTokenRequest {
  clientId: string;
  resolved: ResolvedScopes;
  includeTyp: boolean;
  /** The key rotation policy of the application, when it names one. */
  signingPolicyId?: string | undefined;
  /**
   * User grants only (docs/pingone-reference.md §6.6): `sub`, `sid`, `auth_time`, `acr`; absent
   * for client_credentials.
   */
  user?: { sub: string; sid: string; auth_time: number; acr?: string };
  /** Claims of the resources' attributes (../claims/token-claims.ts); the fixed claims win. */
  claims?: Readonly<Record<string, unknown>>;
}

export async function issueAccessToken(
  context: IssuerContext,
  keys: IssuerKeys,
  request: AccessTokenRequest,
): Promise<IssuedAccessToken> {
  const key = await keys.activeKey(context.environmentId, request.signingPolicyId);
  if (!key) throw new ServerError('environment has no active signing key');
  const expiresIn = lifetime(request.resolved);
  const iat = Math.floor(context.now.getTime() / 1000);
  const scope = request.resolved.scopes.length > 0 ? request.resolved.scopes.join(' ') : undefined;
  const jti = newId();
  const payload: Record<string, unknown> = {
    ...request.claims,
    client_id: request.clientId,
    iss: context.issuer,
    jti,
    iat,
    exp: iat + expiresIn,
    aud: audiences(context, request.resolved),
  };
  if (scope !== undefined) payload.scope = scope;
  if (request.user) Object.assign(payload, request.user);
  if (request.resolved.management) {
    payload.env = context.environmentId;
    payload.org = context.organizationId;
  }
  const header = request.includeTyp ? { alg: key.alg, kid: key.kid, typ: 'at+jwt' } : { alg: key.alg, kid: key.kid };
  const token = await signJwtAsync(header, payload, key.privateKey);
  return { token, expiresIn, scope, jti, expiresAt: new Date((iat + expiresIn) * 1000) };
}

function audiences(context: IssuerContext, resolved: ResolvedScopes): string[] {
  const aud = resolved.resources.map((r) => r.audience);
  if (resolved.management && !aud.includes(context.managementAudience)) aud.push(context.managementAudience);
  return aud;
}

/** The shortest lifetime among the token's resources. */
function lifetime(resolved: ResolvedScopes): number {
  const lifetimes = resolved.resources.map((r) => r.accessTokenValiditySeconds);
  if (resolved.management) lifetimes.push(MANAGEMENT_TOKEN_LIFETIME_SECONDS);
  return Math.min(...lifetimes);
}
