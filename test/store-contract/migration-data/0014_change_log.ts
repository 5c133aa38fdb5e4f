/**
 * Migration 0014_change_log: on SQLite, every committed configuration write logs the ids it
 * concerns in `config_changes`, which another process sharing the file (KEYWAY_WORKERS) reads as
 * its change feed; rows written before it need nothing. PostgreSQL is unchanged: its triggers of
 * 0005 announce the same writes. On both engines a store opened as another process would open it
 * hears a write made through this one, and a write rolled back is announced nowhere.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import type { ConfigChange } from '../../../src/store/types.js';
import { waitFor } from '../../support/e2e.js';
import { updated } from '../harness.js';
import { APP_WEB, ENV_A } from './0001_init.js';
import { NOW, type CaseContext, type MigrationCase } from './harness.js';

async function promises14({ store, db }: CaseContext): Promise<void> {
  const other = await db.openShared();
  const received: ConfigChange[] = [];
  const feed = other.openChangeFeed?.({ changed: (change) => void received.push(change), listening: () => {}, lost: () => {} });
  try {
    assert.ok(feed, 'a store shared by several processes has a change feed');
    await waitFor('the change feed to listen', async () => feed.listening, 10_000);
    const disabled = { ...APP_WEB, config: { ...APP_WEB.config, enabled: false }, updatedAt: NOW };
    updated(await store.replaceApplication('env-a', disabled, 2));
    updated(await store.updateEnvironment('env-a', { ...ENV_A, settings: { detailedErrors: false }, updatedAt: NOW }, 3));
    // A stale version fails and writes nothing: nothing is announced for it.
    assert.notEqual((await store.replaceApplication('env-a', { ...disabled, updatedAt: '2026-06-02T00:00:00.000Z' }, 1)).status, 'updated');
    const expected: ConfigChange[] = [
      { kind: 'application', environmentId: 'env-a', applicationId: 'app-web' },
      { kind: 'environment', environmentId: 'env-a' },
    ];
    await waitFor(
      'the changes to reach the other store',
      async () => {
        feed.catchUp?.();
        return expected.every((c) => received.some((r) => isDeepStrictEqual(r, c)));
      },
      10_000,
    );
    if (feed.catchUp) assert.deepEqual(received, expected, 'the change log holds exactly the committed writes, in order');
  } finally {
    await feed?.close();
    await other.close();
  }
}

export const migrationCase: MigrationCase = { version: 14, name: 'change_log', promises: promises14 };
