/**
 * The Fastify instance: parsers, the two error mappers, authentication of /v1, and routes.
 * The only module (with its siblings in src/http/) that knows Fastify.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { inCidrs, type Cidr } from '../config/ip-address.js';
import { MethodNotAllowedError, NotFoundError, NotImplementedError } from '../domain/pingone-error.js';
import { MethodNotAllowed } from '../protocol/errors.js';
import type { AuthenticateDeps } from '../management/authenticate.js';
import type { ManagementDeps } from '../management/context.js';
import { registerBodyParsers } from './body-parsers.js';
import { corsRoutes } from './cors.js';
import type { Metrics } from '../adapters/metrics/metrics.js';
import { closeConnectionsWhenDraining } from './draining.js';
import { sendOAuthError, sendPingOneError } from './error-mapper.js';
import { healthRoutes, type HealthDeps } from './health.js';
import { authenticateRequest, type ManagementAuthAttempts } from './management/authenticate.js';
import { pingOneOperationOf } from './management/not-implemented.js';
import { managementRoutes } from './management/routes.js';
import { requestMetrics } from './metrics.js';
import { apiDescription } from './openapi/routes.js';
import { collectRoutes } from './method-not-allowed.js';
import type { OAuthDeps } from './oauth/deps.js';
import { oauthRoutes } from './oauth/routes.js';
import { isManagementPath, isPingOneRoute } from './paths.js';
import { loggerOptions, requestLogController, type LogStream } from './request-log.js';
import type { SignInDeps } from './sign-in/deps.js';
import { signInRoutes } from './sign-in/routes.js';

export interface ServerOptions {
  logLevel: string;
  /** Where the log goes; standard output (synchronous writes) without it. */
  logStream?: LogStream;
  bodyLimit: number;
  /** The longest a client may take to send one whole request (headers and body); then 408. */
  requestTimeoutMs: number;
  management: ManagementDeps;
  authenticate: AuthenticateDeps;
  /** Failed management API tokens per source address; without it nothing is limited. */
  managementAuthAttempts?: ManagementAuthAttempts;
  oauth: OAuthDeps;
  /** User sign-in: authorize, flows, hosted sign-on, resume, PAR, sign-off. */
  signIn: SignInDeps;
  /** Readiness: the store answers, and on PostgreSQL the change feed listens (./health.ts). */
  health: HealthDeps;
  /** Request durations are observed into it; `/metrics` is served here unless `metricsElsewhere`. */
  metrics?: Metrics;
  /** `/metrics` is served on a port of its own (KEYWAY_METRICS_PORT), not on this server. */
  metricsElsewhere?: boolean;
  /** PEM certificate (chain) and key: serve HTTPS on the same port instead of HTTP. */
  https?: { cert: string; key: string };
  /** Proxies whose `X-Forwarded-For` names a request's source address (`request.ip`); none by default. */
  trustedProxies?: readonly Cidr[];
}

/**
 * node:http's own bounds for a request's arrival, which Fastify leaves off (its `requestTimeout`
 * defaults to none): the headers within the request timeout too, and connections checked often
 * enough that a trickling client is cut close to the bound, not up to 30 s (Node's default
 * interval) after it.
 */
export function requestTimeouts(requestTimeoutMs: number): { headersTimeout: number; connectionsCheckingInterval: number } {
  return { headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(requestTimeoutMs / 4))) };
}

export function buildServer(opts: ServerOptions): FastifyInstance {
  const timeouts = requestTimeouts(opts.requestTimeoutMs);
  const options = {
    logger: loggerOptions(opts.logLevel, opts.logStream),
    logController: requestLogController(),
    bodyLimit: opts.bodyLimit,
    requestTimeout: opts.requestTimeoutMs,
    http: timeouts,
    // Requests that arrive while closing get each API's own 503 (draining.ts), not Fastify's body.
    return503OnClosing: false,
    ...trustProxyOption(opts.trustedProxies ?? []),
  };
  // Routes and hooks see no difference between the two: an HTTPS instance is typed over
  // https.Server, whose requests and replies are those of node:http.
  const app = (opts.https ? Fastify({ ...options, https: { ...opts.https, ...timeouts } }) : Fastify(options)) as unknown as FastifyInstance;
  registerBodyParsers(app);
  closeConnectionsWhenDraining(app);
  app.decorateRequest('actor', null);
  app.decorateRequest('logNote', null);

  app.setErrorHandler((err, request, reply) => {
    if (isManagementPath(request.url)) return sendPingOneError(request, reply, err);
    return sendOAuthError(request, reply, err, { usedAuthorizationHeader: false, detailed: false });
  });
  app.setNotFoundHandler((request, reply) => {
    if (isManagementPath(request.url)) return sendPingOneError(request, reply, unservedOperation(request) ?? new NotFoundError('The requested resource was not found.'));
    return reply.code(404).send({ error: 'not_found', error_description: 'Unknown path' });
  });

  const registerMethodNotAllowed = collectRoutes(app, (request, reply, route) =>
    isPingOneRoute(route)
      ? sendPingOneError(request, reply, unservedOperation(request) ?? new MethodNotAllowedError())
      : sendOAuthError(request, reply, new MethodNotAllowed(), { usedAuthorizationHeader: false, detailed: false }),
  );

  // A callback hook, not an async one: every request passes it, and those outside the
  // management API (the token endpoint's) go on at once, without a promise and its microtask.
  app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    if (!isManagementPath(request.url)) return done();
    authenticateRequest(opts.authenticate, opts.managementAuthAttempts, request).then(
      (actor) => {
        request.actor = actor;
        done();
      },
      (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
    );
  });

  const describeApi = apiDescription(app);
  if (opts.metrics) requestMetrics(app, opts.metrics, opts.metricsElsewhere !== true);
  healthRoutes(app, opts.health);
  corsRoutes(app, opts.signIn);
  managementRoutes(app, opts.management);
  oauthRoutes(app, opts.oauth);
  signInRoutes(app, opts.signIn);
  describeApi();
  registerMethodNotAllowed();
  return app;
}

/**
 * Fastify's `trustProxy` as a test of each address on the way back from the peer: a request's
 * source (`request.ip`, which the failed-authentication limits count) is the nearest address in
 * `X-Forwarded-For` that is not a trusted proxy. Without trusted proxies the header is ignored,
 * so a client cannot name its own source.
 */
function trustProxyOption(trusted: readonly Cidr[]): { trustProxy?: (address: string) => boolean } {
  return trusted.length === 0 ? {} : { trustProxy: (address: string) => inCidrs(address, trusted) };
}

/** A PingOne operation that no route serves: 501 rather than 404 or 405 (src/http/management/not-implemented.ts). */
function unservedOperation(request: FastifyRequest): NotImplementedError | undefined {
  if (!isManagementPath(request.url)) return undefined;
  const operation = pingOneOperationOf(request.method, request.url);
  return operation === undefined ? undefined : new NotImplementedError(operation);
}
