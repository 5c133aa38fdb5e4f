/**
 * The form parser of the OAuth endpoints (src/http/body-parsers.ts, parseForm): the WHATWG URL
 * standard's application/x-www-form-urlencoded parsing, name for name and value for value the
 * same as URLSearchParams, except that a `%` not followed by two hex digits is refused.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseForm } from '../../../src/http/body-parsers.js';

const SAME_AS_URLSEARCHPARAMS = [
  '',
  'a=1',
  'grant_type=client_credentials&scope=bench%3Aread+other',
  'client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJ.eyJ.c2ln',
  'a&b=&=c&&d==e=',
  '&&&',
  'x=a+b%2Bc%20d',
  'caf%C3%A9=%E2%82%AC',
  // Invalid UTF-8 after percent-decoding: the standard's U+FFFD, not an error.
  'bad=%FF%FE&overlong=%C0%80&surrogate=%ED%A0%80&cut=%E2%82',
  'bom=%EF%BB%BFx',
  'plus+name=v&%2B=%2b',
  'ünï=çødé',
  'a=1&a=2',
];

describe('parseForm', () => {
  for (const text of SAME_AS_URLSEARCHPARAMS) {
    test(`WHATWG URL standard, urlencoded parsing: ${JSON.stringify(text)} reads as URLSearchParams reads it`, () => {
      assert.deepEqual(parseForm(text), [...new URLSearchParams(text)]);
    });
  }

  test('a percent sign not followed by two hex digits is refused, where URLSearchParams keeps it', () => {
    for (const text of ['a=%', 'a=%4', 'a=%zz', '%=1', 'a=1&b=100%', 'a=%4g', 'a=%G1', 'a=%41%', 'a=%%41', 'a=%41&b=%/0', 'a=%:0', 'a=%@1', 'a=%`1']) assert.throws(() => parseForm(text), /invalid percent-encoding/);
  });
});
