/**
 * Contract: authorization codes and refresh tokens (SignInStore). A code is redeemed once,
 * whatever the concurrency, and only the winning redemption stores its refresh token; a refresh
 * token rotates once, a late reuse revokes its family, a retry within the grace period rotates again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOCK_SKEW_MARGIN_SECONDS } from '../../src/store/shared/clock-margin.js';
import type { Store } from '../../src/store/types.js';
import { seedTwoEnvironments, type ContractContext } from './harness.js';
import { at, codeRecord, hash, refreshRecord, successor } from './sign-in-fixtures.js';

export function signInGrantsContract(ctx: ContractContext): void {
  describe('authorization codes', () => {
    it('finds a code, redeemed or not, without consuming it', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const code = codeRecord(envA);
      await store.createAuthorizationCode(envA, code);
      assert.deepEqual(await store.findAuthorizationCode(envA, code.codeHash), code);
      assert.deepEqual(await store.findAuthorizationCode(envA, code.codeHash), code);
      assert.equal((await store.redeemAuthorizationCode(envA, code.codeHash, at(10))).status, 'redeemed');
      assert.deepEqual(await store.findAuthorizationCode(envA, code.codeHash), code);
      assert.equal(await store.findAuthorizationCode(envA, hash()), undefined);
    });

    it('redeems a code exactly once among 10 concurrent redemptions, storing only the winner’s refresh token', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const code = codeRecord(envA);
      await store.createAuthorizationCode(envA, code);
      const tokens = Array.from({ length: 10 }, () => refreshRecord(envA, { grantId: code.grantId, familyId: hash() }));
      const results = await Promise.all(tokens.map((t) => store.redeemAuthorizationCode(envA, code.codeHash, at(10), t)));
      const winners = results.flatMap((r, i) => (r.status === 'redeemed' ? [i] : []));
      assert.equal(winners.length, 1, 'exactly one redemption');
      for (const r of results) {
        assert.notEqual(r.status, 'not_found');
        if (r.status !== 'not_found') assert.deepEqual(r.code, code);
      }
      for (const [i, t] of tokens.entries()) {
        const stored = await store.getRefreshToken(envA, t.tokenHash, at(20));
        if (i === winners[0]) assert.deepEqual(stored, t);
        else assert.equal(stored, undefined, 'a losing redemption stores nothing');
      }
    });

    it('answers not_found for an unknown code and redeems without a refresh token', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      assert.deepEqual(await store.redeemAuthorizationCode(envA, hash(), at(1)), { status: 'not_found' });
      const code = codeRecord(envA, { expiresAt: at(5) });
      await store.createAuthorizationCode(envA, code);
      // Expiry is the protocol's check (findCode first): the store redeems regardless.
      assert.equal((await store.redeemAuthorizationCode(envA, code.codeHash, at(100))).status, 'redeemed');
      assert.equal((await store.redeemAuthorizationCode(envA, code.codeHash, at(101))).status, 'already_redeemed');
    });

    it('revokes every refresh token of a grant, and only of that grant', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const grant = refreshRecord(envA, { grantId: 'g1', familyId: 'f1' });
      const other = refreshRecord(envA, { grantId: 'g2', familyId: 'f2' });
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c1' }));
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c2' }));
      await store.redeemAuthorizationCode(envA, 'c1', at(1), grant);
      await store.redeemAuthorizationCode(envA, 'c2', at(1), other);
      const next = successor(grant, 2);
      assert.equal((await store.rotateRefreshToken(envA, grant.tokenHash, next, at(2), 0)).status, 'rotated');
      assert.equal(await store.revokeGrant(envA, 'g1'), 2);
      assert.equal(await store.getRefreshToken(envA, grant.tokenHash, at(3)), undefined);
      assert.equal(await store.getRefreshToken(envA, next.tokenHash, at(3)), undefined);
      assert.deepEqual(await store.getRefreshToken(envA, other.tokenHash, at(3)), other);
      assert.equal((await store.rotateRefreshToken(envA, next.tokenHash, successor(next, 4), at(4), 60)).status, 'reused');
    });
  });

  describe('access tokens of a grant (RFC 6749 §4.1.2, §10.4)', () => {
    const jti = () => `jti-${hash().slice(0, 12)}`;

    it('a grant revocation revokes the unexpired access tokens remembered for it, and only those', async () => {
      const store = ctx.store();
      const { envA, envB } = await seedTwoEnvironments(store);
      const [fromCode, fromRefresh, expired, otherGrant] = [jti(), jti(), jti(), jti()];
      const first = refreshRecord(envA, { grantId: 'g1', familyId: 'f1' });
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c1' }));
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c2' }));
      await store.createAuthorizationCode(envB, codeRecord(envB, { codeHash: 'c1' }));
      await store.redeemAuthorizationCode(envA, 'c1', at(1), first, { jti: fromCode, grantId: 'g1', familyId: 'f1', expiresAt: '2999-01-01T00:00:00.000Z' });
      await store.redeemAuthorizationCode(envA, 'c2', at(1), undefined, { jti: otherGrant, grantId: 'g2', expiresAt: '2999-01-01T00:00:00.000Z' });
      // The same grant id in another environment is another grant.
      await store.redeemAuthorizationCode(envB, 'c1', at(1), undefined, { jti: fromCode, grantId: 'g1', expiresAt: '2999-01-01T00:00:00.000Z' });
      const next = successor(first, 2);
      const issued = { jti: fromRefresh, grantId: 'g1', familyId: 'f1', expiresAt: '2999-01-01T00:00:00.000Z' };
      assert.equal((await store.rotateRefreshToken(envA, first.tokenHash, next, at(2), 0, issued)).status, 'rotated');
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c3' }));
      await store.redeemAuthorizationCode(envA, 'c3', at(1), undefined, { jti: expired, grantId: 'g1', expiresAt: '2000-01-01T00:00:00.000Z' });
      for (const id of [fromCode, fromRefresh, otherGrant]) assert.equal(await store.isTokenRevoked(envA, id), false);

      assert.equal(await store.revokeGrant(envA, 'g1'), 2, 'the count is of refresh tokens');
      assert.equal(await store.isTokenRevoked(envA, fromCode), true);
      assert.equal(await store.isTokenRevoked(envA, fromRefresh), true);
      assert.equal(await store.isTokenRevoked(envA, otherGrant), false);
      assert.equal(await store.isTokenRevoked(envA, expired), false, 'an expired token needs no revocation record');
      assert.equal(await store.isTokenRevoked(envB, fromCode), false);
      assert.equal(await store.revokeGrant(envA, 'g1'), 0, 'a second revocation is harmless');
    });

    it('a losing redemption remembers nothing; a refresh reuse revokes the family\'s access tokens in its own transaction', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const [winner, loser, rotatedJti, replayJti] = [jti(), jti(), jti(), jti()];
      const first = refreshRecord(envA, { grantId: 'g1', familyId: 'f1' });
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c1' }));
      const later = '2999-01-01T00:00:00.000Z';
      await store.redeemAuthorizationCode(envA, 'c1', at(1), first, { jti: winner, grantId: 'g1', familyId: 'f1', expiresAt: later });
      const lost = await store.redeemAuthorizationCode(envA, 'c1', at(2), undefined, { jti: loser, grantId: 'g1', expiresAt: later });
      assert.equal(lost.status, 'already_redeemed');
      await store.revokeGrant(envA, 'g-unrelated');
      assert.equal(await store.isTokenRevoked(envA, winner), false);

      const next = successor(first, 3);
      await store.rotateRefreshToken(envA, first.tokenHash, next, at(3), 0, { jti: rotatedJti, grantId: 'g1', familyId: 'f1', expiresAt: later });
      const reuse = await store.rotateRefreshToken(envA, first.tokenHash, successor(first, 100), at(100), 0, { jti: replayJti, grantId: 'g1', familyId: 'f1', expiresAt: later });
      assert.equal(reuse.status, 'reused');
      assert.equal(await store.isTokenRevoked(envA, winner), true);
      assert.equal(await store.isTokenRevoked(envA, rotatedJti), true);
      // The reuse's own token was never handed out and is not remembered; revoking the grant later copies nothing more.
      await store.revokeGrant(envA, 'g1');
      assert.equal(await store.isTokenRevoked(envA, replayJti), false);
      assert.equal(await store.isTokenRevoked(envA, loser), false);
    });

    it('revokeRefreshFamily revokes the family\'s access tokens', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const token = jti();
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c1' }));
      await store.redeemAuthorizationCode(envA, 'c1', at(1), refreshRecord(envA, { grantId: 'g1', familyId: 'f9' }), { jti: token, grantId: 'g1', familyId: 'f9', expiresAt: '2999-01-01T00:00:00.000Z' });
      assert.equal(await store.revokeRefreshFamily(envA, 'f9'), 1);
      assert.equal(await store.isTokenRevoked(envA, token), true);
    });

    it('revoking a grant also revokes its access tokens expired within the clock-skew margin of the database clock (an instance behind may still accept them)', async () => {
      const store = ctx.store();
      const { envA } = await seedTwoEnvironments(store);
      const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
      const [recent, old] = [jti(), jti()];
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c1' }));
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c2' }));
      await store.redeemAuthorizationCode(envA, 'c1', at(1), undefined, { jti: recent, grantId: 'g1', expiresAt: ago(CLOCK_SKEW_MARGIN_SECONDS - 30) });
      await store.redeemAuthorizationCode(envA, 'c2', at(1), undefined, { jti: old, grantId: 'g1', expiresAt: ago(CLOCK_SKEW_MARGIN_SECONDS + 30) });
      await store.revokeGrant(envA, 'g1');
      assert.equal(await store.isTokenRevoked(envA, recent), true);
      assert.equal(await store.isTokenRevoked(envA, old), false, 'expired beyond the margin: no instance accepts it');
    });
  });

  it('redeems a code and rotates a refresh token once across two stores on one database', async (t) => {
    const fresh = ctx.options.freshDatabase;
    if (!fresh) return t.skip('in-memory backend');
    const db = await fresh();
    const stores: Store[] = [await db.open(), await db.open()];
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      const [one, two] = stores as [Store, Store];
      const { envA } = await seedTwoEnvironments(one);
      const code = codeRecord(envA);
      await one.createAuthorizationCode(envA, code);
      const tokens = Array.from({ length: 10 }, () => refreshRecord(envA, { familyId: hash() }));
      const redeemed = await Promise.all(tokens.map((tk, i) => (i % 2 ? one : two).redeemAuthorizationCode(envA, code.codeHash, at(1), tk)));
      const winner = redeemed.findIndex((r) => r.status === 'redeemed');
      assert.equal(redeemed.filter((r) => r.status === 'redeemed').length, 1);
      const first = tokens[winner];
      assert.ok(first);
      const nexts = Array.from({ length: 10 }, () => successor(first, 2));
      const rotated = await Promise.all(nexts.map((n, i) => (i % 2 ? one : two).rotateRefreshToken(envA, first.tokenHash, n, at(2), 0)));
      assert.equal(rotated.filter((r) => r.status === 'rotated').length, 1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  describe('refresh tokens', () => {
    /** A store with a first token of family `family` in environment A. */
    async function withToken() {
      const store = ctx.store();
      const seeded = await seedTwoEnvironments(store);
      const first = refreshRecord(seeded.envA);
      const code = codeRecord(seeded.envA);
      await store.createAuthorizationCode(seeded.envA, code);
      await store.redeemAuthorizationCode(seeded.envA, code.codeHash, at(0), first);
      return { store, ...seeded, first };
    }

    it('rotates once, keeps returning the rotated token, and refuses revoked or expired ones', async () => {
      const { store, envA, first } = await withToken();
      const next = successor(first, 10);
      const rotated = await store.rotateRefreshToken(envA, first.tokenHash, next, at(10), 0);
      assert.deepEqual(rotated, { status: 'rotated', previous: first });
      assert.deepEqual(await store.getRefreshToken(envA, first.tokenHash, at(11)), first, 'rotated tokens stay readable');
      assert.deepEqual(await store.getRefreshToken(envA, next.tokenHash, at(11)), next);
      assert.equal(await store.getRefreshToken(envA, next.tokenHash, next.expiresAt), undefined, 'expired');
      assert.deepEqual(await store.rotateRefreshToken(envA, hash(), successor(first, 12), at(12), 0), { status: 'not_found' });
      assert.equal(await store.revokeRefreshFamily(envA, first.familyId), 2);
      assert.equal(await store.getRefreshToken(envA, next.tokenHash, at(13)), undefined, 'revoked');
      const again = await store.rotateRefreshToken(envA, next.tokenHash, successor(next, 14), at(14), 60);
      assert.equal(again.status, 'reused', 'a revoked token never rotates, even within the grace period');
    });

    it('treats a late reuse of a rotated token as a replay and revokes the whole family', async () => {
      const { store, envA, first } = await withToken();
      const unrelated = refreshRecord(envA, { familyId: 'other-family' });
      await store.createAuthorizationCode(envA, codeRecord(envA, { codeHash: 'c2' }));
      await store.redeemAuthorizationCode(envA, 'c2', at(0), unrelated);
      const next = successor(first, 10);
      await store.rotateRefreshToken(envA, first.tokenHash, next, at(10), 5);
      const replay = successor(first, 16);
      const reused = await store.rotateRefreshToken(envA, first.tokenHash, replay, at(16), 5);
      assert.deepEqual(reused, { status: 'reused', previous: first });
      assert.equal(await store.getRefreshToken(envA, next.tokenHash, at(17)), undefined, 'the successor is revoked');
      assert.equal(await store.getRefreshToken(envA, replay.tokenHash, at(17)), undefined, 'nothing was issued');
      assert.deepEqual(await store.getRefreshToken(envA, unrelated.tokenHash, at(17)), unrelated);
    });

    it('rotates a retried token again within the grace period', async () => {
      const { store, envA, first } = await withToken();
      const next = successor(first, 10);
      await store.rotateRefreshToken(envA, first.tokenHash, next, at(10), 5);
      const retry = successor(first, 15);
      assert.deepEqual(await store.rotateRefreshToken(envA, first.tokenHash, retry, at(15), 5), { status: 'rotated', previous: first });
      assert.deepEqual(await store.getRefreshToken(envA, retry.tokenHash, at(15)), retry);
      assert.deepEqual(await store.getRefreshToken(envA, next.tokenHash, at(15)), next);
    });

    it('lets exactly one of 10 concurrent rotations win without a grace period; the others revoke the family', async () => {
      const { store, envA, first } = await withToken();
      const nexts = Array.from({ length: 10 }, () => successor(first, 10));
      const results = await Promise.all(nexts.map((n) => store.rotateRefreshToken(envA, first.tokenHash, n, at(10), 0)));
      assert.equal(results.filter((r) => r.status === 'rotated').length, 1);
      assert.equal(results.filter((r) => r.status === 'reused').length, 9);
      for (const n of nexts) assert.equal(await store.getRefreshToken(envA, n.tokenHash, at(11)), undefined);
    });
  });
}
