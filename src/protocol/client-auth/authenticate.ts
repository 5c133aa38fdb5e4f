/**
 * The one client-authentication step shared by every client-authenticated endpoint
 * (token, introspection, revocation). Exactly one method per request (RFC 6749 §2.3), and it
 * must be the application's `tokenEndpointAuthMethod`. Failures after the application is known
 * are recorded for it, with a reason code.
 */
import type { TokenEndpointAuthMethod } from '../../domain/applications/token-endpoint-auth-method.js';
import type { ClientAssertionPolicy } from '../../domain/client-auth/assertion-policy.js';
import { ClientAuthLimited, InvalidClient, InvalidRequest, ServerError } from '../errors.js';
import type { Params } from '../params.js';
import type { ClientAuthEndpoint } from './assertion-audience.js';
import { assertionIssuer } from './assertion-identity.js';
import { assertAssertionType, decodeAssertion, type DecodedAssertion } from './assertion-jws.js';
import { assertionFacts, recordFailure, recordLegacySuccess, type PresentedFacts } from './auth-events.js';
import { assertionMethodOf, startPrepared, verifyDecodedAssertion } from './client-assertion.js';
import { parseBasicAuthorization, secretMatches } from './client-secret.js';
import type {
  AssertionReplayStore, AudienceForm, ClientAuthAttempts, ClientAuthEventSink, ClientAuthLimitReached, ClientDirectory, ClientKeySource, ClientProfile,
} from './ports.js';

export interface ClientAuthInput {
  environmentId: string;
  /** The raw Authorization header, if any. */
  authorization: string | undefined;
  params: Params;
  now: Date;
  /** Issuer, token endpoint and URL of the endpoint being called: the accepted assertion audiences. */
  endpoint: ClientAuthEndpoint;
  /** The environment's client-authentication settings (audience policy, clock tolerance, lifetime). */
  settings: ClientAssertionPolicy;
  /** Failed authentications of the request's source address; without it nothing is limited. */
  attempts?: ClientAuthAttempts;
}

export interface ClientAuthDeps {
  directory: ClientDirectory;
  /** The applications' registered keys; needed to accept client assertions. */
  keys?: ClientKeySource;
  /** Single use of assertion jtis; needed to accept client assertions. */
  replay?: AssertionReplayStore;
  /** Per-application diagnostics; optional. */
  events?: ClientAuthEventSink;
  /**
   * The endpoint's own checks of the request for this client (grant type allowed, scope), run
   * once the client is authenticated and before anything is consumed: a request refused here
   * leaves its assertion's jti unrecorded, so it can be corrected and sent again.
   */
  admit?: (profile: ClientProfile) => void | Promise<void>;
  /**
   * Work of the endpoint that consumes nothing (the client_credentials grant's signing of its
   * token), started once the request is admitted and run while the assertion's jti is recorded,
   * so that the two waits overlap instead of adding up. Authentication ends when both have, or
   * at once when the jti cannot be recorded (a replay), whatever this did. Its outcome is not
   * authentication's: the caller reads it from the promise it keeps, after authenticating, so a
   * failure of it (no signing key) is reported, recorded and counted as the same work after
   * authentication would be.
   */
  prepare?: (profile: ClientProfile, assertion: VerifiedAssertion | undefined) => Promise<unknown>;
}

/** A verified client assertion's JOSE header and claims. */
export interface VerifiedAssertion {
  header: Readonly<Record<string, unknown>>;
  payload: Readonly<Record<string, unknown>>;
}

export interface AuthenticatedClient {
  profile: ClientProfile;
  method: TokenEndpointAuthMethod;
  /** For client assertions: how `aud` was written (only `ISSUER_STRING` is not legacy). */
  audienceForm?: AudienceForm;
  kid?: string;
  alg?: string;
  /**
   * A verified PRIVATE_KEY_JWT or CLIENT_SECRET_JWT assertion's header and claims, which attribute mappings read as
   * `#root.context.requestData.clientAssertionHeader` and `…clientAssertion`.
   */
  assertion?: VerifiedAssertion;
}

type Presented =
  | { kind: 'basic'; clientId: string; secret: string }
  | { kind: 'post'; clientId: string; secret: string }
  | { kind: 'jwt'; clientId: string | undefined; assertion: string | undefined; assertionType: string | undefined }
  | { kind: 'none'; clientId: string };

type SecretPresented = Exclude<Presented, { kind: 'jwt' }>;

/** Who the request names; for an assertion, with the decoded (still unverified) token. */
type Identified =
  | { kind: 'secret'; clientId: string; facts: PresentedFacts; presented: SecretPresented }
  | { kind: 'assertion'; clientId: string; facts: PresentedFacts; jws: DecodedAssertion; clientIdParam: string | undefined };

/**
 * Authenticates the client of a request by the one method it presents.
 * @throws InvalidRequest when several methods are combined; InvalidClient with a reason code
 *   (recorded for the application once it is known); ClientAuthLimited when the request's source
 *   failed too often, before anything is looked up, verified or consumed; TemporarilyUnavailable
 *   when an assertion's jti cannot be recorded; ServerError when assertions arrive and their
 *   ports are not wired.
 */
