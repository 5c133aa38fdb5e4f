import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { redirectUriAllowed } from '../../../src/protocol/sign-in/redirect-uri.js';

const REGISTERED = ['https://app.example.com/callback', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'http://localhost:3000/callback'];
const allowed = (uri: string, registered = REGISTERED, wildcard = false) => redirectUriAllowed(registered, uri, wildcard);

describe('RFC 6749 §3.1.2.3: redirect_uri is compared as a simple string', () => {
  test('an exact match is accepted', () => {
    assert.equal(allowed('https://app.example.com/callback'), true);
    assert.equal(allowed('http://localhost:3000/callback'), true);
  });

  for (const [name, uri] of [
    ['trailing slash', 'https://app.example.com/callback/'],
    ['case of the path', 'https://app.example.com/Callback'],
    ['case of the host', 'https://APP.example.com/callback'],
    ['extra path', 'https://app.example.com/callback/extra'],
    ['extra query', 'https://app.example.com/callback?x=1'],
    ['userinfo', 'https://evil@app.example.com/callback'],
    ['userinfo hiding the host', 'https://app.example.com@evil.example/callback'],
    ['port on a non-loopback host', 'https://app.example.com:8443/callback'],
    ['http instead of https', 'http://app.example.com/callback'],
    ['fragment (RFC 6749 §3.1.2)', 'https://app.example.com/callback#x'],
    ['suffix host', 'https://app.example.com.evil.example/callback'],
    ['encoded path', 'https://app.example.com/%63allback'],
    ['not a URL', 'callback'],
  ] as const) {
    test(`a near miss is refused: ${name}`, () => assert.equal(allowed(uri), false));
  }
});

describe('RFC 8252 §7.3 (PingOne loopback rule): any port on 127.0.0.1 and [::1]', () => {
  test('another port on a registered 127.0.0.1 URI is accepted, also none', () => {
    assert.equal(allowed('http://127.0.0.1:51234/cb'), true);
    assert.equal(allowed('http://127.0.0.1/cb'), true);
    assert.equal(allowed('http://[::1]:1/cb'), true);
  });
  test('the path and query must still match exactly', () => {
    assert.equal(allowed('http://127.0.0.1:5000/cb/'), false);
    assert.equal(allowed('http://127.0.0.1:5000/other'), false);
    assert.equal(allowed('http://127.0.0.1:5000/cb?x=1'), false);
  });
  test('localhost gets no port freedom; 127.0.0.1 and localhost are not interchangeable', () => {
    assert.equal(allowed('http://localhost:4000/callback'), false);
    assert.equal(allowed('http://127.0.0.1:3000/callback'), false);
    assert.equal(allowed('http://localhost:5000/cb'), false);
  });
  test('port tricks are refused: out of range, userinfo, https', () => {
    assert.equal(allowed('http://127.0.0.1:70000/cb'), false);
    assert.equal(allowed('http://127.0.0.1:80@evil.example/cb'), false);
    assert.equal(allowed('https://127.0.0.1:5000/cb'), false);
  });
});

describe('allowWildcardInRedirectUris: * matches one path or query segment', () => {
  const wild = ['https://app.example.com/tenants/*/callback', 'https://*.example.com/cb', 'https://app.example.com/cb?t=*'];
  const w = (uri: string) => redirectUriAllowed(wild, uri, true);
  test('one segment matches', () => {
    assert.equal(w('https://app.example.com/tenants/acme/callback'), true);
    assert.equal(w('https://app.example.com/cb?t=acme'), true);
  });
  test('never without the application setting', () => {
    assert.equal(redirectUriAllowed(wild, 'https://app.example.com/tenants/acme/callback', false), false);
  });
  test('never across segments, dot segments or encoded separators', () => {
    assert.equal(w('https://app.example.com/tenants/a/b/callback'), false);
    assert.equal(w('https://app.example.com/tenants/../callback'), false);
    assert.equal(w('https://app.example.com/tenants/a%2Fb/callback'), false);
    assert.equal(w('https://app.example.com/tenants//callback'), false);
    assert.equal(w('https://app.example.com/cb?t=a&redirect=evil'), false);
  });
  test('never in the host', () => {
    assert.equal(w('https://evil.example.com/cb'), false);
    assert.equal(w('https://*.example.com/cb'), false);
  });
});
