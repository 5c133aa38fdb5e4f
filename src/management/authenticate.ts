/**
 * Authenticates a management API caller from its Bearer access token: signature by the
 * issuing environment's key, exact issuer, the management audience, expiry, and an
 * application that still exists and is enabled. Returns the caller with its role assignments.
 */
import { verifyRs256 } from '../keys/jwt.js';
import type { KeyRing } from '../keys/signing-keys.js';
import type { Store } from '../store/types.js';
import { AccessFailedError } from './errors.js';
import type { Actor } from './roles.js';

export interface AuthenticateDeps {
  store: Store;
  keyRing: KeyRing;
  publicUrl: string;
  organizationId: string;
  now(): Date;
}

const ISSUER_PATH = /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/as$/;

function unauthorized(message: string): AccessFailedError {
  return new AccessFailedError(401, { code: 'INVALID_TOKEN', message });
}

export async function authenticateActor(deps: AuthenticateDeps, authorization: string | undefined): Promise<Actor> {
  const token = bearerToken(authorization);
  const environmentId = issuingEnvironment(deps.publicUrl, token);
  const keys = await deps.keyRing.get(environmentId);
  const verified = keys && verifyRs256(token, keys.publicKeys);
  if (!verified) throw unauthorized('The access token is invalid.');
  const claims = verified.payload;
  assertClaims(deps, claims, environmentId);
  if (await deps.store.isTokenRevoked(environmentId, claims.jti as string)) throw unauthorized('The access token was revoked.');
  const applicationId = claims.client_id as string;
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

function assertClaims(deps: AuthenticateDeps, claims: Record<string, unknown>, environmentId: string): void {
  const nowSeconds = Math.floor(deps.now().getTime() / 1000);
  if (claims.iss !== `${deps.publicUrl}/${environmentId}/as`) throw unauthorized('The access token issuer is not recognised.');
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) throw unauthorized('The access token has expired.');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(deps.publicUrl)) throw unauthorized('The access token is not for the management API.');
  if (claims.env !== environmentId || claims.org !== deps.organizationId) {
    throw unauthorized('The access token is not for this organization.');
  }
  if (typeof claims.client_id !== 'string') throw unauthorized('The access token has no client_id.');
  if (typeof claims.jti !== 'string') throw unauthorized('The access token has no jti.');
}
