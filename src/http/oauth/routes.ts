/**
 * Authorization-server routes under `/{envId}/as/...`: parse, call the protocol, serialise.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientAssertionPolicyOf } from '../../domain/client-auth/assertion-policy.js';
import { isUuid } from '../../domain/ids.js';
import type { ClientAuthInput } from '../../protocol/client-auth/authenticate.js';
import { discoveryDocument } from '../../protocol/discovery.js';
import { InvalidRequest } from '../../protocol/errors.js';
import { introspectionEndpoint } from '../../protocol/introspection.js';
import { toParams, type Params } from '../../protocol/params.js';
import { revocationEndpoint } from '../../protocol/revocation.js';
import { tokenEndpoint } from '../../protocol/token-endpoint.js';
import { BearerError, userInfoEndpoint } from '../../protocol/userinfo.js';
import type { EnvironmentRecord } from '../../store/types.js';
import type { FormPairs } from '../body-parsers.js';
import { sendOAuthError, toOAuthError } from '../error-mapper.js';
import type { OAuthDeps } from './deps.js';
import { countTokenRequest } from './token-metrics.js';

type ClientAuthenticatedHandler = (env: EnvironmentRecord, input: ClientAuthInput, reply: FastifyReply) => Promise<FastifyReply>;

export function oauthRoutes(app: FastifyInstance, deps: OAuthDeps): void {
  app.get('/:envId/as/.well-known/openid-configuration', async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    const keys = await deps.signingKeys.get(env.id);
    return reply.header('Cache-Control', 'public, max-age=300').send(discoveryDocument(deps.issuer(env.id), keys?.algorithms ?? []));
  });

  app.get('/:envId/as/jwks', async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    const keys = await deps.signingKeys.get(env.id);
    return reply
      .header('Content-Type', 'application/jwk-set+json')
      .header('Cache-Control', 'public, max-age=300')
      .send(keys?.jwks ?? { keys: [] });
  });

  const clientAuth = { directory: deps.directory, ...deps.clientAuth };
  const verify = { keys: deps.issuerKeys, revocations: deps.revocations };

  const metrics = deps.metrics;
  const countToken: RequestObserver | undefined = metrics && ((authorization, params, error) => countTokenRequest(metrics, authorization, params, error));
  clientAuthenticated(
    app,
    deps,
    'token',
    async (env, input, reply) => {
      const issuer = deps.issuer(env.id);
      const context = { environmentId: env.id, organizationId: env.organizationId, issuer, managementAudience: deps.publicUrl, now: input.now };
      const tokenDeps = { directory: deps.directory, keys: deps.issuerKeys, clientAuth: deps.clientAuth, signIn: deps.signIn };
      const response = await tokenEndpoint(tokenDeps, context, input);
      return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(response);
    },
    countToken,
  );

  clientAuthenticated(app, deps, 'introspect', async (env, input, reply) => {
    const response = await introspectionEndpoint({ clientAuth, verify }, deps.issuer(env.id), input);
    return reply.header('Cache-Control', 'no-store').send(response);
  });

  clientAuthenticated(app, deps, 'revoke', async (env, input, reply) => {
    await revocationEndpoint({ clientAuth, verify }, deps.issuer(env.id), input);
    return reply.header('Cache-Control', 'no-store').code(200).send();
  });

  const userinfo = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    const users = deps.signIn?.users;
    if (!users) return reply.code(404).send({ error: 'not_found', error_description: 'Unknown endpoint' });
    try {
      const formAccessToken = request.method === 'POST' && Array.isArray(request.body) ? toParams(formBody(request)).get('access_token') : undefined;
      const input = { environmentId: env.id, issuer: deps.issuer(env.id), authorization: request.headers.authorization, formAccessToken, now: deps.now() };
      return reply.header('Cache-Control', 'no-store').send(await userInfoEndpoint({ verify, users, directory: deps.directory }, input));
    } catch (err) {
      if (err instanceof BearerError) void reply.header('WWW-Authenticate', err.challenge());
      return sendOAuthError(request, reply, err, { usedAuthorizationHeader: false, detailed: env.settings.detailedErrors === true });
    }
  };
  app.get('/:envId/as/userinfo', userinfo);
  app.post('/:envId/as/userinfo', userinfo);
}

/**
 * Registers `POST /{envId}/as/{path}` with what every client-authenticated endpoint shares:
 * form parsing without repeated parameters, the environment's client-authentication settings,
 * the endpoint URLs accepted as assertion audiences, and RFC 6749 error responses.
 */
function clientAuthenticated(app: FastifyInstance, deps: OAuthDeps, path: string, handle: ClientAuthenticatedHandler, observe?: RequestObserver): void {
  app.post(`/:envId/as/${path}`, async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    let params: Params | undefined;
    try {
      const issuer = deps.issuer(env.id);
      params = toParams(formBody(request));
      const input: ClientAuthInput = {
        environmentId: env.id,
        authorization: request.headers.authorization,
        params,
        now: deps.now(),
        endpoint: { issuer, tokenEndpoint: `${issuer}/token`, endpointUrl: `${issuer}/${path}` },
        settings: clientAssertionPolicyOf(env.settings),
        attempts: deps.clientAuthAttempts?.(env.id, request.ip),
      };
      const answered = await handle(env, input, reply);
      observe?.(request.headers.authorization, params, 'none');
      return answered;
    } catch (err) {
      observe?.(request.headers.authorization, params, toOAuthError(err).error);
      const usedAuthorizationHeader = request.headers.authorization !== undefined;
      return sendOAuthError(request, reply, err, { usedAuthorizationHeader, detailed: env.settings.detailedErrors === true });
    }
  });
}

/** Sees each request's outcome: its Authorization header, its parameters once parsed, and its RFC 6749 error or `none`. */
type RequestObserver = (authorization: string | undefined, params: Params | undefined, error: string) => void;

function formBody(request: FastifyRequest): FormPairs {
  if (!Array.isArray(request.body)) {
    throw new InvalidRequest('the request body must be application/x-www-form-urlencoded');
  }
  return request.body as FormPairs;
}

/** Unknown or malformed environment ids get a plain 404, as for any unknown path. */
async function environmentOr404(deps: OAuthDeps, request: FastifyRequest, reply: FastifyReply): Promise<EnvironmentRecord | undefined> {
  const envId = (request.params as { envId?: string }).envId ?? '';
  const env = isUuid(envId) ? await deps.environments.get(envId) : undefined;
  if (!env) void reply.code(404).send({ error: 'not_found', error_description: 'Unknown environment' });
  return env;
}
