/**
 * Authorization-endpoint errors (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6, RFC 9126 §2.2) and the
 * errors of the flow API, which are PingOne's (`{id, code, message, details[]}`, the classes of
 * src/domain/pingone-error.ts, serialised by the same mapper as the management API's).
 */
import { InvalidDataError, NotFoundError, RequestFailedError, type PingOneError } from '../../domain/pingone-error.js';
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

export const flowNotFound = (): PingOneError => new NotFoundError('The flow was not found, has expired or was already used.');

/** `usernamePassword.check` on a flow that is no longer waiting for one. */
export const flowNotWaiting = (): PingOneError => new RequestFailedError('The flow is not waiting for a username and password.');

/**
 * One answer for every failed password check: unknown user, wrong password, no password,
 * disabled or locked account. PingOne reveals a lock; Keyway does not, because a lock only
 * happens to existing accounts and would tell an attacker which usernames exist.
 */
export const invalidCredentials = (): PingOneError =>
  new InvalidDataError(
    [
      {
        code: 'INVALID_VALUE',
        target: 'password',
        message: 'The provided password did not match the provisioned password, or the account is temporarily locked.',
      },
    ],
    'The username or password is incorrect, or the account is temporarily locked.',
  );
