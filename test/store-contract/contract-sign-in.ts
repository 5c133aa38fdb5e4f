/**
 * Contract: the sign-in state (SignInStore): flows, sessions and PAR requests here, codes and
 * refresh tokens in contract-sign-in-grants.ts; then, for every table, isolation between
 * environments, removal with the environment, and the purge of expired rows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOCK_SKEW_MARGIN_SECONDS } from '../../src/store/shared/clock-margin.js';
import type { Store } from '../../src/store/types.js';
import { seedTwoEnvironments, type ContractContext } from './harness.js';
import { signInGrantsContract } from './contract-sign-in-grants.js';
import { at, codeRecord, flowRecord, hash, parRecord, refreshRecord, sessionRecord } from './sign-in-fixtures.js';

/** An ISO instant `seconds` before now (the database's clock is this machine's in these tests); SLACK keeps clear of the cut-off. */
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
const MARGIN = CLOCK_SKEW_MARGIN_SECONDS;
const SLACK = 30;

/** One row of every sign-in table in `environmentId`; the refresh token arrives with its code. */
async function seedSignIn(store: Store, environmentId: string, expiresAt = at(600)) {
  const flow = flowRecord(environmentId, { expiresAt });
  const session = sessionRecord(environmentId, { expiresAt });
  const code = codeRecord(environmentId, { expiresAt });
  const token = refreshRecord(environmentId, { expiresAt, grantId: code.grantId });
  const par = parRecord(environmentId, { expiresAt });
  const accessToken = { jti: hash(), grantId: code.grantId, familyId: token.familyId, expiresAt };
  await store.createFlow(environmentId, flow);
  await store.createSession(environmentId, session);
  await store.createAuthorizationCode(environmentId, code);
  assert.equal((await store.redeemAuthorizationCode(environmentId, code.codeHash, at(1), token, accessToken)).status, 'redeemed');
  await store.createParRequest(environmentId, par);
  return { flow, session, code, token, par };
}

