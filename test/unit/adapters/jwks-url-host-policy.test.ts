/**
 * The registration-time refusal of a `jwksUrl` host that is a literal blocked address or a
 * `localhost` name (RFC 6761 §6.3), unless KEYWAY_FETCH_ALLOW allows it.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { jwksUrlHostPolicy } from '../../../src/adapters/jwks-url/host-policy.js';
import { parseFetchAllowList } from '../../../src/config/fetch-allow-list.js';

const hostOf = (url: string) => new URL(url).hostname;

describe('without KEYWAY_FETCH_ALLOW', () => {
  const policy = jwksUrlHostPolicy(parseFetchAllowList(''));
  const refused: Array<[string, RegExp]> = [
    ['https://127.0.0.1/jwks', /loopback/],
    ['https://127.8.9.10/jwks', /loopback/],
    ['https://localhost/jwks', /loopback \(a localhost name\)/],
    ['https://LOCALHOST./jwks', /loopback/],
    ['https://keys.localhost/jwks', /loopback/],
    ['https://169.254.169.254/latest/meta-data', /link-local \(cloud metadata\)/],
    ['https://10.0.0.1/jwks', /private/],
    ['https://172.16.5.4/jwks', /private/],
    ['https://192.168.1.1/jwks', /private/],
    ['https://100.64.0.1/jwks', /CGNAT/],
    ['https://0.0.0.0/jwks', /unspecified/],
    ['https://[::1]/jwks', /loopback/],
    ['https://[::]/jwks', /unspecified/],
    ['https://[::ffff:127.0.0.1]/jwks', /IPv4-mapped 127\.0\.0\.1, loopback/],
    ['https://[::ffff:a9fe:a9fe]/jwks', /IPv4-mapped 169\.254\.169\.254/],
    ['https://[fd00::1]/jwks', /unique local/],
    ['https://[fe80::1]/jwks', /link-local/],
    ['https://[fd00:ec2::254]/jwks', /unique local/],
    ['https://[64:ff9b::a9fe:a9fe]/jwks', /NAT64/],
  ];
  for (const [url, label] of refused) {
    test(`${url} is refused (${label.source})`, () => assert.match(policy.refusal(hostOf(url)) ?? '(accepted)', label));
  }
  for (const url of ['https://keys.example.com/jwks', 'https://93.184.215.14/jwks', 'https://[2606:4700::1111]/jwks', 'https://localhost.example.com/jwks', 'https://metadata.example/jwks']) {
    test(`${url} is accepted (names other than localhost are checked when fetched)`, () => assert.equal(policy.refusal(hostOf(url)), undefined));
  }
});

describe('with KEYWAY_FETCH_ALLOW', () => {
  test('a CIDR allows literal addresses in it, and localhost names when it holds 127.0.0.1 or ::1', () => {
    const policy = jwksUrlHostPolicy(parseFetchAllowList('127.0.0.1/32, 10.0.0.0/8'));
    assert.equal(policy.refusal(hostOf('https://127.0.0.1:8443/jwks')), undefined);
    assert.equal(policy.refusal(hostOf('https://[::ffff:127.0.0.1]/jwks')), undefined);
    assert.equal(policy.refusal(hostOf('https://10.9.8.7/jwks')), undefined);
    assert.equal(policy.refusal(hostOf('https://localhost/jwks')), undefined);
    assert.match(policy.refusal(hostOf('https://127.0.0.2/jwks')) ?? '', /loopback/);
    assert.match(policy.refusal(hostOf('https://169.254.169.254/jwks')) ?? '', /link-local/);
  });

  test('a host name allows exactly that name', () => {
    const policy = jwksUrlHostPolicy(parseFetchAllowList('keys.localhost'));
    assert.equal(policy.refusal(hostOf('https://keys.localhost/jwks')), undefined);
    assert.match(policy.refusal(hostOf('https://localhost/jwks')) ?? '', /loopback/);
    assert.match(policy.refusal(hostOf('https://127.0.0.1/jwks')) ?? '', /loopback/);
  });
});