export async function authenticateClient(input: ClientAuthInput, deps: ClientAuthDeps): Promise<AuthenticatedClient> {
  const { attempts } = input;
  if (attempts === undefined) return authenticate(input, deps, {});
  refuseWhileLimited(attempts);
  const named: Named = {};
  try {
    return await authenticate(input, deps, named);
  } catch (err) {
    if (err instanceof InvalidClient && !NOT_THE_CALLERS.has(err.reason)) countFailure(attempts, named, input, deps.events);
    throw err;
  }
}

/**
 * Failures that are Keyway's, not the caller's: a client whose `jwksUrl` cannot be fetched is
 * not guessing, and its own budget would otherwise keep it out for a minute after the fetch
 * recovers.
 */
const NOT_THE_CALLERS: ReadonlySet<string> = new Set(['JWKS_FETCH_FAILED']);

/** What a request turned out to name before it failed: whom its failure counts against. */
interface Named {
  clientId?: string;
  profile?: ClientProfile;
  facts?: PresentedFacts;
}

async function authenticate(input: ClientAuthInput, deps: ClientAuthDeps, named: Named): Promise<AuthenticatedClient> {
  const presented = detectMethod(input);
  let identified: Identified;
  try {
    identified = identifyClient(presented, input.endpoint);
  } catch (err) {
    if (err instanceof InvalidClient && presented.kind === 'jwt') await recordUnidentified(err, presented, input, deps);
    throw err;
  }
  const { clientId, facts } = identified;
  named.clientId = clientId;
  named.facts = facts;
  // Before the directory, a key or the jti is touched: a limited request costs nothing more.
  if (input.attempts !== undefined) refuseWhileLimited(input.attempts, clientId);
  const profile = await deps.directory.find(input.environmentId, clientId);
  if (!profile) throw new InvalidClient('CLIENT_UNKNOWN', 'no such client in this environment');
  named.profile = profile;
  try {
    if (!profile.client.enabled) throw new InvalidClient('CLIENT_DISABLED', 'the application is disabled');
    const result = identified.kind === 'assertion' ? await viaAssertion(identified, profile, input, deps) : await viaSecret(identified.presented, profile, input.now, deps);
    recordLegacySuccess(deps.events, profile, facts, input.endpoint, input.now);
    return result;
  } catch (err) {
    if (err instanceof InvalidClient) recordFailure(deps.events, profile, err, facts, input.endpoint, input.now);
    throw err;
  }
}

/** RFC 6585 §4: 429 with the seconds to wait, as any client or as `clientId`. */
function refuseWhileLimited(attempts: ClientAuthAttempts, clientId?: string): void {
  const wait = attempts.waitSeconds(clientId);
  if (wait > 0) throw new ClientAuthLimited(wait);
}

/**
 * Counts a failed authentication against its source. The failure that spends a known client's
 * budget is recorded for that application once, so its administrators see why its requests
 * from that address are refused; the refused requests themselves record nothing.
 */
function countFailure(attempts: ClientAuthAttempts, named: Named, input: ClientAuthInput, events: ClientAuthEventSink | undefined): void {
  const reached = attempts.failed(named.clientId);
  if (reached === undefined || named.profile === undefined || named.facts === undefined) return;
  recordFailure(events, named.profile, limitReached(reached), named.facts, input.endpoint, input.now);
}

function limitReached({ source, limit, windowSeconds }: ClientAuthLimitReached): InvalidClient {
  return new InvalidClient('RATE_LIMITED', `${limit} failed authentications from ${source} within ${windowSeconds} s; its further requests are refused until the window ends`);
}

/** Works out which single method the request uses; more than one is invalid_request. */
function detectMethod({ authorization, params }: ClientAuthInput): Presented {
  const clientId = params.get('client_id');
  const secret = params.get('client_secret');
  const assertion = params.get('client_assertion');
  const assertionType = params.get('client_assertion_type');
  const used = [authorization !== undefined, secret !== undefined, assertion !== undefined || assertionType !== undefined];
  if (used.filter(Boolean).length > 1) {
    throw new InvalidRequest('only one client authentication method may be used per request');
  }
  if (authorization !== undefined) {
    const basic = parseBasicAuthorization(authorization);
    if (clientId !== undefined && clientId !== basic.clientId) {
      throw new InvalidClient('CLIENT_ID_MISMATCH', 'client_id parameter differs from the Basic credentials');
    }
    return { kind: 'basic', clientId: basic.clientId, secret: basic.clientSecret };
  }
  if (secret !== undefined) {
    if (clientId === undefined) throw new InvalidClient('CLIENT_ID_MISSING', 'client_secret sent without client_id');
    return { kind: 'post', clientId, secret };
  }
  if (assertion !== undefined || assertionType !== undefined) {
    return { kind: 'jwt', clientId, assertion, assertionType };
  }
  if (clientId === undefined) throw new InvalidClient('NO_CREDENTIALS', 'no client authentication was presented');
  return { kind: 'none', clientId };
}

