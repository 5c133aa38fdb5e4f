/**
 * In-memory fakes for the user grants: a GrantStore with the contract's atomic semantics (single
 * use codes, rotation with grace, family and grant revocation), a UserInfoSource, issuer keys and
 * token revocations, plus a token-endpoint harness with two CLIENT_SECRET_POST clients.
 */
import type { VerificationKey } from '../../src/jose/jwt.js';
import type { GrantType } from '../../src/domain/applications/grant-type.js';
import { DEFAULT_CLIENT_ASSERTION_POLICY } from '../../src/domain/client-auth/assertion-policy.js';
import type { AuthorizationCode } from '../../src/domain/sign-in/authorization-code.js';
import type { RefreshToken } from '../../src/domain/sign-in/refresh-token.js';
import type { ClientProfile, GrantedResource } from '../../src/protocol/client-auth/ports.js';
import { toParams } from '../../src/protocol/params.js';
import type { GrantStore, RedeemResult, RotateResult, SignInClientSettings, UserInfoSource } from '../../src/protocol/sign-in/ports.js';
import { tokenEndpoint, type TokenEndpointDeps } from '../../src/protocol/token-endpoint.js';
import { randomToken, sha256Base64url } from '../../src/protocol/tokens/opaque.js';
import type { IssuerContext, IssuerKeys, TokenRevocations } from '../../src/protocol/tokens/ports.js';
import { rsaKeyPair } from './rsa-keys.js';

export const ENV = '6b1c3f1e-8a51-4f33-9a2e-2f1d9c0b7a10';
export const ISSUER = `https://keyway.test/${ENV}/as`;
export const T0 = new Date('2026-03-01T12:00:00.000Z');
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

export class MemoryGrantStore implements GrantStore {
  readonly codes = new Map<string, { code: AuthorizationCode; redeemedAt?: Date }>();
  readonly tokens = new Map<string, { token: RefreshToken; retiredAt?: Date }>();
  readonly revokedFamilies = new Set<string>();
  readonly revokedGrants = new Set<string>();

  async createCode(code: AuthorizationCode): Promise<void> {
    this.codes.set(code.codeHash, { code: structuredClone(code) });
  }
  async findCode(environmentId: string, codeHash: string): Promise<AuthorizationCode | undefined> {
    const entry = this.codes.get(codeHash);
    return entry && entry.code.environmentId === environmentId ? structuredClone(entry.code) : undefined;
  }
  async redeemCode(environmentId: string, codeHash: string, now: Date, refreshToken: RefreshToken | undefined): Promise<RedeemResult> {
    const entry = this.codes.get(codeHash);
    if (!entry || entry.code.environmentId !== environmentId) return { status: 'not_found' };
    if (entry.redeemedAt) return { status: 'already_redeemed', code: structuredClone(entry.code) };
    entry.redeemedAt = now;
    if (refreshToken) this.tokens.set(refreshToken.tokenHash, { token: structuredClone(refreshToken) });
    return { status: 'redeemed', code: structuredClone(entry.code) };
  }
  async rotateRefreshToken(environmentId: string, tokenHash: string, next: RefreshToken, now: Date, graceSeconds: number): Promise<RotateResult> {
    const entry = this.tokens.get(tokenHash);
    if (!entry || !this.live(entry.token, environmentId, now)) return { status: 'not_found' };
    const previous = structuredClone(entry.token);
    if (entry.retiredAt && now.getTime() - entry.retiredAt.getTime() > graceSeconds * 1000) {
      this.revokedFamilies.add(entry.token.familyId);
      return { status: 'reused', previous };
    }
    entry.retiredAt ??= now;
    this.tokens.set(next.tokenHash, { token: structuredClone(next) });
    return { status: 'rotated', previous };
  }
  async getRefreshToken(environmentId: string, tokenHash: string, now: Date): Promise<RefreshToken | undefined> {
    const entry = this.tokens.get(tokenHash);
    return entry && this.live(entry.token, environmentId, now) ? structuredClone(entry.token) : undefined;
  }
  async revokeGrant(_environmentId: string, grantId: string): Promise<void> {
    this.revokedGrants.add(grantId);
  }
  async revokeFamily(_environmentId: string, familyId: string): Promise<void> {
    this.revokedFamilies.add(familyId);
  }
  private live(token: RefreshToken, environmentId: string, now: Date): boolean {
    return token.environmentId === environmentId && token.expiresAt > now && !this.revokedFamilies.has(token.familyId) && !this.revokedGrants.has(token.grantId);
  }
}

export class MemoryUsers implements UserInfoSource {
  readonly users = new Map<string, Record<string, unknown>>([
    ['user-1', { sub: 'user-1', name: 'Ada Lovelace', given_name: 'Ada', email: 'ada@example.com', email_verified: true, phone_number: '+15550100' }],
  ]);
  async claims(_environmentId: string, userId: string, scope: readonly string[]): Promise<Record<string, unknown> | undefined> {
    const user = this.users.get(userId);
    if (!user) return undefined;
    const out: Record<string, unknown> = { sub: userId };
    if (scope.includes('profile')) Object.assign(out, { name: user.name, given_name: user.given_name });
    if (scope.includes('email')) Object.assign(out, { email: user.email, email_verified: user.email_verified });
    if (scope.includes('phone')) out.phone_number = user.phone_number;
    return out;
  }
}

