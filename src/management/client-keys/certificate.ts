/**
 * PEM certificates uploaded as client keys (`POST .../applications/{appId}/keys`). Exactly one
 * X.509 certificate with only whitespace around it; private keys, CSRs and bundles are refused;
 * the public key must be one Keyway verifies client assertions with; the certificate must be
 * valid now. The key id is the certificate's SHA-256 thumbprint (base64url, as `x5t#S256`)
 * unless the caller names one.
 */
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import type { ErrorDetail } from '../../domain/pingone-error.js';
import { detail } from '../errors.js';

export const MAX_CERTIFICATE_PEM_BYTES = 16 * 1024;

export interface ParsedCertificate {
  kid: string;
  publicJwk: Record<string, unknown>;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  thumbprintS256: string;
}

export type CertificateParse = { ok: true; certificate: ParsedCertificate; pem: string } | { ok: false; details: ErrorDetail[] };

const TARGET = 'certificate';

/** Whether an uploaded certificate verifies client assertions at `now` (notBefore ≤ now < notAfter). */
export function certificateValidAt(record: { notBefore: string; notAfter: string }, now: Date): boolean {
  const at = now.getTime();
  return Date.parse(record.notBefore) <= at && at < Date.parse(record.notAfter);
}
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----/g;

export function parseCertificatePem(pem: string, now: Date, kid?: string): CertificateParse {
  const structural = checkPemStructure(pem);
  if (structural) return { ok: false, details: [structural] };
  let cert: X509Certificate;
  try {
    // Only whitespace surrounds the block by now; OpenSSL wants the BEGIN line to start a line.
    cert = new X509Certificate(pem.trim());
  } catch {
    return fail('certificate is not a valid PEM-encoded X.509 certificate.');
  }
  const keyIssue = publicKeyIssue(cert.publicKey);
  if (keyIssue) return fail(keyIssue);
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (!(notBefore.getTime() <= now.getTime() && now.getTime() < notAfter.getTime())) {
    return fail(`certificate is not currently valid (valid from ${notBefore.toISOString()} to ${notAfter.toISOString()}).`);
  }
  const kidIssue = kid === undefined ? undefined : kidProblem(kid);
  if (kidIssue) return { ok: false, details: [detail.invalid('kid', kidIssue)] };
  const thumbprintS256 = createHash('sha256').update(cert.raw).digest('base64url');
  return {
    ok: true,
    pem: cert.toString(),
    certificate: {
      kid: kid ?? thumbprintS256,
      publicJwk: cert.publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
      subject: cert.subject,
      issuer: cert.issuer,
      serialNumber: cert.serialNumber,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      thumbprintS256,
    },
  };
}

/** Refuses private keys, CSRs, bundles and oversized input before any parsing. */
function checkPemStructure(pem: string): ErrorDetail | undefined {
  if (Buffer.byteLength(pem, 'utf8') > MAX_CERTIFICATE_PEM_BYTES) {
    return detail.size(TARGET, `certificate must be at most ${MAX_CERTIFICATE_PEM_BYTES} bytes of PEM.`, MAX_CERTIFICATE_PEM_BYTES);
  }
  const labels = [...pem.matchAll(PEM_BLOCK)].map((m) => m[1] ?? '');
  if (labels.some((l) => l.includes('PRIVATE KEY'))) {
    return detail.invalid(TARGET, 'a private key was submitted; upload the public certificate only.');
  }
  if (labels.some((l) => l.includes('CERTIFICATE REQUEST'))) {
    return detail.invalid(TARGET, 'a certificate signing request was submitted; upload the issued certificate.');
  }
  if (labels.length === 0) return detail.invalid(TARGET, 'no PEM block found; expected -----BEGIN CERTIFICATE-----.');
  if (labels.length > 1) return detail.invalid(TARGET, 'exactly one certificate is expected; bundles and chains are not accepted.');
  if (labels[0] !== 'CERTIFICATE') return detail.invalid(TARGET, `a ${labels[0]} block was submitted; expected CERTIFICATE.`);
  return surroundingTextIssue(pem);
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';
/** RFC 7468 §2 whitespace (no Unicode spaces, no byte order mark). */
const ONLY_WHITESPACE = /^[ \t\r\n]*$/;
const BASE64_TEXT = /^[A-Za-z0-9+/= \t\r\n]*$/;

/**
 * Only whitespace may surround the one block, and only base64 fill it. RFC 7468 §2 lets parsers skip
 * explanatory text around a block, and OpenSSL does; Keyway refuses it instead, so that what is
 * stored and answered as `certificate` is exactly the certificate that was checked, with nothing
 * smuggled beside it. Messages never repeat the surrounding text.
 */
function surroundingTextIssue(pem: string): ErrorDetail | undefined {
  const begin = pem.indexOf(BEGIN);
  const end = pem.indexOf(END);
  if (end < 0 || end < begin || pem.indexOf(END, end + 1) >= 0) {
    return detail.invalid(TARGET, `certificate must be one block from "${BEGIN}" to "${END}".`);
  }
  if (!ONLY_WHITESPACE.test(pem.slice(0, begin))) {
    return detail.invalid(TARGET, `certificate has text before "${BEGIN}"; only whitespace may surround the PEM block.`);
  }
  if (!ONLY_WHITESPACE.test(pem.slice(end + END.length))) {
    return detail.invalid(TARGET, `certificate has text after "${END}"; only whitespace may surround the PEM block.`);
  }
  if (!BASE64_TEXT.test(pem.slice(begin + BEGIN.length, end))) {
    return detail.invalid(TARGET, 'certificate has characters other than base64 and line breaks between its BEGIN and END lines (RFC 7468 §3).');
  }
  return undefined;
}

function publicKeyIssue(key: KeyObject): string | undefined {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < 2048 || bits > 8192) return `the certificate's RSA key is ${bits} bits; 2048 to 8192 are accepted.`;
    return undefined;
  }
  if (type === 'ec') {
    const curve = details.namedCurve;
    if (curve === 'prime256v1' || curve === 'secp384r1' || curve === 'secp521r1') return undefined;
    return `the certificate's EC curve ${curve ?? 'unknown'} is not supported; use P-256, P-384 or P-521.`;
  }
  if (type === 'ed25519') return undefined;
  return `the certificate's ${type ?? 'unknown'} key is not supported; use RSA, EC or Ed25519.`;
}

function kidProblem(kid: string): string | undefined {
  if (kid.length === 0 || kid.length > 256 || !/^[\x21-\x7e]+$/.test(kid)) return 'kid must be 1 to 256 printable ASCII characters.';
  return undefined;
}

function fail(message: string): CertificateParse {
  return { ok: false, details: [detail.invalid(TARGET, message)] };
}
