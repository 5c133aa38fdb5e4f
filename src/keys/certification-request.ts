/**
 * Certificate signing requests for environment keys (PingOne, "Export a certificate signing
 * request (CSR)"): a PKCS #10 CertificationRequest (RFC 2986 §4) naming the subject of the key's
 * current certificate and holding its public key, signed by its private key (RFC 2986 §3: the
 * proof that the requester holds it) with the hash of the key's signature algorithm. A CA's
 * certificate for it is taken back by ./ca-response.ts.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import * as pkijs from 'pkijs';
import type { CertifiedSigningKey } from '../domain/signing-key.js';
import { hashOf, pkiEngine, toCryptoKeys } from './certificates.js';
import type { Sealer } from './master-key.js';

/** The DER of a CSR for the key, whose certificate supplies the subject and the signature algorithm. */
export async function certificationRequest(key: CertifiedSigningKey, sealer: Sealer): Promise<Buffer> {
  const privateKey = createPrivateKey(sealer.open(key.privateKeyCiphertext));
  const hash = hashOf(key.certificate.signatureAlgorithm);
  const keys = await toCryptoKeys({ publicKey: createPublicKey(privateKey), privateKey }, key.keyAlgorithm, key.keyLength, hash);
  const request = new pkijs.CertificationRequest();
  request.version = 0;
  request.subject = pkijs.Certificate.fromBER(Buffer.from(key.certificate.der, 'base64')).subject;
  await request.subjectPublicKeyInfo.importKey(keys.publicKey, pkiEngine);
  await request.sign(keys.privateKey, hash, pkiEngine);
  return Buffer.from(request.toSchema(true).toBER(false));
}
