/** Whether an application's authorization requests must carry a PKCE challenge, and of which method. */
export const PKCE_ENFORCEMENTS = ['OPTIONAL', 'REQUIRED', 'S256_REQUIRED'] as const;
export type PkceEnforcement = (typeof PKCE_ENFORCEMENTS)[number];
