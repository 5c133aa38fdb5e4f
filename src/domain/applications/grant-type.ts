/** The grant types an application may be given, in PingOne's spelling. */
export const GRANT_TYPES = [
  'AUTHORIZATION_CODE',
  'IMPLICIT',
  'REFRESH_TOKEN',
  'CLIENT_CREDENTIALS',
  'DEVICE_CODE',
  'TOKEN_EXCHANGE',
  'CIBA',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