export class MemoryRevocations implements TokenRevocations {
  readonly revoked = new Set<string>();
  async revoke(_environmentId: string, jti: string): Promise<void> {
    this.revoked.add(jti);
  }
  async isRevoked(_environmentId: string, jti: string): Promise<boolean> {
    return this.revoked.has(jti);
  }
}

export const signingKey = rsaKeyPair();
export const issuerKeys: IssuerKeys = {
  activeKey: async () => ({ kid: 'k1', alg: 'RS256', privateKey: signingKey.privateKey }),
  publicKeys: async () => new Map<string, VerificationKey>([['k1', { key: signingKey.publicKey, alg: 'RS256' }]]),
};

export const OIDC: GrantedResource = { resourceId: 'r-oidc', type: 'OPENID_CONNECT', audience: ISSUER, accessTokenValiditySeconds: 3600, scopes: ['openid', 'profile', 'email', 'phone', 'offline_access'] };
export const API: GrantedResource = { resourceId: 'r-api', type: 'CUSTOM', audience: 'https://api.example.com', accessTokenValiditySeconds: 1800, scopes: ['read', 'write'] };

export function webApp(id: string, grantTypes: GrantType[] = ['AUTHORIZATION_CODE', 'REFRESH_TOKEN']): ClientProfile {
  const client = { environmentId: ENV, id, enabled: true, type: 'WEB_APP' as const, tokenEndpointAuthMethod: 'CLIENT_SECRET_POST' as const, grantTypes, requestScopesForMultipleResourcesEnabled: false, includeTyp: false };
  return { client, secrets: { current: `secret-of-${id}` }, grants: [OIDC, API], hasRoles: false };
}

export const DEFAULT_SETTINGS: SignInClientSettings = {
  redirectUris: ['https://app.example.com/cb'],
  allowWildcardInRedirectUris: false,
  postLogoutRedirectUris: [],
  responseTypes: ['CODE'],
  pkceEnforcement: 'OPTIONAL',
  parRequirement: 'OPTIONAL',
  parTimeout: 60,
  refreshTokenDuration: 2_592_000,
  refreshTokenRollingDuration: undefined,
  refreshTokenRollingGracePeriodDuration: 0,
  corsOrigins: [],
};

/** The token endpoint over the fakes; `now` is moved by the tests. */
export function harness(opts: { settings?: Partial<SignInClientSettings>; signIn?: boolean; profiles?: ClientProfile[] } = {}) {
  const grants = new MemoryGrantStore();
  const users = new MemoryUsers();
  const profiles = new Map((opts.profiles ?? [webApp('app-a'), webApp('app-b')]).map((p) => [p.client.id, p]));
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const deps: TokenEndpointDeps = { directory: { find: async (_env, id) => profiles.get(id) }, keys: issuerKeys };
  if (opts.signIn !== false) deps.signIn = { grants, users, settings: async () => settings };
  const state = { now: T0 };
  const context = (): IssuerContext => ({ environmentId: ENV, organizationId: 'org-1', issuer: ISSUER, managementAudience: 'https://keyway.test', now: state.now });
  async function token(clientId: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const all = toParams(Object.entries({ client_id: clientId, client_secret: `secret-of-${clientId}`, ...params }));
    const endpoint = { issuer: ISSUER, tokenEndpoint: `${ISSUER}/token`, endpointUrl: `${ISSUER}/token` };
    const input = { environmentId: ENV, authorization: undefined, params: all, now: state.now, endpoint, settings: DEFAULT_CLIENT_ASSERTION_POLICY };
    return { ...(await tokenEndpoint(deps, context(), input)) };
  }
  return { grants, users, profiles, deps, state, token };
}

export const REDIRECT = 'https://app.example.com/cb';
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
/** RFC 7636 Appendix B: the S256 challenge of VERIFIER. */
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/** Stores a code for user-1 as the authorization endpoint would, and returns its value. */
export async function storeCode(grants: MemoryGrantStore, overrides: Partial<AuthorizationCode> = {}): Promise<string> {
  const value = randomToken();
  await grants.createCode({
    codeHash: sha256Base64url(value),
    environmentId: ENV,
    applicationId: 'app-a',
    userId: 'user-1',
    sessionIdHash: 'session-hash-1',
    redirectUri: REDIRECT,
    scope: ['openid', 'profile', 'email', 'offline_access'],
    nonce: 'n-0S6_WzA2Mj',
    codeChallenge: CHALLENGE,
    codeChallengeMethod: 'S256',
    authTime: at(-30),
    amr: ['pwd'],
    acr: 'Single_Factor',
    grantId: `grant-${value.slice(0, 8)}`,
    expiresAt: at(60),
    ...overrides,
  });
  return value;
}
