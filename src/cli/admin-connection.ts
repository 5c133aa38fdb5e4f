/**
 * How `keyway apply` and `keyway export` reach a running server: its URL and an admin worker's
 * credentials, from flags or environment variables, and a `client_credentials` token
 * (RFC 6749 §4.4, client_secret_basic per §2.3.1) from that worker's environment.
 *
 * The variables fall back to the bootstrap pins (README, "Configuration"), so the environment a
 * server was started with also drives the CLI against it.
 */
import { urlOption, UsageError, type CliIo } from './cli-io.js';

const REQUEST_TIMEOUT_MS = 60_000;

export interface AdminConnection {
  /** The server's base URL, without a trailing slash. */
  url: string;
  environmentId: string;
  clientId: string;
  clientSecret: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The flags every verb that uses the management API takes, for `parseArgs`. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  'environment-id': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
} as const;

export const CONNECTION_USAGE = `  --url URL               the server (env KEYWAY_URL, else KEYWAY_PUBLIC_URL)
  --environment-id ID     the admin worker's environment, normally Administrators
                          (env KEYWAY_ADMIN_ENVIRONMENT_ID, else KEYWAY_BOOTSTRAP_ENVIRONMENT_ID)
  --client-id ID          the admin worker (env KEYWAY_ADMIN_CLIENT_ID, else KEYWAY_BOOTSTRAP_CLIENT_ID)
  --client-secret SECRET  its secret (env KEYWAY_ADMIN_CLIENT_SECRET, else KEYWAY_BOOTSTRAP_CLIENT_SECRET);
                          prefer the variable: a flag is visible in the process list
`;

type ConnectionValues = Partial<Record<keyof typeof CONNECTION_OPTIONS, string | boolean | undefined>>;

/** The first of a flag and its variables that is set, or a usage error naming them. */
function pick(flag: string, value: unknown, env: Env, names: readonly string[]): string {
  if (typeof value === 'string' && value !== '') return value;
  for (const name of names) {
    const found = env[name];
    if (found !== undefined && found !== '') return found;
  }
  throw new UsageError(`--${flag} is required (or set ${names.join(' or ')})`);
}

export function connectionOf(values: ConnectionValues, env: Env): AdminConnection {
  const url = urlOption(pick('url', values.url, env, ['KEYWAY_URL', 'KEYWAY_PUBLIC_URL']), 'url');
  return {
    url: url.replace(/\/+$/, ''),
    environmentId: pick('environment-id', values['environment-id'], env, ['KEYWAY_ADMIN_ENVIRONMENT_ID', 'KEYWAY_BOOTSTRAP_ENVIRONMENT_ID']),
    clientId: pick('client-id', values['client-id'], env, ['KEYWAY_ADMIN_CLIENT_ID', 'KEYWAY_BOOTSTRAP_CLIENT_ID']),
    clientSecret: pick('client-secret', values['client-secret'], env, ['KEYWAY_ADMIN_CLIENT_SECRET', 'KEYWAY_BOOTSTRAP_CLIENT_SECRET']),
  };
}

export interface ApiReply {
  status: number;
  // Parsed JSON, or the text when the body is not JSON.
  body: unknown;
}

/** A request whose transport failure becomes an error naming the URL. */
async function send(io: CliIo, url: string, init: RequestInit): Promise<ApiReply> {
  let response: Response;
  try {
    response = await io.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`request to ${url} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** An access token for the admin worker, or an error with the server's own words. */
export async function adminToken(io: CliIo, connection: AdminConnection): Promise<string> {
  const url = `${connection.url}/${encodeURIComponent(connection.environmentId)}/as/token`;
  // RFC 6749 §2.3.1: the id and secret are form-urlencoded before the Basic encoding.
  const basic = Buffer.from(`${encodeURIComponent(connection.clientId)}:${encodeURIComponent(connection.clientSecret)}`).toString('base64');
  const reply = await send(io, url, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: 'grant_type=client_credentials',
  });
  const body = reply.body as { access_token?: unknown; error?: unknown; error_description?: unknown } | undefined;
  if (reply.status === 200 && typeof body?.access_token === 'string') return body.access_token;
  const why = typeof body?.error === 'string' ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : `status ${reply.status}`;
  throw new Error(`no admin token from ${url} (${why})`);
}

/** A management API call with the token. */
export function managementCall(io: CliIo, connection: AdminConnection, token: string, method: string, path: string, body?: unknown): Promise<ApiReply> {
  return send(io, `${connection.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A PingOne error body (`{code, message, details[]}`) in one line, or the status. */
export function describeFailure(reply: ApiReply): string {
  const body = reply.body as { code?: unknown; message?: unknown } | undefined;
  if (typeof body?.code === 'string') return `${reply.status} ${body.code}${typeof body.message === 'string' ? `: ${body.message}` : ''}`;
  return `status ${reply.status}`;
}
