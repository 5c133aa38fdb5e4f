/**
 * The store contract (docs/architecture.md, rule 6): written once against `Store`, run against
 * every backend. A backend calls `runStoreContract(name, makeStore, options)` from its own test
 * file; nothing here may depend on a particular database. `makeStore` returns an empty, migrated
 * store.
 */
import { afterEach, beforeEach, describe } from 'node:test';
import type { Store } from '../../src/store/types.js';
import { applicationsContract } from './contract-applications.js';
import { attributeMappingsContract } from './contract-attribute-mappings.js';
import { clientAuthContract } from './contract-client-auth.js';
import { clientKeysContract } from './contract-client-keys.js';
import { environmentsContract } from './contract-environments.js';
import { dynamicGroupsContract } from './contract-dynamic-groups.js';
import { groupsContract } from './contract-groups.js';
import { isolationContract } from './contract-isolation.js';
import { keyRotationPoliciesContract } from './contract-key-rotation-policies.js';
import { lifecycleContract } from './contract-lifecycle.js';
import { passwordPoliciesContract } from './contract-password-policies.js';
import { populationsContract } from './contract-populations.js';
import { resourcesContract } from './contract-resources.js';
import { schemaAttributesContract } from './contract-schema-attributes.js';
import { signInContract } from './contract-sign-in.js';
import { signingKeysContract } from './contract-signing-keys.js';
import { usersContract } from './contract-users.js';
import { customValuesContract } from './contract-custom-values.js';
import type { ContractContext, ContractOptions } from './harness.js';

export function runStoreContract(name: string, makeStore: () => Promise<Store>, options: ContractOptions = {}): void {
  describe(`store contract: ${name}`, () => {
    let current: Store | undefined;
    beforeEach(async () => {
      current = await makeStore();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    const ctx: ContractContext = {
      options,
      store() {
        if (!current) throw new Error('no store: called outside a test');
        return current;
      },
    };
    lifecycleContract(ctx);
    environmentsContract(ctx);
    applicationsContract(ctx);
    resourcesContract(ctx);
    attributeMappingsContract(ctx);
    isolationContract(ctx);
    clientAuthContract(ctx);
    clientKeysContract(ctx);
    usersContract(ctx);
    populationsContract(ctx);
    groupsContract(ctx);
    dynamicGroupsContract(ctx);
    passwordPoliciesContract(ctx);
    schemaAttributesContract(ctx);
    customValuesContract(ctx);
    signInContract(ctx);
    signingKeysContract(ctx);
    keyRotationPoliciesContract(ctx);
  });
}
