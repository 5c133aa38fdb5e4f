/**
 * Attribute mappings are compiled when a client profile is loaded, and the profile is cached until
 * a configuration change drops it (src/adapters/client-auth/claim-mappings.ts): token requests
 * between two changes reuse the compiled expressions instead of parsing them again.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { CachedClientDirectory } from '../../../src/adapters/client-auth/client-directory.js';
import type { Sealer } from '../../../src/keys/master-key.js';
import type { Store } from '../../../src/store/types.js';

const ENV = '2b9a7c10-0000-4000-8000-000000000001';
const APP = '2b9a7c10-0000-4000-8000-000000000002';

function countingStore(): { store: Store; reads: () => number } {
  let reads = 0;
  const fake = {
    getApplication: async () => ({
      environmentId: ENV,
      id: APP,
      config: { enabled: true, type: 'WEB_APP', tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC', grantTypes: ['authorization_code'], requestScopesForMultipleResourcesEnabled: false },
    }),
    getApplicationSecret: async () => undefined,
    listGrants: async () => [],
    listRoleAssignments: async () => [],
    getOpenIdResource: async () => undefined,
    listApplicationAttributes: async () => {
      reads += 1;
      return [{ name: 'tier', settings: { value: "${'gold'}", required: false, idToken: true, userInfo: true, mappingType: 'CUSTOM' } }];
    },
  };
  return { store: fake as unknown as Store, reads: () => reads };
}

test('mappings are compiled once per profile load: cached profiles share the compiled expression until a change drops them', async () => {
  const { store, reads } = countingStore();
  const directory = new CachedClientDirectory(store, {} as Sealer, 'https://keyway.example');
  const first = await directory.find(ENV, APP);
  const second = await directory.find(ENV, APP);
  assert.equal(reads(), 1);
  const compiled = first?.claimMappings?.[0]?.mapping;
  assert.ok(compiled, 'the mapping is compiled with the profile');
  assert.equal(second?.claimMappings?.[0]?.mapping, compiled, 'the same compiled object, not a new parse');

  directory.forget(ENV, APP);
  const afterChange = await directory.find(ENV, APP);
  assert.equal(reads(), 2);
  assert.notEqual(afterChange?.claimMappings?.[0]?.mapping, compiled, 'a change loads and compiles again');
});
