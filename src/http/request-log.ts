/**
 * What the log records of a request. Clients do send credentials in query strings
 * (`client_secret`, `code`, `access_token`, `flowId`: RFC 6749 §2.3.1 forbids the first in the
 * URI, but nothing stops a client from trying), and the flow API carries its flow id, a bearer
 * secret, in the path. So a request is logged as its method and path only: no query string, no
 * headers (Authorization, cookies), no body, and the flow id of `/{envId}/flows/{flowId}` replaced
 * by a placeholder. Error messages and string messages lose any query string they quote, which
 * Fastify's own messages about a request do (the "reply already sent" warnings).
 *
 * Logging stays cheap: Fastify writes its two lines per request as before, each serialised once.
 */
import type { FastifyServerOptions } from 'fastify';

/** A query string inside a message: `?` followed by anything up to whitespace or a quote. */
const QUERY_IN_TEXT = /\?[^\s"'`]+/g;
/** `/{envId}/flows/{flowId}`: the second segment after the environment is the flow id. */
const FLOW_PATH = /^(\/[^/]+\/flows\/)[^/]+/;

export interface LoggedRequest {
  [member: string]: unknown;
  method: string;
  url: string;
}

/** The request as the log shows it: method and path, without query or secrets in the path. */
export function loggedRequest(request: { method: string; url: string }): LoggedRequest {
  const query = request.url.indexOf('?');
  const path = query < 0 ? request.url : request.url.slice(0, query);
  return { method: request.method, url: path.replace(FLOW_PATH, '$1{flowId}') };
}

/** A text with every query string it quotes cut to `?[query]`. */
export function withoutQueries(text: string): string {
  return text.includes('?') ? text.replace(QUERY_IN_TEXT, '?[query]') : text;
}

export interface LoggedError {
  [member: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

/**
 * An error as the log shows it: type, message, stack, code and status, and its cause, with
 * query strings removed. Other own members are left out: they may quote the request.
 */
export function loggedError(err: Error, depth = 0): LoggedError {
  const shown: LoggedError = { type: err.constructor.name, message: withoutQueries(err.message), stack: withoutQueries(err.stack ?? '') };
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' || typeof code === 'number') shown.code = code;
  if (typeof statusCode === 'number') shown.statusCode = statusCode;
  if (err.cause instanceof Error && depth < 3) shown.cause = loggedError(err.cause, depth + 1);
  return shown;
}

/** The options of the server's logger at `level`. */
export function loggerOptions(level: string): NonNullable<Exclude<FastifyServerOptions['logger'], boolean>> {
  return {
    level,
    serializers: { req: loggedRequest, err: loggedError },
    hooks: {
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          const arg = args[i];
          if (typeof arg === 'string') args[i] = withoutQueries(arg);
        }
        method.apply(this, args);
      },
    },
  };
}
