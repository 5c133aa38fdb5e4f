/**
 * Keyway extension (docs/decisions.md, "Client assertion audience policy"): which `aud` forms a
 * client assertion may use. Set per environment (clientAuthenticationSettings) and overridable
 * per application.
 */
export const CLIENT_ASSERTION_AUDIENCE_POLICIES = ['PINGONE_COMPATIBLE', 'ISSUER_ONLY', 'ISSUER_ONLY_STRING'] as const;
export type ClientAssertionAudiencePolicy = (typeof CLIENT_ASSERTION_AUDIENCE_POLICIES)[number];
