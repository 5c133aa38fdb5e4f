/**
 * Signature verification of a client assertion, pinned to the one `alg` already checked against
 * the allow-list (RFC 8725 §3.1), with node:crypto directly (RFC 7518 §3): this runs on every
 * token request. Each verification runs where it costs least (docs/decisions.md, "The token
 * endpoint's hot path"): HMAC (a microsecond) and an RSA public-key operation (RS*, PS*: about
 * 20–30 µs, no more than its hand-off) on the event loop, ECDSA and EdDSA (about 55 µs and more)
 * on the key operation threads (src/threads/key-operations.ts), where the verifications of
 * concurrent requests share one hand-off.
 */
import { constants, createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { KeyThreadsUnavailable, verifyOffLoop } from '../../threads/key-operations.js';
import { InvalidClient, TemporarilyUnavailable } from '../errors.js';
import type { DecodedAssertion } from './assertion-jws.js';
import type { CandidateKey } from './assertion-keys.js';

/** Succeeds when one candidate key verifies the compact JWS; tries them in order. */
export async function verifyAssertionSignature(
  { compact, signature }: Pick<DecodedAssertion, 'compact' | 'signature'>,
  candidates: readonly CandidateKey[],
  alg: string,
): Promise<void> {
  const signingInput = Buffer.from(compact.slice(0, compact.lastIndexOf('.')), 'ascii');
  const failures: string[] = [];
  for (const candidate of candidates) {
    const problem = await signatureProblem(signingInput, signature, candidate, alg);
    if (problem === undefined) return;
    failures.push(problem);
  }
  throw new InvalidClient('SIGNATURE_INVALID', failures.join('; ') || 'no key to verify the signature with');
}

async function signatureProblem(input: Buffer, signature: Buffer, candidate: CandidateKey, alg: string): Promise<string | undefined> {
  try {
    return (await verifies(input, signature, candidate.key, alg)) ? undefined : `the ${alg} signature does not verify with ${candidate.label()}`;
  } catch (err) {
    // The server could not verify: not the client's failure (a 503, counted against no one).
    if (err instanceof KeyThreadsUnavailable) throw new TemporarilyUnavailable(`the assertion's signature could not be verified: ${err.message}`);
    // Key or input errors that the earlier checks should have excluded; still a failed verification.
    return `${candidate.label()} could not verify the ${alg} signature: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const HASH: Readonly<Record<string, string>> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
/** RFC 7518 §3.4: R and S, each as long as the curve's order, concatenated. */
const ECDSA_SIGNATURE_BYTES: Readonly<Record<string, number>> = { ES256: 64, ES384: 96, ES512: 132 };

async function verifies(input: Buffer, signature: Buffer, key: KeyObject, alg: string): Promise<boolean> {
  const hash = HASH[alg.slice(2)];
  switch (alg.slice(0, 2)) {
    case 'HS':
      return hash !== undefined && key.type === 'secret' && hmacMatches(hash, key, input, signature);
    case 'RS':
      return hash !== undefined && verify(hash, input, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    case 'PS':
      // RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output.
      return hash !== undefined && verify(hash, input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    case 'ES':
      return hash !== undefined && signature.length === ECDSA_SIGNATURE_BYTES[alg] && verifyOffLoop(hash, input, { key, dsaEncoding: 'ieee-p1363' }, signature);
    default:
      // EdDSA / Ed25519 (RFC 8037 §3.1, RFC 9864): the algorithm is implied by the key.
      return (alg === 'EdDSA' || alg === 'Ed25519') && verifyOffLoop(null, input, { key }, signature);
  }
}

function hmacMatches(hash: string, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  const expected = createHmac(hash, key).update(input).digest();
  return expected.length === signature.length && timingSafeEqual(expected, signature);
}
