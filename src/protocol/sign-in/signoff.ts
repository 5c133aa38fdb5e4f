/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2-§3) at `/{envId}/as/signoff`.
 * The session named by the `ST` cookie is revoked whatever else happens; the browser is sent to
 * `post_logout_redirect_uri` only when it exactly matches one the application registered.
 */
import { InvalidRequest } from '../errors.js';
import type { OAuthError } from '../errors.js';
import type { Params } from '../params.js';
import { bounded } from './authorize-request.js';
import type { SignInContext, SignInPorts } from './ports-extra.js';
import { currentSession } from './sessions.js';

export type SignoffResult =
  | { kind: 'redirect'; location: string }
  /** Signed out; no (valid) place to send the browser: show a page. */
  | { kind: 'signed_out' }
  | { kind: 'error_page'; error: OAuthError };

export async function signoff(ports: SignInPorts, ctx: SignInContext, params: Params, sessionCookie: string | undefined): Promise<SignoffResult> {
  const session = await currentSession(ports, ctx, sessionCookie);
  if (session) await ports.sessions.revoke(ctx.environmentId, session.idHash);
  try {
    const clientId = await clientOf(ports, ctx, params);
    const postLogout = bounded(params, 'post_logout_redirect_uri');
    if (postLogout === undefined) return { kind: 'signed_out' };
    if (clientId === undefined) throw new InvalidRequest('post_logout_redirect_uri needs id_token_hint or client_id');
    const settings = (await ports.directory.find(ctx.environmentId, clientId))?.client.enabled
      ? await ports.clients.settings(ctx.environmentId, clientId)
      : undefined;
    if (!settings?.postLogoutRedirectUris.includes(postLogout)) throw new InvalidRequest('post_logout_redirect_uri is not registered for the client');
    const state = bounded(params, 'state');
    if (state === undefined) return { kind: 'redirect', location: postLogout };
    const separator = postLogout.includes('?') ? '&' : '?';
    return { kind: 'redirect', location: `${postLogout}${separator}${new URLSearchParams({ state }).toString()}` };
  } catch (err) {
    if (err instanceof InvalidRequest) return { kind: 'error_page', error: err };
    throw err;
  }
}

/** §2: the client from the hint's `azp`/`aud`, which must agree with `client_id` when both are sent. */
async function clientOf(ports: SignInPorts, ctx: SignInContext, params: Params): Promise<string | undefined> {
  const clientId = bounded(params, 'client_id');
  const hint = params.get('id_token_hint');
  if (hint === undefined) return clientId;
  if (hint.length > 8192 || !ports.idTokenHints) throw new InvalidRequest('id_token_hint is not valid');
  const claims = await ports.idTokenHints.verify(ctx.environmentId, hint);
  if (!claims) throw new InvalidRequest('id_token_hint is not valid');
  const hinted = claims.azp ?? (claims.aud.length === 1 ? claims.aud[0] : undefined);
  if (clientId !== undefined && !claims.aud.includes(clientId)) throw new InvalidRequest('client_id does not match id_token_hint');
  return clientId ?? hinted;
}
