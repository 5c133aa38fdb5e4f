/**
 * Contract: what client authentication keeps per application: uploaded client certificates and
 * the recorded client-authentication events (diagnostics). Both belong to their application and
 * go with it, and with its environment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation, type ClientAuthEventRecord, type Store } from '../../src/store/types.js';
import { applicationBundle, clientAuthEvent, clientCertificate, dropUndefined } from '../support/store-fixtures.js';
import { seedTwoEnvironments, sortedById, type ContractContext } from './harness.js';

const t = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();

/** Environments A and B, two applications in A and one in B. */
async function seedApps(store: Store) {
  const seeded = await seedTwoEnvironments(store);
  const [app, sibling, appB] = [applicationBundle(seeded.envA), applicationBundle(seeded.envA), applicationBundle(seeded.envB)];
  await store.createApplication(seeded.envA, app);
  await store.createApplication(seeded.envA, sibling);
  await store.createApplication(seeded.envB, appB);
  return { ...seeded, appId: app.application.id, siblingId: sibling.application.id, appBId: appB.application.id };
}

/** Records `count` events of one application, one second apart from `from`, with `keep`. */
async function recordEvents(store: Store, envId: string, appId: string, count: number, keep: number, from = 0) {
  const events: ClientAuthEventRecord[] = [];
  for (let i = 0; i < count; i++) {
    const event = clientAuthEvent(envId, appId, { at: t(from + i), reason: `REASON_${from + i}` });
    events.push(event);
    await store.recordClientAuthEvent(envId, event, keep);
  }
  return events;
}

