/**
 * Authenticates a management API caller from its Bearer access token: signature by the
 * issuing environment's key, exact issuer, the management audience, expiry, and an
 * application that still exists and is enabled. Returns the caller with its role assignments.
 */
import { UUID_PATTERN } from '../domain/ids.js';
import { AccessFailedError } from '../domain/pingone-error.js';
import type { Store } from '../store/types.js';
import type { AccessTokenClaims, AccessTokenVerifier } from './ports.js';
import type { Actor } from './roles.js';

export interface AuthenticateDeps {
  store: Store;
  tokens: AccessTokenVerifier;
  publicUrl: string;
  organizationId: string;
  now(): Date;
}

const ISSUER_PATH = new RegExp(`^/(${UUID_PATTERN})/as$`);

function unauthorized(message: string): AccessFailedError {
  return new AccessFailedError(401, { code: 'INVALID_TOKEN', message });
}

export async function authenticateActor(deps: AuthenticateDeps, authorization: string | undefined): Promise<Actor> {
  const token = bearerToken(authorization);
  const environmentId = issuingEnvironment(deps.publicUrl, token);
  const claims = await deps.tokens.verify(environmentId, token, deps.now());
  if (!claims) throw unauthorized('The access token is invalid, expired or revoked.');
  assertManagementClaims(deps, claims, environmentId);
  const applicationId = claims.client_id;
  const app = await deps.store.getApplication(environmentId, applicationId);
  if (!app || !app.config.enabled) throw unauthorized('The application of this access token is no longer enabled.');
  const assignments = await deps.store.listRoleAssignments(environmentId, applicationId);
  return { organizationId: deps.organizationId, environmentId, applicationId, assignments };
}

function bearerToken(authorization: string | undefined): string {
  const match = authorization === undefined ? null : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization.trim());
  if (!match?.[1]) throw unauthorized('A Bearer access token is required.');
  return match[1];
}

/** Reads the environment from the (not yet verified) `iss` only to pick the verification keys. */
function issuingEnvironment(publicUrl: string, token: string): string {
  const payload = token.split('.')[1];
  let iss: unknown;
  try {
    iss = (JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { iss?: unknown }).iss;
  } catch {
    throw unauthorized('The access token is malformed.');
  }
  if (typeof iss !== 'string' || !iss.startsWith(`${publicUrl}/`)) throw unauthorized('The access token issuer is not recognised.');
  const match = ISSUER_PATH.exec(iss.slice(publicUrl.length));
  if (!match?.[1]) throw unauthorized('The access token issuer is not recognised.');
  return match[1];
}

/** What makes an access token a management-API token: its audience and the organization. */
function assertManagementClaims(deps: AuthenticateDeps, claims: AccessTokenClaims, environmentId: string): void {
  if (!claims.aud.includes(deps.publicUrl)) throw unauthorized('The access token is not for the management API.');
  if (claims.env !== environmentId || claims.org !== deps.organizationId) {
    throw unauthorized('The access token is not for this organization.');
  }
}
