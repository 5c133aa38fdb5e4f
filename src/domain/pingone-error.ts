/**
 * PingOne's API errors, answered as `{id, code, message, details[]}` by the management API (`/v1`)
 * and the flow API (`/{envId}/flows/{flowId}`). One class per top-level wire code; a subclass of
 * one may change only the HTTP status (415 and 413 are `INVALID_REQUEST`, as PingOne answers
 * them). `src/http/error-mapper.ts` is the only serialiser.
 *
 * Both the management and the protocol layer import this module, so it imports nothing else
 * from src/.
 */

/** Codes PingOne uses inside `details[]`. */
export type DetailCode =
  | 'REQUIRED_VALUE'
  | 'INVALID_VALUE'
  | 'OUT_OF_RANGE'
  | 'CONSTRAINT_VIOLATION'
  | 'UNIQUENESS_VIOLATION'
  | 'SIZE_LIMIT_EXCEEDED'
  | 'INVALID_PARAMETER'
  | 'INVALID_FILTER'
  | 'EMPTY_VALUE'
  | 'INVALID_TOKEN'
  | 'INSUFFICIENT_PERMISSIONS'
  | 'LIMIT_EXCEEDED'
  | 'QUOTA_EXCEEDED';

export interface InnerError {
  rangeMinimumValue?: number;
  rangeMaximumValue?: number;
  allowedValues?: readonly string[];
  allowedPattern?: string;
  maximumValue?: number;
  existingId?: string;
  /** 429: when the client may try again, an ISO 8601 instant (docs/pingone-reference.md §3.2). */
  retryAfter?: string;
  /** 429: the limit that was reached. */
  quotaLimit?: number;
}

export interface ErrorDetail {
  code: DetailCode;
  /** JSON property name (dotted for nested fields, `jwks.keys[1]` style for key material). */
  target?: string;
  message: string;
  innerError?: InnerError;
}

export abstract class PingOneError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details: ErrorDetail[];
  constructor(message: string, details: ErrorDetail[] = []) {
    super(message);
    this.details = details;
  }
}

const INVALID_DATA_MESSAGE = 'The request could not be completed. One or more validation errors were in the request.';

export class InvalidDataError extends PingOneError {
  readonly status = 400;
  readonly code = 'INVALID_DATA';
  constructor(details: ErrorDetail[], message = INVALID_DATA_MESSAGE) {
    super(message, details);
  }
}

export class InvalidRequestError extends PingOneError {
  readonly status: number = 400;
  readonly code = 'INVALID_REQUEST';
}

/** 415: PingOne answers unsupported media types with `INVALID_REQUEST`. */
export class UnsupportedMediaTypeError extends InvalidRequestError {
  override readonly status = 415;
}

/**
 * 405: a method the resource does not take. PingOne declares 405 on its operations
 * (docs/pingone-reference.md §2.4) with its error body, described as "Invalid request received"
 * in its OpenAPI description (test/fixtures/pingone), so the code is `INVALID_REQUEST`.
 */
export class MethodNotAllowedError extends InvalidRequestError {
  override readonly status = 405;
  constructor() {
    super('The request method is not supported for this resource.');
  }
}

/** 413: body larger than the documented limit (Keyway documents the limit in the README). */
export class RequestTooLargeError extends InvalidRequestError {
  override readonly status = 413;
}

export class AccessFailedError extends PingOneError {
  readonly code = 'ACCESS_FAILED';
  readonly status: 401 | 403;
  constructor(status: 401 | 403, detail: ErrorDetail) {
    super('The request could not be completed. You do not have access to this resource.', [detail]);
    this.status = status;
  }
}

export class NotFoundError extends PingOneError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
  constructor(message = 'The requested resource was not found.') {
    super(message);
  }
}

/** The request is well formed but the resource is not in a state that allows it (flow API). */
export class RequestFailedError extends PingOneError {
  readonly status = 400;
  readonly code = 'REQUEST_FAILED';
}

/** Keyway extension: optimistic concurrency through `If-Match` (see README). */
export class PreconditionFailedError extends PingOneError {
  readonly status = 412;
  readonly code = 'PRECONDITION_FAILED';
  constructor() {
    super('The resource was changed since the version named in If-Match. Read it again and retry.');
  }
}

/**
 * 429: the caller's address failed authentication too often (docs/decisions.md, "Failed
 * authentications are rate limited"); sent with `Retry-After` in seconds, as PingOne does
 * (docs/pingone-reference.md §3.2).
 */
export class RequestLimitedError extends PingOneError {
  readonly status = 429;
  readonly code = 'REQUEST_LIMITED';
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, limit: number, now: Date) {
    super('The request could not be completed. Too many failed authentications came from this address; retry later.', [
      {
        code: 'LIMIT_EXCEEDED',
        message: `${limit} requests with a missing or invalid access token came from this address within a minute.`,
        innerError: { retryAfter: new Date(now.getTime() + retryAfterSeconds * 1000).toISOString(), quotaLimit: limit },
      },
    ]);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Keyway extension (README, "Keyway extensions"): 501 for a request that matches an operation of
 * PingOne's management API that Keyway does not serve, so that "not built" is told apart from
 * the 404 of an id that does not exist. RFC 9110 §15.6.2: the server does not support the
 * functionality required to fulfil the request.
 */
export class NotImplementedError extends PingOneError {
  readonly status = 501;
  readonly code = 'NOT_IMPLEMENTED';
  constructor(operation: string) {
    super(`${operation} is an operation of PingOne's management API that Keyway does not implement.`);
  }
}

/** The database did not answer; sent with `Retry-After`. */
export class ServiceUnavailableError extends PingOneError {
  readonly status = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor() {
    super('The service is temporarily unavailable. Retry later.');
  }
}

export class UnexpectedError extends PingOneError {
  readonly status = 500;
  readonly code = 'UNEXPECTED_ERROR';
  constructor() {
    super('An unexpected error occurred.');
  }
}
