/**
 * The hosted sign-on page (`/{envId}/signon/?flowId=`): a plain HTML form that works without
 * JavaScript, with labelled fields, a CSRF token and an accessible error message.
 */
import { html, layout, type Page } from './html.js';

export interface SignOnPageInput {
  /** Where the form posts (the same sign-on URL). */
  action: string;
  csrfToken: string;
  nonce: string;
  /** Prefills the username (`login_hint`); escaped like everything else. */
  username?: string;
  /** Shown above the form, announced to screen readers. */
  error?: string;
  /** The client's redirect origin, which the POST's redirects end at (CSP form-action). */
  redirectOrigin?: string;
  status?: number;
}

export function signOnPage(input: SignOnPageInput): Page {
  const error = input.error === undefined ? '' : html`<p class="error" id="error" role="alert">${input.error}</p>`;
  const described = input.error === undefined ? '' : html` aria-describedby="error" aria-invalid="true"`;
  const content = html`<h1>Sign on</h1>
${error}
<form method="post" action="${input.action}">
<input type="hidden" name="csrf_token" value="${input.csrfToken}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required maxlength="256" value="${input.username ?? ''}"${described}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${described}>
<button type="submit">Sign on</button>
</form>`;
  return {
    status: input.status ?? 200,
    body: layout('Sign on', input.nonce, content),
    nonce: input.nonce,
    formAction: input.redirectOrigin === undefined ? [] : [input.redirectOrigin],
    script: false,
  };
}
