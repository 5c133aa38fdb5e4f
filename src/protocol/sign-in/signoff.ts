/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2-§3) at `/{envId}/as/signoff`.
 * The session named by the `ST` cookie is revoked whatever else happens, except when a valid
 * `id_token_hint` names another user than the session's (refused, the session stays); the browser
 * is sent to `post_logout_redirect_uri` only when it exactly matches one the application registered.
 */
import { InvalidRequest, type OAuthError } from '../errors.js';
import type { Params } from '../params.js';
import { bounded } from './authorize-request.js';
import type { IdTokenHintClaims, SignInContext, SignInPorts } from './ports.js';
import { currentSession } from './sessions.js';

export type SignoffResult =
  | { kind: 'redirect'; location: string }
  /** Signed out; no (valid) place to send the browser: show a page. */
  | { kind: 'signed_out' }
  | { kind: 'error_page'; error: OAuthError }
  /** Refused and NOT signed out: the session (and its cookie) stay as they were. */
  | { kind: 'refused'; error: OAuthError };

export async function signoff(ports: SignInPorts, ctx: SignInContext, params: Params, sessionCookie: string | undefined): Promise<SignoffResult> {
  const session = await currentSession(ports, ctx, sessionCookie);
  let hint: IdTokenHintClaims | undefined;
  let hintError: InvalidRequest | undefined;
  try {
    hint = await verifiedHint(ports, ctx, params);
  } catch (err) {
    if (!(err instanceof InvalidRequest)) throw err;
    hintError = err;
  }
  // §2: a hint naming another End-User than the signed-in one makes the request suspect (a page
  // of another user's RP, or logout CSRF with the attacker's own ID token). Keyway declines it:
  // the session is not ended, nobody is redirected, and the page says why.
  if (session && hint && hint.sub !== session.userId) {
    return { kind: 'refused', error: new InvalidRequest('id_token_hint was not issued for the signed-in user; the user remains signed in') };
  }
  if (session) await ports.sessions.revoke(ctx.environmentId, session.idHash);
  try {
    if (hintError) throw hintError;
    const clientId = clientOf(params, hint);
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

/** The verified `id_token_hint`, if one was sent. @throws InvalidRequest when it does not verify. */
async function verifiedHint(ports: SignInPorts, ctx: SignInContext, params: Params): Promise<IdTokenHintClaims | undefined> {
  const hint = params.get('id_token_hint');
  if (hint === undefined) return undefined;
  if (hint.length > 8192 || !ports.idTokenHints) throw new InvalidRequest('id_token_hint is not valid');
  const claims = await ports.idTokenHints.verify(ctx.environmentId, hint);
  if (!claims) throw new InvalidRequest('id_token_hint is not valid');
  return claims;
}

/** §2: the client from the hint's `azp`/`aud`, which must agree with `client_id` when both are sent. */
function clientOf(params: Params, claims: IdTokenHintClaims | undefined): string | undefined {
  const clientId = bounded(params, 'client_id');
  if (claims === undefined) return clientId;
  const hinted = claims.azp ?? (claims.aud.length === 1 ? claims.aud[0] : undefined);
  if (clientId !== undefined && !claims.aud.includes(clientId)) throw new InvalidRequest('client_id does not match id_token_hint');
  return clientId ?? hinted;
}
