/**
 * Reads a password-protected PKCS #12 file (RFC 7292) through pkijs: the MAC is checked with the
 * password (§5, OpenSSL 3 writes HMAC-SHA256 over a PBKDF2 key), the encrypted safe contents
 * are opened, and the one private key (a shrouded PKCS #8 bag, §4.2.2, or a plain key bag) and
 * the certificate holding its public key are returned. The shrouded key is an
 * EncryptedPrivateKeyInfo (RFC 5958 §3), which node's own PKCS #8 reader decrypts.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import type { KeyAlgorithm, SignatureAlgorithm } from '../domain/signing-key.js';
import { pkiEngine } from './certificates.js';

const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';

/** Certificate signature algorithms PingOne names (RFC 8017 Appendix C, RFC 5758 §3.2). */
const SIGNATURE_OIDS: Readonly<Record<string, SignatureAlgorithm>> = {
  '1.2.840.113549.1.1.11': 'SHA256withRSA',
  '1.2.840.113549.1.1.12': 'SHA384withRSA',
  '1.2.840.113549.1.1.13': 'SHA512withRSA',
  '1.2.840.10045.4.3.2': 'SHA256withECDSA',
  '1.2.840.10045.4.3.3': 'SHA384withECDSA',
  '1.2.840.10045.4.3.4': 'SHA512withECDSA',
};
const CURVES: Readonly<Record<string, number>> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };

export interface ImportedKeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
  certificate: pkijs.Certificate;
  keyAlgorithm: KeyAlgorithm;
  keyLength: number;
  signatureAlgorithm: SignatureAlgorithm;
}

/** Why a file was refused, worded for the API's error detail. */
export class Pkcs12Error extends Error {}

export async function readPkcs12(file: Buffer, password: string): Promise<ImportedKeyPair> {
  const passwordBytes = new TextEncoder().encode(password).buffer as ArrayBuffer;
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(file);
    await pfx.parseInternalValues({ password: passwordBytes, checkIntegrity: true }, pkiEngine);
  } catch {
    throw new Pkcs12Error('The file is not a PKCS #12 file this password opens.');
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new Pkcs12Error('The PKCS #12 file must be password-protected (integrity mode PASSWORD).');
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: passwordBytes })) }, pkiEngine);
  } catch {
    throw new Pkcs12Error('The contents of the PKCS #12 file could not be decrypted with this password.');
  }
  const privateKeys: KeyObject[] = [];
  const certificates: pkijs.Certificate[] = [];
  for (const contents of safe.parsedValue?.safeContents ?? []) {
    for (const bag of contents.value.safeBags) {
      if (bag.bagId === SHROUDED_KEY_BAG) privateKeys.push(openShrouded(bag.bagValue as pkijs.PKCS8ShroudedKeyBag, password));
      else if (bag.bagId === KEY_BAG) privateKeys.push(createPrivateKey({ key: Buffer.from((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER(false)), format: 'der', type: 'pkcs8' }));
      else if (bag.bagId === CERT_BAG) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.certId === X509_CERTIFICATE && certBag.parsedValue instanceof pkijs.Certificate) certificates.push(certBag.parsedValue);
      }
    }
  }
  if (privateKeys.length !== 1) throw new Pkcs12Error('The PKCS #12 file must hold exactly one private key.');
  const privateKey = privateKeys[0] as KeyObject;
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const certificate = certificates.find((c) => Buffer.from(c.subjectPublicKeyInfo.toSchema().toBER(false)).equals(spki));
  if (!certificate) throw new Pkcs12Error("The PKCS #12 file holds no certificate of its private key's public key.");
  return { publicKey, privateKey, certificate, ...describeKey(publicKey, certificate) };
}

function openShrouded(bag: pkijs.PKCS8ShroudedKeyBag, password: string): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(bag.toSchema().toBER(false)), format: 'der', type: 'pkcs8', passphrase: password });
  } catch {
    throw new Pkcs12Error('The private key of the PKCS #12 file could not be decrypted with this password.');
  }
}

/** The key type, length and certificate signature algorithm, when they are ones PingOne's keys API names. */
export function describeKey(publicKey: KeyObject, certificate: pkijs.Certificate): Pick<ImportedKeyPair, 'keyAlgorithm' | 'keyLength' | 'signatureAlgorithm'> {
  const signatureAlgorithm = SIGNATURE_OIDS[certificate.signatureAlgorithm.algorithmId];
  if (!signatureAlgorithm) throw new Pkcs12Error('The certificate must be signed with SHA-256, SHA-384 or SHA-512 and RSA (PKCS #1 v1.5) or ECDSA.');
  const details = publicKey.asymmetricKeyDetails ?? {};
  const x509 = new X509Certificate(Buffer.from(certificate.toSchema().toBER(false)));
  if (!x509.publicKey.equals(publicKey)) throw new Pkcs12Error("The certificate does not hold the private key's public key.");
  if (publicKey.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < 2048) throw new Pkcs12Error('An RSA key must be at least 2048 bits long.');
    if (!signatureAlgorithm.endsWith('withRSA')) throw new Pkcs12Error('The certificate of an RSA key must be signed with RSA.');
    return { keyAlgorithm: 'RSA', keyLength: bits, signatureAlgorithm };
  }
  const curveBits = publicKey.asymmetricKeyType === 'ec' ? CURVES[details.namedCurve ?? ''] : undefined;
  if (curveBits === undefined) throw new Pkcs12Error('The key must be RSA or EC on P-256, P-384 or P-521.');
  return { keyAlgorithm: 'EC', keyLength: curveBits, signatureAlgorithm };
}
