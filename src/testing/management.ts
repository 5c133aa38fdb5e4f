/**
 * Calls of PingOne's management API (`{{apiPath}}/environments/...`) with the admin token, and
 * the two set-ups nearly every test needs: an environment and a user with a password.
 */
import { randomBytes } from 'node:crypto';
import { PingOneApiError } from './errors.js';
import { send } from './http.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ManagementRequestOptions {
  /** Default `application/json` when there is a body (some operations name their own, e.g. the password set). */
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * A management API call: `path` under `/v1` (`/environments/{id}/users`; a leading `/v1` is
 * accepted too). Resolves with the parsed JSON body (undefined for 204); rejects with a
 * PingOneApiError carrying PingOne's error for any status of 300 or more.
 */
export type ManagementCall = <T = any>(method: HttpMethod, path: string, body?: unknown, options?: ManagementRequestOptions) => Promise<T>;

export function managementCaller(managementUrl: string, token: () => Promise<string>): ManagementCall {
  return async <T>(method: HttpMethod, path: string, body?: unknown, options: ManagementRequestOptions = {}): Promise<T> => {
    const url = `${managementUrl}${underV1(path)}`;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, authorization: `Bearer ${await token()}` };
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const answer = await send(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (answer.status >= 300) throw new PingOneApiError(method, url, answer.status, answer.body);
    return answer.body as T;
  };
}

function underV1(path: string): string {
  const absolute = path.startsWith('/') ? path : `/${path}`;
  return absolute === '/v1' || absolute.startsWith('/v1/') ? absolute.slice('/v1'.length) : absolute;
}

export interface CreateEnvironmentOptions {
  /** Default: `Test` and a random suffix (names are unique in an organization). */
  name?: string;
  /** Default SANDBOX. */
  type?: 'SANDBOX' | 'PRODUCTION';
  /** More attributes of the environment (`description`, …). */
  attributes?: Record<string, unknown>;
}

/** `POST /environments` with the organization's license, as PingOne requires (`license.id`). */
export function createEnvironment(call: ManagementCall, licenseId: string, options: CreateEnvironmentOptions = {}): Promise<any> {
  return call('POST', '/environments', {
    name: options.name ?? `Test ${randomBytes(4).toString('hex')}`,
    region: 'NA',
    type: options.type ?? 'SANDBOX',
    ...options.attributes,
    license: { id: licenseId },
  });
}

export interface CreateUserOptions {
  envId: string;
  username: string;
  /** Set with PingOne's password set operation (not to be changed at sign-in). */
  password?: string;
  /** Default `{username}@example.com` (the user schema requires an email unless changed; RFC 2606 reserves example.com). */
  email?: string;
  /** More attributes of the user (`name`, `population`, custom attributes, …). */
  attributes?: Record<string, unknown>;
}

/** `POST /environments/{envId}/users`, then the password, when given. */
export async function createUser(call: ManagementCall, options: CreateUserOptions): Promise<any> {
  const users = `/environments/${options.envId}/users`;
  const user = await call('POST', users, { ...options.attributes, username: options.username, email: options.email ?? `${options.username}@example.com` });
  if (options.password !== undefined) {
    await call('PUT', `${users}/${user.id}/password`, { value: options.password, forceChange: false }, { contentType: 'application/vnd.pingidentity.password.set+json' });
  }
  return user;
}
