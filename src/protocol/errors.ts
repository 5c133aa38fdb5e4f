/**
 * OAuth 2.0 errors (RFC 6749 §5.2, RFC 7009, RFC 7662). One subclass per wire `error` code.
 * `description` is public and a fixed text: it never repeats request input (a value, or a
 * parameter name), so no input reaches a response, a redirect or a header through it. `detail` is
 * private (recorded and logged, sent only when the environment opts in to detailed errors).
 */
export abstract class OAuthError extends Error {
  abstract readonly status: number;
  abstract readonly error: string;
  readonly description: string;
  readonly detail: string | undefined;
  constructor(description: string, detail?: string) {
    super(detail ?? description);
    this.description = descriptionText(description);
    this.detail = detail;
  }

  /**
   * The `error_description` to send: the public description or, for an environment that opted
   * in to detailed errors (docs/decisions.md, "Public error bodies stay generic"), the private
   * detail, held to the same characters.
   */
  publicDescription(detailed: boolean): string {
    return detailed && this.detail !== undefined ? descriptionText(this.detail) : this.description;
  }
}

/** RFC 6749 §5.2: `error_description` is limited to %x20-21 / %x23-5B / %x5D-7E. */
const OUTSIDE_DESCRIPTION_CHARACTERS = /[^\x20-\x21\x23-\x5B\x5D-\x7E]/g;
/** Descriptions are short sentences; a longer text is cut rather than sent whole. */
const MAX_DESCRIPTION_LENGTH = 512;

/**
 * Holds a text to the characters RFC 6749 §5.2 allows in `error_description` (no control
 * characters, no quote, no backslash, ASCII only), so it is safe in JSON, a redirect, an HTML
 * page and a quoted `WWW-Authenticate` parameter (RFC 6750 §3) alike. Other characters are
 * dropped: the guard behind the rule that descriptions are fixed texts.
 */
export function descriptionText(text: string): string {
  return text.replace(OUTSIDE_DESCRIPTION_CHARACTERS, '').slice(0, MAX_DESCRIPTION_LENGTH);
}

export class InvalidRequest extends OAuthError {
  readonly status: number = 400;
  readonly error = 'invalid_request';
}

/**
 * A body over the configured limit. RFC 6749 has no code for it, so the wire code stays
 * `invalid_request` (§5.2) and only the status says why: 413 Content Too Large (RFC 9110 §15.5.14).
 */
export class RequestBodyTooLarge extends InvalidRequest {
  override readonly status = 413;
}

/**
 * RFC 9110 §15.5.6: a method the endpoint does not take (GET on the token endpoint, say). The
 * body is RFC 6749's `invalid_request`; the status says what was wrong.
 */
export class MethodNotAllowed extends InvalidRequest {
  override readonly status = 405;
  constructor() {
    super('the request method is not allowed for this endpoint');
  }
}

/** RFC 6749 §5.2: 401 and, when the Authorization header was used, `WWW-Authenticate`. */
export class InvalidClient extends OAuthError {
  readonly status = 401;
  readonly error = 'invalid_client';
  /**
   * Machine-readable reason recorded for the application; the response body stays generic
   * (docs/decisions.md, "Public error bodies stay generic").
   */
  readonly reason: string;
  constructor(reason: string, detail?: string) {
    super('Client authentication failed', detail);
    this.reason = reason;
  }
}

export class InvalidGrant extends OAuthError {
  readonly status = 400;
  readonly error = 'invalid_grant';
}

export class UnauthorizedClient extends OAuthError {
  readonly status = 400;
  readonly error = 'unauthorized_client';
}

export class UnsupportedGrantType extends OAuthError {
  readonly status = 400;
  readonly error = 'unsupported_grant_type';
}

export class InvalidScope extends OAuthError {
  readonly status = 400;
  readonly error = 'invalid_scope';
}

export class UnsupportedTokenType extends OAuthError {
  readonly status = 400;
  readonly error = 'unsupported_token_type';
}

export class ServerError extends OAuthError {
  readonly status = 500;
  readonly error = 'server_error';
  constructor(detail?: string) {
    super('An unexpected error occurred', detail);
  }
}

export class TemporarilyUnavailable extends OAuthError {
  readonly status: number = 503;
  readonly error = 'temporarily_unavailable';
  constructor(detail?: string, description = 'The service is temporarily unavailable') {
    super(description, detail);
  }
}

/**
 * 429 with `Retry-After` (RFC 6585 §4): the source failed client authentication too often
 * (docs/decisions.md, "Failed authentications are rate limited"). RFC 6749 §5.2 has no code for
 * this; `temporarily_unavailable` (§4.1.2.1) tells a client to retry later, which is what it
 * should do, whereas `invalid_client` would tell it that its credentials are wrong.
 */
export class ClientAuthLimited extends TemporarilyUnavailable {
  override readonly status = 429;
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`failed client authentications over the limit; retry after ${retryAfterSeconds} s`, 'Too many failed client authentications; retry later');
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
