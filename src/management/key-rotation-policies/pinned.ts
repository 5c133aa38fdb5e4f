/**
 * A key rotation policy's CURRENT or NEXT key given as a PEM pair instead of generated, so that
 * a declarative configuration (src/declarative/) reproduces a policy's `kid`s and public keys,
 * and with them an environment's JWKS. Internal: the keyRotationPolicies API itself always
 * generates its keys (docs.pingidentity.com, "Key rotation policies").
 */
import { InvalidDataError } from '../../domain/pingone-error.js';
import type { SigningKeyRecord } from '../../domain/signing-key.js';
import { describeCertificate } from '../../keys/certificates.js';
import { keyRecord } from '../../keys/signing-keys.js';
import type { KeyRotationPolicyRecord, KeyRotationPolicySettings } from '../../store/types.js';
import type { Sealer } from '../../keys/master-key.js';
import { detail } from '../errors.js';
import { readPinnedKey } from '../keys/import.js';

export type PolicyKeyState = 'CURRENT' | 'NEXT';

/** A pinned key: its id (the `kid`), PKCS #8 private key and X.509 certificate as PEM. */
export interface PinnedPolicyKey {
  id: string;
  privateKey: string;
  certificate: string;
}

/** The pair, checked as the keys import checks it and against the policy's algorithm and key length. */
export function checkPinnedPolicyKey(settings: KeyRotationPolicySettings, key: Pick<PinnedPolicyKey, 'privateKey' | 'certificate'>) {
  const pair = readPinnedKey(key);
  if (pair.keyAlgorithm !== settings.algorithm || pair.keyLength !== settings.keyLength || pair.signatureAlgorithm !== settings.signatureAlgorithm) {
    throw new InvalidDataError([
      detail.invalid('privateKey', `the key must be ${settings.algorithm} ${settings.keyLength} with ${settings.signatureAlgorithm}, as the policy says.`),
    ]);
  }
  return pair;
}

export function pinnedPolicyKey(policy: KeyRotationPolicyRecord, state: PolicyKeyState, key: PinnedPolicyKey, sealer: Sealer, now: Date): SigningKeyRecord {
  const pair = checkPinnedPolicyKey(policy.settings, key);
  const certificate = describeCertificate(pair.certificate, pair.signatureAlgorithm);
  const request = {
    name: policy.name,
    keyAlgorithm: pair.keyAlgorithm,
    keyLength: pair.keyLength,
    signatureAlgorithm: pair.signatureAlgorithm,
    usageType: policy.settings.usageType,
    default: false,
    certificate,
  };
  return { ...keyRecord(policy.environmentId, pair, request, sealer, now, key.id), rotationPolicyId: policy.id, rotationState: state };
}