/**
 * The client id the request names. For an assertion it is the unverified `iss`/`sub`: it only
 * selects whose keys must verify the signature, and no key is fetched before that lookup.
 */
function identifyClient(presented: Presented, endpoint: ClientAuthEndpoint): Identified {
  if (presented.kind !== 'jwt') {
    return { kind: 'secret', clientId: presented.clientId, facts: { method: secretMethod(presented.kind) }, presented };
  }
  assertAssertionType(presented.assertionType);
  const jws = decodeAssertion(presented.assertion);
  const alg = jws.header.alg;
  const method = typeof alg === 'string' && alg.startsWith('HS') ? 'CLIENT_SECRET_JWT' : 'PRIVATE_KEY_JWT';
  const clientId = assertionIssuer(jws.payload, presented.clientId);
  return { kind: 'assertion', clientId, facts: assertionFacts(jws, method, endpoint), jws, clientIdParam: presented.clientId };
}

/**
 * An assertion whose `iss`/`sub`/`client_id` disagree names no client for certain, but when its
 * `iss` (or else `sub`) is a client of this environment, that application's admins should see why
 * its requests fail (ISS_SUB_MISMATCH, CLIENT_ID_MISMATCH). Nothing is fetched for it.
 */
async function recordUnidentified(err: InvalidClient, presented: Extract<Presented, { kind: 'jwt' }>, input: ClientAuthInput, deps: ClientAuthDeps): Promise<void> {
  if (!deps.events) return;
  let jws: DecodedAssertion;
  try {
    jws = decodeAssertion(presented.assertion);
  } catch {
    return;
  }
  const named = [jws.payload.iss, jws.payload.sub].find((v): v is string => typeof v === 'string');
  const profile = named === undefined ? undefined : await deps.directory.find(input.environmentId, named);
  if (!profile) return;
  const alg = jws.header.alg;
  const method = typeof alg === 'string' && alg.startsWith('HS') ? 'CLIENT_SECRET_JWT' : 'PRIVATE_KEY_JWT';
  recordFailure(deps.events, profile, err, assertionFacts(jws, method, input.endpoint), input.endpoint, input.now);
}

async function viaAssertion(
  { jws, clientIdParam }: Extract<Identified, { kind: 'assertion' }>,
  profile: ClientProfile,
  input: ClientAuthInput,
  deps: ClientAuthDeps,
): Promise<AuthenticatedClient> {
  assertionMethodOf(profile.client);
  const { keys, replay } = deps;
  if (!keys || !replay) throw new ServerError('client assertions need a client key source and a replay store');
  // PingOne offers both JWT methods' verified assertion to expressions (token fulfillment).
  const assertion: VerifiedAssertion = { header: jws.header, payload: jws.payload };
  const { admit, prepare } = deps;
  const verified = await verifyDecodedAssertion(
    jws,
    { clientIdParam, profile, endpoint: input.endpoint, settings: input.settings, now: input.now },
    {
      keys,
      replay,
      ...(admit === undefined ? {} : { admit }),
      ...(prepare === undefined ? {} : { prepare: () => prepare(profile, assertion) }),
    },
  );
  const { method, audienceForm, alg, kid } = verified;
  const result: AuthenticatedClient = kid === undefined ? { profile, method, audienceForm, alg } : { profile, method, audienceForm, alg, kid };
  result.assertion = assertion;
  return result;
}

async function viaSecret(
  presented: SecretPresented,
  profile: ClientProfile,
  now: Date,
  { admit, prepare }: Pick<ClientAuthDeps, 'admit' | 'prepare'>,
): Promise<AuthenticatedClient> {
  assertMethodMatches(profile, secretMethod(presented.kind));
  if (presented.kind !== 'none' && !secretMatches(presented.secret, profile.secrets, now)) {
    throw new InvalidClient('SECRET_MISMATCH', 'client secret does not match');
  }
  await admit?.(profile);
  // Nothing is recorded for a secret: the prepared work has nothing to run alongside.
  await startPrepared(prepare && (() => prepare(profile, undefined)));
  return { profile, method: profile.client.tokenEndpointAuthMethod };
}

function secretMethod(kind: SecretPresented['kind']): TokenEndpointAuthMethod {
  switch (kind) {
    case 'basic':
      return 'CLIENT_SECRET_BASIC';
    case 'post':
      return 'CLIENT_SECRET_POST';
    case 'none':
      return 'NONE';
  }
}

function assertMethodMatches(profile: ClientProfile, method: TokenEndpointAuthMethod): void {
  if (profile.client.tokenEndpointAuthMethod !== method) {
    throw new InvalidClient(
      'METHOD_MISMATCH',
      `the application authenticates with ${profile.client.tokenEndpointAuthMethod}, the request used ${method}`,
    );
  }
}
