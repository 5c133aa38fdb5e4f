/**
 * Authorization-endpoint errors (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6, RFC 9126 §2.2) and the
 * PingOne-shaped errors of the flow API (`{id, code, message, details[]}`).
 */
import { OAuthError } from '../errors.js';

export class UnsupportedResponseType extends OAuthError {
  readonly status = 400;
  readonly error = 'unsupported_response_type';
}

export class AccessDenied extends OAuthError {
  readonly status = 403;
  readonly error = 'access_denied';
}

/** OIDC Core §3.1.2.6: `prompt=none` and the user would have to sign in. */
export class LoginRequired extends OAuthError {
  readonly status = 400;
  readonly error = 'login_required';
}

/** RFC 9126 §2.2 / RFC 9101 §6.2: unknown, used, expired or foreign `request_uri`. */
export class InvalidRequestUri extends OAuthError {
  readonly status = 400;
  readonly error = 'invalid_request_uri';
}

/** OIDC Core §3.1.2.6, §6.1: a `request` object was sent; Keyway does not support them. */
export class RequestNotSupported extends OAuthError {
  readonly status = 400;
  readonly error = 'request_not_supported';
}

export interface FlowErrorDetail {
  code: string;
  target?: string;
  message: string;
}

/** An error of PingOne's flow API, answered as `{id, code, message, details?}`. */
export class FlowApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: readonly FlowErrorDetail[];
  constructor(status: number, code: string, message: string, details: readonly FlowErrorDetail[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const flowNotFound = (): FlowApiError =>
  new FlowApiError(404, 'NOT_FOUND', 'The flow was not found, has expired or was already used.');

/**
 * One answer for every failed password check: unknown user, wrong password, no password,
 * disabled or locked account. PingOne reveals a lock; Keyway does not, because a lock only
 * happens to existing accounts and would tell an attacker which usernames exist (issue 4 §1).
 */
export const invalidCredentials = (): FlowApiError =>
  new FlowApiError(400, 'INVALID_DATA', 'The username or password is incorrect, or the account is temporarily locked.', [
    {
      code: 'INVALID_VALUE',
      target: 'password',
      message: 'The provided password did not match the provisioned password, or the account is temporarily locked.',
    },
  ]);
