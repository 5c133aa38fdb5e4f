/**
 * Every reason code a client-authentication failure can carry (`InvalidClient.reason`), with the
 * meaning shown to administrators. Recorded per application; never sent to the client unless the
 * environment opts in to detailed errors.
 */
export const CLIENT_AUTH_REASONS = {
  // Which method, which client
  NO_CREDENTIALS: 'The request presented no client authentication.',
  CLIENT_ID_MISSING: 'client_secret was sent without client_id.',
  CLIENT_ID_MISMATCH: 'The client_id parameter differs from the client named by the credentials.',
  CLIENT_UNKNOWN: 'No application with this client id exists in this environment.',
  CLIENT_DISABLED: 'The application is disabled.',
  METHOD_MISMATCH: "The request used another method than the application's tokenEndpointAuthMethod.",
  // Client secrets
  BASIC_MALFORMED: 'The Authorization header is not well-formed HTTP Basic credentials.',
  SECRET_MISMATCH: 'The client secret does not match.',
  // Client assertions: envelope and issuer
  ASSERTION_TYPE_INVALID: 'client_assertion_type is missing or not urn:ietf:params:oauth:client-assertion-type:jwt-bearer.',
  ASSERTION_MALFORMED: 'client_assertion is missing, too large, or not one compact JWS with a JSON header and claims.',
  ISS_MISSING: 'The assertion has no iss claim.',
  ISS_INVALID: 'The iss claim is not a string.',
  SUB_MISSING: 'The assertion has no sub claim.',
  SUB_INVALID: 'The sub claim is not a string.',
  ISS_SUB_MISMATCH: 'iss and sub differ; both must be the client id.',
  // Header
  ALG_NOT_ALLOWED: 'alg is missing, none, or not accepted for the method.',
  ALG_PIN_MISMATCH: "alg differs from the application's tokenEndpointAuthSigningAlg.",
  TYP_INVALID: 'typ names another kind of JWT.',
  CTY_UNSUPPORTED: 'The header has cty (a nested JWT or another payload); a client assertion carries its claims directly.',
  CRIT_UNSUPPORTED: 'The header has crit; no extension is supported.',
  B64_UNSUPPORTED: 'The header asks for an unencoded payload (b64).',
  KID_INVALID: 'kid is not a string of 1 to 256 characters.',
  // Keys and signature
  KID_REQUIRED: 'The application has several signing keys and the assertion names none with kid.',
  KID_UNKNOWN: "kid is not among the application's signing keys, also after a refresh.",
  KEY_ALG_MISMATCH: "The selected key's type, size, curve or registered alg does not fit alg.",
  NO_KEYS: 'The application has no key (or, for CLIENT_SECRET_JWT, no secret) to verify with.',
  JWKS_FETCH_FAILED: "The application's jwksUrl could not be fetched and no copy is cached.",
  SIGNATURE_INVALID: 'The signature does not verify with the selected key or secret.',
  // Claims
  EXP_MISSING: 'The assertion has no exp claim.',
  EXP_INVALID: 'exp is not a number.',
  EXPIRED: 'exp is in the past (beyond the clock tolerance).',
  LIFETIME_TOO_LONG: 'exp is further ahead than the maximum assertion lifetime.',
  NBF_INVALID: 'nbf is not a number.',
  NBF_IN_FUTURE: 'nbf is in the future (beyond the clock tolerance).',
  IAT_INVALID: 'iat is not a number.',
  IAT_IN_FUTURE: 'iat is in the future (beyond the clock tolerance).',
  IAT_TOO_OLD: 'iat is older than the maximum assertion lifetime.',
  AUD_MISSING: 'The assertion has no aud claim.',
  AUD_INVALID: 'aud is not a string or a non-empty array of at most 10 strings.',
  AUD_MISMATCH: 'aud names something else than this server, or a form the audience policy refuses.',
  JTI_MISSING: 'The assertion has no jti claim.',
  JTI_INVALID: 'jti is not a string of 1 to 256 characters.',
  REPLAYED: 'This jti was already used by the application.',
  // Rate limit (recorded once per window, with the source address in the detail)
  RATE_LIMITED: "Failed authentications as the application from one source address reached the limit; that source's requests as the application are refused until the window ends.",
} as const;

export type ClientAuthReason = keyof typeof CLIENT_AUTH_REASONS;
