/**
 * The SignInStore half of the SQLite store, kept apart from sqlite-store.ts to keep each file
 * small: it extends the UserStore half, and SqliteStore extends it, supplying the `signIn` area
 * module and the two ways work runs (`call`, and `write` inside one `BEGIN IMMEDIATE` transaction).
 */
import type { AuthorizationCodeRecord } from '../../domain/sign-in/authorization-code.js';
import type { FlowRecord } from '../../domain/sign-in/flow.js';
import type { GrantAccessTokenRecord } from '../../domain/sign-in/grant-access-token.js';
import type { ParRequestRecord } from '../../domain/sign-in/par-request.js';
import type { RefreshTokenRecord } from '../../domain/sign-in/refresh-token.js';
import type { SessionRecord } from '../../domain/sign-in/session.js';
import type { CodeRedemption, RefreshRotation, SignInStore } from '../sign-in-types.js';
import type { SignIn } from './sign-in.js';
import { SqliteUserMethods } from './user-methods.js';

export abstract class SqliteSignInMethods extends SqliteUserMethods implements SignInStore {
  protected abstract readonly signIn: SignIn;

  createFlow(environmentId: string, flow: FlowRecord): Promise<void> {
    return this.call(() => this.signIn.createFlow(environmentId, flow));
  }

  getFlow(environmentId: string, flowId: string): Promise<FlowRecord | undefined> {
    return this.call(() => this.signIn.getFlow(environmentId, flowId));
  }

  updateFlow(environmentId: string, flow: FlowRecord, expectedVersion: number): Promise<boolean> {
    return this.call(() => this.signIn.updateFlow(environmentId, flow, expectedVersion));
  }

  consumeFlow(environmentId: string, flowId: string): Promise<boolean> {
    return this.call(() => this.signIn.consumeFlow(environmentId, flowId));
  }

  createSession(environmentId: string, session: SessionRecord): Promise<void> {
    return this.call(() => this.signIn.createSession(environmentId, session));
  }

  getSession(environmentId: string, idHash: string, now: string): Promise<SessionRecord | undefined> {
    return this.call(() => this.signIn.getSession(environmentId, idHash, now));
  }

  revokeSession(environmentId: string, idHash: string): Promise<void> {
    return this.call(() => this.signIn.revokeSession(environmentId, idHash));
  }

  createAuthorizationCode(environmentId: string, code: AuthorizationCodeRecord): Promise<void> {
    return this.call(() => this.signIn.createCode(environmentId, code));
  }

  findAuthorizationCode(environmentId: string, codeHash: string): Promise<AuthorizationCodeRecord | undefined> {
    return this.call(() => this.signIn.findCode(environmentId, codeHash));
  }

  redeemAuthorizationCode(
    environmentId: string,
    codeHash: string,
    now: string,
    refreshToken?: RefreshTokenRecord,
    accessToken?: GrantAccessTokenRecord,
  ): Promise<CodeRedemption> {
    return this.write(() => this.signIn.redeemCode(environmentId, codeHash, now, refreshToken, accessToken));
  }

  getRefreshToken(environmentId: string, tokenHash: string, now: string): Promise<RefreshTokenRecord | undefined> {
    return this.call(() => this.signIn.getRefreshToken(environmentId, tokenHash, now));
  }

  rotateRefreshToken(
    environmentId: string,
    tokenHash: string,
    next: RefreshTokenRecord,
    now: string,
    graceSeconds: number,
    accessToken?: GrantAccessTokenRecord,
  ): Promise<RefreshRotation> {
    return this.write(() => this.signIn.rotateRefreshToken(environmentId, tokenHash, next, now, graceSeconds, accessToken));
  }

  /** One transaction: the refresh tokens and the access tokens of the grant together. */
  revokeGrant(environmentId: string, grantId: string): Promise<number> {
    return this.write(() => this.signIn.revokeGrant(environmentId, grantId));
  }

  revokeRefreshFamily(environmentId: string, familyId: string): Promise<number> {
    return this.write(() => this.signIn.revokeFamily(environmentId, familyId));
  }

  createParRequest(environmentId: string, request: ParRequestRecord): Promise<void> {
    return this.call(() => this.signIn.createParRequest(environmentId, request));
  }

  consumeParRequest(environmentId: string, id: string, now: string): Promise<ParRequestRecord | undefined> {
    return this.call(() => this.signIn.consumeParRequest(environmentId, id, now));
  }

  purgeExpiredSignInState(now: string, limit: number): Promise<number> {
    return this.call(() => this.signIn.purge(now, limit));
  }
}
