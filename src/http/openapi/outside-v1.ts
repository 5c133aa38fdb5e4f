/**
 * The description of every route outside `/v1`, which PingOne's management API description does
 * not cover: PingOne's authorization server and sign-on (per environment, as PingOne's Auth API
 * serves them) and Keyway's own probes and pages. `./routes.ts` describes every registered route
 * from this table and refuses to start when a route has no entry, so that the document stays
 * exactly what the server serves.
 */
import type { KeywayDescribedOperation } from './document.js';

type Entry = Omit<KeywayDescribedOperation, 'method' | 'path'>;

const AS = 'Authorization server';
const SIGN_ON = 'Sign-on';

const pingOne = (summary: string, ok: string, tag = AS): Entry => ({ summary, ok, tag, extension: false });
const own = (summary: string, ok: string): Entry => ({ summary, ok, tag: 'Keyway', extension: true });

/** Keyed by `METHOD route` in Fastify's syntax (`:param`), as the routes are registered. */
export const OUTSIDE_V1: Readonly<Record<string, Entry>> = {
  'GET /health/live': own('Liveness: the process serves requests.', '{"status":"ok"}'),
  'GET /health/ready': own('Readiness: the store answers; on PostgreSQL the change feed listens. 503 otherwise.', '{"status":"ok","checks":{…}}'),
  'GET /healthz': own('Readiness, under its earlier name.', '{"status":"ok","checks":{…}}'),
  'GET /metrics': own('Prometheus metrics (text format 0.0.4).', 'The metrics.'),
  'GET /keyway/openapi.json': own('This description (OpenAPI 3).', 'The OpenAPI document.'),
  'GET /keyway/reference': own('The reference page generated from this description.', 'HTML.'),

  'GET /:envId/as/.well-known/openid-configuration': pingOne('OpenID Provider metadata (OpenID Connect Discovery 1.0 §4).', 'The metadata document.'),
  'GET /:envId/as/jwks': pingOne("The environment's token signing keys (RFC 7517 JWK Set).", 'The JWK Set.'),
  'GET /:envId/as/authorize': pingOne('Authorization request (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1), also from a pushed request_uri (RFC 9126).', 'A redirect to the client or the sign-on page; with response_mode=pi.flow, the flow (JSON).'),
  'POST /:envId/as/authorize': pingOne('Authorization request sent as a form (OpenID Connect Core §3.1.2.1).', 'As GET.'),
  'POST /:envId/as/par': pingOne('Pushed authorization request (RFC 9126 §2); client authentication as at the token endpoint.', '201 with request_uri and expires_in.'),
  'GET /:envId/as/resume': pingOne('Resumes an authorization request once its sign-on flow completed (PingOne flow API).', 'A redirect to the client.'),
  'POST /:envId/as/token': pingOne('Token request (RFC 6749 §3.2): authorization_code, refresh_token, client_credentials; client authentication by secret, client assertion (RFC 7523) or none.', 'The token response (RFC 6749 §5.1); errors as RFC 6749 §5.2.'),
  'POST /:envId/as/introspect': pingOne('Token introspection (RFC 7662 §2).', 'The introspection response (RFC 7662 §2.2).'),
  'POST /:envId/as/revoke': pingOne('Token revocation (RFC 7009 §2.1).', '200 with an empty body.'),
  'GET /:envId/as/userinfo': pingOne('UserInfo with a Bearer access token (OpenID Connect Core §5.3, RFC 6750).', 'The user\'s claims.'),
  'POST /:envId/as/userinfo': pingOne('UserInfo, the access token in the header or the form (RFC 6750 §2).', 'The user\'s claims.'),
  'GET /:envId/as/signoff': pingOne('RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2).', 'A redirect to post_logout_redirect_uri, or a page.'),
  'POST /:envId/as/signoff': pingOne('RP-initiated logout sent as a form.', 'As GET.'),
  'GET /:envId/flows/:flowId': pingOne("A sign-on flow's state (PingOne flow API).", 'The flow (JSON).', SIGN_ON),
  'POST /:envId/flows/:flowId': pingOne('An action of a sign-on flow, such as usernamePassword.check (PingOne flow API).', 'The flow (JSON).', SIGN_ON),
  'GET /:envId/signon/': pingOne('The hosted sign-on page of a flow.', 'HTML.', SIGN_ON),
  'POST /:envId/signon/': pingOne('The hosted sign-on page\'s form.', 'HTML, or a redirect to resume.', SIGN_ON),
};
