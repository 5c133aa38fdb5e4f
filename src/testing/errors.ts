/**
 * The errors the testing library throws for an answer a test did not expect: each keeps the
 * status and the parsed body, so a failing test shows what Keyway said.
 */

/** One entry of a PingOne error's `details` (PingOne API reference, "Errors"). */
export interface PingOneErrorDetail {
  code: string;
  target?: string;
  message: string;
  innerError?: Record<string, unknown>;
}

/** PingOne's error body `{id, code, message, details[]}`, as the management and flow APIs answer it. */
export interface PingOneErrorBody {
  id: string;
  code: string;
  message: string;
  details?: PingOneErrorDetail[];
}

/** A management API or flow API call answered with a status of 300 or more. */
export class PingOneApiError extends Error {
  override name = 'PingOneApiError';
  /** The PingOne error code (`INVALID_DATA`, `NOT_FOUND`, …), when the body is PingOne's. */
  readonly code: string | undefined;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${url} answered ${status}: ${JSON.stringify(body)}`);
    this.code = isPingOneError(body) ? body.code : undefined;
  }

  /** The body as PingOne's error shape, or undefined when it is not one. */
  get pingOneError(): PingOneErrorBody | undefined {
    return isPingOneError(this.body) ? this.body : undefined;
  }
}

/** An OAuth 2.0 error response (RFC 6749 §5.2 at the token endpoint, §4.1.2.1 at authorize). */
export class OAuthResponseError extends Error {
  override name = 'OAuthResponseError';
  /** The RFC 6749 `error` code (`invalid_client`, `invalid_grant`, …), when the body carries one. */
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${url} answered ${status}: ${JSON.stringify(body)}`);
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    this.error = typeof fields.error === 'string' ? fields.error : undefined;
    this.errorDescription = typeof fields.error_description === 'string' ? fields.error_description : undefined;
  }
}

/** A browserless sign-in that stopped at a flow status other than the one expected next. */
export class SignInError extends Error {
  override name = 'SignInError';

  constructor(
    message: string,
    /** The flow (or authorize) response where the sign-in stopped. */
    readonly body: unknown,
  ) {
    super(`${message}: ${JSON.stringify(body)}`);
  }
}

function isPingOneError(body: unknown): body is PingOneErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const fields = body as Record<string, unknown>;
  return typeof fields.code === 'string' && typeof fields.message === 'string';
}
