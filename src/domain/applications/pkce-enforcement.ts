/** Whether an application's authorization requests must carry a PKCE challenge, and of which method. */
export type PkceEnforcement = 'OPTIONAL' | 'REQUIRED' | 'S256_REQUIRED';
