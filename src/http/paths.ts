/**
 * Which API a request path belongs to. The management API lives under `/v1`; environment ids are
 * UUIDs, so `/{envId}/...` can never be mistaken for it (docs/decisions.md, "Runtime contract").
 */
export const isManagementPath = (url: string): boolean => url === '/v1' || url.startsWith('/v1/') || url.startsWith('/v1?');

/** Route patterns whose errors are PingOne's body: the management API and the flow API. */
export const isPingOneRoute = (route: string): boolean => isManagementPath(route) || route === '/:envId/flows/:flowId';
