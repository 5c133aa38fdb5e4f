/**
 * PingOne's flow API (`/{envId}/flows/{flowId}`): a flow is created by /authorize when the user
 * must sign in, advanced by `usernamePassword.check`, and finished by /as/resume.
 * Flow ids are random 256-bit values; the store keys flows by their SHA-256.
 */
import { InvalidDataError, type ErrorDetail } from '../../domain/pingone-error.js';
import type { AuthorizationRequest } from '../../domain/sign-in/authorization-request.js';
import type { Flow } from '../../domain/sign-in/flow.js';
import { flowNotFound, flowNotWaiting, invalidCredentials } from './errors.js';
import type { SignInContext, SignInPorts } from './ports.js';
import { hashSecret, looksLikeSecret, randomSecret } from './secrets.js';
import { startSession } from './sessions.js';

export const FLOW_LIFETIME_SECONDS = 600;
export const USERNAME_PASSWORD_CHECK = 'application/vnd.pingidentity.usernamePassword.check+json';

export const flowUrl = (ctx: SignInContext, id: string): string => `${ctx.baseUrl}/flows/${id}`;
export const resumeUrl = (ctx: SignInContext, id: string): string => `${ctx.baseUrl}/as/resume?flowId=${id}`;
export const signOnUrl = (ctx: SignInContext, id: string): string => `${ctx.baseUrl}/signon/?flowId=${id}`;

/** Creates a flow waiting for a username and password; returns its id (sent, never stored). */
export async function startFlow(ports: SignInPorts, ctx: SignInContext, request: AuthorizationRequest): Promise<{ id: string; flow: Flow }> {
  const id = randomSecret();
  const flow: Flow = {
    id: hashSecret(id),
    environmentId: ctx.environmentId,
    applicationId: request.clientId,
    request,
    status: 'USERNAME_PASSWORD_REQUIRED',
    csrfToken: randomSecret(),
    createdAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + FLOW_LIFETIME_SECONDS * 1000),
    version: 1,
  };
  await ports.flows.create(flow);
  return { id, flow };
}

/** The live flow with this id. @throws NotFoundError when unknown, expired or used. */
export async function findFlow(ports: SignInPorts, ctx: SignInContext, id: string | undefined): Promise<Flow> {
  if (!looksLikeSecret(id)) throw flowNotFound();
  const flow = await ports.flows.get(ctx.environmentId, hashSecret(id));
  if (!flow || flow.expiresAt.getTime() <= ctx.now.getTime()) throw flowNotFound();
  return flow;
}

/** The flow as PingOne's API shows it. */
export function flowView(ctx: SignInContext, id: string, flow: Flow): Record<string, unknown> {
  const links: Record<string, { href: string }> = { self: { href: flowUrl(ctx, id) } };
  if (flow.status === 'USERNAME_PASSWORD_REQUIRED') links['usernamePassword.check'] = { href: flowUrl(ctx, id) };
  return {
    _links: links,
    id,
    status: flow.status,
    resumeUrl: resumeUrl(ctx, id),
    createdAt: flow.createdAt.toISOString(),
    expiresAt: flow.expiresAt.toISOString(),
    _embedded: { application: { id: flow.applicationId } },
  };
}

export interface SignedIn {
  flow: Flow;
  /** Value of the new `ST` cookie. */
  sessionCookie: string;
  body: Record<string, unknown>;
}

/** `usernamePassword.check`: verifies the password, starts the session, completes the flow. */
export async function checkUsernamePassword(ports: SignInPorts, ctx: SignInContext, id: string, body: unknown): Promise<SignedIn> {
  const flow = await findFlow(ports, ctx, id);
  const { username, password } = credentialsOf(body);
  if (flow.status !== 'USERNAME_PASSWORD_REQUIRED') throw flowNotWaiting();
  const result = await ports.passwords.verify(ctx.environmentId, username, password, ctx.now);
  if (!result.ok) throw invalidCredentials();
  const { cookie, session } = await startSession(ports, ctx, result.userId);
  const completed: Flow = { ...flow, status: 'COMPLETED', userId: result.userId, sessionId: session.idHash, version: flow.version + 1 };
  if (!(await ports.flows.update(ctx.environmentId, completed, flow.version))) throw flowNotFound();
  return {
    flow: completed,
    sessionCookie: cookie,
    body: {
      ...flowView(ctx, id, completed),
      session: { id: session.idHash },
      _embedded: { user: { id: result.userId, username }, application: { id: flow.applicationId } },
    },
  };
}

function credentialsOf(body: unknown): { username: string; password: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  const { username, password } = b;
  if (typeof username !== 'string' || username === '' || username.length > 256) {
    details.push({ code: 'INVALID_VALUE', target: 'username', message: 'username must be a string of 1-256 characters' });
  }
  if (typeof password !== 'string' || password === '' || password.length > 1024) {
    details.push({ code: 'INVALID_VALUE', target: 'password', message: 'password must be a string of 1-1024 characters' });
  }
  if (details.length > 0) throw new InvalidDataError(details);
  return { username: username as string, password: password as string };
}
