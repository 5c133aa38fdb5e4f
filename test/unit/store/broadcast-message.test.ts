/**
 * The wire form of the instances' broadcast on PostgreSQL (src/store/postgres/broadcast.ts):
 * which received payloads an instance takes, and which it leaves out.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { MAX_BROADCAST_CHARS, readBroadcast } from '../../../src/store/postgres/broadcast.js';

const own = { schema: 'keyway_a', instance: 'instance-1' };
const payload = (fields: Record<string, unknown>): string => JSON.stringify({ v: 1, s: 'keyway_a', i: 'instance-2', m: 'hello', ...fields });

describe('broadcast payloads', () => {
  test("another instance's message on this schema is taken", () => {
    assert.equal(readBroadcast(payload({}), own), 'hello');
    assert.equal(readBroadcast(payload({ s: null }), { ...own, schema: null }), 'hello');
  });

  test("this instance's own messages, other schemas' and other versions' are left out", () => {
    assert.equal(readBroadcast(payload({ i: 'instance-1' }), own), undefined);
    assert.equal(readBroadcast(payload({ s: 'keyway_b' }), own), undefined);
    assert.equal(readBroadcast(payload({ s: null }), own), undefined);
    assert.equal(readBroadcast(payload({ v: 2 }), own), undefined);
  });

  test('what is not a message of this form is left out', () => {
    for (const bad of [undefined, '', 'not json', '[1]', 'null', '"text"', payload({ m: 42 }), payload({ i: 7 }), payload({ m: 'x'.repeat(MAX_BROADCAST_CHARS + 1) }), payload({ m: 'x'.repeat(9_000) })]) {
      assert.equal(readBroadcast(bad, own), undefined, String(bad).slice(0, 40));
    }
  });
});
