/**
 * The sign-in protocol's stateful ports (flows, sessions, codes and refresh tokens, PAR) over
 * the store's SignInStore. Only instants change shape here (Date ↔ ISO-8601 string); every
 * rule (single use, rotation, reuse detection, expiry) lives in the store's transactions.
 */
import type { AuthorizationCode, AuthorizationCodeRecord } from '../../domain/sign-in/authorization-code.js';
import type { Flow, FlowRecord } from '../../domain/sign-in/flow.js';
import type { ParRequest, ParRequestRecord } from '../../domain/sign-in/par-request.js';
import type { RefreshToken, RefreshTokenRecord } from '../../domain/sign-in/refresh-token.js';
import type { Session, SessionRecord } from '../../domain/sign-in/session.js';
import type { FlowStore, GrantStore, ParStore, SessionStore } from '../../protocol/sign-in/ports.js';
import type { SignInStore } from '../../store/types.js';

const iso = (date: Date): string => date.toISOString();
const date = (text: string): Date => new Date(text);

const flowRecord = (f: Flow): FlowRecord => ({ ...f, createdAt: iso(f.createdAt), expiresAt: iso(f.expiresAt) });
const flow = (r: FlowRecord): Flow => ({ ...r, createdAt: date(r.createdAt), expiresAt: date(r.expiresAt) });

const sessionRecord = (s: Session): SessionRecord => ({ ...s, authTime: iso(s.authTime), expiresAt: iso(s.expiresAt) });
const session = (r: SessionRecord): Session => ({ ...r, authTime: date(r.authTime), expiresAt: date(r.expiresAt) });

const codeRecord = (c: AuthorizationCode): AuthorizationCodeRecord => ({ ...c, authTime: iso(c.authTime), expiresAt: iso(c.expiresAt) });
const code = (r: AuthorizationCodeRecord): AuthorizationCode => ({ ...r, authTime: date(r.authTime), expiresAt: date(r.expiresAt) });

const tokenRecord = (t: RefreshToken): RefreshTokenRecord => ({
  ...t,
  authTime: iso(t.authTime),
  createdAt: iso(t.createdAt),
  expiresAt: iso(t.expiresAt),
});
const token = (r: RefreshTokenRecord): RefreshToken => ({
  ...r,
  authTime: date(r.authTime),
  createdAt: date(r.createdAt),
  expiresAt: date(r.expiresAt),
});

const parRecord = (p: ParRequest): ParRequestRecord => ({ ...p, expiresAt: iso(p.expiresAt) });
const par = (r: ParRequestRecord): ParRequest => ({ ...r, expiresAt: date(r.expiresAt) });

export function flowStore(store: SignInStore): FlowStore {
  return {
    create: (f) => store.createFlow(f.environmentId, flowRecord(f)),
    get: async (environmentId, flowId) => {
      const record = await store.getFlow(environmentId, flowId);
      return record && flow(record);
    },
    update: (environmentId, f, expectedVersion) => store.updateFlow(environmentId, flowRecord(f), expectedVersion),
    consume: (environmentId, flowId) => store.consumeFlow(environmentId, flowId),
  };
}

export function sessionStore(store: SignInStore): SessionStore {
  return {
    create: (s) => store.createSession(s.environmentId, sessionRecord(s)),
    get: async (environmentId, idHash, now) => {
      const record = await store.getSession(environmentId, idHash, iso(now));
      return record && session(record);
    },
    revoke: (environmentId, idHash) => store.revokeSession(environmentId, idHash),
  };
}

export function grantStore(store: SignInStore): GrantStore {
  return {
    createCode: (c) => store.createAuthorizationCode(c.environmentId, codeRecord(c)),
    findCode: async (environmentId, codeHash) => {
      const record = await store.findAuthorizationCode(environmentId, codeHash);
      return record && code(record);
    },
    redeemCode: async (environmentId, codeHash, now, refreshToken, accessToken) => {
      const result = await store.redeemAuthorizationCode(
        environmentId,
        codeHash,
        iso(now),
        refreshToken && tokenRecord(refreshToken),
        accessToken && { ...accessToken, expiresAt: iso(accessToken.expiresAt) },
      );
      return result.status === 'not_found' ? result : { status: result.status, code: code(result.code) };
    },
    rotateRefreshToken: async (environmentId, tokenHash, next, now, graceSeconds, accessToken) => {
      const issued = accessToken && { ...accessToken, expiresAt: iso(accessToken.expiresAt) };
      const result = await store.rotateRefreshToken(environmentId, tokenHash, tokenRecord(next), iso(now), graceSeconds, issued);
      return result.status === 'not_found' ? result : { status: result.status, previous: token(result.previous) };
    },
    getRefreshToken: async (environmentId, tokenHash, now) => {
      const record = await store.getRefreshToken(environmentId, tokenHash, iso(now));
      return record && token(record);
    },
    revokeGrant: async (environmentId, grantId) => void (await store.revokeGrant(environmentId, grantId)),
    revokeFamily: async (environmentId, familyId) => void (await store.revokeRefreshFamily(environmentId, familyId)),
  };
}

export function parStore(store: SignInStore): ParStore {
  return {
    create: (p) => store.createParRequest(p.environmentId, parRecord(p)),
    consume: async (environmentId, id, now) => {
      const record = await store.consumeParRequest(environmentId, id, iso(now));
      return record && par(record);
    },
  };
}
