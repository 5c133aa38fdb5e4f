/**
 * A key pair given as PEM text: an unencrypted PKCS #8 private key (RFC 7468 §10) and the X.509
 * certificate of its public key (RFC 7468 §5). A configuration file pins an environment's keys
 * this way (README, "Declarative configuration"); the checks are the PKCS #12 import's.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { pemBody } from './pem.js';
import { describeKey, Pkcs12Error, type ImportedKeyPair } from './pkcs12.js';

/** Reads and checks the pair; throws Pkcs12Error with a message for the file's author. */
export function readPemKeyPair(privateKeyPem: string, certificatePem: string): ImportedKeyPair {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch {
    throw new Pkcs12Error('privateKey must be an unencrypted PEM private key (PKCS #8).');
  }
  let certificate: pkijs.Certificate;
  try {
    if (!/-----BEGIN CERTIFICATE-----/.test(certificatePem)) throw new Error('not a certificate');
    certificate = pkijs.Certificate.fromBER(pemBody(certificatePem));
  } catch {
    throw new Pkcs12Error('certificate must be a PEM X.509 certificate.');
  }
  const publicKey = createPublicKey(privateKey);
  return { publicKey, privateKey, certificate, ...describeKey(publicKey, certificate) };
}
