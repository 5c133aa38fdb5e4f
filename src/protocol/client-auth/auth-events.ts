/**
 * Client-authentication events recorded per application, where administrators read the precise
 * reason the public error body leaves out (docs/decisions.md, "Public error bodies stay generic").
 * Facts only: reason, method, kid, alg, audience form; never the assertion or a secret.
 */
import type { TokenEndpointAuthMethod } from '../../domain/applications/token-endpoint-auth-method.js';
import { MAX_KID_LENGTH } from '../../jose/jwk-checks.js';
import type { InvalidClient } from '../errors.js';
import { classifyAudience, type ClientAuthEndpoint } from './assertion-audience.js';
import type { DecodedAssertion } from './assertion-jws.js';
import type { AudienceForm, ClientAuthEvent, ClientAuthEventSink, ClientProfile } from './ports.js';

/** What the request presented, as far as it can be told without trusting it. */
export interface PresentedFacts {
  method: TokenEndpointAuthMethod;
  kid?: string;
  alg?: string;
  audienceForm?: AudienceForm | 'INVALID';
}

const MAX_ALG_LENGTH = 32;

/** Facts of an unverified assertion; bounded, since every value is chosen by the sender. */
export function assertionFacts(jws: DecodedAssertion, method: TokenEndpointAuthMethod, endpoint: ClientAuthEndpoint): PresentedFacts {
  const facts: PresentedFacts = { method };
  const { alg, kid } = jws.header;
  if (typeof alg === 'string') facts.alg = alg.slice(0, MAX_ALG_LENGTH);
  if (typeof kid === 'string') facts.kid = kid.slice(0, MAX_KID_LENGTH);
  const audienceForm = classifyAudience(jws.payload.aud, endpoint);
  if (audienceForm !== undefined) facts.audienceForm = audienceForm;
  return facts;
}

export function recordFailure(
  sink: ClientAuthEventSink | undefined,
  profile: ClientProfile,
  error: InvalidClient,
  facts: PresentedFacts,
  endpoint: ClientAuthEndpoint,
  at: Date,
): void {
  const event: ClientAuthEvent = { outcome: 'FAILURE', reason: error.reason, ...facts, endpoint: endpoint.endpointUrl, at };
  if (error.detail !== undefined) event.detail = error.detail;
  safeRecord(sink, profile, event);
}

/** Successes are recorded only when they used a legacy audience form, to guide migration. */
export function recordLegacySuccess(
  sink: ClientAuthEventSink | undefined,
  profile: ClientProfile,
  facts: PresentedFacts,
  endpoint: ClientAuthEndpoint,
  at: Date,
): void {
  if (facts.audienceForm === undefined || facts.audienceForm === 'ISSUER_STRING') return;
  safeRecord(sink, profile, { outcome: 'LEGACY_SUCCESS', reason: 'LEGACY_AUDIENCE', ...facts, endpoint: endpoint.endpointUrl, at });
}

/** A diagnostics sink must never fail or delay authentication. */
function safeRecord(sink: ClientAuthEventSink | undefined, profile: ClientProfile, event: ClientAuthEvent): void {
  if (!sink) return;
  try {
    sink.record(profile.client.environmentId, profile.client.id, event);
  } catch {
    // Dropping a diagnostic is better than refusing a valid client.
  }
}
