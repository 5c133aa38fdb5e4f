/** The kinds of PingOne resource: the OpenID Connect one, the PingOne API, and custom resources. */
export type ResourceType = 'OPENID_CONNECT' | 'PINGONE_API' | 'CUSTOM';
