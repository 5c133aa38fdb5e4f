/**
 * The UserInfo endpoint (OpenID Connect Core §5.3): a Bearer access token this environment issued
 * to a user (`sub`) with the `openid` scope gets the user's claims for the token's scopes.
 * Errors are RFC 6750 §3 challenges, rendered by the route as `WWW-Authenticate: Bearer ...`.
 */
import { applicationClaims, mappingUserOnce, withoutWithheld } from './claims/token-claims.js';
import type { ClientDirectory } from './client-auth/ports.js';
import { OAuthError } from './errors.js';
import type { UserInfoSource } from './sign-in/ports.js';
import { verifyAccessToken, type VerifyDeps } from './tokens/verify-access-token.js';

export class BearerError extends OAuthError {
  readonly status: number;
  readonly error: string;
  /** RFC 6750 §3.1: a request without any credentials gets a challenge without an error code. */
  readonly bare: boolean;
  constructor(status: 400 | 401 | 403, error: 'invalid_request' | 'invalid_token' | 'insufficient_scope', description: string, opts: { bare?: boolean; detail?: string } = {}) {
    super(description, opts.detail);
    this.status = status;
    this.error = error;
    this.bare = opts.bare === true;
  }

  /** The `WWW-Authenticate` value (RFC 6750 §3). */
  challenge(): string {
    if (this.bare) return 'Bearer';
    // The description holds no quote or backslash (RFC 6749 §5.2 characters, see OAuthError),
    // so it is a valid quoted-string as it is.
    const parts = [`error="${this.error}"`, `error_description="${this.description}"`];
    if (this.error === 'insufficient_scope') parts.push('scope="openid"');
    return `Bearer ${parts.join(', ')}`;
  }
}

export interface UserInfoDeps {
  verify: VerifyDeps;
  users: UserInfoSource;
  /** The token's client, for its attribute mappings; without it only the standard claims are sent. */
  directory?: ClientDirectory;
}

export interface UserInfoInput {
  environmentId: string;
  issuer: string;
  /** The raw Authorization header, if any. */
  authorization: string | undefined;
  /** `access_token` of a form-encoded POST body (RFC 6750 §2.2), if any. */
  formAccessToken: string | undefined;
  now: Date;
}

export async function userInfoEndpoint(deps: UserInfoDeps, input: UserInfoInput): Promise<Record<string, unknown>> {
  const token = presentedToken(input);
  const claims = await verifyAccessToken(deps.verify, input.environmentId, input.issuer, token, input.now);
  if (!claims) throw new BearerError(401, 'invalid_token', 'The access token is invalid or expired');
  if (claims.sub === undefined) throw new BearerError(401, 'invalid_token', 'The access token was not issued to a user');
  const scope = claims.scope?.split(' ') ?? [];
  if (!scope.includes('openid')) throw new BearerError(403, 'insufficient_scope', 'The access token lacks the openid scope');
  const user = await deps.users.claims(input.environmentId, claims.sub, scope);
  if (!user) throw new BearerError(401, 'invalid_token', 'The access token is invalid or expired', { detail: 'the user no longer exists' });
  const profile = await deps.directory?.find(input.environmentId, claims.client_id);
  if (!profile) return { ...user, sub: claims.sub };
  // The sign-in already succeeded; a required mapping without a value now is left out, not fatal.
  const mapped = await applicationClaims(mappingUserOnce(deps.users, profile.client.environmentId, claims.sub), profile, 'userInfo', scope, { scopes: scope }, input.now, false);
  return { ...withoutWithheld(user, mapped), ...mapped.claims, sub: mapped.subject ?? claims.sub };
}

/** RFC 6750 §2: exactly one method of sending the token. */
function presentedToken(input: UserInfoInput): string {
  const header = input.authorization?.trim();
  const fromHeader = header === undefined ? undefined : /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header)?.[1];
  if (header !== undefined && fromHeader === undefined && /^Bearer\b/i.test(header)) {
    throw new BearerError(401, 'invalid_token', 'The access token is malformed');
  }
  if (fromHeader !== undefined && input.formAccessToken !== undefined) {
    throw new BearerError(400, 'invalid_request', 'Send the access token by one method only');
  }
  const token = fromHeader ?? input.formAccessToken;
  if (token === undefined) throw new BearerError(401, 'invalid_request', 'A Bearer access token is required', { bare: true });
  return token;
}
