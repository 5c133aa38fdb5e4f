/**
 * The expression context's `user` carries PingOne's `address`, `photo`, `primaryPhone`,
 * `accountId` and `type` (PingOne's sample user model: `user.address.locality`), and the
 * PREDEFINED `address` claim's expression yields exactly the built-in `address` claim (OpenID
 * Connect Core 1.0 §5.1.1: only the members with a value; none without an address).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { userInfo } from '../../../src/adapters/sign-in/user-info.js';
import { compileMapping, evaluateMapping, type JsonValue } from '../../../src/domain/expressions/index.js';
import { PREDEFINED_OPENID_CLAIMS } from '../../../src/domain/openid-resource.js';
import type { UserRecord } from '../../../src/domain/users/user.js';
import type { UserProfile } from '../../../src/domain/users/user-profile.js';
import { expressionUser } from '../../../src/protocol/claims/expression-user.js';
import type { Store } from '../../../src/store/types.js';

const NOW = new Date('2024-05-06T07:08:09.010Z');
const NO_GROUPS = { memberOfGroupIDs: [], memberOfGroupNames: [] };

function user(profile: UserProfile): UserRecord {
  return {
    id: 'u1',
    environmentId: 'e1',
    populationId: 'p1',
    username: 'ada',
    email: 'ada@example.com',
    enabled: true,
    lifecycleStatus: 'ACCOUNT_OK',
    profile,
    customAttributes: {},
    signIn: { failedAttempts: 0 },
    version: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
}

function evaluate(source: string, record: UserRecord): JsonValue | undefined {
  const outcome = evaluateMapping(compileMapping(source), { root: { user: expressionUser(record, NO_GROUPS) }, now: NOW });
  assert.ok(outcome.ok, source);
  return outcome.value;
}

/** The built-in claims for `scope`, through the store adapter over one user. */
async function builtIn(record: UserRecord, scope: string[]): Promise<Record<string, unknown>> {
  const store = { getUser: async () => record } as unknown as Store;
  const claims = await userInfo(store).claims('e1', 'u1', scope);
  assert.ok(claims);
  return claims;
}

const FULL: UserProfile = {
  address: { streetAddress: '12 Main Street\nApt. 4', locality: 'Springfield', region: 'IL', postalCode: '62701', countryCode: 'US' },
  photo: { href: 'https://images.example.com/ada.png' },
  primaryPhone: '+1 555 0100',
  accountId: 'acct-1',
  type: 'Employee',
};

test('user.address.*, user.photo.href, user.primaryPhone, user.accountId and user.type evaluate', () => {
  const record = user(FULL);
  assert.equal(evaluate('${user.address.locality}', record), 'Springfield');
  assert.equal(evaluate('${user.address.streetAddress}', record), '12 Main Street\nApt. 4');
  assert.equal(evaluate('${user.address.countryCode}', record), 'US');
  assert.equal(evaluate('${user.photo.href}', record), 'https://images.example.com/ada.png');
  assert.equal(evaluate('${user.primaryPhone}', record), '+1 555 0100');
  assert.equal(evaluate('${user.accountId}', record), 'acct-1');
  assert.equal(evaluate('${user.type}', record), 'Employee');
  assert.equal(evaluate('${user.address?.locality}', user({})), undefined, 'no address: safe navigation gives no value');
});

test('the PREDEFINED address expression yields the built-in address claim', async () => {
  const expression = PREDEFINED_OPENID_CLAIMS.find(([name]) => name === 'address');
  assert.ok(expression);
  assert.equal(expression[2], 'address', 'released by the address scope');
  const cases: UserProfile[] = [FULL, { address: { locality: 'Paris', countryCode: 'FR' } }, { address: { postalCode: '75001' } }, {}];
  for (const profile of cases) {
    const record = user(profile);
    const claims = await builtIn(record, ['openid', 'address']);
    assert.deepEqual(evaluate(expression[1], record), claims.address, JSON.stringify(profile));
  }
  assert.deepEqual((await builtIn(user(FULL), ['openid', 'address'])).address, {
    street_address: '12 Main Street\nApt. 4',
    locality: 'Springfield',
    region: 'IL',
    postal_code: '62701',
    country: 'US',
  });
  assert.equal(Object.hasOwn(await builtIn(user({}), ['openid', 'address']), 'address'), false, 'no address claim without an address');
  assert.equal(Object.hasOwn(await builtIn(user(FULL), ['openid', 'email']), 'address'), false, 'only with the address scope');
});
