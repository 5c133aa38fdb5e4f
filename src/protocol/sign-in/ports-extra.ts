/**
 * Ports the sign-in half needs beyond `ports.ts` (the agreed contract, left unchanged).
 * Implemented in src/oauth/ over the store, like the others.
 */
import type { ClientDirectory } from '../ports.js';
import type {
  FlowStore,
  GrantStore,
  ParStore,
  PasswordVerifier,
  SessionStore,
  SignInClientSettings,
} from './ports.js';

/** The sign-in settings of an application (redirect URIs, PKCE, PAR), cached with the client. */
export interface SignInClients {
  settings(environmentId: string, applicationId: string): Promise<SignInClientSettings | undefined>;
}

/** What a verified `id_token_hint` tells sign-off. */
export interface IdTokenHintClaims {
  sub: string;
  aud: readonly string[];
  azp?: string;
  sid?: string;
}

/**
 * Verifies an ID token this environment issued: signature with the environment's keys and `iss`;
 * `exp` is NOT checked (OIDC RP-Initiated Logout §2: the hint may be expired).
 * Returns undefined for anything that does not verify.
 */
export interface IdTokenHintVerifier {
  verify(environmentId: string, token: string): Promise<IdTokenHintClaims | undefined>;
}

/** Every port the sign-in protocol functions use. */
export interface SignInPorts {
  directory: ClientDirectory;
  clients: SignInClients;
  flows: FlowStore;
  sessions: SessionStore;
  grants: GrantStore;
  pars: ParStore;
  passwords: PasswordVerifier;
  /** Without it, a sign-off carrying `id_token_hint` is refused. */
  idTokenHints?: IdTokenHintVerifier;
  /** Lifetime of the `ST` session, seconds (default 8 hours). */
  sessionLifetimeSeconds?: number;
}

/** Per-request facts: the environment, its issuer and the public base of its URLs. */
export interface SignInContext {
  environmentId: string;
  /** `{publicUrl}/{envId}/as` (RFC 9207 `iss`). */
  issuer: string;
  /** `{publicUrl}/{envId}`: base of flow, resume and sign-on URLs. */
  baseUrl: string;
  now: Date;
}
