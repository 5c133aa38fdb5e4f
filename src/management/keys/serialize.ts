/**
 * A key as PingOne's keys API returns it (OpenAPI `Certificate`), fields in PingOne's order. The
 * private key is never part of it.
 */
import type { SigningKeyRecord } from '../../domain/signing-key.js';

/** Days before `expiresAt` from which a key reads EXPIRING (Keyway's choice; PingOne does not publish its figure). */
const EXPIRING_DAYS = 30;
const DAY_MS = 86_400_000;

export function keyHref(apiBase: string, environmentId: string, keyId: string): string {
  return `${apiBase}/environments/${environmentId}/keys/${keyId}`;
}

/** `EnumCertificateKeyStatus` from the validity period at `now` (REVOKED never: Keyway has no revocation). */
export function keyStatus(key: SigningKeyRecord, now: Date): string {
  const cert = key.certificate;
  if (!cert) return 'VALID';
  const t = now.getTime();
  if (t < Date.parse(cert.startsAt)) return 'NOT_YET_VALID';
  const expires = Date.parse(cert.expiresAt);
  if (t >= expires) return 'EXPIRED';
  return t >= expires - EXPIRING_DAYS * DAY_MS ? 'EXPIRING' : 'VALID';
}

export function toKeyResponse(key: SigningKeyRecord, organizationId: string, apiBase: string, now: Date): Record<string, unknown> {
  const body: Record<string, unknown> = {
    _links: {
      self: { href: keyHref(apiBase, key.environmentId, key.id) },
      environment: { href: `${apiBase}/environments/${key.environmentId}` },
    },
    id: key.id,
    environment: { id: key.environmentId },
    organization: { id: organizationId },
    name: key.name ?? 'Signing key',
    algorithm: key.keyAlgorithm,
    keyLength: key.keyLength,
  };
  const cert = key.certificate;
  if (cert) {
    // A serial beyond 2^53 (an imported certificate) has no exact JSON number: it is left out.
    const serial = BigInt(cert.serialNumber);
    Object.assign(body, {
      signatureAlgorithm: cert.signatureAlgorithm,
      subjectDN: cert.subjectDN,
      issuerDN: cert.issuerDN,
      ...(serial <= BigInt(Number.MAX_SAFE_INTEGER) ? { serialNumber: Number(serial) } : {}),
      startsAt: cert.startsAt,
      expiresAt: cert.expiresAt,
      validityPeriod: cert.validityPeriod,
    });
  }
  Object.assign(body, {
    usageType: key.usageType,
    default: key.default,
    status: keyStatus(key, now),
    createdAt: key.createdAt,
  });
  return body;
}
