/**
 * In-memory fakes of the client-authentication ports, keys for every algorithm, and signers
 * for well-formed and deliberately broken client assertions. Shared by the client-auth tests.
 */
import { CompactSign, exportJWK } from 'jose';
import { createHmac, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { TokenEndpointAuthMethod } from '../../../src/domain/applications/token-endpoint-auth-method.js';
import { DEFAULT_CLIENT_ASSERTION_POLICY, type ClientAssertionPolicy } from '../../../src/domain/client-auth/assertion-policy.js';
import type { ClientAuthEndpoint } from '../../../src/protocol/client-auth/assertion-audience.js';
import { CLIENT_ASSERTION_TYPE_JWT_BEARER } from '../../../src/protocol/client-auth/assertion-jws.js';
import { authenticateClient, type AuthenticatedClient } from '../../../src/protocol/client-auth/authenticate.js';
import type {
  AssertionReplayStore,
  Client,
  ClientAuthEvent,
  ClientAuthEventSink,
  ClientDirectory,
  ClientKeySource,
  ClientProfile,
  ClientSecrets,
  VerificationKey,
} from '../../../src/protocol/client-auth/ports.js';
import { InvalidClient } from '../../../src/protocol/errors.js';
import { toParams } from '../../../src/protocol/params.js';
import { rsaKeyPair } from '../../support/rsa-keys.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

export const ENV = '6b1c3f1e-8a51-4f33-9a2e-2f1d9c0b7a10';
export const OTHER_ENV = '0d9e1c2b-3a4f-4e5d-8c7b-6a5f4e3d2c1b';
export const ISSUER = `https://keyway.test/${ENV}/as`;
export const TOKEN_ENDPOINT = `${ISSUER}/token`;
export const INTROSPECT = `${ISSUER}/introspect`;
export const AT_TOKEN: ClientAuthEndpoint = { issuer: ISSUER, tokenEndpoint: TOKEN_ENDPOINT, endpointUrl: TOKEN_ENDPOINT };
export const AT_INTROSPECT: ClientAuthEndpoint = { issuer: ISSUER, tokenEndpoint: TOKEN_ENDPOINT, endpointUrl: INTROSPECT };

export const NOW = new Date('2026-03-01T12:00:00.000Z');
export const NOW_S = NOW.getTime() / 1000;
export const JWT_BEARER = CLIENT_ASSERTION_TYPE_JWT_BEARER;

// Keys are made once per test file (RSA 2048 from the fixture set, test/support/rsa-keys.ts); each test gets fresh fakes.
export const rsa = rsaKeyPair();
export const rsa2 = rsaKeyPair();
export const rsaWeak = newKeyPairSync({ type: 'rsa', modulusLength: 1024 });
export const p256 = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
export const p384 = newKeyPairSync({ type: 'ec', namedCurve: 'P-384' });
export const p521 = newKeyPairSync({ type: 'ec', namedCurve: 'P-521' });
export const ed25519 = newKeyPairSync({ type: 'ed25519' });
export const attacker = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });

export const SECRET = 'current-secret-0123456789abcdef0123456789abcdef0123456789abcdef-x';
export const OLD_SECRET = 'previous-secret-0123456789abcdef0123456789abcdef0123456789abcdef';

const CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** A registered key as the ClientKeySource would hand it over. */
export function verificationKey(publicKey: KeyObject, extra: Partial<Omit<VerificationKey, 'key'>> = {}): VerificationKey {
  const type = publicKey.asymmetricKeyType;
  const kty = type === 'rsa' ? 'RSA' : type === 'ec' ? 'EC' : 'OKP';
  const crv = type === 'ec' ? CURVES[publicKey.asymmetricKeyDetails?.namedCurve ?? ''] : type === 'ed25519' ? 'Ed25519' : undefined;
  return { kty, ...(crv === undefined ? {} : { crv }), key: publicKey, source: 'jwks', ...extra };
}

export function profile(id: string, method: TokenEndpointAuthMethod, overrides: Partial<Client> = {}, secrets?: ClientSecrets): ClientProfile {
  return {
    client: {
      environmentId: ENV,
      id,
      enabled: true,
      type: 'WORKER',
      tokenEndpointAuthMethod: method,
      grantTypes: ['CLIENT_CREDENTIALS'],
      requestScopesForMultipleResourcesEnabled: false,
      includeTyp: false,
      ...overrides,
    },
    secrets,
    grants: [],
    hasRoles: false,
  };
}

export class FakeDirectory implements ClientDirectory {
  readonly profiles = new Map<string, ClientProfile>();
  add(p: ClientProfile): void {
    this.profiles.set(`${p.client.environmentId}/${p.client.id}`, p);
  }
  find(environmentId: string, clientId: string): Promise<ClientProfile | undefined> {
    return Promise.resolve(this.profiles.get(`${environmentId}/${clientId}`));
  }
}

/** Fixed keys per client; `rotated` is what a refresh for an unknown kid returns. */
export class FakeKeySource implements ClientKeySource {
  readonly keys = new Map<string, readonly VerificationKey[]>();
  readonly rotated = new Map<string, readonly VerificationKey[]>();
  readonly calls: { clientId: string; refreshForKid?: string }[] = [];
  failWith: Error | undefined;

