/**
 * A certificate authority's answer to a key's CSR (PingOne, "Import Certificate Authority (CA)
 * Response to a CSR"): the file OpenSSL's `x509 -req` writes, PEM or DER, or a PKCS #7
 * certs-only bundle (RFC 2315 §9.1, `-----BEGIN PKCS7-----` or DER), possibly holding the CA's
 * chain too. The key's certificate is the one that certifies the key's own public key; it must
 * be valid now, as for every certificate PingOne takes (PingOne, "Certificate Management").
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { validityProblem } from './certificates.js';

/** Certificates a file may hold: a leaf and its chain, with room to spare. */
const MAX_CERTIFICATES = 10;
const PEM_BLOCK = /-----BEGIN (CERTIFICATE|PKCS7)-----([A-Za-z0-9+/=\s]*)-----END \1-----/g;

/** Why a file was refused, worded for the API's error detail. */
export class CaResponseError extends Error {}

/** The certificate of `publicKey` that `file` holds, valid at `now`. */
export function certificateForKey(file: Buffer, publicKey: KeyObject, now: Date): pkijs.Certificate {
  const certificates = certificatesOf(file);
  const own = certificates.find((c) => certifies(c, publicKey));
  if (!own) throw new CaResponseError("The file holds no certificate of this key's public key: sign the key's own certificate signing request.");
  const problem = validityProblem(own, now);
  if (problem) throw new CaResponseError(problem);
  return own;
}

/** Every certificate of a PEM file (CERTIFICATE and PKCS7 blocks), or of one DER structure. */
function certificatesOf(file: Buffer): pkijs.Certificate[] {
  const text = file.toString('latin1');
  const blocks = [...text.matchAll(PEM_BLOCK)];
  // Counted before any is parsed, so that a file of many small blocks costs no parsing.
  if (blocks.length > MAX_CERTIFICATES) throw new CaResponseError(`The file must hold at most ${MAX_CERTIFICATES} certificates.`);
  const ders = blocks.length > 0 ? blocks.map((m) => ({ pkcs7: m[1] === 'PKCS7', der: Buffer.from((m[2] ?? '').replace(/\s+/g, ''), 'base64') })) : [{ pkcs7: undefined, der: file }];
  const certificates = ders.flatMap(({ pkcs7, der }) => parsed(der, pkcs7));
  if (certificates.length > MAX_CERTIFICATES) throw new CaResponseError(`The file must hold at most ${MAX_CERTIFICATES} certificates.`);
  return certificates;
}

/** An X.509 certificate, or the certificates of a PKCS #7 SignedData; `pkcs7` undefined: either. */
function parsed(der: Buffer, pkcs7: boolean | undefined): pkijs.Certificate[] {
  if (pkcs7 !== true) {
    try {
      return [pkijs.Certificate.fromBER(der)];
    } catch {
      if (pkcs7 === false) throw new CaResponseError('The file holds a CERTIFICATE block that is not an X.509 certificate.');
    }
  }
  try {
    const info = pkijs.ContentInfo.fromBER(der);
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not SignedData');
    const signed = new pkijs.SignedData({ schema: info.content });
    return (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  } catch {
    throw new CaResponseError('The file must be an X.509 certificate or a PKCS #7 bundle of certificates, PEM or DER.');
  }
}

function certifies(certificate: pkijs.Certificate, publicKey: KeyObject): boolean {
  try {
    return x509Of(certificate).publicKey.equals(publicKey);
  } catch {
    // A structure pkijs reads but OpenSSL does not (an unsupported key type): not this key's.
    return false;
  }
}

function x509Of(certificate: pkijs.Certificate): X509Certificate {
  return new X509Certificate(Buffer.from(certificate.toSchema().toBER(false)));
}
