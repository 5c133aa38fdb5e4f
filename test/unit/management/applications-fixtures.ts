/** Shared bodies, keys and assertions for the application model tests. */
import assert from 'node:assert/strict';
import type { ApplicationConfig } from '../../../src/domain/applications/application-config.js';
import { InvalidDataError, type DetailCode, type ErrorDetail } from '../../../src/domain/pingone-error.js';
import { parseApplicationBody, type ParseMode } from '../../../src/management/applications/validate.js';
import type { ApplicationRecord } from '../../../src/store/types.js';
import { rsaKeyPair } from '../../support/rsa-keys.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

export const API_BASE = 'http://localhost:8080/v1';
export const ENV_ID = 'abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6';
export const APP_ID = '3b0b7c64-5c4c-4a7e-9d33-2c0a8f1e4b10';
export const CREATE: ParseMode = { kind: 'create' };

function rsaJwkPair(kid: string) {
  const { publicKey, privateKey } = rsaKeyPair();
  return {
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' },
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' },
  };
}

const rsa = rsaJwkPair('seed-key-1');
const ec = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });

/** A real RSA public JWKS string, as the PingOne seed sends it (single line). */
export const JWKS_STRING = JSON.stringify({ keys: [rsa.publicJwk] });
/** The same set pretty-printed: must be stored and returned byte for byte. */
export const JWKS_PRETTY = JSON.stringify({ keys: [rsa.publicJwk] }, null, 2);
/** A JWKS holding the private key (the `d` member must never be echoed). */
export const PRIVATE_JWKS_STRING = JSON.stringify({ keys: [rsa.privateJwk] });
export const PRIVATE_D = String(rsa.privateJwk.d);
/** An EC P-256 public JWKS string. */
export const EC_JWKS_STRING = JSON.stringify({ keys: [{ ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', use: 'sig' }] });

/** PingOne doc "Update app with PRIVATE_KEY_JWT", with a real JWKS string. */
export function seedBody(): Record<string, unknown> {
  return {
    enabled: true,
    name: 'Shared-Web-App',
    description:
      'Application using PRIVATE_KEY_JWT - a JWT signed with a private key for the highest level of security. No shared secrets - asymmetric cryptography.',
    type: 'WEB_APP',
    protocol: 'OPENID_CONNECT',
    grantTypes: ['AUTHORIZATION_CODE'],
    redirectUris: ['http://localhost:3000/callback'],
    responseTypes: ['CODE'],
    tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
    jwks: JWKS_STRING,
  };
}

/** The smallest valid body of a type, plus overrides. */
export function minimalBody(type = 'WEB_APP', over: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: `My ${type}`, enabled: true, type, protocol: 'OPENID_CONNECT', ...over };
}

export function record(config: ApplicationConfig, id = APP_ID): ApplicationRecord {
  return {
    id,
    environmentId: ENV_ID,
    config,
    version: 3,
    createdAt: '2024-05-01T10:00:00.000Z',
    updatedAt: '2024-05-02T11:30:15.123Z',
  };
}

export function replaceOf(existing: ApplicationConfig, extra: Partial<ParseMode> = {}): ParseMode {
  return { kind: 'replace', existing, ...extra } as ParseMode;
}

/** Parses and returns the InvalidDataError details, failing if the body was accepted. */
export function detailsOf(body: unknown, mode: ParseMode = CREATE): ErrorDetail[] {
  try {
    parseApplicationBody(body, mode);
  } catch (error) {
    assert.ok(error instanceof InvalidDataError, `expected InvalidDataError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_DATA');
    assert.equal(error.status, 400);
    return error.details;
  }
  assert.fail(`body was accepted: ${JSON.stringify(body).slice(0, 300)}`);
}

/** Asserts the body is rejected with exactly one detail of this code and target. */
export function assertOneViolation(body: unknown, code: DetailCode, target: string | undefined, mode: ParseMode = CREATE): ErrorDetail {
  const details = detailsOf(body, mode);
  assert.equal(details.length, 1, `expected one detail, got ${JSON.stringify(details)}`);
  const [only] = details as [ErrorDetail];
  assert.equal(only.code, code, JSON.stringify(only));
  assert.equal(only.target, target, JSON.stringify(only));
  assert.ok(only.message.length > 0);
  return only;
}
