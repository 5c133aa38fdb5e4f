/**
 * Signature verification of a client assertion with jose, pinned to the one `alg` already
 * checked against the allow-list (RFC 8725 §3.1).
 */
import { compactVerify, errors } from 'jose';
import { InvalidClient } from '../errors.js';
import type { CandidateKey } from './assertion-keys.js';

/** Succeeds when one candidate key verifies the compact JWS; tries them in order. */
export async function verifyAssertionSignature(compact: string, candidates: readonly CandidateKey[], alg: string): Promise<void> {
  const failures: string[] = [];
  for (const candidate of candidates) {
    const problem = await signatureProblem(compact, candidate, alg);
    if (problem === undefined) return;
    failures.push(problem);
  }
  throw new InvalidClient('SIGNATURE_INVALID', failures.join('; ') || 'no key to verify the signature with');
}

async function signatureProblem(compact: string, candidate: CandidateKey, alg: string): Promise<string | undefined> {
  try {
    await compactVerify(compact, candidate.key, { algorithms: [alg] });
    return undefined;
  } catch (err) {
    if (err instanceof errors.JWSSignatureVerificationFailed) return `the ${alg} signature does not verify with ${candidate.label}`;
    // Key or input errors that the earlier checks should have excluded; still a failed verification.
    return `${candidate.label} could not verify the ${alg} signature: ${err instanceof Error ? err.message : String(err)}`;
  }
}
