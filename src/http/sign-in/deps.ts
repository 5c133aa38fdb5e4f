import type { SignInPorts } from '../../protocol/sign-in/ports.js';
import type { TokenEndpointDeps } from '../../protocol/token-endpoint.js';
import type { EnvironmentRecord } from '../../store/types.js';
import type { ClientAuthAttemptsOf } from '../oauth/deps.js';

/** What the sign-in routes need, built in src/app.ts (the ports plus the OAuth routes' basics). */
export interface SignInDeps extends SignInPorts {
  /** KEYWAY_PUBLIC_URL without a trailing slash; `https:` makes cookies `Secure`. */
  publicUrl: string;
  now(): Date;
  /** `{publicUrl}/{envId}/as` */
  issuer(environmentId: string): string;
  environments: { get(environmentId: string): Promise<EnvironmentRecord | undefined> };
  /** Client key source, jti replay store and diagnostics sink (PAR authenticates like /as/token). */
  clientAuth?: TokenEndpointDeps['clientAuth'];
  /** Failed client authentications of a request's source at PAR; without it nothing is limited. */
  clientAuthAttempts?: ClientAuthAttemptsOf;
}
