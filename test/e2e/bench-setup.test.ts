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
import { decodeProtectedHeader } from 'jose';
import { clientKey, jwksString, JWT_BEARER, signWith } from '../support/harness.js';

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

test('the ES256 set-up makes an EC P-256 key the default: the benchmark client gets ES256 access tokens for its ES256 assertions', async () => {
  const key = await clientKey('ES256', 'bench-setup-ec-key');
  const target = await startKeyway({ workDir, jwks: jwksString(key), maxSeconds: 60, signing: 'ES256' });
  try {
    const assertion = await signWith(key, target.clientId, { aud: target.audience });
    const res = await fetch(target.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'bench:read', client_assertion_type: JWT_BEARER, client_assertion: assertion }),
    });
    const body = (await res.json()) as { access_token: string };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(decodeProtectedHeader(body.access_token).alg, 'ES256');
  } finally {
    await target.stop();
  }
});
