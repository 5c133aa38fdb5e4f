/**
 * The audience of a resource's access tokens (RFC 9068 §3): derived from the current public URL
 * for the two built-in resources, whatever was stored when the environment was created; a
 * CUSTOM resource keeps its own.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { resourceAudience } from '../../../src/domain/resource-audience.js';

const ENV = '0b1f5a3e-7c2d-4e8f-9a6b-1c2d3e4f5a6b';
const STALE = 'http://old.example';

test('OPENID_CONNECT: the environment issuer under the current public URL', () => {
  assert.equal(resourceAudience({ type: 'OPENID_CONNECT', environmentId: ENV, audience: `${STALE}/${ENV}/as` }, 'https://id.example'), `https://id.example/${ENV}/as`);
});

test('PINGONE_API: the current public URL', () => {
  assert.equal(resourceAudience({ type: 'PINGONE_API', environmentId: ENV, audience: STALE }, 'https://id.example'), 'https://id.example');
});

test('CUSTOM: its own audience, unchanged', () => {
  assert.equal(resourceAudience({ type: 'CUSTOM', environmentId: ENV, audience: 'https://orders.example' }, 'https://id.example'), 'https://orders.example');
});
