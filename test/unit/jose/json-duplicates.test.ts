/**
 * Repeated member names (src/jose/json-duplicates.ts), which RFC 7515 §4, RFC 7519 §4 and
 * RFC 7517 §4 let Keyway refuse: found through escaped quotes and backslashes inside strings,
 * and with names compared after their escapes are decoded (RFC 8259 §7).
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { findDuplicateMember } from '../../../src/jose/json-duplicates.js';

describe('findDuplicateMember', () => {
  const cases: Array<[string, string | undefined]> = [
    ['{"a":1,"b":2}', undefined],
    ['{"a":"x\\\\","a":1}', 'a'],
    ['{"a":"x\\"","a":1}', 'a'],
    ['{"a":"x\\",\\"a\\":1"}', undefined],
    ['{"x":"\\\\\\\\","y":1,"x":3}', 'x'],
    ['{"\\u0061":1,"a":2}', 'a'],
    ['{"k\\\\":1,"k\\\\":2}', 'k\\'],
    ['{"a":["\\"}",{"b":1,"b":2}]}', 'b'],
    ['{"a":{"b":1},"b":{"a":1}}', undefined],
  ];
  for (const [json, expected] of cases) {
    test(`RFC 8259 §7 strings: ${json} repeats ${expected ?? 'nothing'}`, () => {
      JSON.parse(json);
      assert.equal(findDuplicateMember(json), expected);
    });
  }
});
