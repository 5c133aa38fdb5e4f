/**
 * PKCE at the authorization endpoint (RFC 7636 §4.2-§4.4) under the application's
 * `pkceEnforcement`. Public clients (`tokenEndpointAuthMethod: NONE`) always need it
 * (OAuth 2.0 Security BCP §2.1.1).
 */
import type { PkceEnforcement } from '../../domain/applications/pkce-enforcement.js';
import type { TokenEndpointAuthMethod } from '../../domain/applications/token-endpoint-auth-method.js';
import { InvalidRequest } from '../errors.js';

/** RFC 7636 §4.2: 43-128 unreserved characters. */
const CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface PkceParams {
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
}

export function checkPkce(
  enforcement: PkceEnforcement,
  authMethod: TokenEndpointAuthMethod,
  challenge: string | undefined,
  method: string | undefined,
): PkceParams {
  const required = enforcement !== 'OPTIONAL' || authMethod === 'NONE';
  if (challenge === undefined) {
    if (method !== undefined) throw new InvalidRequest('code_challenge_method without code_challenge');
    if (required) throw new InvalidRequest('code_challenge is required');
    return {};
  }
  // RFC 7636 §4.3: the method defaults to plain.
  const m = method ?? 'plain';
  if (m !== 'S256' && m !== 'plain') throw new InvalidRequest('code_challenge_method must be S256 or plain');
  if (m === 'plain' && enforcement === 'S256_REQUIRED') throw new InvalidRequest('code_challenge_method must be S256');
  if (!CHALLENGE.test(challenge)) throw new InvalidRequest('code_challenge must be 43-128 unreserved characters');
  if (m === 'S256' && challenge.length !== 43) throw new InvalidRequest('an S256 code_challenge is 43 characters');
  return { codeChallenge: challenge, codeChallengeMethod: m };
}
