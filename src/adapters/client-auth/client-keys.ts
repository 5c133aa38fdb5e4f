/**
 * The protocol's ClientKeySource: an application's keys from its inline `jwks`, its uploaded
 * certificates valid now, and the set published at its `jwksUrl` (through `RemoteJwks`).
 * Key material is converted to KeyObjects once and cached, so a token request whose keys are
 * cached does no I/O and no key parsing.
 */
import type { ClientPublicKey } from '../../jose/client-public-key.js';
import type { Client, ClientKeySource, VerificationKey } from '../../protocol/client-auth/ports.js';
import { InvalidClient } from '../../protocol/errors.js';
import { SingleFlightCache } from '../cache/single-flight-cache.js';
import { RemoteJwks } from '../jwks-url/remote-jwks.js';
import { mayVerify, toVerificationKey } from './verification-key.js';

/** An uploaded certificate as the key source needs it (its public key and validity window). */
export interface ClientCertificate {
  /** Record id; used as the key's `kid`. */
  id: string;
  publicJwk: Readonly<Record<string, unknown>>;
  notBefore: Date | string;
  notAfter: Date | string;
}

export type CertificateLoader = (environmentId: string, applicationId: string) => Promise<readonly ClientCertificate[]>;

export interface ClientKeysOptions {
  /** Cache of `jwksUrl` sets (default: a `RemoteJwks` with default options). */
  remote?: RemoteJwks;
  /** Loads an application's uploaded certificates (default: none). */
  certificates?: CertificateLoader;
  /** Applications whose certificates are kept (default 10,000); the cache is cleared beyond. */
  maxCachedApplications?: number;
}

interface CertificateKey {
  notBefore: number;
  notAfter: number;
  key: VerificationKey;
}

const DEFAULT_MAX_CACHED_APPLICATIONS = 10_000;
const noCertificates: CertificateLoader = () => Promise.resolve([]);

export class ClientKeys implements ClientKeySource {
  /** The `jwksUrl` cache, for the admin endpoints (`snapshot`, `refresh`). */
  readonly remote: RemoteJwks;
  private readonly loadCertificates: CertificateLoader;
  /** Keyed by the parsed `jwks` array: a reloaded profile brings a new array, hence new keys. */
  private readonly inlineKeys = new WeakMap<readonly ClientPublicKey[], readonly VerificationKey[]>();
  private readonly certificateKeys: SingleFlightCache<readonly CertificateKey[]>;

  constructor(options: ClientKeysOptions = {}) {
    this.remote = options.remote ?? new RemoteJwks();
    this.loadCertificates = options.certificates ?? noCertificates;
    // A store failure is not cached: the next request tries again.
    this.certificateKeys = new SingleFlightCache({ maxEntries: options.maxCachedApplications ?? DEFAULT_MAX_CACHED_APPLICATIONS });
  }

  async keysFor(client: Client, opts: { now: Date; refreshForKid?: string }): Promise<readonly VerificationKey[]> {
    const local = [...this.inline(client), ...(await this.certificates(client, opts.now))];
    const jwksUrl = client.jwksUrl;
    if (jwksUrl === undefined) return local;
    const kid = opts.refreshForKid;
    const kidIsLocal = kid !== undefined && local.some((k) => k.kid === kid);
    try {
      const remote = await this.remote.keys({ environmentId: client.environmentId, id: client.id, jwksUrl }, kidIsLocal ? {} : { refreshForKid: kid });
      return local.length === 0 ? remote : [...local, ...remote];
    } catch (err) {
      // Other keys still serve, unless the assertion names a kid only the remote set could hold.
      if (err instanceof InvalidClient && local.length > 0 && (kid === undefined || kidIsLocal)) return local;
      throw err;
    }
  }

  /** Drops cached keys of one application (changed, deleted, certificate added or removed) or of an environment. */
  forget(environmentId: string, applicationId?: string): void {
    this.remote.forget(environmentId, applicationId);
    if (applicationId !== undefined) this.certificateKeys.delete(cacheKey(environmentId, applicationId));
    else this.certificateKeys.deletePrefix(cacheKey(environmentId, ''));
  }

  private inline(client: Client): readonly VerificationKey[] {
    const jwks = client.jwks;
    if (jwks === undefined || jwks.length === 0) return [];
    let keys = this.inlineKeys.get(jwks);
    if (!keys) {
      // Validated at registration; a key Node cannot import could never verify, so it is left out.
      keys = jwks.filter((k) => mayVerify(k.jwk)).flatMap((k) => convert(() => toVerificationKey(k.jwk, 'jwks')));
      this.inlineKeys.set(jwks, keys);
    }
    return keys;
  }

  /** Certificates with notBefore <= now < notAfter. */
  private async certificates(client: Client, now: Date): Promise<VerificationKey[]> {
    const all = await this.cachedCertificates(client.environmentId, client.id);
    const t = now.getTime();
    return all.filter((c) => c.notBefore <= t && t < c.notAfter).map((c) => c.key);
  }

  private cachedCertificates(environmentId: string, applicationId: string): Promise<readonly CertificateKey[]> {
    return this.certificateKeys.get(cacheKey(environmentId, applicationId), async () =>
      (await this.loadCertificates(environmentId, applicationId)).flatMap(toCertificateKey),
    );
  }

}

function toCertificateKey(record: ClientCertificate): CertificateKey[] {
  const notBefore = new Date(record.notBefore).getTime();
  const notAfter = new Date(record.notAfter).getTime();
  // An unreadable validity window never makes a certificate valid.
  if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) return [];
  return convert(() => toVerificationKey(record.publicJwk, 'certificate', record.id)).map((key) => ({ notBefore, notAfter, key }));
}

function convert(make: () => VerificationKey): VerificationKey[] {
  try {
    return [make()];
  } catch {
    return [];
  }
}

function cacheKey(environmentId: string, applicationId: string): string {
  return `${environmentId}/${applicationId}`;
}
