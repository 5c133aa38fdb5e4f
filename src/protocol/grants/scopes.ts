/**
 * Resolves the scopes a client-credentials request asks for against the application's resource
 * grants (docs/pingone-reference.md §5.2, §6.6): every requested scope must be granted, scopes of
 * several resources need `requestScopesForMultipleResourcesEnabled`, and user-facing OpenID
 * Connect scopes have no meaning without a user.
 */
import type { ClientProfile, GrantedResource } from '../client-auth/ports.js';
import { InvalidScope } from '../errors.js';

export interface ResolvedScopes {
  /** Scope names for the `scope` claim and response, in request order. */
  scopes: string[];
  /** Resources the token is for (its audiences). */
  resources: GrantedResource[];
  /** True when the token is also for the management API (the application holds roles). */
  management: boolean;
}

const MAX_SCOPES = 100;

export function resolveClientCredentialsScopes(profile: ClientProfile, scopeParam: string | undefined): ResolvedScopes {
  const grants = profile.grants.filter((g) => g.type !== 'OPENID_CONNECT');
  const resolved = scopeParam === undefined ? allGranted(profile, grants) : requested(grants, splitScope(scopeParam));
  assertSingleResource(profile, resolved.resources);
  if (resolved.resources.length === 0 && !resolved.management) {
    throw new InvalidScope('the application has no resource grants or roles to issue a token for');
  }
  return resolved;
}

function allGranted(profile: ClientProfile, grants: readonly GrantedResource[]): ResolvedScopes {
  const resources = grants.filter((g) => g.scopes.length > 0);
  // Without a scope parameter a worker gets its management-API token, as on PingOne.
  if (profile.hasRoles) return { scopes: [], resources: [], management: true };
  return { scopes: resources.flatMap((g) => g.scopes), resources, management: false };
}

function requested(grants: readonly GrantedResource[], names: string[]): ResolvedScopes {
  const resources: GrantedResource[] = [];
  for (const name of names) {
    const owners = grants.filter((g) => g.scopes.includes(name));
    if (owners.length === 0) throw new InvalidScope('a requested scope is not granted to the application');
    if (owners.length > 1) throw new InvalidScope('a requested scope is granted through several resources');
    const owner = owners[0] as GrantedResource;
    if (!resources.includes(owner)) resources.push(owner);
  }
  return { scopes: names, resources, management: false };
}

function splitScope(scope: string): string[] {
  // RFC 6749 §3.3: space-delimited, case-sensitive; each token is NQCHAR.
  const names = scope.split(' ');
  if (names.some((n) => n === '' || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(n))) {
    throw new InvalidScope('scope must be space-separated scope tokens');
  }
  if (names.length > MAX_SCOPES) throw new InvalidScope('too many scopes');
  return [...new Set(names)];
}

function assertSingleResource(profile: ClientProfile, resources: readonly GrantedResource[]): void {
  if (resources.length > 1 && !profile.client.requestScopesForMultipleResourcesEnabled) {
    throw new InvalidScope('the requested scopes belong to several resources');
  }
}
