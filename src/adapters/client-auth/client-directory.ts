/**
 * The protocol's ClientDirectory over the store, with a cache of client profiles. Management
 * writes call `forget` (through ../cache/local-caches.ts) so a change is seen by the next request
 * in this process.
 */
import { resourceAudience } from '../../domain/resource-audience.js';
import type { ClientPublicKey } from '../../jose/client-public-key.js';
import { parseJwkSet } from '../../jose/jwk-set.js';
import { STORED } from '../../jose/jwk-values.js';
import type { Sealer } from '../../keys/master-key.js';
import type { Client, ClientDirectory, ClientProfile, ClientSecrets, GrantedResource } from '../../protocol/client-auth/ports.js';
import type { ApplicationRecord, SecretRecord, Store } from '../../store/types.js';
import { SingleFlightCache } from '../cache/single-flight-cache.js';
import { applicationClaimMappings, resourceClaimMappings } from './claim-mappings.js';

const MAX_ENTRIES = 10_000;

export class CachedClientDirectory implements ClientDirectory {
  /** Unknown ids are cached too (as undefined), within the bound. */
  private readonly cache = new SingleFlightCache<ClientProfile | undefined>({ maxEntries: MAX_ENTRIES });

  constructor(
    private readonly store: Store,
    private readonly sealer: Sealer,
    /** The public base URL, from which the built-in resources' audiences are derived. */
    private readonly publicUrl: string,
  ) {}

  find(environmentId: string, clientId: string): Promise<ClientProfile | undefined> {
    return this.cache.get(`${environmentId}/${clientId}`, () => this.load(environmentId, clientId));
  }

  /** Drops cached profiles of one application, or of a whole environment. */
  forget(environmentId: string, applicationId?: string): void {
    if (applicationId !== undefined) this.cache.delete(`${environmentId}/${applicationId}`);
    else this.cache.deletePrefix(`${environmentId}/`);
  }

  private async load(environmentId: string, clientId: string): Promise<ClientProfile | undefined> {
    const app = await this.store.getApplication(environmentId, clientId);
    if (!app) return undefined;
    const [secret, grants, roles, claimMappings] = await Promise.all([
      this.store.getApplicationSecret(environmentId, app.id),
      this.grantedResources(environmentId, app.id),
      this.store.listRoleAssignments(environmentId, app.id),
      applicationClaimMappings(this.store, environmentId, app.id),
    ]);
    return {
      client: toClient(app),
      secrets: secret ? this.openSecrets(secret) : undefined,
      grants,
      hasRoles: roles.length > 0,
      claimMappings,
    };
  }

  private openSecrets(record: SecretRecord): ClientSecrets {
    const secrets: ClientSecrets = { current: this.sealer.open(record.secretCiphertext) };
    if (record.previous) {
      secrets.previous = { secret: this.sealer.open(record.previous.secretCiphertext), expiresAt: new Date(record.previous.expiresAt) };
    }
    return secrets;
  }

  private async grantedResources(environmentId: string, applicationId: string): Promise<GrantedResource[]> {
    const grants = await this.store.listGrants(environmentId, applicationId);
    const result: GrantedResource[] = [];
    for (const grant of grants) {
      const [resource, scopes, attributes] = await Promise.all([
        this.store.getResource(environmentId, grant.resourceId),
        this.store.getScopesByIds(environmentId, grant.scopeIds),
        resourceClaimMappings(this.store, environmentId, grant.resourceId),
      ]);
      if (!resource) continue;
      result.push({
        resourceId: resource.id,
        type: resource.type,
        audience: resourceAudience(resource, this.publicUrl),
        accessTokenValiditySeconds: resource.accessTokenValiditySeconds,
        scopes: scopes.filter((s) => s.resourceId === resource.id).map((s) => s.name),
        // The openid resource's attributes go into ID tokens and userinfo (applicationClaimMappings), not access tokens.
        attributes: resource.type === 'OPENID_CONNECT' ? [] : attributes,
      });
    }
    return result;
  }
}

function toClient(app: ApplicationRecord): Client {
  const c = app.config;
  const client: Client = {
    environmentId: app.environmentId,
    id: app.id,
    enabled: c.enabled,
    type: c.type,
    tokenEndpointAuthMethod: c.tokenEndpointAuthMethod,
    grantTypes: c.grantTypes,
    requestScopesForMultipleResourcesEnabled: c.requestScopesForMultipleResourcesEnabled,
    includeTyp: c.includeTyp === true,
  };
  if (c.tokenEndpointAuthSigningAlg !== undefined) client.tokenEndpointAuthSigningAlg = c.tokenEndpointAuthSigningAlg;
  if (c.clientAssertionAudiencePolicy !== undefined) client.clientAssertionAudiencePolicy = c.clientAssertionAudiencePolicy;
  if (c.jwksUrl !== undefined) client.jwksUrl = c.jwksUrl;
  if (c.signing !== undefined) client.signingPolicyId = c.signing.keyRotationPolicy.id;
  if (c.jwks !== undefined) client.jwks = parseStoredJwks(c.jwks);
  return client;
}

/**
 * The stored string was validated on write; it is parsed once per cache load, tolerating the
 * spellings later versions refuse at registration, so that stored keys keep verifying.
 */
function parseStoredJwks(jwks: string): ClientPublicKey[] {
  const result = parseJwkSet(jwks, 'jwks', STORED);
  return result.ok ? result.keys : [];
}
