/**
 * OpenID Provider / OAuth 2.0 authorization server metadata (OpenID Connect Discovery 1.0 §3,
 * RFC 8414 §2). It lists only what this server implements.
 */
import { ASSERTION_ALGORITHMS } from '../jose/algorithms.js';
import type { TokenSigningAlg } from '../jose/jwt.js';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'];
const CLIENT_AUTH_ALGS = [...ASSERTION_ALGORITHMS.PRIVATE_KEY_JWT, ...ASSERTION_ALGORITHMS.CLIENT_SECRET_JWT];

/** `signingAlgorithms`: the algorithms of the keys the environment publishes (its JWKS). */
export function discoveryDocument(issuer: string, signingAlgorithms: readonly TokenSigningAlg[]): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    pushed_authorization_request_endpoint: `${issuer}/par`,
    token_endpoint: `${issuer}/token`,
    end_session_endpoint: `${issuer}/signoff`,
    introspection_endpoint: `${issuer}/introspect`,
    revocation_endpoint: `${issuer}/revoke`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    code_challenge_methods_supported: ['plain', 'S256'],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: CLIENT_AUTH_ALGS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_signing_alg_values_supported: CLIENT_AUTH_ALGS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: CLIENT_AUTH_ALGS,
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'fragment', 'form_post', 'pi.flow'],
    authorization_response_iss_parameter_supported: true,
    require_pushed_authorization_requests: false,
    prompt_values_supported: ['login', 'none'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...signingAlgorithms],
    scopes_supported: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}
