/**
 * The lifetime of a cached `jwksUrl` document from its response headers (RFC 9111), clamped to
 * the documented floor (5 min) and ceiling (24 h), with 1 h when no lifetime is stated.
 */
import { strict as assert } from 'node:assert';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, test } from 'node:test';
import { cacheLifetime } from '../../../src/adapters/jwks-url/cache-lifetime.js';
import { parseHttpDate } from '../../../src/adapters/jwks-url/http-date.js';
import { DEFAULT_JWKS_TTL_MS, MAX_JWKS_TTL_MS, MIN_JWKS_TTL_MS } from '../../../src/adapters/jwks-url/remote-jwks.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const BOUNDS = { minMs: MIN_JWKS_TTL_MS, maxMs: MAX_JWKS_TTL_MS, defaultMs: DEFAULT_JWKS_TTL_MS };
/** Receipt time of every response below: Thu, 01 Jan 2026 12:00:00 GMT. */
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const httpDate = (ms: number) => new Date(ms).toUTCString();
const lifetime = (headers: IncomingHttpHeaders) => cacheLifetime(headers, NOW, BOUNDS);

describe('documented bounds', () => {
  test('floor 5 min, ceiling 24 h, default 1 h', () => {
    assert.deepEqual([MIN_JWKS_TTL_MS, MAX_JWKS_TTL_MS, DEFAULT_JWKS_TTL_MS], [5 * MINUTE, 24 * HOUR, HOUR]);
  });
});

describe('Cache-Control (RFC 9111 §5.2)', () => {
  const cases: ReadonlyArray<[string | undefined, number, string?]> = [
    [undefined, HOUR, 'no header: the default'],
    ['', HOUR],
    ['public', HOUR],
    ['must-revalidate, private', HOUR, 'directives without a lifetime'],
    ['max-age=60', 5 * MINUTE, 'below the floor'],
    ['max-age=0', 5 * MINUTE],
    ['max-age=300', 5 * MINUTE],
    ['max-age=600', 10 * MINUTE],
    ['public, max-age=7200', 2 * HOUR],
    ['MAX-AGE=1200', 20 * MINUTE, 'directive names are case-insensitive'],
    ['max-age="900"', 15 * MINUTE, 'quoted argument'],
    ['max-age=86400', 24 * HOUR],
    ['max-age=86401', 24 * HOUR, 'above the ceiling'],
    ['max-age=31536000, immutable', 24 * HOUR],
    ['max-age=99999999999999999999999999999', 24 * HOUR, 'larger than 2^31 (§1.2.2)'],
    ['max-age=-5', 5 * MINUTE, 'negative: invalid, so stale (§4.2.1)'],
    ['max-age=-99999', 5 * MINUTE],
    ['max-age=abc', 5 * MINUTE, 'not a number: stale'],
    ['max-age=', 5 * MINUTE],
    ['max-age', 5 * MINUTE, 'without argument'],
    ['max-age=1.5e9', 5 * MINUTE, 'not delta-seconds'],
    ['max-age=600, max-age=7200', 5 * MINUTE, 'two different values (or two header lines, which Node joins): stale (§4.2.1)'],
    ['max-age=600, max-age=600', 10 * MINUTE, 'the same value twice'],
    ['no-store', 5 * MINUTE],
    ['no-cache', 5 * MINUTE],
    ['max-age=3600, no-cache', 5 * MINUTE, 'the most restrictive directive wins'],
    ['private, no-cache="set-cookie, age", max-age=3600', 5 * MINUTE, 'a field list with a comma'],
    ['No-Store, max-age=86400', 5 * MINUTE],
    ['s-maxage=60, max-age=7200', 2 * HOUR, 's-maxage is for shared caches'],
    ['s-maxage=7200', HOUR, 's-maxage alone states no lifetime for Keyway'],
    ['community="max-age=1", max-age=7200', 2 * HOUR, 'max-age inside a quoted argument is not a directive'],
    [',,, max-age=900 ,', 15 * MINUTE, 'empty list members'],
  ];
  for (const [value, expected, why] of cases) {
    test(`${JSON.stringify(value)} → ${expected / MINUTE} min${why ? ` (${why})` : ''}`, () => {
      assert.equal(lifetime(value === undefined ? {} : { 'cache-control': value }), expected);
    });
  }
});