export function signInContract(ctx: ContractContext): void {
  describe('sign-in state', () => {
    it('updates a flow only at the expected version and consumes it once', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const flow = flowRecord(envA);
      await store.createFlow(envA, flow);
      assert.deepEqual(await store.getFlow(envA, flow.id), flow);
      const done = { ...flow, status: 'COMPLETED' as const, userId: 'user-1', sessionId: hash() };
      assert.equal(await store.updateFlow(envA, done, 1), true);
      assert.deepEqual(await store.getFlow(envA, flow.id), { ...done, version: 2 });
      assert.equal(await store.updateFlow(envA, { ...flow, status: 'FAILED' }, 1), false, 'stale version');
      const consumed = await Promise.all([store.consumeFlow(envA, flow.id), store.consumeFlow(envA, flow.id)]);
      assert.deepEqual(consumed.sort(), [false, true]);
      assert.equal(await store.getFlow(envA, flow.id), undefined);
      assert.equal(await store.updateFlow(envA, done, 2), false, 'gone');
    });

    it('returns a session until it expires or is revoked', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const session = sessionRecord(envA, { acr: 'Single_Factor' });
      await store.createSession(envA, session);
      assert.deepEqual(await store.getSession(envA, session.idHash, at(10)), session);
      assert.equal(await store.getSession(envA, session.idHash, session.expiresAt), undefined);
      await store.revokeSession(envA, session.idHash);
      assert.equal(await store.getSession(envA, session.idHash, at(10)), undefined);
      await store.revokeSession(envA, hash());
    });

    it('hands a PAR request out once, and never once expired', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const par = parRecord(envA);
      await store.createParRequest(envA, par);
      const taken = await Promise.all([store.consumeParRequest(envA, par.id, at(10)), store.consumeParRequest(envA, par.id, at(10))]);
      assert.deepEqual(taken.filter((p) => p !== undefined), [par]);
      const late = parRecord(envA);
      await store.createParRequest(envA, late);
      assert.equal(await store.consumeParRequest(envA, late.id, late.expiresAt), undefined);
      assert.equal(await store.consumeParRequest(envA, late.id, at(0)), undefined, 'an expired request is gone for good');
    });

    it('keeps every sign-in table apart between environments', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const a = await seedSignIn(store, envA);
      const now = at(10);
      assert.equal(await store.getFlow(envB, a.flow.id), undefined);
      assert.equal(await store.updateFlow(envB, { ...a.flow, environmentId: envB }, 1), false);
      assert.equal(await store.consumeFlow(envB, a.flow.id), false);
      assert.equal(await store.getSession(envB, a.session.idHash, now), undefined);
      await store.revokeSession(envB, a.session.idHash);
      assert.equal(await store.findAuthorizationCode(envB, a.code.codeHash), undefined);
      assert.deepEqual(await store.redeemAuthorizationCode(envB, a.code.codeHash, now), { status: 'not_found' });
      assert.equal(await store.getRefreshToken(envB, a.token.tokenHash, now), undefined);
      const foreign = refreshRecord(envB);
      assert.deepEqual(await store.rotateRefreshToken(envB, a.token.tokenHash, foreign, now, 0), { status: 'not_found' });
      assert.equal(await store.getRefreshToken(envB, foreign.tokenHash, now), undefined, 'nothing issued');
      assert.equal(await store.revokeGrant(envB, a.token.grantId), 0);
      assert.equal(await store.revokeRefreshFamily(envB, a.token.familyId), 0);
      assert.equal(await store.consumeParRequest(envB, a.par.id, now), undefined);
      // Environment A still has all of it, untouched.
      assert.deepEqual(await store.getFlow(envA, a.flow.id), a.flow);
      assert.deepEqual(await store.getSession(envA, a.session.idHash, now), a.session);
      assert.deepEqual(await store.getRefreshToken(envA, a.token.tokenHash, now), a.token);
      assert.deepEqual(await store.consumeParRequest(envA, a.par.id, now), a.par);
      await assert.rejects(store.createFlow(envB, a.flow), TypeError, 'a record of another environment is refused');
    });

    it('deletes the sign-in state with its environment', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const a = await seedSignIn(store, envA);
      const b = await seedSignIn(store, envB);
      assert.equal(await store.deleteEnvironment(envA), true);
      const now = at(10);
      assert.equal(await store.getFlow(envA, a.flow.id), undefined);
      assert.equal(await store.getSession(envA, a.session.idHash, now), undefined);
      assert.equal(await store.findAuthorizationCode(envA, a.code.codeHash), undefined);
      assert.equal(await store.getRefreshToken(envA, a.token.tokenHash, now), undefined);
      assert.equal(await store.consumeParRequest(envA, a.par.id, now), undefined);
      assert.deepEqual(await store.getFlow(envB, b.flow.id), b.flow);
      assert.deepEqual(await store.getRefreshToken(envB, b.token.tokenHash, now), b.token);
    });

    it('purges rows of every table expired more than the clock-skew margin before the database clock, in batches, keeping the others', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const expired = [await seedSignIn(store, envA, ago(MARGIN + 3600)), await seedSignIn(store, envB, ago(MARGIN + 3600))];
      const recent = await seedSignIn(store, envA, ago(MARGIN - SLACK));
      const live = await seedSignIn(store, envA, ago(-1000));
      // Six tables, remembered access tokens included: one row of each per call with limit 1.
      assert.equal(await store.purgeExpiredSignInState(1), 6, 'at most `limit` rows per table');
      assert.equal(await store.purgeExpiredSignInState(100), 6);
      assert.equal(await store.purgeExpiredSignInState(100), 0);
      for (const e of expired) assert.equal(await store.findAuthorizationCode(e.code.environmentId, e.code.codeHash), undefined);
      for (const kept of [recent, live]) {
        assert.deepEqual(await store.getFlow(envA, kept.flow.id), kept.flow);
        assert.deepEqual(await store.findAuthorizationCode(envA, kept.code.codeHash), kept.code);
        assert.deepEqual(await store.getRefreshToken(envA, kept.token.tokenHash, at(200)), kept.token);
      }
    });
  });

  signInGrantsContract(ctx);
}
