/**
 * Pushed authorization requests (RFC 9126 §2). The client authenticates exactly as at the token
 * endpoint; the request is validated like /authorize (errors are answered as JSON, never
 * redirected) and kept for the application's `parTimeout`. The `request_uri` is single use and
 * bound to the client (see `authorize.ts`).
 */
import { authenticateClient, type ClientAuthDeps, type ClientAuthInput } from '../client-auth/authenticate.js';
import type { ClientProfile } from '../client-auth/ports.js';
import { InvalidRequest, ServerError } from '../errors.js';
import type { Params } from '../params.js';
import { loadClient, trustRedirect, validateRequest, type SignInClient } from './authorize-request.js';
import { REQUEST_URI_PREFIX } from './authorize.js';
import type { SignInPorts } from './ports.js';
import { hashSecret, randomSecret } from './secrets.js';

/** Client-authentication parameters are not part of the pushed request. */
const CLIENT_AUTH_PARAMS = new Set(['client_secret', 'client_assertion', 'client_assertion_type']);

export interface ParResponse {
  request_uri: string;
  expires_in: number;
}

export async function pushAuthorizationRequest(
  ports: SignInPorts,
  clientAuth: Omit<ClientAuthDeps, 'directory'>,
  input: ClientAuthInput,
): Promise<ParResponse> {
  // Validated once the client authenticated and before its assertion's jti is recorded, so a
  // refused request consumes nothing.
  let admitted: AdmittedPush | undefined;
  const admit = async (profile: ClientProfile): Promise<void> => void (admitted = await admitPush(ports, input, profile.client.id));
  await authenticateClient(input, { directory: ports.directory, ...clientAuth, admit });
  if (admitted === undefined) throw new ServerError('the pushed request reached storage without admission');
  const { client, pushed } = admitted;
  const id = randomSecret();
  const lifetime = client.settings.parTimeout;
  await ports.pars.create({
    id: hashSecret(id),
    environmentId: input.environmentId,
    applicationId: client.profile.client.id,
    params: Object.fromEntries(pushed),
    expiresAt: new Date(input.now.getTime() + lifetime * 1000),
  });
  return { request_uri: `${REQUEST_URI_PREFIX}${id}`, expires_in: lifetime };
}

interface AdmittedPush {
  client: SignInClient;
  pushed: Map<string, string>;
}

/** The pushed request of `clientId`, validated like an authorization request (RFC 9126 §2.1). */
async function admitPush(ports: SignInPorts, input: ClientAuthInput, clientId: string): Promise<AdmittedPush> {
  if (input.params.has('request_uri')) throw new InvalidRequest('request_uri must not be pushed');
  if (input.params.has('request')) throw new InvalidRequest('request objects are not supported');
  const pushed = new Map<string, string>([...input.params].filter(([name]) => !CLIENT_AUTH_PARAMS.has(name)));
  pushed.set('client_id', clientId);
  const client = await loadClient(ports, input.environmentId, clientId);
  validateRequest(client, trustRedirect(client, pushed), pushed as Params);
  return { client, pushed };
}
