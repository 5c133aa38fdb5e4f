/**
 * The hostile battery: every assertion here must fail with one exact reason code, and the jti
 * store must hold nothing afterwards.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { FlattenedSign } from 'jose';
import {
  ISSUER,
  NOW_S,
  OLD_SECRET,
  SECRET,
  TOKEN_ENDPOINT,
  assertionParams,
  attacker,
  claims,
  ed25519,
  harness,
  invalidClient,
  p256,
  p384,
  publicJwk,
  rawEc,
  rawHmac,
  rawRsa,
  rsa,
  rsa2,
  rsaWeak,
  signed,
  signedRaw,
  unsigned,
  utf8,
  type AuthOptions,
  type Harness,
} from './client-auth-fixtures.js';
import { CLIENT_AUTH_REASONS } from '../../../src/protocol/client-auth/reasons.js';
import { InvalidClient, InvalidRequest } from '../../../src/protocol/errors.js';

interface HostileCase {
  /** Spec clause, then what the assertion does wrong. */
  title: string;
  reason: string;
  request(h: Harness): Promise<Record<string, string>> | Record<string, string>;
  options?: AuthOptions;
  setup?(h: Harness): void;
  /** Failures decided before the lookup or key selection must not fetch keys. */
  keysFetched?: number;
  refreshes?: number;
}

