/**
 * The browser's sign-on session (`ST` cookie) and authorization codes issued from it.
 * Codes live 60 s (RFC 6749 §4.1.2 recommends at most 10 minutes) and are single use.
 */
import { newId } from '../../domain/ids.js';
import type { AuthorizationRequest } from '../../domain/sign-in/authorization-request.js';
import type { Session } from '../../domain/sign-in/session.js';
import type { SignInContext, SignInPorts } from './ports.js';
import { hashSecret, looksLikeSecret, randomSecret } from './secrets.js';

export const CODE_LIFETIME_SECONDS = 60;
export const DEFAULT_SESSION_LIFETIME_SECONDS = 8 * 3600;

/** The live session named by the `ST` cookie, if any. */
export async function currentSession(ports: SignInPorts, ctx: SignInContext, cookie: string | undefined): Promise<Session | undefined> {
  if (!looksLikeSecret(cookie)) return undefined;
  return ports.sessions.get(ctx.environmentId, hashSecret(cookie), ctx.now);
}

/** OIDC Core §3.1.2.1: a session can answer the request unless `prompt=login` or `max_age` says no. */
export function sessionSatisfies(session: Session, request: AuthorizationRequest, now: Date): boolean {
  if (request.prompt === 'login') return false;
  if (request.maxAge === undefined) return true;
  return session.authTime.getTime() + request.maxAge * 1000 >= now.getTime();
}

/** Starts a session after a successful password check; returns the cookie value (never stored). */
export async function startSession(ports: SignInPorts, ctx: SignInContext, userId: string): Promise<{ cookie: string; session: Session }> {
  const cookie = randomSecret();
  const lifetime = ports.sessionLifetimeSeconds ?? DEFAULT_SESSION_LIFETIME_SECONDS;
  const session: Session = {
    idHash: hashSecret(cookie),
    environmentId: ctx.environmentId,
    userId,
    authTime: ctx.now,
    amr: ['pwd'],
    expiresAt: new Date(ctx.now.getTime() + lifetime * 1000),
  };
  await ports.sessions.create(session);
  return { cookie, session };
}

/** Issues a code bound to the client, redirect URI, PKCE challenge, nonce and session. */
export async function issueCode(ports: SignInPorts, ctx: SignInContext, request: AuthorizationRequest, session: Session): Promise<string> {
  const code = randomSecret();
  await ports.grants.createCode({
    codeHash: hashSecret(code),
    environmentId: ctx.environmentId,
    applicationId: request.clientId,
    userId: session.userId,
    sessionIdHash: session.idHash,
    redirectUri: request.redirectUri,
    scope: request.scope,
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    ...(request.codeChallenge === undefined ? {} : { codeChallenge: request.codeChallenge }),
    ...(request.codeChallengeMethod === undefined ? {} : { codeChallengeMethod: request.codeChallengeMethod }),
    authTime: session.authTime,
    amr: session.amr,
    ...(session.acr === undefined ? {} : { acr: session.acr }),
    grantId: newId(),
    expiresAt: new Date(ctx.now.getTime() + CODE_LIFETIME_SECONDS * 1000),
  });
  return code;
}
