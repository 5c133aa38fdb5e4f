/**
 * The two-environments configuration fixture (test/fixtures/declarative/) and the values of its
 * `${VAR}`s: the Orders environment's signing key pair (PEM), a password, the service's `jwks`
 * and the web app's secret. Shared by the in-process and the real-process tests of it.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { keyCertificatePem, selfSignedCertificate } from '../../src/keys/certificates.js';
import { rsaKeyPair } from './rsa-keys.js';

export const FIXTURE = fileURLToPath(new URL('../fixtures/declarative/two-environments.yaml', import.meta.url));
export const ORDERS = '6f1d2a10-0000-4000-8000-000000000001';
export const BILLING = '6f1d2a10-0000-4000-8000-000000000002';
export const WORKER = '6f1d2a10-0000-4000-8000-0000000000e1';
export const WEB = '6f1d2a10-0000-4000-8000-0000000000f1';
export const SIGNING_KID = '6f1d2a10-0000-4000-8000-0000000000a1';

/** An RSA 2048 signing key and its self-signed certificate, as PEM text. */
async function signingPair(): Promise<{ key: string; cert: string }> {
  const pair = rsaKeyPair();
  const certificate = await selfSignedCertificate(pair, {
    keyAlgorithm: 'RSA',
    keyLength: 2048,
    signatureAlgorithm: 'SHA256withRSA',
    subject: [['CN', 'orders']],
    validityDays: 365,
    startsAt: new Date(Date.now() - 60_000),
  });
  return { key: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), cert: keyCertificatePem(certificate) };
}

/** The fixture's variables, with `serviceJwks` as the PRIVATE_KEY_JWT worker's key set. */
export async function fixtureVariables(serviceJwks: string): Promise<Record<string, string>> {
  const signing = await signingPair();
  return {
    ORDERS_SIGNING_KEY: signing.key,
    ORDERS_SIGNING_CERT: signing.cert,
    ANN_PASSWORD: 'Correct-Horse-Battery-9',
    SERVICE_JWKS: serviceJwks,
    WEB_SECRET: randomBytes(32).toString('base64url'),
  };
}
