/**
 * Proof Key for Code Exchange at the token endpoint (RFC 7636 §4.5, §4.6), checked against the
 * challenge stored with the authorization code and the application's `pkceEnforcement`.
 */
import { createHash } from 'node:crypto';
import type { PkceEnforcement } from '../../domain/applications/pkce-enforcement.js';
import { InvalidGrant } from '../errors.js';
import { constantTimeEqual } from '../tokens/opaque.js';

/** RFC 7636 §4.1: code-verifier = 43*128unreserved. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface PkceBinding {
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
}

export interface PkcePolicy {
  enforcement: PkceEnforcement;
  /** Public clients (`NONE`) always need PKCE. */
  publicClient: boolean;
}

/**
 * Throws InvalidGrant unless `verifier` proves possession of the code's challenge.
 * A code without a challenge accepts no verifier (no downgrade to "PKCE optional" either way).
 */
export function verifyPkce(code: PkceBinding, verifier: string | undefined, policy: PkcePolicy): void {
  const challenge = code.codeChallenge;
  if (challenge === undefined) {
    if (verifier !== undefined) throw new InvalidGrant('code_verifier sent for a code issued without code_challenge');
    if (policy.publicClient || policy.enforcement !== 'OPTIONAL') throw new InvalidGrant('the code was issued without PKCE');
    return;
  }
  if (verifier === undefined) throw new InvalidGrant('code_verifier is required for this code');
  if (!VERIFIER.test(verifier)) throw new InvalidGrant('code_verifier must be 43 to 128 unreserved characters');
  // RFC 7636 §4.3: a challenge without a method is "plain".
  const method = code.codeChallengeMethod ?? 'plain';
  if (method === 'plain' && policy.enforcement === 'S256_REQUIRED') throw new InvalidGrant('the application requires S256');
  const derived = method === 'S256' ? s256(verifier) : verifier;
  if (!constantTimeEqual(derived, challenge)) throw new InvalidGrant('code_verifier does not match the code_challenge');
}

/** BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
