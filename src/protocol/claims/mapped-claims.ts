/**
 * Claims computed from attribute mappings (PingOne's "Application Attribute Mapping" and
 * "Resource Attributes"): each mapping is compiled once, when the client profile is loaded (so per
 * configuration version), and evaluated once per token over the expression context
 * `{ user, context: { appConfig, requestData } }`. A profile without mappings costs nothing.
 */
import { evaluateMapping, type CompiledMapping, type JsonValue } from '../../domain/expressions/index.js';

export interface ClaimMapping {
  name: string;
  mapping: CompiledMapping;
  required: boolean;
  /** Where an application mapping appears; resource attributes go into access tokens. */
  idToken: boolean;
  userInfo: boolean;
  /** Scope names that release an application mapping; undefined: the `openid` scope. */
  scopes?: readonly string[];
  /**
   * A modified standard claim (a PREDEFINED attribute of the `openid` resource): it takes the place
   * of the built-in claim, which is left out too when the mapping has no value.
   */
  replacesStandard?: boolean;
}

/** `#root.context.appConfig` (PingOne: the application's configuration). */
export interface AppConfigData {
  envId: string;
  clientId: string;
  /** `PRIVATE_KEY_JWT`, `CLIENT_SECRET_JWT`, or null for the other methods, as PingOne documents it. */
  tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT' | 'CLIENT_SECRET_JWT' | null;
  [key: string]: JsonValue;
}

/**
 * `#root.context.requestData`: the grant type and scopes of the request, and for a
 * `PRIVATE_KEY_JWT` or `CLIENT_SECRET_JWT` client the verified client assertion: `clientAssertion` its claims,
 * `clientAssertionHeader` its header (PingOne's token fulfillment workflow, "Create a resource
 * attribute mapping").
 */
export interface RequestData {
  grantType?: string;
  scopes?: readonly string[];
  clientAssertion?: Readonly<Record<string, unknown>>;
  clientAssertionHeader?: Readonly<Record<string, unknown>>;
}

/** A mapping marked required evaluated to nothing (null, empty, or an evaluation error). */
export class RequiredClaimMissing extends Error {
  constructor(readonly claim: string) {
    super(`the required claim ${claim} has no value`);
  }
}

export function expressionRoot(user: JsonValue | undefined, appConfig: AppConfigData, request: RequestData): JsonValue {
  const requestData: { [key: string]: JsonValue } = {};
  if (request.grantType !== undefined) requestData.grantType = request.grantType;
  if (request.scopes !== undefined) requestData.scopes = [...request.scopes];
  if (request.clientAssertion !== undefined) requestData.clientAssertion = request.clientAssertion as JsonValue;
  if (request.clientAssertionHeader !== undefined) requestData.clientAssertionHeader = request.clientAssertionHeader as JsonValue;
  const root: { [key: string]: JsonValue } = { context: { appConfig, requestData } };
  if (user !== undefined) root.user = user;
  return root;
}

/**
 * The claims of `mappings` that apply, by name. `applies` picks the mappings for the token at hand
 * (ID token, userinfo, access token). A required mapping without a value throws.
 */
export function evaluateClaims(
  mappings: readonly ClaimMapping[],
  applies: (mapping: ClaimMapping) => boolean,
  root: JsonValue,
  now: Date,
  enforceRequired = true,
): Record<string, JsonValue> {
  const claims: Record<string, JsonValue> = {};
  for (const m of mappings) {
    if (!applies(m)) continue;
    const outcome = evaluateMapping(m.mapping, { root, now });
    const value = outcome.ok ? outcome.value : undefined;
    if (value === undefined || value === '') {
      if (m.required && enforceRequired) throw new RequiredClaimMissing(m.name);
      continue;
    }
    Object.defineProperty(claims, m.name, { value, enumerable: true, writable: true, configurable: true });
  }
  return claims;
}

/** The application mappings for an ID token or userinfo response with `scope` granted. */
export function releasedBy(target: 'idToken' | 'userInfo', scope: readonly string[]): (m: ClaimMapping) => boolean {
  return (m) => m[target] && (m.scopes === undefined ? scope.includes('openid') : m.scopes.some((s) => scope.includes(s)));
}
