/** The authorization-endpoint response types an application may use, in PingOne's spelling. */
export const RESPONSE_TYPES = ['TOKEN', 'ID_TOKEN', 'CODE'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];
