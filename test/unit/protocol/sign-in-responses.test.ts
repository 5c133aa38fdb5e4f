import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { InvalidRequest } from '../../../src/protocol/errors.js';
import { LoginRequired } from '../../../src/protocol/sign-in/errors.js';
import { codeResponse, errorResponse } from '../../../src/protocol/sign-in/response-mode.js';
import { csrfMatches } from '../../../src/protocol/sign-in/secrets.js';
import { escapeHtml, html } from '../../../src/views/html.js';
import { formPostPage } from '../../../src/views/message-pages.js';
import { signOnPage } from '../../../src/views/sign-on-page.js';

const ISS = 'https://id.example/env/as';

describe('response modes', () => {
  test('RFC 6749 §4.1.2 + RFC 9207: query keeps the registered query and adds code, state, iss', () => {
    const r = codeResponse({ redirectUri: 'https://app.example/cb?a=1', responseMode: 'query', state: 's&t' }, ISS, 'CODE');
    assert.deepEqual(r, { kind: 'redirect', location: 'https://app.example/cb?a=1&code=CODE&state=s%26t&iss=https%3A%2F%2Fid.example%2Fenv%2Fas' });
  });
  test('fragment mode puts the parameters after #', () => {
    const r = codeResponse({ redirectUri: 'https://app.example/cb', responseMode: 'fragment' }, ISS, 'CODE');
    assert.equal(r.kind === 'redirect' && r.location, `https://app.example/cb#code=CODE&iss=${encodeURIComponent(ISS)}`);
  });
  test('RFC 6749 §4.1.2.1: errors carry error, error_description, state and iss', () => {
    const r = errorResponse({ redirectUri: 'https://app.example/cb', responseMode: 'query', state: 'xyz' }, ISS, new LoginRequired('sign in'));
    assert.ok(r.kind === 'redirect');
    const url = new URL(r.location);
    assert.equal(url.searchParams.get('error'), 'login_required');
    assert.equal(url.searchParams.get('error_description'), 'sign in');
    assert.equal(url.searchParams.get('state'), 'xyz');
    assert.equal(url.searchParams.get('iss'), ISS);
  });
  test('pi.flow answers JSON: authorizeResponse (with RFC 9207 iss) for a code, a 400 body with iss for an error', () => {
    assert.deepEqual(codeResponse({ redirectUri: 'https://app.example/cb', responseMode: 'pi.flow', state: 's' }, ISS, 'C', 'F'), {
      kind: 'json', status: 200, body: { id: 'F', status: 'COMPLETED', authorizeResponse: { code: 'C', state: 's', iss: ISS } },
    });
    assert.deepEqual(codeResponse({ redirectUri: 'https://app.example/cb', responseMode: 'pi.flow' }, ISS, 'C'), {
      kind: 'json', status: 200, body: { status: 'COMPLETED', authorizeResponse: { code: 'C', iss: ISS } },
    });
    const e = errorResponse({ redirectUri: 'https://app.example/cb', responseMode: 'pi.flow' }, ISS, new InvalidRequest('bad'));
    assert.deepEqual(e, { kind: 'json', status: 400, body: { error: 'invalid_request', error_description: 'bad', iss: ISS } });
  });
});

describe('OAuth 2.0 Form Post Response Mode §2 and escaping', () => {
  test('form_post escapes hostile values and works without JS (visible button)', () => {
    const r = codeResponse({ redirectUri: 'https://app.example/cb', responseMode: 'form_post', state: '"><script>alert(1)</script>' }, ISS, 'C');
    assert.ok(r.kind === 'form_post');
    const page = formPostPage('N0NCE', r.action, r.fields);
    assert.ok(!page.body.includes('<script>alert(1)'));
    assert.match(page.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
    assert.match(page.body, /<button type="submit">/);
    assert.match(page.body, /<script nonce="N0NCE">/);
    assert.deepEqual(page.formAction, ['https://app.example']);
  });
  test('the template escapes every interpolation unless it is Html', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&\``), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
    assert.equal(html`<p>${'<b>'}${html`<i>`}</p>`.value, '<p>&lt;b&gt;<i></p>');
  });
  test('the sign-on page labels its fields and escapes the login hint', () => {
    const page = signOnPage({ action: '/e/signon/?flowId=x', csrfToken: 't', nonce: 'n', username: '"><img src=x onerror=alert(1)>' });
    assert.match(page.body, /<label for="username">Username<\/label>/);
    assert.match(page.body, /<label for="password">Password<\/label>/);
    assert.ok(!page.body.includes('<img'));
    assert.match(page.body, /name="csrf_token" value="t"/);
  });
});

describe('CSRF double submit (OWASP): hidden field and cookie must both equal the flow token', () => {
  test('match, mismatch and missing values', () => {
    assert.equal(csrfMatches('token', 'token', 'token'), true);
    assert.equal(csrfMatches('token', 'token', undefined), false);
    assert.equal(csrfMatches('token', undefined, 'token'), false);
    assert.equal(csrfMatches('token', 'other', 'other'), false);
    assert.equal(csrfMatches('token', 'token', 'tokenX'), false);
  });
});