  get refreshCalls(): number {
    return this.calls.filter((c) => c.refreshForKid !== undefined).length;
  }

  keysFor(client: Client, opts: { now: Date; refreshForKid?: string }): Promise<readonly VerificationKey[]> {
    this.calls.push({ clientId: client.id, ...(opts.refreshForKid === undefined ? {} : { refreshForKid: opts.refreshForKid }) });
    if (this.failWith) return Promise.reject(this.failWith);
    const fresh = opts.refreshForKid !== undefined ? this.rotated.get(client.id) : undefined;
    return Promise.resolve(fresh ?? this.keys.get(client.id) ?? []);
  }
}

/** Atomic insert-if-absent over a Map, with a switch that makes it throw. */
export class FakeReplayStore implements AssertionReplayStore {
  readonly recorded = new Map<string, Date>();
  attempts = 0;
  failing = false;
  record(environmentId: string, clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    this.attempts++;
    if (this.failing) return Promise.reject(new Error('replay store unreachable'));
    const key = `${environmentId}\u0000${clientId}\u0000${jti}`;
    if (this.recorded.has(key)) return Promise.resolve(false);
    this.recorded.set(key, expiresAt);
    return Promise.resolve(true);
  }
}

export class FakeEventSink implements ClientAuthEventSink {
  readonly events: { environmentId: string; applicationId: string; event: ClientAuthEvent }[] = [];
  record(environmentId: string, applicationId: string, event: ClientAuthEvent): void {
    this.events.push({ environmentId, applicationId, event });
  }
}

/** The standard cast of clients. */
export function standardClients(directory: FakeDirectory, keys: FakeKeySource): void {
  const withKeys = (p: ClientProfile, registered: VerificationKey[]): void => {
    directory.add(p);
    keys.keys.set(p.client.id, registered);
  };
  withKeys(profile('pkj', 'PRIVATE_KEY_JWT'), [verificationKey(rsa.publicKey, { kid: 'rsa-1' })]);
  withKeys(profile('pkj-two-keys', 'PRIVATE_KEY_JWT'), [
    verificationKey(rsa.publicKey, { kid: 'rsa-1' }),
    verificationKey(p256.publicKey, { kid: 'ec-1' }),
  ]);
  withKeys(profile('pkj-p256', 'PRIVATE_KEY_JWT'), [verificationKey(p256.publicKey, { kid: 'p256' })]);
  withKeys(profile('pkj-p384', 'PRIVATE_KEY_JWT'), [verificationKey(p384.publicKey, { kid: 'p384' })]);
  withKeys(profile('pkj-p521', 'PRIVATE_KEY_JWT'), [verificationKey(p521.publicKey, { kid: 'p521' })]);
  withKeys(profile('pkj-ed25519', 'PRIVATE_KEY_JWT'), [verificationKey(ed25519.publicKey, { kid: 'ed' })]);
  withKeys(profile('pkj-weak', 'PRIVATE_KEY_JWT'), [verificationKey(rsaWeak.publicKey, { kid: 'weak' })]);
  withKeys(profile('pkj-alg-rs256', 'PRIVATE_KEY_JWT'), [verificationKey(rsa.publicKey, { kid: 'rsa-1', alg: 'RS256' })]);
  withKeys(profile('pkj-pinned', 'PRIVATE_KEY_JWT', { tokenEndpointAuthSigningAlg: 'PS256' }), [verificationKey(rsa.publicKey, { kid: 'rsa-1' })]);
  withKeys(profile('pkj-enc-only', 'PRIVATE_KEY_JWT'), [verificationKey(rsa.publicKey, { kid: 'rsa-enc', use: 'enc' })]);
  withKeys(profile('pkj-sig-and-enc', 'PRIVATE_KEY_JWT'), [
    verificationKey(rsa.publicKey, { kid: 'rsa-1', use: 'sig' }),
    verificationKey(rsa2.publicKey, { kid: 'rsa-enc', use: 'enc' }),
  ]);
  withKeys(profile('pkj-no-keys', 'PRIVATE_KEY_JWT'), []);
  withKeys(profile('pkj-issuer-only', 'PRIVATE_KEY_JWT', { clientAssertionAudiencePolicy: 'ISSUER_ONLY' }), [verificationKey(rsa.publicKey, { kid: 'rsa-1' })]);
  withKeys(profile('pkj-issuer-string', 'PRIVATE_KEY_JWT', { clientAssertionAudiencePolicy: 'ISSUER_ONLY_STRING' }), [verificationKey(rsa.publicKey, { kid: 'rsa-1' })]);
  withKeys(profile('pkj-compatible', 'PRIVATE_KEY_JWT', { clientAssertionAudiencePolicy: 'PINGONE_COMPATIBLE' }), [verificationKey(rsa.publicKey, { kid: 'rsa-1' })]);
  withKeys(profile('pkj-disabled', 'PRIVATE_KEY_JWT', { enabled: false }), [verificationKey(rsa.publicKey, { kid: 'rsa-1' })]);
  withKeys({ ...profile('pkj-elsewhere', 'PRIVATE_KEY_JWT'), client: { ...profile('pkj-elsewhere', 'PRIVATE_KEY_JWT').client, environmentId: OTHER_ENV } }, [
    verificationKey(rsa.publicKey, { kid: 'rsa-1' }),
  ]);
  directory.add(profile('csj', 'CLIENT_SECRET_JWT', {}, { current: SECRET }));
  directory.add(profile('csj-rotated', 'CLIENT_SECRET_JWT', {}, { current: SECRET, previous: { secret: OLD_SECRET, expiresAt: new Date(NOW.getTime() + 60_000) } }));
  directory.add(profile('csj-rotated-expired', 'CLIENT_SECRET_JWT', {}, { current: SECRET, previous: { secret: OLD_SECRET, expiresAt: NOW } }));
  directory.add(profile('csj-no-secret', 'CLIENT_SECRET_JWT'));
  directory.add(profile('basic', 'CLIENT_SECRET_BASIC', {}, { current: SECRET }));
  directory.add(profile('post', 'CLIENT_SECRET_POST', {}, { current: SECRET }));
}

