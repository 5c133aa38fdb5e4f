/**
 * `keyway/testing`: Keyway started inside a test run, with helpers for the management API,
 * client authentication, tokens and browserless sign-in (README "Testing library").
 */
export { startKeyway, type Keyway, type KeywayAdmin } from './keyway.js';
export type { AdminPins, LogLevel, StartKeywayOptions } from './options.js';
export type { CreateEnvironmentOptions, CreateUserOptions, HttpMethod, ManagementCall, ManagementRequestOptions } from './management.js';
export type { ClientAssertionOptions, ClientAuthMethod, ClientCredentials } from './client-auth.js';
export { generateClientKey, type ClientKey, type PrivateKeyInput, type SigningAlg, type SigningClientKey } from './client-keys.js';
export type { ClientCredentialsTokenOptions, TokenResponse } from './tokens.js';
export type { SignInOptions } from './sign-in.js';
export { OAuthResponseError, PingOneApiError, SignInError, type PingOneErrorBody, type PingOneErrorDetail } from './errors.js';
