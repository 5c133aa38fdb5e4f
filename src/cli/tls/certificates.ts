/**
 * The certificates of KEYWAY_TLS=self-signed, built with pkijs over WebCrypto (no ASN.1 written
 * here): a local certificate authority, and server certificates it issues for a list of host
 * names and IP addresses. ECDSA P-256 with SHA-256 throughout: quick to generate, and accepted
 * by every current browser and by Node's TLS.
 */
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { pkiEngine as engine } from '../../keys/certificates.js';
import { certificatePem, privateKeyPem, pemBody } from '../../keys/pem.js';

/** A certificate with its private key, both PEM. */
export interface IssuedPair {
  cert: string;
  key: string;
}

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const HASH = 'SHA-256';
const DAY_MS = 86_400_000;
/** Ten years: the authority is trusted once, by hand, and should not need it again soon. */
export const CA_VALIDITY_DAYS = 3650;
/**
 * 397 days: within the 398-day limit browsers and the CA/Browser Forum set for server
 * certificates (Baseline Requirements §6.3.2), so no client refuses it for its lifetime.
 */
export const SERVER_VALIDITY_DAYS = 397;
/** Backdated an hour, so a client whose clock is a little behind accepts a fresh certificate. */
const BACKDATE_MS = 3_600_000;

const subtle = webcrypto.subtle;

/** RFC 5280 §4.2.1.3 key usage bits, numbered from the first (most significant) bit. */
const KEY_CERT_SIGN = 5;
const CRL_SIGN = 6;
const DIGITAL_SIGNATURE = 0;
/** RFC 5280 §4.2.1.12 id-kp-serverAuth. */
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
/** RFC 5280 §4.1.2.4 commonName (id-at-commonName). */
const COMMON_NAME = '2.5.4.3';

/** A new certificate authority: self-signed, `cA` true, allowed to sign certificates only. */
export async function issueCertificateAuthority(commonName: string, now: Date): Promise<IssuedPair> {
  const keys = (await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await certificateBody(commonName, keys.publicKey, now, CA_VALIDITY_DAYS);
  cert.issuer = cert.subject;
  cert.extensions = [
    extension(pkijs.id_BasicConstraints, true, new pkijs.BasicConstraints({ cA: true, pathLenConstraint: 0 }).toSchema()),
    extension(pkijs.id_KeyUsage, true, keyUsage([KEY_CERT_SIGN, CRL_SIGN])),
    extension(pkijs.id_SubjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: await keyIdentifier(cert) })),
  ];
  await cert.sign(keys.privateKey, HASH, engine);
  return { cert: certificatePem(cert.toSchema(true).toBER(false)), key: await exportKey(keys.privateKey) };
}

/**
 * A server certificate for `names` (DNS names and IP addresses, RFC 5280 §4.2.1.6; browsers
 * read only the subject alternative names, RFC 6125 §6.4.4), issued by `authority`.
 */
export async function issueServerCertificate(authority: IssuedPair, names: readonly string[], now: Date): Promise<IssuedPair> {
  const issuer = pkijs.Certificate.fromBER(pemBody(authority.cert));
  const issuerKey = await importKey(authority.key);
  const keys = (await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await certificateBody(names[0] ?? 'localhost', keys.publicKey, now, SERVER_VALIDITY_DAYS);
  cert.issuer = issuer.subject;
  const authorityKeyId = await keyIdentifier(issuer);
  cert.extensions = [
    extension(pkijs.id_BasicConstraints, true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
    extension(pkijs.id_KeyUsage, true, keyUsage([DIGITAL_SIGNATURE])),
    extension(pkijs.id_ExtKeyUsage, false, new pkijs.ExtKeyUsage({ keyPurposes: [SERVER_AUTH] }).toSchema()),
    extension(pkijs.id_SubjectAltName, false, new pkijs.GeneralNames({ names: names.map(generalName) }).toSchema()),
    extension(pkijs.id_SubjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: await keyIdentifier(cert) })),
    extension(
      pkijs.id_AuthorityKeyIdentifier,
      false,
      new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: authorityKeyId }) }).toSchema(),
    ),
  ];
  await cert.sign(issuerKey, HASH, engine);
  return { cert: certificatePem(cert.toSchema(true).toBER(false)), key: await exportKey(keys.privateKey) };
}

/** Version 3, a random serial, the subject's common name, validity and public key. */
async function certificateBody(commonName: string, publicKey: CryptoKey, now: Date, days: number): Promise<pkijs.Certificate> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: serialNumber() });
  cert.subject.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: COMMON_NAME, value: new asn1js.Utf8String({ value: commonName }) }));
  cert.notBefore.value = new Date(now.getTime() - BACKDATE_MS);
  cert.notAfter.value = new Date(now.getTime() + days * DAY_MS);
  await cert.subjectPublicKeyInfo.importKey(publicKey, engine);
  return cert;
}

/** 16 random bytes, positive (RFC 5280 §4.1.2.2: at most 20 octets, non-negative). */
function serialNumber(): ArrayBuffer {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.buffer;
}

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** The KeyUsage BIT STRING with the given bits set (RFC 5280 §4.2.1.3). */
function keyUsage(bits: readonly number[]): asn1js.BitString {
  const byte = bits.reduce((acc, bit) => acc | (0x80 >> bit), 0);
  const unusedBits = 7 - Math.max(...bits);
  return new asn1js.BitString({ valueHex: new Uint8Array([byte]).buffer, unusedBits });
}

/** RFC 5280 §4.2.1.2 method (1): the SHA-1 of the subjectPublicKey bits. */
async function keyIdentifier(cert: pkijs.Certificate): Promise<ArrayBuffer> {
  return subtle.digest('SHA-1', cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
}

/** dNSName (2) for a name, iPAddress (7) with the address's octets for an IPv4 or IPv6 address. */
function generalName(name: string): pkijs.GeneralName {
  if (isIP(name) === 0) return new pkijs.GeneralName({ type: 2, value: name });
  return new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: ipOctets(name) }) });
}

function ipOctets(address: string): ArrayBuffer {
  if (isIP(address) === 4) return new Uint8Array(address.split('.').map(Number)).buffer;
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return new Uint8Array(words.flatMap((w) => [w >> 8, w & 0xff])).buffer;
}

async function exportKey(key: CryptoKey): Promise<string> {
  return privateKeyPem(await subtle.exportKey('pkcs8', key));
}

async function importKey(pem: string): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', pemBody(pem), KEY_ALGORITHM, false, ['sign']);
}
