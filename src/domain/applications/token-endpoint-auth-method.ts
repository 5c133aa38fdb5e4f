/** How an application authenticates at the token endpoint, in PingOne's spelling. */
export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'NONE',
  'CLIENT_SECRET_BASIC',
  'CLIENT_SECRET_POST',
  'PRIVATE_KEY_JWT',
  'CLIENT_SECRET_JWT',
] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];
