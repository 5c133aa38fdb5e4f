import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseApplicationBody } from '../../../src/management/applications/validate.js';
import { CREATE, assertOneViolation, minimalBody } from './applications-fixtures.js';

const web = (over: Record<string, unknown>) => minimalBody('WEB_APP', over);
const redirect = (uri: unknown, over: Record<string, unknown> = {}) => web({ redirectUris: [uri], ...over });

describe('redirectUris', () => {
  const accepted = [
    'https://app.example.com/callback',
    'https://app.example.com:8443/cb?tenant=a&x=1',
    'http://localhost:3000/callback',
    'http://localhost/cb',
    'http://127.0.0.1:51234/cb',
    'http://[::1]:8080/cb',
    'com.example.app:/oauth2redirect',
    'myapp://callback',
    'com.googleusercontent.apps.123:/oauth2redirect',
  ];
  for (const uri of accepted) {
    it(`accepts ${uri}`, () => {
      assert.deepEqual(parseApplicationBody(redirect(uri), CREATE).redirectUris, [uri]);
    });
  }

  const rejected: [string, unknown][] = [
    ['http on a public host', 'http://app.example.com/cb'],
    ['http on a look-alike of localhost', 'http://localhost.evil.example/cb'],
    ['http on a look-alike of 127.0.0.1', 'http://127.0.0.1.nip.io/cb'],
    ['a fragment', 'https://app.example.com/cb#state'],
    ['an empty fragment', 'https://app.example.com/cb#'],
    ['a relative reference', '/callback'],
    ['a scheme-relative reference', '//app.example.com/cb'],
    ['javascript:', 'javascript:alert(1)'],
    ['JavaScript: in mixed case', 'JavaScript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['file:', 'file:///etc/passwd'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['user credentials', 'https://user:pass@app.example.com/cb'],
    ['a space', 'https://app.example.com/my cb'],
    ['a newline', 'https://app.example.com/cb\n'],
    ['an empty string', ''],
    ['a number', 42],
    ['an https URL without a host', 'https:///cb'],
    ['an https URL with one slash', 'https:/app.example.com/cb'],
    ['leading whitespace', ' https://app.example.com/cb'],
  ];
  for (const [label, uri] of rejected) {
    it(`rejects ${label}`, () => {
      assertOneViolation(redirect(uri), 'INVALID_VALUE', 'redirectUris[0]');
    });
  }

  it('names the failing entry', () => {
    assertOneViolation(web({ redirectUris: ['https://a.example.com/cb', 'http://b.example.com/cb'] }), 'INVALID_VALUE', 'redirectUris[1]');
  });

  it('bounds each entry to 2048 characters', () => {
    assertOneViolation(redirect(`https://app.example.com/${'a'.repeat(2048)}`), 'SIZE_LIMIT_EXCEEDED', 'redirectUris[0]');
    const ok = `https://app.example.com/${'a'.repeat(2048 - 24)}`;
    assert.equal(ok.length, 2048);
    assert.deepEqual(parseApplicationBody(redirect(ok), CREATE).redirectUris, [ok]);
  });

  it('bounds the list to 100 entries', () => {
    const uris = (n: number) => Array.from({ length: n }, (_, i) => `https://app.example.com/cb/${i}`);
    assert.equal(parseApplicationBody(web({ redirectUris: uris(100) }), CREATE).redirectUris?.length, 100);
    assertOneViolation(web({ redirectUris: uris(101) }), 'SIZE_LIMIT_EXCEEDED', 'redirectUris');
  });

  it('must be an array of strings', () => {
    assertOneViolation(web({ redirectUris: 'https://app.example.com/cb' }), 'INVALID_VALUE', 'redirectUris');
  });

  it('may be absent for AUTHORIZATION_CODE and IMPLICIT applications (as in PingOne)', () => {
    assert.equal(parseApplicationBody(minimalBody('NATIVE_APP'), CREATE).redirectUris, undefined);
  });
});

describe('wildcards in redirect URIs', () => {
  it('are refused without allowWildcardInRedirectUris, with PingOne\'s message', () => {
    for (const uri of ['https://app.example.com/*', 'https://*.example.com/cb']) {
      const d = assertOneViolation(redirect(uri), 'INVALID_VALUE', 'redirectUris[0]');
      assert.ok(d.message.startsWith('Wildcards are not allowed in redirect URIs.'), d.message);
    }
    const off = assertOneViolation(redirect('https://app.example.com/*', { allowWildcardInRedirectUris: false }), 'INVALID_VALUE', 'redirectUris[0]');
    assert.ok(off.message.startsWith('Wildcards are not allowed in redirect URIs.'));
  });

  const on = { allowWildcardInRedirectUris: true };
  for (const uri of ['https://app.example.com/cb/*', 'https://app.example.com/cb?tenant=*', 'com.example.app:/cb/*', 'http://localhost:3000/*']) {
    it(`accepts ${uri} when allowed`, () => {
      const config = parseApplicationBody(redirect(uri, on), CREATE);
      assert.deepEqual(config.redirectUris, [uri]);
      assert.equal(config.allowWildcardInRedirectUris, true);
    });
  }

  const rejected: [string, string][] = [
    ['more than one *', 'https://app.example.com/*/cb/*'],
    ['* in the host', 'https://*.example.com/cb'],
    ['* in the port', 'http://localhost:*/cb'],
    ['* as a custom-scheme host', 'myapp://*/cb'],
    ['* in userinfo', 'https://*@app.example.com/cb'],
  ];
  for (const [label, uri] of rejected) {
    it(`refuses ${label} even when allowed`, () => {
      const d = assertOneViolation(redirect(uri, on), 'INVALID_VALUE', 'redirectUris[0]');
      assert.equal(d.message.startsWith('Wildcards are not allowed'), false);
    });
  }

  it('apply to postLogoutRedirectUris too', () => {
    assertOneViolation(web({ postLogoutRedirectUris: ['https://app.example.com/*'] }), 'INVALID_VALUE', 'postLogoutRedirectUris[0]');
    const config = parseApplicationBody(web({ ...on, postLogoutRedirectUris: ['https://app.example.com/bye/*'] }), CREATE);
    assert.deepEqual(config.postLogoutRedirectUris, ['https://app.example.com/bye/*']);
  });
});

describe('postLogoutRedirectUris', () => {
  it('accepts https, loopback http and custom schemes', () => {
    const uris = ['https://app.example.com/bye', 'http://127.0.0.1:3000/bye', 'myapp://signed-out'];
    assert.deepEqual(parseApplicationBody(web({ postLogoutRedirectUris: uris }), CREATE).postLogoutRedirectUris, uris);
  });

  it('applies the redirect URI rules', () => {
    assertOneViolation(web({ postLogoutRedirectUris: ['http://app.example.com/bye'] }), 'INVALID_VALUE', 'postLogoutRedirectUris[0]');
    assertOneViolation(web({ postLogoutRedirectUris: ['javascript:alert(1)'] }), 'INVALID_VALUE', 'postLogoutRedirectUris[0]');
    const many = Array.from({ length: 101 }, (_, i) => `https://app.example.com/bye/${i}`);
    assertOneViolation(web({ postLogoutRedirectUris: many }), 'SIZE_LIMIT_EXCEEDED', 'postLogoutRedirectUris');
  });
});

describe('URL fields', () => {
  const webUrlFields = ['homePageUrl', 'loginPageUrl', 'initiateLoginUri', 'deviceCustomVerificationUri'];
  for (const field of webUrlFields) {
    it(`${field}: https anywhere, http on loopback only`, () => {
      assert.equal(parseApplicationBody(web({ [field]: 'https://app.example.com/x' }), CREATE)[field as 'homePageUrl'], 'https://app.example.com/x');
      assert.equal(parseApplicationBody(web({ [field]: 'http://localhost:8080/x' }), CREATE)[field as 'homePageUrl'], 'http://localhost:8080/x');
      assertOneViolation(web({ [field]: 'http://app.example.com/x' }), 'INVALID_VALUE', field);
      assertOneViolation(web({ [field]: 'ftp://app.example.com/x' }), 'INVALID_VALUE', field);
      assertOneViolation(web({ [field]: 'app.example.com/x' }), 'INVALID_VALUE', field);
      assertOneViolation(web({ [field]: 'https:/app.example.com/x' }), 'INVALID_VALUE', field);
      assertOneViolation(web({ [field]: ' https://app.example.com/x' }), 'INVALID_VALUE', field);
      assertOneViolation(web({ [field]: 'javascript:alert(1)' }), 'INVALID_VALUE', field);
      assertOneViolation(web({ [field]: `https://app.example.com/${'x'.repeat(2048)}` }), 'SIZE_LIMIT_EXCEEDED', field);
      assertOneViolation(web({ [field]: true }), 'INVALID_VALUE', field);
    });
  }

  it('targetLinkUri: any absolute URI, but no script or file schemes', () => {
    for (const uri of ['https://app.example.com/home', 'http://intranet.example/home', 'myapp://home']) {
      assert.equal(parseApplicationBody(web({ targetLinkUri: uri }), CREATE).targetLinkUri, uri);
    }
    assertOneViolation(web({ targetLinkUri: '/home' }), 'INVALID_VALUE', 'targetLinkUri');
    assertOneViolation(web({ targetLinkUri: 'javascript:alert(1)' }), 'INVALID_VALUE', 'targetLinkUri');
  });
});

describe('corsSettings', () => {
  const cors = (corsSettings: unknown) => web({ corsSettings });

  it('accepts specific origins, including a subdomain wildcard', () => {
    const origins = ['https://app.example.com', 'http://localhost:3000', 'https://*.example.org', 'https://app.example.com:8443'];
    const config = parseApplicationBody(cors({ behavior: 'ALLOW_SPECIFIC_ORIGINS', origins }), CREATE);
    assert.deepEqual(config.corsSettings, { behavior: 'ALLOW_SPECIFIC_ORIGINS', origins });
  });

  it('accepts ALLOW_NO_ORIGINS with no or empty origins', () => {
    assert.deepEqual(parseApplicationBody(cors({ behavior: 'ALLOW_NO_ORIGINS' }), CREATE).corsSettings, { behavior: 'ALLOW_NO_ORIGINS' });
    assert.deepEqual(parseApplicationBody(cors({ behavior: 'ALLOW_NO_ORIGINS', origins: [] }), CREATE).corsSettings, {
      behavior: 'ALLOW_NO_ORIGINS',
    });
  });

  it('requires origins exactly when behavior is ALLOW_SPECIFIC_ORIGINS', () => {
    assertOneViolation(cors({ behavior: 'ALLOW_SPECIFIC_ORIGINS' }), 'REQUIRED_VALUE', 'corsSettings.origins');
    assertOneViolation(cors({ behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: [] }), 'REQUIRED_VALUE', 'corsSettings.origins');
    assertOneViolation(cors({ behavior: 'ALLOW_NO_ORIGINS', origins: ['https://a.example.com'] }), 'CONSTRAINT_VIOLATION', 'corsSettings.origins');
  });

  it('bounds origins to 20', () => {
    const origins = (n: number) => Array.from({ length: n }, (_, i) => `https://app${i}.example.com`);
    assert.equal(parseApplicationBody(cors({ behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: origins(20) }), CREATE).corsSettings?.origins?.length, 20);
    assertOneViolation(cors({ behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: origins(21) }), 'SIZE_LIMIT_EXCEEDED', 'corsSettings.origins');
  });

  for (const origin of ['https://app.example.com/', 'https://app.example.com/path', 'https://app.example.com?x=1', 'ftp://app.example.com', '*', 'app.example.com', 'https://user@app.example.com']) {
    it(`rejects the origin ${origin}`, () => {
      assertOneViolation(cors({ behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: [origin] }), 'INVALID_VALUE', 'corsSettings.origins[0]');
    });
  }

  it('checks behavior and shape', () => {
    assertOneViolation(cors({ origins: ['https://a.example.com'] }), 'REQUIRED_VALUE', 'corsSettings.behavior');
    assertOneViolation(cors({ behavior: 'ALLOW_ALL_ORIGINS' }), 'INVALID_VALUE', 'corsSettings.behavior');
    assertOneViolation(cors('ALLOW_NO_ORIGINS'), 'INVALID_VALUE', 'corsSettings');
    assertOneViolation(cors({ behavior: 'ALLOW_SPECIFIC_ORIGINS', origins: 'https://a.example.com' }), 'INVALID_VALUE', 'corsSettings.origins');
  });
});
