/**
 * The expression context's `user` is read from the store at most once per token request, whether
 * the application's mappings, its resources' attributes or both need it, and not at all when no
 * mapping needs it.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mappingUserOnce } from '../../../src/protocol/claims/token-claims.js';
import type { UserInfoSource } from '../../../src/protocol/sign-in/ports.js';

function countingSource(): { source: UserInfoSource; reads: () => number } {
  let reads = 0;
  const source: UserInfoSource = {
    claims: async () => ({ sub: 'u' }),
    mappingUser: async (environmentId, userId) => {
      reads += 1;
      return { id: userId, env: environmentId };
    },
  };
  return { source, reads: () => reads };
}

test('one read for several callers, the same value each time', async () => {
  const { source, reads } = countingSource();
  const user = mappingUserOnce(source, 'env', 'u1');
  assert.equal(reads(), 0, 'nothing is read until a mapping asks');
  const [a, b] = await Promise.all([user(), user()]);
  assert.deepEqual(a, { id: 'u1', env: 'env' });
  assert.equal(b, a);
  assert.deepEqual(await user(), a);
  assert.equal(reads(), 1);
});

test('a source without mapping users gives no user', async () => {
  const user = mappingUserOnce({ claims: async () => ({ sub: 'u' }) }, 'env', 'u1');
  assert.equal(await user(), undefined);
});
