/** OIDC applications: body parsing (create / replace) and response serialisation. */
export { parseApplicationBody, type ParseMode } from './validate.js';
export { applicationLinks, toApplicationResponse } from './serialize.js';
export { TYPE_DEFAULTS, SCALAR_DEFAULTS, REFRESH_TOKEN_DEFAULTS, LIMITS } from './defaults.js';
export { CLIENT_SECRET_JWT_ALGS, PRIVATE_KEY_JWT_ALGS, keyVerifies } from './client-auth.js';
export { WILDCARD_NOT_ALLOWED } from './redirect-uris.js';