export interface Harness {
  directory: FakeDirectory;
  keys: FakeKeySource;
  replay: FakeReplayStore;
  events: FakeEventSink;
  /** Runs authenticateClient with these form parameters (and optional Authorization header). */
  authenticate(params: Record<string, string>, options?: AuthOptions): Promise<AuthenticatedClient>;
}

export interface AuthOptions {
  authorization?: string;
  endpoint?: ClientAuthEndpoint;
  settings?: Partial<ClientAssertionPolicy>;
  now?: Date;
}

export function harness(): Harness {
  const directory = new FakeDirectory();
  const keys = new FakeKeySource();
  const replay = new FakeReplayStore();
  const events = new FakeEventSink();
  standardClients(directory, keys);
  return {
    directory,
    keys,
    replay,
    events,
    authenticate: (params, options = {}) =>
      authenticateClient(
        {
          environmentId: ENV,
          authorization: options.authorization,
          params: toParams(Object.entries(params)),
          now: options.now ?? NOW,
          endpoint: options.endpoint ?? AT_TOKEN,
          settings: { ...DEFAULT_CLIENT_ASSERTION_POLICY, ...options.settings },
        },
        { directory, keys, replay, events },
      ),
  };
}

/** Form parameters carrying an assertion. */
export function assertionParams(assertion: string, extra: Record<string, string> = {}): Record<string, string> {
  return { client_assertion_type: JWT_BEARER, client_assertion: assertion, ...extra };
}

/**
 * Claims of a valid assertion for `clientId`; an override of `undefined` removes the claim.
 */
export function claims(clientId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { iss: clientId, sub: clientId, aud: ISSUER, exp: NOW_S + 60, iat: NOW_S, jti: randomUUID() };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

/** Signs with jose (CompactSign), so header and claims go out exactly as given. */
export async function signed(
  payload: Record<string, unknown>,
  header: Record<string, unknown> & { alg: string },
  key: KeyObject | Uint8Array,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key);
}

/**
 * Signs with node:crypto directly, for inputs jose refuses to produce: raw JSON text (duplicate
 * members, 1e400), weak keys, mismatched curves, unencoded-payload headers.
 */
export function signedRaw(header: string | object, payload: string | object, how: RawSigner): string {
  const text = (value: string | object): string => (typeof value === 'string' ? value : JSON.stringify(value));
  const input = `${Buffer.from(text(header)).toString('base64url')}.${Buffer.from(text(payload)).toString('base64url')}`;
  return `${input}.${how(Buffer.from(input)).toString('base64url')}`;
}

export type RawSigner = (input: Buffer) => Buffer;
export const rawRsa = (key: KeyObject, hash = 'sha256'): RawSigner => (input) => sign(hash, input, key);
export const rawEc = (key: KeyObject, hash = 'sha256', dsaEncoding: 'ieee-p1363' | 'der' = 'ieee-p1363'): RawSigner => (input) =>
  sign(hash, input, { key, dsaEncoding });
export const rawHmac = (secret: string | Buffer, hash = 'sha256'): RawSigner => (input) => createHmac(hash, secret).update(input).digest();
export const unsigned: RawSigner = () => Buffer.alloc(0);

export const utf8 = (value: string): Uint8Array => new TextEncoder().encode(value);

export async function publicJwk(key: KeyObject): Promise<Record<string, unknown>> {
  return { ...(await exportJWK(key)) };
}

/** Awaits a rejection and returns it as an InvalidClient, failing the test otherwise. */
export async function invalidClient(promise: Promise<unknown>): Promise<InvalidClient> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected invalid_client, authentication succeeded: ${JSON.stringify(outcome.value, (k, v) => (k === 'profile' ? undefined : v))}`);
  if (!(outcome.error instanceof InvalidClient)) throw outcome.error;
  return outcome.error;
}
