/**
 * Authorization responses in the request's response mode: `query` (RFC 6749 §4.1.2), `fragment`
 * (OAuth 2.0 Multiple Response Types §2), `form_post` (OAuth 2.0 Form Post Response Mode) and
 * PingOne's `pi.flow` (JSON instead of a redirect). Errors carry `iss` too (RFC 9207 §2).
 */
import type { AuthorizationRequest } from '../../domain/sign-in/authorization-request.js';
import type { OAuthError } from '../errors.js';

export type ResponseMode = AuthorizationRequest['responseMode'];

/** Where the answer goes once the redirect URI is trusted. */
export interface ResponseTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

/** What the HTTP layer renders: a redirect, an auto-submitting form, or JSON. */
export type ModeResponse =
  | { kind: 'redirect'; location: string }
  | { kind: 'form_post'; action: string; fields: ReadonlyArray<readonly [string, string]> }
  | { kind: 'json'; status: number; body: Record<string, unknown> };

/**
 * A successful authorization response carrying `code`. In pi.flow, `authorizeResponse` holds the
 * parameters a redirect would carry, `iss` included: discovery advertises
 * `authorization_response_iss_parameter_supported`, so clients require it there (RFC 9207 §2.4).
 */
export function codeResponse(target: ResponseTarget, issuer: string, code: string, flowId?: string): ModeResponse {
  if (target.responseMode === 'pi.flow') {
    const authorizeResponse: Record<string, string> = Object.fromEntries(withStateAndIss([['code', code]], target, issuer));
    const body: Record<string, unknown> = { status: 'COMPLETED', authorizeResponse };
    return { kind: 'json', status: 200, body: flowId === undefined ? body : { id: flowId, ...body } };
  }
  return render(target, withStateAndIss([['code', code]], target, issuer));
}

/** RFC 6749 §4.1.2.1: an error sent back to the trusted redirect URI. */
export function errorResponse(target: ResponseTarget, issuer: string, err: OAuthError): ModeResponse {
  const pairs: Array<[string, string]> = [['error', err.error]];
  if (err.description) pairs.push(['error_description', err.description]);
  if (target.responseMode === 'pi.flow') {
    const body: Record<string, unknown> = Object.fromEntries(withStateAndIss(pairs, target, issuer));
    return { kind: 'json', status: err.status >= 500 ? err.status : 400, body };
  }
  return render(target, withStateAndIss(pairs, target, issuer));
}

function withStateAndIss(pairs: Array<[string, string]>, target: ResponseTarget, issuer: string): Array<[string, string]> {
  if (target.state !== undefined) pairs.push(['state', target.state]);
  pairs.push(['iss', issuer]);
  return pairs;
}

function render(target: ResponseTarget, pairs: Array<[string, string]>): ModeResponse {
  const encoded = new URLSearchParams(pairs).toString();
  switch (target.responseMode) {
    case 'form_post':
      return { kind: 'form_post', action: target.redirectUri, fields: pairs };
    case 'fragment':
      return { kind: 'redirect', location: `${target.redirectUri}#${encoded}` };
    default: {
      const separator = target.redirectUri.includes('?') ? '&' : '?';
      return { kind: 'redirect', location: `${target.redirectUri}${separator}${encoded}` };
    }
  }
}
