/**
 * Who the assertion claims to come from (RFC 7523 §3 items 1-2, OpenID Connect Core §9):
 * `iss` and `sub` are both the client id. Read before the signature is checked, to find the
 * client whose keys must verify it, so nothing here is trusted yet.
 */
import type { JsonObject } from '../../domain/json-object.js';
import { InvalidClient } from '../errors.js';
import { show } from './assertion-values.js';

/**
 * The client id named by an unverified assertion, once `iss` and `sub` are present, strings and
 * identical, and equal to the `client_id` parameter when one was sent.
 */
export function assertionIssuer(payload: JsonObject, clientIdParam: string | undefined): string {
  const iss = stringClaim(payload, 'iss');
  const sub = stringClaim(payload, 'sub');
  if (iss !== sub) throw new InvalidClient('ISS_SUB_MISMATCH', `iss ${show(iss)} and sub ${show(sub)} differ; both must be the client id`);
  if (clientIdParam !== undefined && clientIdParam !== iss) {
    throw new InvalidClient('CLIENT_ID_MISMATCH', `client_id parameter ${show(clientIdParam)} differs from the assertion's iss ${show(iss)}`);
  }
  return iss;
}

/** As {@link assertionIssuer}, and the assertion must name exactly this client. */
export function assertIssuedBy(payload: JsonObject, clientId: string, clientIdParam: string | undefined): void {
  const iss = assertionIssuer(payload, clientIdParam);
  if (iss !== clientId) throw new InvalidClient('CLIENT_ID_MISMATCH', `iss and sub ${show(iss)} are not the client id ${show(clientId)}`);
}

const REASONS = {
  iss: { missing: 'ISS_MISSING', invalid: 'ISS_INVALID' },
  sub: { missing: 'SUB_MISSING', invalid: 'SUB_INVALID' },
} as const;

function stringClaim(payload: JsonObject, name: 'iss' | 'sub'): string {
  const value = payload[name];
  if (value === undefined) throw new InvalidClient(REASONS[name].missing, `the ${name} claim is required and must be the client id`);
  if (typeof value !== 'string') throw new InvalidClient(REASONS[name].invalid, `the ${name} claim must be a string, got ${show(value)}`);
  return value;
}
