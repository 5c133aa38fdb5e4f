/**
 * X.509 certificates of environment keys, through pkijs (no ASN.1 written here): a self-signed
 * certificate for a key pair Keyway makes (PingOne, "Certificates and key pairs": a key pair is
 * created with a self-signed certificate whose issuer is its subject), and what a certificate
 * says, for the keys API's `Certificate` fields and for imported PKCS#12 files.
 */
import * as asn1js from 'asn1js';
import { createHash, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import type { KeyAlgorithm, KeyCertificate, SignatureAlgorithm } from '../domain/signing-key.js';
import { formatDn, toRelativeDistinguishedNames } from './distinguished-name.js';
import { certificatePem } from './pem.js';

/** pkijs over node's WebCrypto, passed to each call rather than set as a global engine (also by src/cli/tls/). */
export const pkiEngine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto });

const DAY_MS = 86_400_000;

/** `SHA384withECDSA` → `SHA-384`. */
export function hashOf(signatureAlgorithm: SignatureAlgorithm): string {
  return `SHA-${signatureAlgorithm.slice(3, 6)}`;
}

/** The WebCrypto algorithm that signs with a key of this type and hash. */
function webCryptoAlgorithm(keyAlgorithm: KeyAlgorithm, keyLength: number, hash: string): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams {
  return keyAlgorithm === 'RSA' ? { name: 'RSASSA-PKCS1-v1_5', hash } : { name: 'ECDSA', namedCurve: `P-${keyLength}` };
}

/** Imports a node key pair into WebCrypto for pkijs. */
export async function toCryptoKeys(
  pair: { publicKey: KeyObject; privateKey: KeyObject },
  keyAlgorithm: KeyAlgorithm,
  keyLength: number,
  hash: string,
): Promise<{ publicKey: webcrypto.CryptoKey; privateKey: webcrypto.CryptoKey }> {
  const algorithm = webCryptoAlgorithm(keyAlgorithm, keyLength, hash);
  const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = pair.publicKey.export({ format: 'der', type: 'spki' });
  return {
    privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']),
  };
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function x509Time(value: Date): pkijs.Time {
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime, value });
}

export interface SelfSignedRequest {
  keyAlgorithm: KeyAlgorithm;
  keyLength: number;
  signatureAlgorithm: SignatureAlgorithm;
  /** Parsed subject (src/keys/distinguished-name.ts), most specific first. */
  subject: ReadonlyArray<[string, string]>;
  validityDays: number;
  startsAt: Date;
}

/**
 * A self-signed certificate for the pair: subject = issuer, a random positive serial below
 * 2^52 (PingOne's `serialNumber` is a JSON integer; this keeps it exact), second precision.
 */
export async function selfSignedCertificate(pair: { publicKey: KeyObject; privateKey: KeyObject }, request: SelfSignedRequest): Promise<KeyCertificate> {
  const hash = hashOf(request.signatureAlgorithm);
  const keys = await toCryptoKeys(pair, request.keyAlgorithm, request.keyLength, hash);
  const startsAt = new Date(Math.floor(request.startsAt.getTime() / 1000) * 1000);
  const expiresAt = new Date(startsAt.getTime() + request.validityDays * DAY_MS);
  const serial = randomBytes(7);
  serial[0] = ((serial[0] as number) & 0x0f) | 0x01;
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  certificate.subject = toRelativeDistinguishedNames(request.subject);
  certificate.issuer = toRelativeDistinguishedNames(request.subject);
  certificate.notBefore = x509Time(startsAt);
  certificate.notAfter = x509Time(expiresAt);
  certificate.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false), parsedValue: new pkijs.BasicConstraints({ cA: false }) }),
  ];
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey, pkiEngine);
  await certificate.sign(keys.privateKey, hash, pkiEngine);
  return describeCertificate(certificate, request.signatureAlgorithm);
}

/** What a parsed certificate says, with the signature algorithm already known to be one PingOne names. */
export function describeCertificate(certificate: pkijs.Certificate, signatureAlgorithm: SignatureAlgorithm): KeyCertificate {
  const startsAt = certificate.notBefore.value;
  const expiresAt = certificate.notAfter.value;
  return {
    der: Buffer.from(certificate.toSchema(true).toBER(false)).toString('base64'),
    subjectDN: formatDn(certificate.subject),
    issuerDN: formatDn(certificate.issuer),
    serialNumber: BigInt(`0x${Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex') || '0'}`).toString(),
    startsAt: startsAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    validityPeriod: Math.max(1, Math.round((expiresAt.getTime() - startsAt.getTime()) / DAY_MS)),
    signatureAlgorithm,
  };
}

/**
 * Why the certificate is not valid at `now` (RFC 5280 §4.1.2.5: notBefore to notAfter), or
 * undefined: PingOne takes only certificates valid at upload ("Certificate Management").
 */
export function validityProblem(certificate: pkijs.Certificate, now: Date): string | undefined {
  const [validFrom, validTo] = [certificate.notBefore.value, certificate.notAfter.value];
  if (validFrom.getTime() <= now.getTime() && now.getTime() <= validTo.getTime()) return undefined;
  return `The certificate is not currently valid (valid from ${validFrom.toISOString()} to ${validTo.toISOString()}).`;
}

/** The certificate as PEM (RFC 7468 §5), for `Accept: application/x-x509-ca-cert`. */
export function keyCertificatePem(certificate: KeyCertificate): string {
  return certificatePem(Buffer.from(certificate.der, 'base64'));
}

/**
 * The certificate as a degenerate PKCS #7 SignedData holding only it (RFC 2315 §9.1, "certs-only"),
 * DER, for `Accept: application/x-pkcs7-certificates`.
 */
export function certificatePkcs7(certificate: KeyCertificate): Buffer {
  const der = Buffer.from(certificate.der, 'base64');
  const parsed = pkijs.Certificate.fromBER(der);
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    certificates: [parsed],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER(false));
}

/** SHA-256 thumbprint of the certificate (RFC 7517 §4.9, `x5t#S256`). */
export function certificateThumbprint(certificate: KeyCertificate): string {
  return createHash('sha256').update(Buffer.from(certificate.der, 'base64')).digest('base64url');
}
