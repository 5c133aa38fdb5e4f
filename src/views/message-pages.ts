/**
 * Pages that only say something: the authorization error page (the redirect URI could not be
 * trusted, RFC 6749 §4.1.2.1), the sign-out confirmation, and the form_post response
 * (OAuth 2.0 Form Post Response Mode §2), which submits itself and shows a button without JS.
 */
import { html, layout, type Page } from './html.js';

export function errorPage(nonce: string, status: number, error: string, description: string): Page {
  const content = html`<h1>Sign-in cannot continue</h1>
<p role="alert">${description}</p>
<p>Error code: <code>${error}</code></p>
<p>Return to the application and try again. If this keeps happening, contact its administrator.</p>`;
  return { status, body: layout('Sign-in error', nonce, content), nonce, formAction: [], script: false };
}

export function signedOutPage(nonce: string): Page {
  const content = html`<h1>Signed out</h1>
<p role="status">You have been signed out. You can close this window.</p>`;
  return { status: 200, body: layout('Signed out', nonce, content), nonce, formAction: [], script: false };
}

export function formPostPage(nonce: string, action: string, fields: ReadonlyArray<readonly [string, string]>): Page {
  const inputs = fields.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">\n`);
  const content = html`<h1>Returning to the application</h1>
<form method="post" action="${action}">
${inputs}<button type="submit">Continue</button>
</form>`;
  const script = html`<script nonce="${nonce}">document.forms[0].submit();</script>`;
  return { status: 200, body: layout('Returning to the application', nonce, content, script), nonce, formAction: [originOf(action)], script: true };
}

/** `scheme://host[:port]` of an absolute URL (the redirect URI was already checked). */
export function originOf(url: string): string {
  const parsed = new URL(url);
  return parsed.origin === 'null' ? `${parsed.protocol}` : parsed.origin;
}
