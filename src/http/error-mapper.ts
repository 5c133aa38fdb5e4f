/**
 * The two error mappers: PingOne's `{id, code, message, details[]}` for the management API and
 * the flow API, and RFC 6749 `{error, error_description}` for the authorization server. Anything
 * that is not a known error becomes a generic 500 without internals; a store that does not
 * answer becomes 503 with `Retry-After` in either shape, and a rate limit 429 with its own.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { newId } from '../domain/ids.js';
import {
  InvalidRequestError,
  PingOneError,
  RequestLimitedError,
  RequestTooLargeError,
  ServiceUnavailableError,
  UnexpectedError,
  UnsupportedMediaTypeError,
} from '../domain/pingone-error.js';
import { ClientAuthLimited, InvalidRequest, OAuthError, RequestBodyTooLarge, ServerError, TemporarilyUnavailable } from '../protocol/errors.js';
import { StoreUnavailable } from '../store/types.js';
import { ServerClosing } from './draining.js';
import { noteForLog } from './request-log.js';

/** Seconds a client is asked to wait after a 503. */
export const RETRY_AFTER_SECONDS = '5';

/** An error Fastify raised itself (content-type parsers, body limit, malformed request). */
export interface FastifyErrorLike {
  code?: string;
  statusCode?: number;
  message: string;
}

/** How one PingOne API words Fastify's own errors; undefined leaves the error unexpected (500). */
export type FastifyErrorWording = (err: FastifyErrorLike) => PingOneError | undefined;

/** The management API's wording of Fastify's errors. */
export const managementFastifyErrors: FastifyErrorWording = (err) => {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError('The request Content-Type is not supported. Use application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new RequestTooLargeError('The request body is larger than the 1 MiB limit.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new InvalidRequestError('The request body is empty or malformed.');
    default:
      if (err.statusCode === 400) return new InvalidRequestError('The request is malformed.');
      return undefined;
  }
};

export function toPingOneError(err: unknown, fastifyErrors: FastifyErrorWording = managementFastifyErrors): PingOneError {
  if (err instanceof PingOneError) return err;
  if (err instanceof StoreUnavailable || err instanceof ServerClosing) return new ServiceUnavailableError();
  if (err && typeof err === 'object' && 'message' in err) {
    const mapped = fastifyErrors(err as FastifyErrorLike);
    if (mapped) return mapped;
  }
  return new UnexpectedError();
}

/** Answers with PingOne's error body; `fastifyErrors` is the API's wording of Fastify's own errors. */
export function sendPingOneError(
  request: FastifyRequest,
  reply: FastifyReply,
  err: unknown,
  fastifyErrors: FastifyErrorWording = managementFastifyErrors,
): FastifyReply {
  const mapped = toPingOneError(err, fastifyErrors);
  const id = newId();
  if (mapped instanceof UnexpectedError) request.log.error({ err, errorId: id }, 'unexpected error');
  const body: Record<string, unknown> = { id, code: mapped.code, message: mapped.message };
  if (mapped.details.length > 0) body.details = mapped.details;
  if (mapped instanceof ServiceUnavailableError) void reply.header('Retry-After', RETRY_AFTER_SECONDS);
  if (mapped instanceof RequestLimitedError) void reply.header('Retry-After', String(mapped.retryAfterSeconds));
  if (mapped.status === 401) void reply.header('WWW-Authenticate', bearerChallenge(request.headers.authorization));
  return reply.code(mapped.status).header('Cache-Control', 'no-store').send(body);
}

/**
 * The management API's RFC 6750 §3 challenge. A request that sent no Bearer credentials (no
 * Authorization header, or another scheme) lacked authentication, so the challenge carries no error
 * code (§3.1); a Bearer token that was refused, whatever the reason, is `invalid_token`. The
 * description is one fixed text, so the header tells a caller nothing about why its token failed
 * (PingOne's body and its details say no more either).
 */
export function bearerChallenge(authorization: string | undefined): string {
  const sentBearer = authorization !== undefined && /^bearer(\s|$)/i.test(authorization.trim());
  if (!sentBearer) return 'Bearer';
  return 'Bearer error="invalid_token", error_description="The access token is invalid or expired"';
}

export function toOAuthError(err: unknown): OAuthError {
  if (err instanceof OAuthError) return err;
  if (err instanceof StoreUnavailable) return new TemporarilyUnavailable('store unavailable');
  if (err instanceof ServerClosing) return new TemporarilyUnavailable('the server is shutting down');
  if (err && typeof err === 'object' && 'code' in err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return new InvalidRequest('the request body must be application/x-www-form-urlencoded');
    }
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new RequestBodyTooLarge('the request body is too large');
  }
  return new ServerError();
}

export interface OAuthErrorOptions {
  /** RFC 6749 §5.2: a 401 goes with WWW-Authenticate naming the scheme the client used. */
  usedAuthorizationHeader: boolean;
  /** Environment opted in to detailed errors (local development). */
  detailed: boolean;
}

export function sendOAuthError(request: FastifyRequest, reply: FastifyReply, err: unknown, opts: OAuthErrorOptions): FastifyReply {
  const mapped = toOAuthError(err);
  if (mapped instanceof ServerError) request.log.error({ err }, 'unexpected error');
  else noteForLog(request, { error: mapped.error, detail: mapped.detail });
  const body: Record<string, string> = { error: mapped.error };
  const description = mapped.publicDescription(opts.detailed);
  if (description) body.error_description = description;
  if (mapped.status === 401 && opts.usedAuthorizationHeader) void reply.header('WWW-Authenticate', 'Basic realm="token"');
  if (mapped instanceof TemporarilyUnavailable) void reply.header('Retry-After', retryAfterOf(mapped));
  return reply.code(mapped.status).header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(body);
}

/** Seconds a client is asked to wait: the limit's own for a 429, otherwise the 503 default. */
function retryAfterOf(error: TemporarilyUnavailable): string {
  return error instanceof ClientAuthLimited ? String(error.retryAfterSeconds) : RETRY_AFTER_SECONDS;
}
