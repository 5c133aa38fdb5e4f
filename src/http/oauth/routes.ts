/**
 * Authorization-server routes under `/{envId}/as/...`: parse, call the protocol, serialise.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUuid } from '../../management/common.js';
import { discoveryDocument } from '../../protocol/discovery.js';
import { InvalidRequest } from '../../protocol/errors.js';
import { toParams } from '../../protocol/params.js';
import { DEFAULT_CLIENT_AUTH_SETTINGS } from '../../protocol/ports.js';
import { tokenEndpoint } from '../../protocol/token-endpoint.js';
import type { EnvironmentRecord } from '../../store/types.js';
import type { FormPairs } from '../body-parsers.js';
import { sendOAuthError } from '../error-mapper.js';
import type { OAuthDeps } from './deps.js';

export function oauthRoutes(app: FastifyInstance, deps: OAuthDeps): void {
  app.get('/:envId/as/.well-known/openid-configuration', async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    return reply.header('Cache-Control', 'public, max-age=300').send(discoveryDocument(deps.issuer(env.id)));
  });

  app.get('/:envId/as/jwks', async (request, reply) => {
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    const keys = await deps.keyRing.get(env.id);
    return reply
      .header('Content-Type', 'application/jwk-set+json')
      .header('Cache-Control', 'public, max-age=300')
      .send(keys?.jwks ?? { keys: [] });
  });

  app.post('/:envId/as/token', async (request, reply) => {
    const usedAuthorizationHeader = request.headers.authorization !== undefined;
    const env = await environmentOr404(deps, request, reply);
    if (!env) return reply;
    try {
      const params = toParams(formBody(request));
      const now = deps.now();
      const issuer = deps.issuer(env.id);
      const response = await tokenEndpoint(
        { directory: deps.directory, keys: deps.issuerKeys, clientAuth: deps.clientAuth },
        {
          environmentId: env.id,
          organizationId: env.organizationId,
          issuer,
          managementAudience: deps.publicUrl,
          now,
        },
        {
          environmentId: env.id,
          authorization: request.headers.authorization,
          params,
          now,
          endpoint: { issuer, tokenEndpoint: `${issuer}/token`, endpointUrl: `${issuer}/token` },
          settings: DEFAULT_CLIENT_AUTH_SETTINGS,
        },
      );
      return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(response);
    } catch (err) {
      return sendOAuthError(request, reply, err, { usedAuthorizationHeader, detailed: env.settings.detailedErrors === true });
    }
  });
}

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
