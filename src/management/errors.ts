/**
 * Management API errors in PingOne's shape: `{id, code, message, details[]}`.
 * One class per top-level wire code; `src/http/error-mapper.ts` is the only serialiser.
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
  | 'INSUFFICIENT_PERMISSIONS';

export interface InnerError {
  rangeMinimumValue?: number;
  rangeMaximumValue?: number;
  allowedValues?: readonly string[];
  allowedPattern?: string;
  maximumValue?: number;
  existingId?: string;
}

export interface ErrorDetail {
  code: DetailCode;
  /** JSON property name (dotted for nested fields, `jwks.keys[1]` style for key material). */
  target?: string;
  message: string;
  innerError?: InnerError;
}

export abstract class ManagementError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details: ErrorDetail[];
  constructor(message: string, details: ErrorDetail[] = []) {
    super(message);
    this.details = details;
  }
}

export class InvalidDataError extends ManagementError {
  readonly status = 400;
  readonly code = 'INVALID_DATA';
  constructor(details: ErrorDetail[]) {
    super('The request could not be completed. One or more validation errors were in the request.', details);
  }
}

export class InvalidRequestError extends ManagementError {
  readonly status: number = 400;
  readonly code = 'INVALID_REQUEST';
}

/** 415: PingOne answers unsupported media types with `INVALID_REQUEST`. */
export class UnsupportedMediaTypeError extends InvalidRequestError {
  override readonly status = 415;
}

/** 413: body larger than the documented limit (Keyway documents the limit in the README). */
export class RequestTooLargeError extends InvalidRequestError {
  override readonly status = 413;
}

export class AccessFailedError extends ManagementError {
  readonly code = 'ACCESS_FAILED';
  readonly status: 401 | 403;
  constructor(status: 401 | 403, detail: ErrorDetail) {
    super('The request could not be completed. You do not have access to this resource.', [detail]);
    this.status = status;
  }
}

export class NotFoundError extends ManagementError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
  constructor(message = 'The requested resource was not found.') {
    super(message);
  }
}

/** Keyway extension: optimistic concurrency through `If-Match` (see README). */
export class PreconditionFailedError extends ManagementError {
  readonly status = 412;
  readonly code = 'PRECONDITION_FAILED';
  constructor() {
    super('The resource was changed since the version named in If-Match. Read it again and retry.');
  }
}

export class ServiceUnavailableError extends ManagementError {
  readonly status = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor() {
    super('The service is temporarily unavailable. Retry later.');
  }
}

export class UnexpectedError extends ManagementError {
  readonly status = 500;
  readonly code = 'UNEXPECTED_ERROR';
  constructor() {
    super('An unexpected error occurred.');
  }
}

/** Helpers that build one detail; validators collect them and throw one InvalidDataError. */
export const detail = {
  required: (target: string): ErrorDetail => ({ code: 'REQUIRED_VALUE', target, message: `${target} is required.` }),
  invalid: (target: string, message: string, innerError?: InnerError): ErrorDetail =>
    innerError ? { code: 'INVALID_VALUE', target, message, innerError } : { code: 'INVALID_VALUE', target, message },
  range: (target: string, min: number, max: number): ErrorDetail => ({
    code: 'OUT_OF_RANGE',
    target,
    message: `${target} must be between ${min} and ${max}.`,
    innerError: { rangeMinimumValue: min, rangeMaximumValue: max },
  }),
  constraint: (target: string, message: string): ErrorDetail => ({ code: 'CONSTRAINT_VIOLATION', target, message }),
  unique: (target: string, message: string, existingId?: string): ErrorDetail =>
    existingId
      ? { code: 'UNIQUENESS_VIOLATION', target, message, innerError: { existingId } }
      : { code: 'UNIQUENESS_VIOLATION', target, message },
  size: (target: string, message: string, maximumValue: number): ErrorDetail => ({
    code: 'SIZE_LIMIT_EXCEEDED',
    target,
    message,
    innerError: { maximumValue },
  }),
};

/** Throws one InvalidDataError carrying every collected detail, if any. */
export function throwIfInvalid(details: ErrorDetail[]): void {
  if (details.length > 0) throw new InvalidDataError(details);
}
