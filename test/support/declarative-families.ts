/**
 * A one-environment configuration document holding the resource families that joined the
 * format after the first ones (README, "Declarative configuration"): the user schema's custom
 * attributes and a user holding a value of one; a key rotation policy with its CURRENT and NEXT
 * keys pinned as PEM pairs, and a worker signing with it; the openid resource's custom claim
 * and scope and a predefined claim's override; password policies (a new one, a built-in one
 * changed) and the default population naming one. Shared by the feature test and the
 * JSON Schema check.
 */
import { keyCertificatePem, selfSignedCertificate } from '../../src/keys/certificates.js';
import { rsaKeyPair } from './rsa-keys.js';

export const ENV = '7a2e3b40-0000-4000-8000-000000000001';
export const BADGE = '7a2e3b40-0000-4000-8000-0000000000a1';
export const NICKNAMES = '7a2e3b40-0000-4000-8000-0000000000a2';
export const BOB = '7a2e3b40-0000-4000-8000-0000000000b1';

export const POLICY = '7a2e3b40-0000-4000-8000-0000000000c1';
export const CURRENT_KID = '7a2e3b40-0000-4000-8000-0000000000c2';
export const NEXT_KID = '7a2e3b40-0000-4000-8000-0000000000c3';
export const SIGNER = '7a2e3b40-0000-4000-8000-0000000000d1';
export const SIGNER_SECRET = 'signer-secret-0123456789-abcdefghijklmnop';

export const LOYALTY_CLAIM = '7a2e3b40-0000-4000-8000-0000000000f1';
export const LOYALTY_SCOPE = '7a2e3b40-0000-4000-8000-0000000000f2';

export const STRICT = '7a2e3b40-0000-4000-8000-000000000091';

export interface PemPair {
  privateKey: string;
  certificate: string;
}

/** An RSA 2048 key and its self-signed SHA256withRSA certificate, as PEM text. */
export async function pemPair(cn: string): Promise<PemPair> {
  const pair = rsaKeyPair();
  const certificate = await selfSignedCertificate(pair, {
    keyAlgorithm: 'RSA',
    keyLength: 2048,
    signatureAlgorithm: 'SHA256withRSA',
    subject: [['CN', cn]],
    validityDays: 365,
    startsAt: new Date(Date.now() - 60_000),
  });
  return { privateKey: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), certificate: keyCertificatePem(certificate) };
}

export interface FamilyKeys {
  current: PemPair;
  next: PemPair;
}

export async function familyKeys(): Promise<FamilyKeys> {
  return { current: await pemPair('tokens current'), next: await pemPair('tokens next') };
}

export type Doc = { environments: any[] };

export function familiesDocument(keys: FamilyKeys): Doc {
  return {
    environments: [
      {
        id: ENV,
        name: 'Families',
        type: 'SANDBOX',
        region: 'NA',
        schemas: [
          {
            name: 'User',
            attributes: [
              { id: BADGE, name: 'badge', displayName: 'Badge', type: 'STRING', enabled: true, unique: true, enumeratedValues: [{ value: 'gold' }, { value: 'silver' }] },
              { id: NICKNAMES, name: 'nicknames', type: 'STRING', enabled: true, multiValued: true },
            ],
          },
        ],
        keyRotationPolicies: [
          {
            id: POLICY,
            name: 'Tokens',
            algorithm: 'RSA',
            keyLength: 2048,
            signatureAlgorithm: 'SHA256withRSA',
            dn: 'CN=Tokens, O=Example',
            usageType: 'SIGNING',
            validityPeriod: 365,
            rotationPeriod: 90,
            currentKey: { id: CURRENT_KID, ...keys.current },
            nextKey: { id: NEXT_KID, ...keys.next },
          },
        ],
        resources: [
          {
            name: 'openid',
            attributes: [
              { id: LOYALTY_CLAIM, name: 'loyalty', value: '${user.email}', idToken: true, userInfo: true },
              { name: 'nickname', value: '${user.username}' },
            ],
            scopes: [{ id: LOYALTY_SCOPE, name: 'loyalty', description: 'Loyalty level.', mappedClaims: [LOYALTY_CLAIM] }],
          },
          { id: '7a2e3b40-0000-4000-8000-0000000000e1', name: 'Ledger API', audience: 'https://ledger.example.com', scopes: [{ id: '7a2e3b40-0000-4000-8000-0000000000e2', name: 'ledger:read' }] },
        ],
        applications: [
          {
            id: SIGNER,
            name: 'Signer',
            type: 'WORKER',
            protocol: 'OPENID_CONNECT',
            enabled: true,
            tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
            secret: SIGNER_SECRET,
            signing: { keyRotationPolicy: { name: 'Tokens' } },
            grants: [{ id: '7a2e3b40-0000-4000-8000-0000000000d2', resource: { name: 'Ledger API' }, scopes: [{ name: 'ledger:read' }] }],
          },
        ],
        passwordPolicies: [
          { name: 'Basic', excludesProfileData: false, notSimilarToCurrent: false, excludesCommonlyUsed: false, length: { min: 10, max: 255 } },
          {
            id: STRICT,
            name: 'Strict',
            description: 'Long passwords.',
            excludesProfileData: true,
            notSimilarToCurrent: true,
            excludesCommonlyUsed: true,
            length: { min: 16, max: 255 },
            lockout: { failureCount: 3, durationSeconds: 600 },
          },
        ],
        populations: [{ name: 'Default', passwordPolicy: { name: 'Strict' } }],
        users: [{ id: BOB, username: 'bob', email: 'bob@example.com', badge: 'gold', nicknames: ['Bobby'] }],
      },
    ],
  };
}