const rs256 = (payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> =>
  signed(payload, { alg: 'RS256', ...header }, rsa.privateKey);
const jwt = async (assertion: Promise<string> | string, extra: Record<string, string> = {}): Promise<Record<string, string>> =>
  assertionParams(await assertion, extra);

function segments(assertion: string): [string, string, string] {
  const [h, p, s] = assertion.split('.');
  return [h ?? '', p ?? '', s ?? ''];
}

function withPayload(assertion: string, payload: Record<string, unknown>): string {
  const [h, , s] = segments(assertion);
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

function flipSignatureByte(assertion: string): string {
  const [h, p, s] = segments(assertion);
  const sig = Buffer.from(s, 'base64url');
  sig[10] = (sig[10] ?? 0) ^ 0x01;
  return `${h}.${p}.${sig.toString('base64url')}`;
}

const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const validHeader = { alg: 'RS256', kid: 'rsa-1' };

const CASES: HostileCase[] = [
  // RFC 7521 §4.2: the assertion type.
  { title: 'RFC 7521 §4.2: client_assertion_type of the SAML profile', reason: 'ASSERTION_TYPE_INVALID', keysFetched: 0,
    request: async () => ({ ...(await jwt(rs256(claims('pkj')))), client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }) },
  { title: 'RFC 7521 §4.2: client_assertion_type in another case', reason: 'ASSERTION_TYPE_INVALID', keysFetched: 0,
    request: async () => ({ ...(await jwt(rs256(claims('pkj')))), client_assertion_type: 'URN:IETF:PARAMS:OAUTH:CLIENT-ASSERTION-TYPE:JWT-BEARER' }) },
  { title: 'RFC 7521 §4.2: client_assertion without client_assertion_type', reason: 'ASSERTION_TYPE_INVALID', keysFetched: 0,
    request: async () => ({ client_assertion: await rs256(claims('pkj')) }) },
  { title: 'RFC 7521 §4.2: client_assertion_type without client_assertion', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: () => ({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_id: 'pkj' }) },

  // RFC 7523 §2.2 / RFC 7515 §7.1: one compact JWS.
  { title: 'RFC 7515 §7.1: two segments', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: async () => jwt(segments(await rs256(claims('pkj'))).slice(0, 2).join('.')) },
  { title: 'RFC 7515 §7.1: four segments', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: async () => jwt(`${await rs256(claims('pkj'))}.AAAA`) },
  { title: 'RFC 7523 §2.2: five segments (a JWE) are not a signed assertion', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: async () => jwt(`${await rs256(claims('pkj'))}.AAAA.BBBB`) },
  { title: 'RFC 7515 §7.2: the JWS JSON serialization', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: async () => {
      const flat = await new FlattenedSign(utf8(JSON.stringify(claims('pkj')))).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
      return jwt(JSON.stringify(flat));
    } },
  { title: 'RFC 7515 §2: base64 padding in a segment', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: async () => {
      const [h, p, s] = segments(await rs256(claims('pkj')));
      return jwt(`${h}=.${p}.${s}`);
    } },
  { title: 'RFC 7515 §2: standard-base64 characters in a segment', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: async () => {
      const [h, p, s] = segments(await rs256(claims('pkj')));
      return jwt(`${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}+/`);
    } },
  { title: 'RFC 7515 §2: non-canonical base64url (stray trailing bits)', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: async () => {
      // 29 header bytes encode to 39 characters; the last one carries 2 unused bits.
      const [h, p, s] = segments(await rs256(claims('pkj'), { kid: 'rsa-1' }));
      assert.equal(h.length % 4, 3);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet[alphabet.indexOf(h.slice(-1)) | 1] ?? '';
      const altered = `${h.slice(0, -1)}${last}`;
      assert.deepEqual(Buffer.from(altered, 'base64url'), Buffer.from(h, 'base64url'), 'lenient decoders read the same bytes');
      return jwt(`${altered}.${p}.${s}`);
    } },
  { title: 'RFC 7515 §4: a header that is a JSON array', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: () => jwt(signedRaw('[{"alg":"RS256"}]', claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 7519 §7.2: claims that are a JSON string', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: () => jwt(signedRaw(validHeader, '"pkj"', rawRsa(rsa.privateKey))) },
  { title: 'RFC 7519 §4: a duplicated claim name (iss twice)', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: () => {
      const body = JSON.stringify(claims('pkj')).replace('{', '{"iss":"someone-else",');
      return jwt(signedRaw(validHeader, body, rawRsa(rsa.privateKey)));
    } },
  { title: 'RFC 7519 §4: a duplicated claim name spelled with an escape (iss and \\u0069ss)', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: () => {
      const body = JSON.stringify(claims('pkj')).replace('{', '{"\\u0069ss":"someone-else",');
      return jwt(signedRaw(validHeader, body, rawRsa(rsa.privateKey)));
    } },
  { title: 'RFC 7515 §4: a duplicated header parameter (alg twice)', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: () => jwt(signedRaw('{"alg":"none","alg":"RS256"}', claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 7519 §7.2: claims that are not UTF-8', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: () => {
      const [h, , s] = segments(signedRaw(validHeader, claims('pkj'), rawRsa(rsa.privateKey)));
      const bad = Buffer.concat([Buffer.from('{"iss":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]).toString('base64url');
      return jwt(`${h}.${bad}.${s}`);
    } },
  { title: 'size bound: an assertion over 8 KiB', reason: 'ASSERTION_MALFORMED', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { padding: 'x'.repeat(9000) }))) },

  // RFC 7523 §3 items 1-2, OpenID Connect Core §9: iss and sub are the client id.
  { title: 'RFC 7523 §3 item 1: iss missing', reason: 'ISS_MISSING', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { iss: undefined }))) },
  { title: 'RFC 7523 §3 item 2: sub missing', reason: 'SUB_MISSING', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { sub: undefined }))) },
  { title: 'RFC 7523 §3 item 1: iss a number', reason: 'ISS_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { iss: 42 }))) },
  { title: 'RFC 7523 §3 item 2: sub an array holding the client id', reason: 'SUB_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { sub: ['pkj'] }))) },
  { title: 'OpenID Connect Core §9: iss differs from sub', reason: 'ISS_SUB_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { sub: 'pkj-two-keys' }))) },
  { title: 'OpenID Connect Core §9: sub is not the client (iss is)', reason: 'ISS_SUB_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { sub: 'someone' }))) },
  { title: 'RFC 7521 §4.2: client_id parameter differs from iss', reason: 'CLIENT_ID_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj')), { client_id: 'pkj-two-keys' }) },
  { title: 'RFC 7521 §4.2: client_id parameter differs from iss only in case', reason: 'CLIENT_ID_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj')), { client_id: 'PKJ' }) },
  { title: 'RFC 7523 §3 item 1: an unknown client', reason: 'CLIENT_UNKNOWN', keysFetched: 0,
    request: () => jwt(rs256(claims('nobody'))) },
  { title: 'RFC 7523 §3 item 1: the client id in another case (exact comparison)', reason: 'CLIENT_UNKNOWN', keysFetched: 0,
    request: () => jwt(rs256(claims('PKJ'))) },
  { title: 'tenant isolation: a client of another environment is unknown here', reason: 'CLIENT_UNKNOWN', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj-elsewhere'))) },
  { title: 'a disabled application, without any key fetch', reason: 'CLIENT_DISABLED', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj-disabled'))) },

  // RFC 6749 §2.3: the method must be the registered one.
  { title: 'RFC 6749 §2.3: an assertion from a CLIENT_SECRET_BASIC client', reason: 'METHOD_MISMATCH', keysFetched: 0,
    request: () => jwt(signed(claims('basic'), { alg: 'HS256' }, utf8(SECRET))) },
  { title: 'RFC 6749 §2.3: an assertion from a CLIENT_SECRET_POST client', reason: 'METHOD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('post'))) },
  { title: 'RFC 6749 §2.3: client_secret_post for a PRIVATE_KEY_JWT client', reason: 'METHOD_MISMATCH', keysFetched: 0,
    request: () => ({ client_id: 'pkj', client_secret: SECRET }) },
  { title: 'RFC 6749 §2.3: client_secret_basic for a PRIVATE_KEY_JWT client', reason: 'METHOD_MISMATCH', keysFetched: 0,
    options: { authorization: `Basic ${Buffer.from(`pkj:${SECRET}`).toString('base64')}` },
    request: () => ({}) },
  { title: 'RFC 6749 §2.3: a bare client_id (NONE) for a PRIVATE_KEY_JWT client', reason: 'METHOD_MISMATCH', keysFetched: 0,
    request: () => ({ client_id: 'pkj' }) },
  { title: 'RFC 6749 §2.3: client_secret_post for a CLIENT_SECRET_JWT client', reason: 'METHOD_MISMATCH', keysFetched: 0,
    request: () => ({ client_id: 'csj', client_secret: SECRET }) },

  // RFC 8725 §3.1: algorithm allow-lists.
  ...['none', 'None', 'NONE', 'nOnE'].map((alg): HostileCase => ({
    title: `RFC 8725 §3.1: alg ${JSON.stringify(alg)} (unsecured JWS)`, reason: 'ALG_NOT_ALLOWED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg }, claims('pkj'), unsigned)),
  })),
  { title: 'RFC 8725 §3.1: alg none on a CLIENT_SECRET_JWT client', reason: 'ALG_NOT_ALLOWED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: 'none' }, claims('csj'), unsigned)) },
  { title: 'RFC 7515 §4.1.1: alg missing', reason: 'ALG_NOT_ALLOWED', keysFetched: 0,
    request: () => jwt(signedRaw({ kid: 'rsa-1' }, claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 7515 §4.1.1: alg not a string', reason: 'ALG_NOT_ALLOWED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: ['RS256'] }, claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 8725 §3.1 (alg confusion): HS256 keyed with the registered RSA public key PEM', reason: 'ALG_NOT_ALLOWED', keysFetched: 0,
    request: () => jwt(signed(claims('pkj'), { alg: 'HS256', kid: 'rsa-1' }, utf8(rsaPem))) },
  { title: 'RFC 8725 §3.1 (alg confusion): HS512 keyed with the registered public JWK', reason: 'ALG_NOT_ALLOWED', keysFetched: 0,
    request: async () => jwt(signed(claims('pkj'), { alg: 'HS512' }, utf8(JSON.stringify(await publicJwk(rsa.publicKey))))) },
  { title: 'RFC 8725 §3.1: RS256 on a CLIENT_SECRET_JWT client', reason: 'ALG_NOT_ALLOWED', keysFetched: 0,
    request: () => jwt(rs256(claims('csj'))) },
  { title: 'RFC 8725 §3.1: Ed448 (not on the list) on a PRIVATE_KEY_JWT client', reason: 'ALG_NOT_ALLOWED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: 'Ed448' }, claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 8725 §3.1: an alg spelled in lower case (rs256)', reason: 'ALG_NOT_ALLOWED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: 'rs256' }, claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 8725 §3.1: RS256 when the application pins PS256', reason: 'ALG_PIN_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj-pinned'))) },
  { title: 'RFC 8725 §3.1: ES256 against an application whose only key is RSA', reason: 'KEY_ALG_MISMATCH',
    request: () => jwt(signed(claims('pkj'), { alg: 'ES256' }, p256.privateKey)) },
  { title: 'RFC 7518 §3.4: an ES256 signature with a P-384 key', reason: 'KEY_ALG_MISMATCH',
    request: () => jwt(signedRaw({ alg: 'ES256', kid: 'p384' }, claims('pkj-p384'), rawEc(p384.privateKey))) },
  { title: 'RFC 7518 §3.4: ES384 against a P-256 key', reason: 'KEY_ALG_MISMATCH',
    request: () => jwt(signedRaw({ alg: 'ES384' }, claims('pkj-p256'), rawEc(p256.privateKey, 'sha384'))) },
  { title: 'RFC 8037 §3.1: EdDSA against an EC key', reason: 'KEY_ALG_MISMATCH',
    request: () => jwt(signed(claims('pkj-p256'), { alg: 'EdDSA' }, ed25519.privateKey)) },
  { title: 'RFC 7517 §4.4: PS256 against a key registered with alg RS256', reason: 'KEY_ALG_MISMATCH',
    request: () => jwt(signed(claims('pkj-alg-rs256'), { alg: 'PS256', kid: 'rsa-1' }, rsa.privateKey)) },
  { title: 'RFC 7518 §3.3: a 1024-bit RSA key is too small', reason: 'KEY_ALG_MISMATCH',
    request: () => jwt(signedRaw({ alg: 'RS256', kid: 'weak' }, claims('pkj-weak'), rawRsa(rsaWeak.privateKey))) },

  // RFC 7515 §4.1.9, RFC 8725 §3.11: typ.
  ...['at+jwt', 'dpop+jwt', 'secevent+jwt', 'application/at+jwt', 'logout+jwt', 'JWT; charset=utf-8', 'JOSE', ''].map((typ): HostileCase => ({
    title: `RFC 8725 §3.11: typ ${JSON.stringify(typ)} names another kind of token`, reason: 'TYP_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj'), { typ })),
  })),
  { title: 'RFC 7515 §4.1.9: typ not a string', reason: 'TYP_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj'), { typ: 1 })) },

  // RFC 7515 §4.1.10, RFC 7519 §5.2: cty declares a nested JWT or another payload; never a client assertion.
  ...['JWT', 'jwt', 'application/jwt', 'JOSE', 'text/plain', ''].map((cty): HostileCase => ({
    title: `RFC 7519 §5.2: cty ${JSON.stringify(cty)} over an ordinary claims set`, reason: 'CTY_UNSUPPORTED', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj'), { cty })),
  })),
  { title: 'RFC 7515 §4.1.10: cty not a string', reason: 'CTY_UNSUPPORTED', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj'), { cty: null })) },

  // RFC 7515 §4.1.11 crit, RFC 7797 §3 b64.
  { title: 'RFC 7515 §4.1.11: crit naming an extension', reason: 'CRIT_UNSUPPORTED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: 'RS256', crit: ['urn:example:ext'], 'urn:example:ext': 1 }, claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 7515 §4.1.11: crit naming a registered parameter (exp)', reason: 'CRIT_UNSUPPORTED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: 'RS256', crit: ['exp'], exp: NOW_S + 60 }, claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 7515 §4.1.11: an empty crit array', reason: 'CRIT_UNSUPPORTED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: 'RS256', crit: [] }, claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 7797 §3: b64 false with crit ["b64"]', reason: 'B64_UNSUPPORTED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: 'RS256', b64: false, crit: ['b64'] }, claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 7797 §3: b64 false without crit', reason: 'B64_UNSUPPORTED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: 'RS256', b64: false }, claims('pkj'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 7797 §3: b64 not a boolean', reason: 'B64_UNSUPPORTED', keysFetched: 0,
    request: () => jwt(signedRaw({ alg: 'RS256', b64: 'false' }, claims('pkj'), rawRsa(rsa.privateKey))) },

  // RFC 8725 §3.10, RFC 7515 §4.1.2-4.1.6: keys named in the header are never used.
  { title: 'RFC 7515 §4.1.3: an embedded jwk of the attacker (no kid)', reason: 'SIGNATURE_INVALID', refreshes: 0,
    request: () => jwt(signedWithAttacker({ jwk: true })) },
  { title: 'RFC 7515 §4.1.3: an embedded jwk of the attacker with the attacker kid', reason: 'KID_UNKNOWN', refreshes: 1,
    request: () => jwt(signedWithAttacker({ jwk: true, kid: 'attacker-kid' })) },
  { title: 'RFC 7515 §4.1.3: an embedded jwk of the attacker with the registered kid', reason: 'SIGNATURE_INVALID', refreshes: 0,
    request: () => jwt(signedWithAttacker({ jwk: true, kid: 'p256' })) },
  { title: 'RFC 7515 §4.1.2: jku pointing at the attacker', reason: 'SIGNATURE_INVALID', refreshes: 0,
    request: () => jwt(signedWithAttacker({ jku: 'https://attacker.example/jwks.json' })) },
  { title: 'RFC 7515 §4.1.5: x5u pointing at the attacker', reason: 'SIGNATURE_INVALID', refreshes: 0,
    request: () => jwt(signedWithAttacker({ x5u: 'https://attacker.example/cert.pem' })) },
  { title: 'RFC 7515 §4.1.6: x5c carrying the attacker certificate chain', reason: 'SIGNATURE_INVALID', refreshes: 0,
    request: () => jwt(signedWithAttacker({ x5c: [Buffer.from('attacker certificate').toString('base64')] })) },

  // kid: a lookup key within this client's keys.
  { title: 'RFC 7515 §4.1.4: an unknown kid, after exactly one refresh', reason: 'KID_UNKNOWN', refreshes: 1,
    request: () => jwt(rs256(claims('pkj'), { kid: 'not-registered' })) },
  { title: 'RFC 7515 §4.1.4: the kid of another client', reason: 'KID_UNKNOWN', refreshes: 1,
    request: () => jwt(signed(claims('pkj'), { alg: 'ES256', kid: 'p256' }, p256.privateKey)) },
  { title: 'RFC 7515 §4.1.4: a kid naming an encryption key', reason: 'KID_UNKNOWN', refreshes: 0,
    request: () => jwt(rs256(claims('pkj-enc-only'), { kid: 'rsa-enc' })) },
  { title: 'RFC 7517 §5, applied strictly: no kid while the set holds two signing keys', reason: 'KID_REQUIRED', refreshes: 0,
    request: () => jwt(rs256(claims('pkj-two-keys'))) },
  { title: 'RFC 7515 §4.1.4: kid a number', reason: 'KID_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj'), { kid: 1 })) },
  { title: 'RFC 7515 §4.1.4: kid longer than 256 characters', reason: 'KID_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj'), { kid: 'k'.repeat(257) })) },
  { title: 'RFC 7515 §4.1.4: an empty kid', reason: 'KID_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj'), { kid: '' })) },
  { title: 'no registered key at all', reason: 'NO_KEYS',
    request: () => jwt(rs256(claims('pkj-no-keys'))) },
  { title: 'only an encryption key registered (use "enc" never verifies)', reason: 'NO_KEYS',
    request: () => jwt(rs256(claims('pkj-enc-only'))) },
  { title: 'CLIENT_SECRET_JWT without a client secret', reason: 'NO_KEYS',
    request: () => jwt(signed(claims('csj-no-secret'), { alg: 'HS256' }, utf8(SECRET))) },
  { title: 'the jwksUrl set cannot be fetched and none is cached', reason: 'JWKS_FETCH_FAILED',
    setup: (h) => { h.keys.failWith = new InvalidClient('JWKS_FETCH_FAILED', 'connect ECONNREFUSED'); },
    request: () => jwt(rs256(claims('pkj'))) },

  // RFC 7515 §5.2: the signature.
  { title: 'RFC 7515 §5.2: a tampered payload (sub and iss swapped to another client)', reason: 'SIGNATURE_INVALID',
    request: async () => jwt(withPayload(await rs256(claims('pkj-p256')), claims('pkj'))) },
  { title: 'RFC 7515 §5.2: a tampered payload (exp extended)', reason: 'SIGNATURE_INVALID',
    request: async () => {
      const payload = claims('pkj');
      return jwt(withPayload(await rs256(payload), { ...payload, exp: NOW_S + 3000 }));
    } },
  { title: 'RFC 7515 §5.2: a flipped signature bit', reason: 'SIGNATURE_INVALID',
    request: async () => jwt(flipSignatureByte(await rs256(claims('pkj')))) },
  { title: 'RFC 7515 §5.2: an empty signature with RS256', reason: 'SIGNATURE_INVALID',
    request: () => jwt(signedRaw({ alg: 'RS256' }, claims('pkj'), unsigned)) },
  { title: 'RFC 7515 §5.2: signed by another key under the registered kid', reason: 'SIGNATURE_INVALID',
    request: () => jwt(signed(claims('pkj'), { alg: 'RS256', kid: 'rsa-1' }, rsa2.privateKey)) },
  { title: 'RFC 7518 §3.4: an ES256 signature in DER instead of R||S', reason: 'SIGNATURE_INVALID',
    request: () => jwt(signedRaw({ alg: 'ES256' }, claims('pkj-p256'), rawEc(p256.privateKey, 'sha256', 'der'))) },
  { title: 'RFC 7518 §3.2: HS256 with a wrong secret', reason: 'SIGNATURE_INVALID',
    request: () => jwt(signed(claims('csj'), { alg: 'HS256' }, utf8(`${SECRET}x`))) },
  { title: 'RFC 7518 §3.2: HS256 keyed with the previous secret after it expired', reason: 'SIGNATURE_INVALID',
    request: () => jwt(signed(claims('csj-rotated-expired'), { alg: 'HS256' }, utf8(OLD_SECRET))) },
  { title: 'RFC 7518 §3.2: HS256 header over an HS512 MAC', reason: 'SIGNATURE_INVALID',
    request: () => jwt(signedRaw({ alg: 'HS256' }, claims('csj'), rawHmac(SECRET, 'sha512'))) },

  // RFC 7523 §3 items 4-6: time claims.
  { title: 'RFC 7523 §3 item 4: exp missing', reason: 'EXP_MISSING', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { exp: undefined }))) },
  { title: 'RFC 7519 §2: exp a string', reason: 'EXP_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { exp: String(NOW_S + 60) }))) },
  { title: 'RFC 7519 §2: exp 1e400 (parses to Infinity)', reason: 'EXP_INVALID', keysFetched: 0,
    request: () => jwt(signedRaw(validHeader, JSON.stringify(claims('pkj', { exp: 0 })).replace('"exp":0', '"exp":1e400'), rawRsa(rsa.privateKey))) },
  { title: 'RFC 7523 §3 item 4: exp past the clock tolerance', reason: 'EXPIRED', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { exp: NOW_S - 15 }))) },
  { title: 'RFC 7523 §3 item 4: exp long past', reason: 'EXPIRED', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { exp: NOW_S - 86_400, iat: NOW_S - 86_460 }))) },
  { title: 'maximum lifetime: exp more than 3600 s (+ tolerance) ahead', reason: 'LIFETIME_TOO_LONG', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { exp: NOW_S + 3600 + 16 }))) },
  { title: 'maximum lifetime: exp a year ahead', reason: 'LIFETIME_TOO_LONG', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { exp: NOW_S + 31_536_000 }))) },
  { title: 'RFC 7523 §3 item 5: nbf in the future', reason: 'NBF_IN_FUTURE', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { nbf: NOW_S + 16 }))) },
  { title: 'RFC 7519 §2: nbf a string', reason: 'NBF_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { nbf: 'now' }))) },
  { title: 'RFC 7523 §3 item 6: iat in the future', reason: 'IAT_IN_FUTURE', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { iat: NOW_S + 16 }))) },
  { title: 'RFC 7523 §3 item 6: iat older than the maximum lifetime', reason: 'IAT_TOO_OLD', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { iat: NOW_S - 3600 - 16 }))) },
  { title: 'RFC 7519 §2: iat null', reason: 'IAT_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { iat: null }))) },

  // RFC 7523 §3 item 3: audience.
  { title: 'RFC 7523 §3 item 3: aud missing', reason: 'AUD_MISSING', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: undefined }))) },
  { title: 'RFC 7523 §3 item 3: aud another server', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: 'https://idp.example/as' }))) },
  { title: 'RFC 7523 §3 item 3: aud the issuer of another environment', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: ISSUER.replace(/[0-9a-f-]{36}/, '0d9e1c2b-3a4f-4e5d-8c7b-6a5f4e3d2c1b') }))) },
  { title: 'RFC 7523 §3 item 3: aud the issuer with a trailing slash (exact comparison)', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: `${ISSUER}/` }))) },
  { title: 'RFC 7523 §3 item 3: aud the issuer in upper case (exact comparison)', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: ISSUER.toUpperCase() }))) },
  { title: 'RFC 7523 §3 item 3: aud the URL of an endpoint not being called', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: `${ISSUER}/revoke` }))) },
  { title: 'RFC 7523 §3 item 3: aud an array with one foreign member', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: [ISSUER, 'https://idp.example/as'] }))) },
  { title: 'RFC 7519 §4.1.3: aud a number', reason: 'AUD_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: 1 }))) },
  { title: 'RFC 7519 §4.1.3: aud an empty array', reason: 'AUD_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: [] }))) },
  { title: 'RFC 7519 §4.1.3: aud an array holding a number', reason: 'AUD_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: [ISSUER, 7] }))) },
  { title: 'RFC 7519 §4.1.3: aud an array of 11 members', reason: 'AUD_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { aud: Array.from({ length: 11 }, () => ISSUER) }))) },
  { title: 'RFC 7523bis (ISSUER_ONLY, environment): aud the token endpoint', reason: 'AUD_MISMATCH', keysFetched: 0,
    options: { settings: { audiencePolicy: 'ISSUER_ONLY' } },
    request: () => jwt(rs256(claims('pkj', { aud: TOKEN_ENDPOINT }))) },
  { title: 'RFC 7523bis (ISSUER_ONLY, application override): aud the token endpoint', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj-issuer-only', { aud: TOKEN_ENDPOINT }))) },
  { title: 'RFC 7523bis (ISSUER_ONLY): aud [issuer, token endpoint]', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj-issuer-only', { aud: [ISSUER, TOKEN_ENDPOINT] }))) },
  { title: 'RFC 7523bis (ISSUER_ONLY): aud [issuer, issuer]', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj-issuer-only', { aud: [ISSUER, ISSUER] }))) },
  { title: 'FAPI 2.0 (ISSUER_ONLY_STRING, application override): aud [issuer]', reason: 'AUD_MISMATCH', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj-issuer-string', { aud: [ISSUER] }))) },
  { title: 'FAPI 2.0 (ISSUER_ONLY_STRING, environment): aud [issuer]', reason: 'AUD_MISMATCH', keysFetched: 0,
    options: { settings: { audiencePolicy: 'ISSUER_ONLY_STRING' } },
    request: () => jwt(rs256(claims('pkj', { aud: [ISSUER] }))) },

  // OpenID Connect Core §9, RFC 7519 §4.1.7: jti.
  { title: 'OpenID Connect Core §9: jti missing', reason: 'JTI_MISSING', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { jti: undefined }))) },
  { title: 'RFC 7519 §4.1.7: jti empty', reason: 'JTI_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { jti: '' }))) },
  { title: 'RFC 7519 §4.1.7: jti longer than 256 characters', reason: 'JTI_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { jti: 'j'.repeat(257) }))) },
  { title: 'RFC 7519 §4.1.7: jti a number', reason: 'JTI_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { jti: 12345 }))) },
  { title: 'RFC 7519 §4.1.7: jti an object', reason: 'JTI_INVALID', keysFetched: 0,
    request: () => jwt(rs256(claims('pkj', { jti: { id: 'x' } }))) },
];

/** Signed with the attacker's P-256 key, naming it through header members Keyway ignores. */
async function signedWithAttacker(members: { jwk?: boolean; kid?: string; jku?: string; x5u?: string; x5c?: string[] }): Promise<string> {
  const { jwk, ...rest } = members;
  const header: Record<string, unknown> & { alg: string } = { alg: 'ES256', ...rest };
  if (jwk) header.jwk = await publicJwk(attacker.publicKey);
  return signed(claims('pkj-p256'), header, attacker.privateKey);
}

describe('hostile client assertions fail with the exact reason and consume nothing', () => {
  for (const c of CASES) {
    test(`${c.title} → ${c.reason}`, async () => {
      const h = harness();
      c.setup?.(h);
      const params = await c.request(h);
      const err = await invalidClient(h.authenticate(params, c.options));
      assert.equal(err.reason, c.reason, `detail: ${err.detail}`);
      assert.ok(Object.hasOwn(CLIENT_AUTH_REASONS, err.reason), `${err.reason} is registered`);
      assert.equal(err.status, 401);
      assert.equal(err.error, 'invalid_client');
      assert.equal(err.description, 'Client authentication failed', 'the public description stays generic');
      assert.equal(h.replay.recorded.size, 0, 'no jti recorded');
      assert.equal(h.replay.attempts, 0, 'the replay store is not even asked');
      if (c.keysFetched !== undefined) assert.equal(h.keys.calls.length, c.keysFetched, 'key fetches');
      if (c.refreshes !== undefined) assert.equal(h.keys.refreshCalls, c.refreshes, 'refreshes for an unknown kid');
    });
  }

  test('the battery is larger than the issue list and covers every reason code', () => {
    assert.ok(CASES.length >= 100, `only ${CASES.length} cases`);
    const reasons = new Set(CASES.map((c) => c.reason));
    for (const reason of [
      'ASSERTION_TYPE_INVALID', 'ASSERTION_MALFORMED', 'ISS_MISSING', 'SUB_MISSING', 'ISS_INVALID', 'SUB_INVALID', 'ISS_SUB_MISMATCH',
      'CLIENT_ID_MISMATCH', 'CLIENT_UNKNOWN', 'CLIENT_DISABLED', 'METHOD_MISMATCH', 'ALG_NOT_ALLOWED', 'ALG_PIN_MISMATCH', 'TYP_INVALID',
      'CTY_UNSUPPORTED', 'CRIT_UNSUPPORTED', 'B64_UNSUPPORTED', 'KID_INVALID', 'KID_REQUIRED', 'KID_UNKNOWN', 'KEY_ALG_MISMATCH', 'NO_KEYS', 'JWKS_FETCH_FAILED',
      'SIGNATURE_INVALID', 'EXP_MISSING', 'EXP_INVALID', 'EXPIRED', 'LIFETIME_TOO_LONG', 'NBF_INVALID', 'NBF_IN_FUTURE', 'IAT_INVALID',
      'IAT_IN_FUTURE', 'IAT_TOO_OLD', 'AUD_MISSING', 'AUD_INVALID', 'AUD_MISMATCH', 'JTI_MISSING', 'JTI_INVALID',
    ]) {
      assert.ok(reasons.has(reason), `no case for ${reason}`);
    }
  });
});

describe('one method per request (RFC 6749 §2.3)', () => {
  test('an assertion together with an Authorization header is invalid_request', async () => {
    const h = harness();
    const params = await jwt(rs256(claims('pkj')));
    await assert.rejects(h.authenticate(params, { authorization: `Basic ${Buffer.from('pkj:x').toString('base64')}` }), InvalidRequest);
    assert.equal(h.replay.attempts, 0);
  });

  test('an assertion together with client_secret is invalid_request', async () => {
    const h = harness();
    const params = await jwt(rs256(claims('pkj')), { client_secret: SECRET });
    await assert.rejects(h.authenticate(params), InvalidRequest);
    assert.equal(h.replay.attempts, 0);
  });
});

describe('embedded keys never authenticate (RFC 8725 §3.10)', () => {
  test('an attacker assertion for an ES256 client whose key is the attacker-named jwk fails; the registered key still works', async () => {
    const h = harness();
    const err = await invalidClient(h.authenticate(await jwt(signedWithAttacker({ jwk: true }))));
    assert.equal(err.reason, 'SIGNATURE_INVALID');
    await h.authenticate(await jwt(signed(claims('pkj-p256'), { alg: 'ES256', jwk: await publicJwk(attacker.publicKey) }, p256.privateKey)));
  });
});
