import type { Metrics } from '../../adapters/metrics/metrics.js';
import type { SigningKeySource } from '../../keys/signing-keys.js';
import type { ClientAuthAttempts, ClientDirectory } from '../../protocol/client-auth/ports.js';
import type { TokenEndpointDeps } from '../../protocol/token-endpoint.js';
import type { IssuerKeys, TokenRevocations } from '../../protocol/tokens/ports.js';
import type { EnvironmentRecord } from '../../store/types.js';

/** What the authorization-server routes need, built in src/app.ts. */
export interface OAuthDeps {
  publicUrl: string;
  now(): Date;
  issuer(environmentId: string): string;
  directory: ClientDirectory;
  issuerKeys: IssuerKeys;
  /** The environments' signing keys (the JWK Set document). */
  signingKeys: SigningKeySource;
  /** Cached environment lookups (the token endpoint must not read the environment row each time). */
  environments: { get(environmentId: string): Promise<EnvironmentRecord | undefined> };
  /** Client key source, jti replay store and diagnostics sink for client assertions. */
  clientAuth?: TokenEndpointDeps['clientAuth'];
  revocations: TokenRevocations;
  /** Failed client authentications of a request's source (token, introspect, revoke); without it nothing is limited. */
  clientAuthAttempts?: ClientAuthAttemptsOf;
  /** Code and refresh-token grants, userinfo; without them those grants are unsupported and userinfo answers 404. */
  signIn?: TokenEndpointDeps['signIn'];
  /** Counts token requests by grant type, client authentication method and error code. */
  metrics?: Metrics;
}

/** The failed-authentication count of one request, from the peer address `address` to one environment. */
export type ClientAuthAttemptsOf = (environmentId: string, address: string) => ClientAuthAttempts;
