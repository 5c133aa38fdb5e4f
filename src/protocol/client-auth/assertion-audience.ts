/**
 * The `aud` of a client assertion (RFC 7523 §3 item 3) judged by the audience policy
 * (docs/decisions.md, "Client assertion audience policy"): exact string comparison, no URL
 * normalisation.
 */
import type { ClientAssertionAudiencePolicy } from '../../domain/client-auth/audience-policy.js';
import { InvalidClient } from '../errors.js';
import { show } from './assertion-values.js';
import type { AudienceForm } from './ports.js';

/** The URLs an assertion may name as its audience, for the endpoint being called. */
export interface ClientAuthEndpoint {
  /** `{publicUrl}/{envId}/as` */
  issuer: string;
  /** `{issuer}/token` */
  tokenEndpoint: string;
  /** The URL of the endpoint being called, e.g. `{issuer}/introspect`. */
  endpointUrl: string;
}

export const MAX_AUDIENCES = 10;

const POLICY_FORMS: Readonly<Record<ClientAssertionAudiencePolicy, readonly AudienceForm[]>> = {
  PINGONE_COMPATIBLE: ['ISSUER_STRING', 'ISSUER_ARRAY', 'TOKEN_ENDPOINT', 'ENDPOINT_URL', 'ARRAY'],
  // RFC 7523bis: the issuer as the sole value, as a string or a one-element array.
  ISSUER_ONLY: ['ISSUER_STRING', 'ISSUER_ARRAY'],
  // FAPI 2.0 Security Profile §5.3.2.1: exactly the issuer string.
  ISSUER_ONLY_STRING: ['ISSUER_STRING'],
};

type Shape = { ok: true; members: readonly string[] } | { ok: false; problem: string };

/** Checks `aud` against the policy and returns its form; only `ISSUER_STRING` is not legacy. */
export function checkAudience(aud: unknown, endpoint: ClientAuthEndpoint, policy: ClientAssertionAudiencePolicy): AudienceForm {
  if (aud === undefined) throw new InvalidClient('AUD_MISSING', 'the aud claim is required (RFC 7523 §3 item 3)');
  const shape = shapeOf(aud);
  if (!shape.ok) throw new InvalidClient('AUD_INVALID', shape.problem);
  const foreign = shape.members.find((member) => formOfString(member, endpoint) === undefined);
  if (foreign !== undefined) {
    const accepted = `the issuer ${endpoint.issuer}, the token endpoint or this endpoint's URL`;
    throw new InvalidClient('AUD_MISMATCH', `aud member ${show(foreign)} is not ${accepted}`);
  }
  const form = formOf(aud, shape.members, endpoint);
  if (!POLICY_FORMS[policy].includes(form)) {
    throw new InvalidClient('AUD_MISMATCH', `audience policy ${policy} requires ${policyWording(policy, endpoint)}; aud was ${show(aud)}`);
  }
  return form;
}

/** The form of an unverified `aud`, for diagnostics; `INVALID` when it names anything else. */
export function classifyAudience(aud: unknown, endpoint: ClientAuthEndpoint): AudienceForm | 'INVALID' | undefined {
  if (aud === undefined) return undefined;
  const shape = shapeOf(aud);
  if (!shape.ok || shape.members.some((member) => formOfString(member, endpoint) === undefined)) return 'INVALID';
  return formOf(aud, shape.members, endpoint);
}

function shapeOf(aud: unknown): Shape {
  if (typeof aud === 'string') return { ok: true, members: [aud] };
  if (!Array.isArray(aud)) return { ok: false, problem: `aud must be a string or an array of strings, got ${show(aud)}` };
  if (aud.length === 0) return { ok: false, problem: 'aud is an empty array' };
  if (aud.length > MAX_AUDIENCES) return { ok: false, problem: `aud has ${aud.length} members; at most ${MAX_AUDIENCES} are accepted` };
  const members: string[] = [];
  for (const member of aud as unknown[]) {
    if (typeof member !== 'string') return { ok: false, problem: `aud members must be strings, got ${show(member)}` };
    members.push(member);
  }
  return { ok: true, members };
}

/** Precondition: every member names this server. */
function formOf(aud: unknown, members: readonly string[], endpoint: ClientAuthEndpoint): AudienceForm {
  const [first] = members;
  if (typeof aud === 'string' && first !== undefined) return formOfString(first, endpoint) ?? 'ARRAY';
  return members.length === 1 && first === endpoint.issuer ? 'ISSUER_ARRAY' : 'ARRAY';
}

function formOfString(value: string, endpoint: ClientAuthEndpoint): AudienceForm | undefined {
  if (value === endpoint.issuer) return 'ISSUER_STRING';
  if (value === endpoint.tokenEndpoint) return 'TOKEN_ENDPOINT';
  if (value === endpoint.endpointUrl) return 'ENDPOINT_URL';
  return undefined;
}

function policyWording(policy: ClientAssertionAudiencePolicy, endpoint: ClientAuthEndpoint): string {
  switch (policy) {
    case 'ISSUER_ONLY_STRING':
      return `aud to be exactly the string ${show(endpoint.issuer)}`;
    case 'ISSUER_ONLY':
      return `aud to be the issuer ${show(endpoint.issuer)} alone, as a string or a one-element array`;
    case 'PINGONE_COMPATIBLE':
      return 'every aud member to be the issuer, the token endpoint or this endpoint';
  }
}
