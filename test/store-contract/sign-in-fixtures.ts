/** Records of the sign-in state for the store contract (keys are random stand-ins for SHA-256 hashes). */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AuthorizationCodeRecord } from '../../src/domain/sign-in/authorization-code.js';
import type { FlowRecord } from '../../src/domain/sign-in/flow.js';
import type { ParRequestRecord } from '../../src/domain/sign-in/par-request.js';
import type { RefreshTokenRecord } from '../../src/domain/sign-in/refresh-token.js';
import type { SessionRecord } from '../../src/domain/sign-in/session.js';

/** An ISO instant `seconds` after a fixed origin: text order is time order. */
export const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();

/** A base64url SHA-256-sized key. */
export const hash = () => randomBytes(32).toString('base64url');

export function flowRecord(environmentId: string, overrides: Partial<FlowRecord> = {}): FlowRecord {
  return {
    id: hash(),
    environmentId,
    applicationId: randomUUID(),
    request: {
      clientId: 'client',
      redirectUri: 'http://localhost:3000/callback',
      responseType: 'code',
      responseMode: 'query',
      scope: ['openid', 'profile'],
      state: 'st\u00e4te',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      codeChallengeMethod: 'S256',
    },
    status: 'USERNAME_PASSWORD_REQUIRED',
    csrfToken: randomBytes(16).toString('hex'),
    createdAt: at(0),
    expiresAt: at(600),
    version: 1,
    ...overrides,
  };
}

export function sessionRecord(environmentId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return { idHash: hash(), environmentId, userId: randomUUID(), authTime: at(0), amr: ['pwd'], expiresAt: at(3600), ...overrides };
}

export function codeRecord(environmentId: string, overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    codeHash: hash(),
    environmentId,
    applicationId: randomUUID(),
    userId: randomUUID(),
    sessionIdHash: hash(),
    redirectUri: 'http://localhost:3000/callback',
    scope: ['openid', 'offline_access'],
    nonce: 'n-0S6_WzA2Mj',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    authTime: at(0),
    amr: ['pwd'],
    acr: 'Single_Factor',
    grantId: randomUUID(),
    expiresAt: at(60),
    ...overrides,
  };
}

export function refreshRecord(environmentId: string, overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    tokenHash: hash(),
    environmentId,
    applicationId: 'app',
    userId: 'user',
    sessionIdHash: 'session',
    grantId: 'grant',
    familyId: 'family',
    scope: ['openid', 'offline_access'],
    authTime: at(0),
    amr: ['pwd'],
    createdAt: at(0),
    expiresAt: at(86_400),
    ...overrides,
  };
}

/** The successor of `token` in its family, created at `seconds`. */
export function successor(token: RefreshTokenRecord, seconds: number): RefreshTokenRecord {
  return { ...token, tokenHash: hash(), createdAt: at(seconds) };
}

export function parRecord(environmentId: string, overrides: Partial<ParRequestRecord> = {}): ParRequestRecord {
  return {
    id: hash(),
    environmentId,
    applicationId: randomUUID(),
    params: { client_id: 'client', response_type: 'code', scope: 'openid', redirect_uri: 'http://localhost:3000/callback' },
    expiresAt: at(60),
    ...overrides,
  };
}
