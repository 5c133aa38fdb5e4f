/**
 * What the sign-in routes share: the environment lookup, the request context, cookies, raw
 * query parsing (repeats are errors, RFC 6749 §3.1) and the security headers of every page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { isUuid } from '../../domain/ids.js';
import { InvalidRequest } from '../../protocol/errors.js';
import { toParams, type Params } from '../../protocol/params.js';
import type { SignInContext } from '../../protocol/sign-in/ports.js';
import type { ModeResponse } from '../../protocol/sign-in/response-mode.js';
import { DEFAULT_SESSION_LIFETIME_SECONDS } from '../../protocol/sign-in/sessions.js';
import type { EnvironmentRecord } from '../../store/types.js';
import type { Page } from '../../views/html.js';
import { formPostPage } from '../../views/message-pages.js';
import { parseForm, type FormPairs } from '../body-parsers.js';
import { credentialedOrigin } from './credentialed-origin.js';
import type { SignInDeps } from './deps.js';

export const SESSION_COOKIE = 'ST';
export const CSRF_COOKIE = 'kw_signon_csrf';

export async function environmentOr404(deps: SignInDeps, request: FastifyRequest, reply: FastifyReply): Promise<EnvironmentRecord | undefined> {
  const envId = (request.params as { envId?: string }).envId ?? '';
  const env = isUuid(envId) ? await deps.environments.get(envId) : undefined;
  if (!env) void reply.code(404).send({ error: 'not_found', error_description: 'Unknown environment' });
  return env;
}

export function contextOf(deps: SignInDeps, envId: string): SignInContext {
  return { environmentId: envId, issuer: deps.issuer(envId), baseUrl: `${deps.publicUrl}/${envId}`, now: deps.now() };
}

/**
 * Query parameters from the raw URL, keeping repeats so `toParams` can refuse them. A query that
 * is not valid percent-encoding is the client's error (invalid_request), not the server's.
 */
export function queryParams(request: FastifyRequest): Params {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  if (q < 0) return toParams([]);
  let pairs: FormPairs;
  try {
    pairs = parseForm(url.slice(q + 1));
  } catch {
    throw new InvalidRequest('the query string is not valid form-urlencoded text');
  }
  return toParams(pairs);
}

export function formParams(request: FastifyRequest): Params {
  if (!Array.isArray(request.body)) throw new InvalidRequest('the request body must be application/x-www-form-urlencoded');
  return toParams(request.body as FormPairs);
}

/** GET reads the query, POST the form body (OIDC Core §3.1.2.1). */
export function requestParams(request: FastifyRequest): Params {
  return request.method === 'POST' ? formParams(request) : queryParams(request);
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export type SameSite = 'Lax' | 'None';

/**
 * `Secure` whenever Keyway is reached over HTTPS (its public URL), so the cookie never travels in
 * clear. A `SameSite=None` cookie is also `Partitioned` (CHIPS, draft-cutler-httpbis-partitioned-cookies):
 * browsers that block third-party cookies (Chromium's current default among them) keep a
 * cookie set in a cross-site answer only then, in the partition of the page's top-level site,
 * which is where that page's `pi.flow` requests send it back; the hosted pages' first-party
 * `Lax` cookie is a separate one.
 */
export function setCookie(deps: SignInDeps, reply: FastifyReply, name: string, value: string, path: string, maxAge: number, sameSite: SameSite = 'Lax'): void {
  const secure = deps.publicUrl.startsWith('https:') ? '; Secure' : '';
  const partitioned = sameSite === 'None' && secure ? '; Partitioned' : '';
  const cookie = `${name}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=${sameSite}${secure}${partitioned}`;
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  void reply.header('set-cookie', [...list, cookie]);
}

/**
 * `SameSite=None` for a request from an origin the application's `corsSettings` allow, over
 * HTTPS: its page runs the redirectless `pi.flow` with credentialed `fetch`, and a browser keeps
 * a cookie from such a cross-site answer, and sends it back, only when it is `SameSite=None`,
 * which it accepts only with `Secure` (RFC 6265bis §5.6.7, §5.7). `Lax` otherwise: the hosted
 * page and redirects are same-site navigations, and any other origin gets no credentialed access.
 */
export function sessionCookieSameSite(deps: SignInDeps, request: FastifyRequest): SameSite {
  return deps.publicUrl.startsWith('https:') && credentialedOrigin(request) !== undefined ? 'None' : 'Lax';
}

/** The `ST` session cookie, scoped to the environment's paths. */
export function setSessionCookie(deps: SignInDeps, request: FastifyRequest, reply: FastifyReply, envId: string, value: string): void {
  const maxAge = deps.sessionLifetimeSeconds ?? DEFAULT_SESSION_LIFETIME_SECONDS;
  setCookie(deps, reply, SESSION_COOKIE, value, `/${envId}/`, maxAge, sessionCookieSameSite(deps, request));
}

export const newNonce = (): string => randomBytes(16).toString('base64');

/** Sends an HTML page with a strict CSP and no caching, framing or referrer. */
export function sendPage(reply: FastifyReply, page: Page): FastifyReply {
  const formAction = ["'self'", ...page.formAction].join(' ');
  const script = page.script ? `; script-src 'nonce-${page.nonce}'` : '';
  const csp = `default-src 'none'; style-src 'nonce-${page.nonce}'${script}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
  return reply
    .code(page.status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', csp)
    .header('X-Frame-Options', 'DENY')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .header('Referrer-Policy', 'no-referrer')
    .send(page.body);
}

/** A redirect, a form_post page or pi.flow JSON, never cached. */
export function sendModeResponse(reply: FastifyReply, response: ModeResponse): FastifyReply {
  switch (response.kind) {
    case 'redirect':
      return reply.code(302).header('Location', response.location).header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').send();
    case 'form_post':
      return sendPage(reply, formPostPage(newNonce(), response.action, response.fields));
    case 'json':
      return reply.code(response.status).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(response.body);
  }
}
