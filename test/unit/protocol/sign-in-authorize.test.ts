import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { authorize, type AuthorizeResult } from '../../../src/protocol/sign-in/authorize.js';
import type { SignInContext } from '../../../src/protocol/sign-in/ports.js';
import { startSession } from '../../../src/protocol/sign-in/sessions.js';
import { ENV_ID, ISSUER, fakes } from '../../support/sign-in-fakes.js';

const f = fakes({ web: {}, off: { enabled: false }, cc: { settings: { responseTypes: [] } } });
const ctx = (): SignInContext => ({ environmentId: ENV_ID, issuer: ISSUER, baseUrl: `http://localhost:8080/${ENV_ID}`, now: f.clock.now });
const base = { client_id: 'web', redirect_uri: 'https://app.example.com/callback', response_type: 'code', scope: 'openid', state: 'st' };
const run = (params: Record<string, string>, sessionCookie?: string) =>
  authorize(f.ports, ctx(), { params: new Map(Object.entries(params)), sessionCookie });

function redirectError(r: AuthorizeResult): URLSearchParams {
  assert.equal(r.kind, 'respond');
  assert.ok(r.kind === 'respond' && r.response.kind === 'redirect');
  return new URL(r.response.location).searchParams;
}

describe('RFC 6749 §4.1.2.1: error page or error redirect', () => {
  for (const [name, params] of [
    ['missing client_id', { ...base, client_id: '' }],
    ['unknown client', { ...base, client_id: 'nobody' }],
    ['disabled client', { ...base, client_id: 'off' }],
    ['missing redirect_uri', { ...base, redirect_uri: '' }],
    ['unregistered redirect_uri (§10.6)', { ...base, redirect_uri: 'https://evil.example/callback' }],
    ['invalid request_uri (RFC 9126 §4)', { ...base, request_uri: 'urn:ietf:params:oauth:request_uri:nope' }],
  ] as const) {
    test(`${name}: shown on a page, never redirected`, async () => {
      const p = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== ''));
      const r = await run(p);
      assert.equal(r.kind, 'error_page');
    });
  }

  test('after the redirect URI is trusted, errors go back with state and iss (RFC 9207)', async () => {
    const q = redirectError(await run({ ...base, response_type: 'token' }));
    assert.equal(q.get('error'), 'unsupported_response_type');
    assert.equal(q.get('state'), 'st');
    assert.equal(q.get('iss'), ISSUER);
  });
  test('missing scope → invalid_scope; bad prompt, max_age or oversized nonce → invalid_request', async () => {
    assert.equal(redirectError(await run({ ...base, scope: '' })).get('error'), 'invalid_scope');
    assert.equal(redirectError(await run({ ...base, prompt: 'none login' })).get('error'), 'invalid_request');
    assert.equal(redirectError(await run({ ...base, max_age: '-1' })).get('error'), 'invalid_request');
    assert.equal(redirectError(await run({ ...base, nonce: 'n'.repeat(513) })).get('error'), 'invalid_request');
  });
  test('OIDC Core §6.1: a request object → request_not_supported via the redirect, never ignored', async () => {
    const q = redirectError(await run({ ...base, request: 'eyJhbGciOiJub25lIn0.e30.' }));
    assert.equal(q.get('error'), 'request_not_supported');
    assert.equal(q.get('state'), 'st');
    assert.equal(q.get('code'), null);
  });

  test('a client without the code response type → unauthorized_client', async () => {
    f.clients.set('cc', { ...f.clients.get('cc')!, settings: { ...f.clients.get('cc')!.settings, redirectUris: [base.redirect_uri] } });
    assert.equal(redirectError(await run({ ...base, client_id: 'cc' })).get('error'), 'unauthorized_client');
  });
});

describe('OIDC Core §3.1.2.1: sessions, prompt and max_age', () => {
  test('prompt=none without a session → login_required', async () => {
    assert.equal(redirectError(await run({ ...base, prompt: 'none' })).get('error'), 'login_required');
  });
  test('a live session answers with a code; prompt=login and an exceeded max_age start a flow', async () => {
    const { cookie } = await startSession(f.ports, ctx(), 'user-1');
    const reuse = await run(base, cookie);
    assert.ok(reuse.kind === 'respond' && reuse.response.kind === 'redirect');
    assert.ok(new URL(reuse.response.location).searchParams.get('code'));
    for (const extra of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      f.clock.now = new Date(f.clock.now.getTime() + 1000);
      const r = await run({ ...base, ...extra }, cookie);
      assert.ok(r.kind === 'respond' && r.response.kind === 'redirect');
      assert.match(r.response.location, /\/signon\/\?flowId=/);
    }
  });
});