export function clientKeysContract(ctx: ContractContext): void {
  describe('client certificates', () => {
    it('creates, lists, reads and deletes the certificates of an application', async () => {
      const store = ctx.store();
      const { envA, appId } = await seedApps(store);
      const first = clientCertificate(envA, appId, { createdAt: t(1) });
      const second = clientCertificate(envA, appId, { createdAt: t(2), publicJwk: { kty: 'RSA', n: 'sXch', e: 'AQAB' } });
      await store.createClientCertificate(envA, second);
      await store.createClientCertificate(envA, first);
      assert.deepEqual(await store.listClientCertificates(envA, appId), [first, second], 'oldest first');
      assert.deepEqual(await store.getClientCertificate(envA, appId, second.id), second);
      assert.equal(await store.getClientCertificate(envA, appId, 'missing'), undefined);
      assert.equal(await store.deleteClientCertificate(envA, appId, first.id), true);
      assert.equal(await store.deleteClientCertificate(envA, appId, first.id), false);
      assert.equal(await store.getClientCertificate(envA, appId, first.id), undefined);
      assert.deepEqual(await store.listClientCertificates(envA, appId), [second]);
    });

    it('rejects a second key with the same id in one application, as UniqueViolation("id")', async () => {
      const store = ctx.store();
      const { envA, envB, appId, siblingId, appBId } = await seedApps(store);
      const cert = clientCertificate(envA, appId);
      await store.createClientCertificate(envA, cert);
      await assert.rejects(store.createClientCertificate(envA, { ...cert, subject: 'CN=other' }), (err: unknown) => {
        assert.ok(err instanceof UniqueViolation);
        assert.equal(err.field, 'id');
        return true;
      });
      assert.deepEqual(await store.getClientCertificate(envA, appId, cert.id), cert, 'the first is kept');
      const sameIdSibling = clientCertificate(envA, siblingId, { id: cert.id });
      const sameIdB = clientCertificate(envB, appBId, { id: cert.id });
      await store.createClientCertificate(envA, sameIdSibling);
      await store.createClientCertificate(envB, sameIdB);
      assert.deepEqual(await store.getClientCertificate(envA, siblingId, cert.id), sameIdSibling);
      assert.deepEqual(await store.getClientCertificate(envB, appBId, cert.id), sameIdB);
    });

    it('keeps applications and environments apart', async () => {
      const store = ctx.store();
      const { envA, envB, appId, siblingId } = await seedApps(store);
      const cert = clientCertificate(envA, appId);
      await store.createClientCertificate(envA, cert);
      for (const [env, app] of [[envB, appId], [envA, siblingId], ['00000000-0000-4000-8000-0000000000ff', appId]] as const) {
        assert.deepEqual(await store.listClientCertificates(env, app), []);
        assert.equal(await store.getClientCertificate(env, app, cert.id), undefined);
        assert.equal(await store.deleteClientCertificate(env, app, cert.id), false);
      }
      assert.deepEqual(await store.listClientCertificates(envA, appId), [cert]);
      await assert.rejects(store.createClientCertificate(envA, clientCertificate(envA, 'missing-app')), 'the application must exist');
      await assert.rejects(store.createClientCertificate(envB, clientCertificate(envB, appId)), 'the application lives in A');
      await assert.rejects(store.createClientCertificate(envB, cert), TypeError, 'a record of A written under B');
    });

    it('are deleted with their application and with their environment', async () => {
      const store = ctx.store();
      const { envA, envB, appId, siblingId, appBId } = await seedApps(store);
      const doomed = clientCertificate(envA, appId);
      const kept = clientCertificate(envA, siblingId);
      const inB = clientCertificate(envB, appBId);
      for (const cert of [doomed, kept]) await store.createClientCertificate(envA, cert);
      await store.createClientCertificate(envB, inB);
      assert.deepEqual(await store.deleteApplication(envA, appId), { status: 'updated', record: null });
      assert.deepEqual(await store.listClientCertificates(envA, appId), []);
      assert.deepEqual(await store.listClientCertificates(envA, siblingId), [kept]);
      assert.equal(await store.deleteEnvironment(envA), true);
      assert.deepEqual(await store.listClientCertificates(envA, siblingId), []);
      assert.deepEqual(await store.listClientCertificates(envB, appBId), [inB]);
    });
  });

  describe('client-authentication events', () => {
    it('keeps only the newest `keep` events of the application, listed newest first', async () => {
      const store = ctx.store();
      const { envA, appId } = await seedApps(store);
      const events = await recordEvents(store, envA, appId, 6, 4);
      const newestFirst = [...events].reverse();
      assert.deepEqual(await store.listClientAuthEvents(envA, appId, 100), newestFirst.slice(0, 4));
      assert.deepEqual(await store.listClientAuthEvents(envA, appId, 2), newestFirst.slice(0, 2));
      const late = clientAuthEvent(envA, appId, { at: t(-10) });
      await store.recordClientAuthEvent(envA, late, 4);
      assert.deepEqual(await store.listClientAuthEvents(envA, appId, 100), newestFirst.slice(0, 4), 'an older event is dropped at once');
      await store.recordClientAuthEvent(envA, clientAuthEvent(envA, appId, { at: t(100) }), 1);
      assert.equal((await store.listClientAuthEvents(envA, appId, 100)).length, 1, 'keep applies at each write');
      await assert.rejects(store.recordClientAuthEvent(envA, clientAuthEvent(envA, appId), 0), RangeError);
    });

    it('round-trips every field, and omits absent optional ones', async () => {
      const store = ctx.store();
      const { envA, appId } = await seedApps(store);
      const full = clientAuthEvent(envA, appId, { at: t(1) });
      const bare = dropUndefined(
        clientAuthEvent(envA, appId, {
          at: t(2),
          outcome: 'LEGACY_SUCCESS',
          reason: 'LEGACY_AUDIENCE',
          method: undefined,
          kid: undefined,
          alg: undefined,
          audienceForm: undefined,
          detail: undefined,
        }),
      );
      await store.recordClientAuthEvent(envA, full, 10);
      await store.recordClientAuthEvent(envA, bare, 10);
      assert.deepEqual(await store.listClientAuthEvents(envA, appId, 10), [bare, full]);
    });

    it('records text holding U+0000 with it written as \\u0000, in every text field (what a client sent is recorded, not refused)', async () => {
      const store = ctx.store();
      const { envA, appId } = await seedApps(store);
      const nul = '\u0000';
      const hostile = clientAuthEvent(envA, appId, {
        at: t(1),
        reason: `R${nul}`,
        kid: `key${nul}one${nul}`,
        alg: `RS${nul}256`,
        detail: `kid "key${nul}one" is unknown`,
        endpoint: `https://auth.example.test/as/token${nul}`,
      });
      await store.recordClientAuthEvent(envA, hostile, 10);
      const [stored] = await store.listClientAuthEvents(envA, appId, 10);
      assert.deepEqual(stored, {
        ...hostile,
        reason: 'R\\u0000',
        kid: 'key\\u0000one\\u0000',
        alg: 'RS\\u0000256',
        detail: 'kid "key\\u0000one" is unknown',
        endpoint: 'https://auth.example.test/as/token\\u0000',
      });
    });

    it('keeps applications and environments apart, also when trimming', async () => {
      const store = ctx.store();
      const { envA, envB, appId, siblingId, appBId } = await seedApps(store);
      const siblings = await recordEvents(store, envA, siblingId, 3, 10);
      const inB = await recordEvents(store, envB, appBId, 3, 10);
      await recordEvents(store, envA, appId, 5, 1, 100);
      assert.equal((await store.listClientAuthEvents(envA, appId, 100)).length, 1);
      assert.deepEqual(sortedById(await store.listClientAuthEvents(envA, siblingId, 100)), sortedById(siblings));
      assert.deepEqual(sortedById(await store.listClientAuthEvents(envB, appBId, 100)), sortedById(inB));
      assert.deepEqual(await store.listClientAuthEvents(envB, appId, 100), []);
      assert.deepEqual(await store.listClientAuthEvents(envA, appBId, 100), []);
      await assert.rejects(store.recordClientAuthEvent(envA, clientAuthEvent(envA, 'missing-app'), 10), 'the application must exist');
      await assert.rejects(store.recordClientAuthEvent(envB, clientAuthEvent(envB, appId), 10), 'the application lives in A');
    });

    it('are deleted with their application and with their environment', async () => {
      const store = ctx.store();
      const { envA, envB, appId, siblingId, appBId } = await seedApps(store);
      await recordEvents(store, envA, appId, 2, 10);
      const kept = await recordEvents(store, envA, siblingId, 1, 10);
      const inB = await recordEvents(store, envB, appBId, 1, 10);
      assert.deepEqual(await store.deleteApplication(envA, appId), { status: 'updated', record: null });
      assert.deepEqual(await store.listClientAuthEvents(envA, appId, 100), []);
      assert.deepEqual(await store.listClientAuthEvents(envA, siblingId, 100), kept);
      assert.equal(await store.deleteEnvironment(envA), true);
      assert.deepEqual(await store.listClientAuthEvents(envA, siblingId, 100), []);
      assert.deepEqual(await store.listClientAuthEvents(envB, appBId, 100), inB);
    });
  });
}
