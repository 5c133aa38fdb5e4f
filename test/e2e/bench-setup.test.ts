/**
 * The benchmark's set-up of Keyway (bench/keyway-target.mjs) against the built server: it starts
 * Keyway as `npm run bench` does and configures the benchmark client through the management API,
 * so an API change that the set-up does not follow fails here rather than in a bench run.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
// @ts-expect-error: plain JavaScript module of the benchmark, without type declarations
import { startKeyway } from '../../bench/keyway-target.mjs';
import { clientKey, jwksString } from '../support/harness.js';

const workDir = mkdtempSync(join(tmpdir(), 'keyway-bench-setup-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

test('the benchmark configures its client on the built server and gets a token endpoint', async () => {
  const jwks = jwksString(await clientKey('RS256', 'bench-setup-key'));
  const target = await startKeyway({ workDir, jwks, maxSeconds: 60 });
  try {
    assert.match(target.envId, /^[0-9a-f-]{36}$/);
    assert.match(target.clientId, /^[0-9a-f-]{36}$/);
    assert.equal(target.tokenEndpoint, `${target.baseUrl}/${target.envId}/as/token`);
  } finally {
    await target.stop();
  }
});
