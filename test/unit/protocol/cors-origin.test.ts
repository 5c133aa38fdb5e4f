/** Which origins an application's corsSettings admits (Fetch standard: a serialized origin). */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { originAllowed } from '../../../src/protocol/sign-in/cors-origin.js';

const LIST = ['https://spa.example.org', 'https://*.example.net', 'http://localhost:3000', 'https://App.Example.COM'];

describe('originAllowed', () => {
  test('exact entries, compared in lower case (browsers send origins lower-cased)', () => {
    assert.equal(originAllowed('https://spa.example.org', LIST), true);
    assert.equal(originAllowed('http://localhost:3000', LIST), true);
    assert.equal(originAllowed('https://app.example.com', LIST), true);
  });

  test('another scheme, port or host is refused, as are prefixes and suffixes of an entry', () => {
    for (const origin of [
      'http://spa.example.org',
      'https://spa.example.org:8443',
      'https://spa.example.org.evil.test',
      'https://evilspa.example.org',
      'http://localhost:3001',
      'http://localhost',
      'null',
      '',
    ]) {
      assert.equal(originAllowed(origin, LIST), false, origin);
    }
  });

  test('a *. wildcard stands for exactly one DNS label, same scheme and port', () => {
    assert.equal(originAllowed('https://a.example.net', LIST), true);
    assert.equal(originAllowed('https://a-1.example.net', LIST), true);
    assert.equal(originAllowed('https://example.net', LIST), false, 'the bare domain is not a subdomain');
    assert.equal(originAllowed('https://a.b.example.net', LIST), false, 'one label only');
    assert.equal(originAllowed('https://.example.net', LIST), false);
    assert.equal(originAllowed('https://-a.example.net', LIST), false);
    assert.equal(originAllowed('http://a.example.net', LIST), false);
    assert.equal(originAllowed('https://a.example.net:444', LIST), false);
    assert.equal(originAllowed('https://evil.test/.example.net', LIST), false);
  });

  test('an empty list admits nothing', () => {
    assert.equal(originAllowed('https://spa.example.org', []), false);
  });
});
