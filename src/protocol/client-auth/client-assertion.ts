/**
 * CLIENT_SECRET_JWT and PRIVATE_KEY_JWT client assertions (RFC 7523 §2.2 and §3, RFC 7521 §4.2,
 * OpenID Connect Core §9, RFC 8725) as a linear run of named checks. Cheap checks on the
 * unverified token come first, so that a doomed assertion costs no key fetch and no signature
 * verification; the jti is recorded last, only once everything else has passed.
 */
import type { ClientAssertionPolicy } from '../../domain/client-auth/assertion-policy.js';
import type { AssertionMethod } from '../../jose/algorithms.js';
import { InvalidClient, TemporarilyUnavailable } from '../errors.js';
import { checkAudience, type ClientAuthEndpoint } from './assertion-audience.js';
import { checkJti, checkTimeClaims } from './assertion-claims.js';
import { checkAssertionHeader, type AssertionHeader } from './assertion-header.js';
import { assertIssuedBy } from './assertion-identity.js';
import { assertAssertionType, decodeAssertion, type DecodedAssertion } from './assertion-jws.js';
import { registeredKeys, secretKeys, type CandidateKey } from './assertion-keys.js';
import { verifyAssertionSignature } from './assertion-signature.js';
import { show } from './assertion-values.js';
import type { AssertionReplayStore, AudienceForm, Client, ClientKeySource, ClientProfile } from './ports.js';

export interface ClientAssertionInput {
  /** `client_assertion` as received. */
  assertion: string | undefined;
  /** `client_assertion_type` as received. */
  assertionType: string | undefined;
  /** The `client_id` parameter, when the request carried one. */
  clientIdParam: string | undefined;
  /** The client named by the assertion's `iss`/`sub`, looked up before any key is fetched. */
  profile: ClientProfile;
  endpoint: ClientAuthEndpoint;
  /** The environment's settings; the application's audience policy overrides theirs. */
  settings: ClientAssertionPolicy;
  now: Date;
}

export interface ClientAssertionDeps {
  keys: ClientKeySource;
  replay: AssertionReplayStore;
  /** The caller's own checks of the request (see ClientAuthDeps.admit), run just before the jti is recorded. */
  admit?: (profile: ClientProfile) => void | Promise<void>;
  /** Work that consumes nothing (see ClientAuthDeps.prepare), run while the jti is recorded. */
  prepare?: () => Promise<unknown>;
}

export interface VerifiedClientAssertion {
  method: AssertionMethod;
  alg: string;
  kid?: string;
  audienceForm: AudienceForm;
  jti: string;
  /** Until when the jti is remembered: `exp` plus the clock tolerance. */
  jtiExpiresAt: Date;
}

/**
 * Verifies a client assertion for `input.profile`.
 * @throws InvalidClient with a reason code, or TemporarilyUnavailable when the jti cannot be recorded.
 */
export async function verifyClientAssertion(input: ClientAssertionInput, deps: ClientAssertionDeps): Promise<VerifiedClientAssertion> {
  assertAssertionType(input.assertionType);
  return verifyDecodedAssertion(decodeAssertion(input.assertion), input, deps);
}

/**
 * The checks after type and structure, for a caller that already decoded the assertion to find
 * the client (so the hot path decodes it once).
 */
export async function verifyDecodedAssertion(
  jws: DecodedAssertion,
  input: Omit<ClientAssertionInput, 'assertion' | 'assertionType'>,
  deps: ClientAssertionDeps,
): Promise<VerifiedClientAssertion> {
  const { client } = input.profile;
  const method = assertionMethodOf(client);
  assertIssuedBy(jws.payload, client.id, input.clientIdParam);
  const header = checkAssertionHeader(jws.header, method, client.tokenEndpointAuthSigningAlg);
  const { exp } = checkTimeClaims(jws.payload, input.settings, input.now);
  const policy = client.clientAssertionAudiencePolicy ?? input.settings.audiencePolicy;
  const audienceForm = checkAudience(jws.payload.aud, input.endpoint, policy);
  const jti = checkJti(jws.payload);
  await verifyAssertionSignature(jws, await verificationKeys(method, input, header, deps.keys), header.alg);
  const jtiExpiresAt = new Date((exp + input.settings.clockToleranceSeconds) * 1000);
  await deps.admit?.(input.profile);
  await Promise.all([recordJti(deps.replay, client, jti, jtiExpiresAt), startPrepared(deps.prepare)]);
  return { method, alg: header.alg, ...(header.kid === undefined ? {} : { kid: header.kid }), audienceForm, jti, jtiExpiresAt };
}

/** An assertion authenticates only a client registered for one of the two JWT methods. */
export function assertionMethodOf(client: Client): AssertionMethod {
  const method = client.tokenEndpointAuthMethod;
  if (method === 'PRIVATE_KEY_JWT' || method === 'CLIENT_SECRET_JWT') return method;
  throw new InvalidClient('METHOD_MISMATCH', `the application authenticates with ${method}, the request used a client assertion`);
}

async function verificationKeys(
  method: AssertionMethod,
  input: Pick<ClientAssertionInput, 'profile' | 'now'>,
  header: AssertionHeader,
  source: ClientKeySource,
): Promise<CandidateKey[]> {
  return method === 'PRIVATE_KEY_JWT'
    ? registeredKeys(input.profile.client, header, source, input.now)
    : secretKeys(input.profile.secrets, input.now);
}

/**
 * Starts the caller's prepared work (ClientAuthDeps.prepare) and settles when it does, never
 * rejecting: its outcome is the caller's, read from the promise the caller keeps, which this
 * observes meanwhile so that a failure is never left unhandled.
 */
export function startPrepared(prepare: (() => Promise<unknown>) | undefined): Promise<unknown> {
  return (async () => prepare?.())().catch(() => undefined);
}

/** One atomic insert-if-absent per (environment, client, jti); a store failure issues nothing. */
async function recordJti(replay: AssertionReplayStore, client: Client, jti: string, expiresAt: Date): Promise<void> {
  let firstUse: boolean;
  try {
    firstUse = await replay.record(client.environmentId, client.id, jti, expiresAt);
  } catch (err) {
    throw new TemporarilyUnavailable(`the assertion replay store could not record the jti: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!firstUse) throw new InvalidClient('REPLAYED', `jti ${show(jti)} was already used by this client (OpenID Connect Core §9)`);
}
