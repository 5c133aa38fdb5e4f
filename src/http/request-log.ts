/**
 * What the log records of a request. Clients do send credentials in query strings
 * (`client_secret`, `code`, `access_token`, `flowId`: RFC 6749 §2.3.1 forbids the first in the
 * URI, but nothing stops a client from trying), and the flow API carries its flow id, a bearer
 * secret, in the path. So a request is logged as its method and path only: no query string, no
 * headers (Authorization, cookies), no body, and the flow id of `/{envId}/flows/{flowId}` replaced
 * by a placeholder. Error messages and string messages lose any query string they quote, which
 * Fastify's own messages about a request do (the "reply already sent" warnings).
 *
 * Logging stays cheap: one line per request, written when the response is finished (method,
 * path, status, response time), serialised once; Fastify's separate "incoming request" line is
 * not written. The process hands the logger a destination that does not block the event loop
 * (src/cli/start.ts).
 */
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

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

/** Where log lines go: anything with a `write` of text (default: standard output, written synchronously). */
export interface LogStream {
  write(line: string): unknown;
}

/** The options of the server's logger at `level`, writing to `stream` when one is given. */
export function loggerOptions(level: string, stream?: LogStream): NonNullable<Exclude<FastifyServerOptions['logger'], boolean>> {
  return {
    level,
    ...(stream === undefined ? {} : { stream }),
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

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request's log line adds about its outcome (noteForLog); null when nothing. */
    logNote: Readonly<Record<string, unknown>> | null;
  }
}

/**
 * Adds `fields` (an OAuth error's code and private detail, say) to the request's one log line,
 * instead of a line of their own.
 */
export function noteForLog(request: FastifyRequest, fields: Readonly<Record<string, unknown>>): void {
  request.logNote = request.logNote === null ? fields : { ...request.logNote, ...fields };
}

/**
 * Fastify's request lines, one per request: nothing when it arrives, one line when its response
 * is finished that carries the request (method and path, as above), the status, the response
 * time and the request's notes. A route Fastify does not know is that same line with its 404.
 * Its other lines (errors of its own default handler, aborted streams) are Fastify's.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime, ...request.logNote };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** The server's `logController` option. */
export function requestLogController(): LogController {
  return new OneLinePerRequest();
}