describe('Expires and Date (RFC 9111 §4.2.1, §5.3)', () => {
  test('Expires in the past (the reported case) → the floor, not the default hour', () => {
    assert.equal(lifetime({ expires: httpDate(NOW - 24 * HOUR) }), 5 * MINUTE);
    assert.equal(lifetime({ expires: 'Thu, 01 Jan 1970 00:00:00 GMT' }), 5 * MINUTE);
  });

  test('Expires minus the time of receipt when there is no Date', () => {
    assert.equal(lifetime({ expires: httpDate(NOW + 2 * HOUR) }), 2 * HOUR);
    assert.equal(lifetime({ expires: httpDate(NOW + 3 * 24 * HOUR) }), 24 * HOUR);
    assert.equal(lifetime({ expires: httpDate(NOW + MINUTE) }), 5 * MINUTE);
  });

  test('Expires minus Date: the server\'s own clock, whatever the skew to Keyway\'s', () => {
    const serverNow = NOW - 10 * HOUR;
    assert.equal(lifetime({ date: httpDate(serverNow), expires: httpDate(serverNow + 2 * HOUR) }), 2 * HOUR);
    assert.equal(lifetime({ date: httpDate(NOW + HOUR), expires: httpDate(NOW) }), 5 * MINUTE);
  });

  test('an invalid Expires ("0", garbage, an ISO date) is already expired → the floor', () => {
    for (const expires of ['0', '-1', 'never', '2030-01-01T00:00:00Z', 'Thu, 31 Feb 2030 00:00:00 GMT', '']) {
      assert.equal(lifetime({ expires }), 5 * MINUTE, expires);
    }
  });

  test('an invalid Date is replaced by the time of receipt', () => {
    assert.equal(lifetime({ date: 'yesterday', expires: httpDate(NOW + 2 * HOUR) }), 2 * HOUR);
  });

  test('max-age takes precedence over Expires (RFC 9111 §5.3)', () => {
    assert.equal(lifetime({ 'cache-control': 'max-age=600', expires: httpDate(NOW + 10 * HOUR) }), 10 * MINUTE);
    assert.equal(lifetime({ 'cache-control': 'max-age=7200', expires: '0' }), 2 * HOUR);
    assert.equal(lifetime({ 'cache-control': 'public', expires: httpDate(NOW + 2 * HOUR) }), 2 * HOUR);
    assert.equal(lifetime({ 'cache-control': 'no-store', expires: httpDate(NOW + 2 * HOUR) }), 5 * MINUTE);
  });

  test('the obsolete rfc850 and asctime forms are read too (RFC 9110 §5.6.7)', () => {
    assert.equal(lifetime({ expires: 'Thursday, 01-Jan-26 14:00:00 GMT' }), 2 * HOUR);
    assert.equal(lifetime({ expires: 'Thu Jan  1 14:00:00 2026' }), 2 * HOUR);
  });
});

describe('Age (RFC 9111 §5.1)', () => {
  test('is subtracted from an explicit lifetime, then the floor applies', () => {
    assert.equal(lifetime({ 'cache-control': 'max-age=7200', age: '3600' }), HOUR);
    assert.equal(lifetime({ 'cache-control': 'max-age=3600', age: '3500' }), 5 * MINUTE);
    assert.equal(lifetime({ expires: httpDate(NOW + 2 * HOUR), age: '1800' }), 90 * MINUTE);
  });

  test('an invalid Age is ignored; of a list the first member counts', () => {
    assert.equal(lifetime({ 'cache-control': 'max-age=7200', age: '-3600' }), 2 * HOUR);
    assert.equal(lifetime({ 'cache-control': 'max-age=7200', age: 'old' }), 2 * HOUR);
    assert.equal(lifetime({ 'cache-control': 'max-age=7200', age: '600, 7000' }), 110 * MINUTE);
  });

  test('does not shorten the default lifetime', () => {
    assert.equal(lifetime({ age: '3000' }), HOUR);
  });
});

describe('parseHttpDate (RFC 9110 §5.6.7)', () => {
  const at = Date.UTC(1994, 10, 6, 8, 49, 37);
  test('the three forms', () => {
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', NOW), at);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW), at);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW), at);
  });
  test('anything else is not a date', () => {
    for (const text of ['0', '1994-11-06', 'Sun, 06 Nov 1994 08:49:37 UTC', 'Sun, 06 Nov 1994 25:49:37 GMT', 'Sun, 6 Nov 1994 08:49:37 GMT']) {
      assert.equal(parseHttpDate(text, NOW), undefined, text);
    }
  });
});
