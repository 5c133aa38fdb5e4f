/**
 * Declarative configuration of the families beyond the first ones (README, "Declarative
 * configuration"): the user schema's custom attributes (PingOne "Schemas"), key rotation
 * policies with pinned keys and the applications signing with them, the openid resource's custom
 * scopes and claims and its predefined claims' overrides, password policies. For each: the file
 * creates them with its ids, the same file again changes nothing, one modified object is
 * exactly the one update, and an export applied to an empty server gives the same objects.
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { startInProcess, type InProcess } from '../support/harness.js';
import { BADGE, BOB, STRICT, CURRENT_KID, LOYALTY_CLAIM, LOYALTY_SCOPE, ENV, familiesDocument, familyKeys, NEXT_KID, NICKNAMES, POLICY, SIGNER, SIGNER_SECRET, type Doc, type FamilyKeys } from '../support/declarative-families.js';

let keys: FamilyKeys;

async function apply(h: InProcess, doc: unknown, query = ''): Promise<any> {
  const reply = await h.inject('POST', `/v1/keyway/configuration${query}`, { body: doc });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

const changes = (result: any): string[] => result.plan.filter((e: any) => e.action !== 'unchanged').map((e: any) => `${e.action} ${e.kind} ${e.id}`);

async function schemaPath(h: InProcess): Promise<string> {
  const schemas = await h.inject('GET', `/v1/environments/${ENV}/schemas`);
  return `/v1/environments/${ENV}/schemas/${schemas.body._embedded.schemas[0].id}`;
}

async function customAttributes(h: InProcess): Promise<any[]> {
  const list = await h.inject('GET', `${await schemaPath(h)}/attributes`);
  return list.body._embedded.attributes.filter((a: any) => a.schemaType === 'CUSTOM').map(({ _links, createdAt, updatedAt, ...a }: any) => a);
}

describe('declarative configuration: schema attributes', () => {
  let h: InProcess;
  before(async () => {
    keys = await familyKeys();
    h = await startInProcess();
  });
  after(() => h.close());

  test('users are checked against the file schema before anything is written (PingOne Schemas: enumeratedValues)', async () => {
    const doc = familiesDocument(keys);
    doc.environments[0].users[0].badge = 'bronze';
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.ok(reply.body.details.some((d: any) => d.target.startsWith('/environments/0/users/0')), JSON.stringify(reply.body.details));
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}`)).status, 404, 'nothing written');
  });

  test('custom attributes are created with the file ids, before the user holding their values', async () => {
    const result = await apply(h, familiesDocument(keys));
    assert.deepEqual(changes(result).filter((c) => c.includes('schemaAttribute')).sort(), [`create schemaAttribute ${BADGE}`, `create schemaAttribute ${NICKNAMES}`]);
    assert.ok(result.plan.some((p: any) => p.kind === 'schema' && p.action === 'unchanged'), 'the User schema is matched, not created');
    const attributes = await customAttributes(h);
    assert.deepEqual(attributes.map((a) => a.id).sort(), [BADGE, NICKNAMES]);
    const bob = await h.inject('GET', `/v1/environments/${ENV}/users/${BOB}`);
    assert.equal(bob.body.badge, 'gold');
    assert.deepEqual(bob.body.nicknames, ['Bobby']);
  });

  test('one value of a unique attribute twice (two file users, or a file user and a stored one the file keeps) is found by the check pass; nothing changes', async () => {
    const before = (await h.inject('GET', `/v1/environments/${ENV}`)).body.description;
    const twoInFile = familiesDocument(keys);
    twoInFile.environments[0].description = 'Changed before the error.';
    twoInFile.environments[0].users.push({ username: 'carol', email: 'carol@example.com', badge: 'silver' }, { username: 'dave', email: 'dave@example.com', badge: 'silver' });
    const first = await h.inject('POST', '/v1/keyway/configuration', { body: twoInFile });
    assert.equal(first.status, 400, JSON.stringify(first.body));
    assert.deepEqual(first.body.details.map((d: any) => d.target), ['/environments/0/users/2/badge']);

    const takesStored = familiesDocument(keys);
    takesStored.environments[0].description = 'Changed before the error.';
    takesStored.environments[0].users = [{ username: 'carol', email: 'carol@example.com', badge: 'gold' }];
    const second = await h.inject('POST', '/v1/keyway/configuration', { body: takesStored });
    assert.equal(second.status, 400, JSON.stringify(second.body));
    assert.deepEqual(second.body.details.map((d: any) => d.target), ['/environments/0/users/0/badge']);
    assert.match(second.body.details[0].message, /user bob/);

    const withPrune = await h.inject('POST', '/v1/keyway/configuration?dryRun=true&prune=true', { body: takesStored });
    assert.equal(withPrune.status, 200, 'bob pruned frees his value');
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}`)).body.description, before, 'nothing changed');
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}/users?filter=username eq "carol"`)).body._embedded.users.length, 0);

    const twins = [];
    for (const username of ['twin1', 'twin2']) {
      const created = await h.inject('POST', `/v1/environments/${ENV}/users`, { body: { username, email: `${username}@example.com`, nicknames: ['Twin'] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      twins.push(created.body.id as string);
    }
    const madeUnique = familiesDocument(keys);
    madeUnique.environments[0].schemas[0].attributes[1].unique = true;
    const third = await h.inject('POST', '/v1/keyway/configuration', { body: madeUnique });
    assert.equal(third.status, 400, JSON.stringify(third.body));
    assert.deepEqual(third.body.details.map((d: any) => d.target), ['/environments/0/users']);
    assert.match(third.body.details[0].message, /user twin[12] and user twin[12], which the file keeps, hold equal values of nicknames/);
    for (const id of twins) assert.equal((await h.inject('DELETE', `/v1/environments/${ENV}/users/${id}`)).status, 204);
  });

  test('the same file again changes nothing; one changed attribute is exactly one update', async () => {
    assert.deepEqual(changes(await apply(h, familiesDocument(keys))), []);
    const doc: Doc = familiesDocument(keys);
    doc.environments[0].schemas[0].attributes[0].description = 'Loyalty level.';
    assert.deepEqual(changes(await apply(h, doc)), [`update schemaAttribute ${BADGE}`]);
    assert.equal((await h.inject('GET', `${await schemaPath(h)}/attributes/${BADGE}`)).body.description, 'Loyalty level.');
  });

  test('a change PingOne refuses (an attribute type) and a standard attribute changed are found by the check pass', async () => {
    const doc: Doc = familiesDocument(keys);
    doc.environments[0].schemas[0].attributes[1].type = 'JSON';
    doc.environments[0].schemas[0].attributes.push({ name: 'email', enabled: true, type: 'STRING', required: false });
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.details.map((d: any) => d.target).sort(), ['/environments/0/schemas/0/attributes/1/type', '/environments/0/schemas/0/attributes/2/schemaType']);
  });

  test('a custom attribute the file no longer lists would be deleted (only with prune); the standard ones never', async () => {
    const doc: Doc = familiesDocument(keys);
    doc.environments[0].schemas[0].attributes.pop();
    doc.environments[0].users[0].nicknames = undefined;
    delete doc.environments[0].users[0].nicknames;
    const dry = await apply(h, doc, '?dryRun=true');
    assert.deepEqual(changes(dry).filter((c) => c.includes('schemaAttribute')), [`would delete schemaAttribute ${NICKNAMES}`]);
  });

  test('export with secrets, applied on an empty server, gives the same attributes and values', async () => {
    const exported = await h.inject('GET', `/v1/keyway/configuration?environmentId=${ENV}&includeSecrets=true`);
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    const fresh = await startInProcess();
    try {
      await apply(fresh, exported.body);
      assert.deepEqual(await customAttributes(fresh), await customAttributes(h));
      assert.equal((await fresh.inject('GET', `/v1/environments/${ENV}/users/${BOB}`)).body.badge, 'gold');
      assert.deepEqual(changes(await apply(fresh, exported.body)), []);
    } finally {
      await fresh.close();
    }
  });
});

const jwks = async (h: InProcess): Promise<any> => JSON.parse((await h.app.server.inject({ method: 'GET', url: `/${ENV}/as/jwks` })).body);

const kidOf = (jwt: string): string => JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString()).kid;

describe('declarative configuration: key rotation policies and signing.keyRotationPolicy', () => {
  let h: InProcess;
  before(async () => {
    keys = await familyKeys();
    h = await startInProcess();
  });
  after(() => h.close());

  test('a pinned key that is not the policy algorithm is found by the check pass; nothing written', async () => {
    const doc: Doc = familiesDocument(keys);
    doc.environments[0].keyRotationPolicies[0].keyLength = 3072;
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.details.map((d: any) => d.target).sort(), ['/environments/0/keyRotationPolicies/0/currentKey/privateKey', '/environments/0/keyRotationPolicies/0/nextKey/privateKey']);
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}`)).status, 404);
  });

  test('the policy is made with the file keys: CURRENT signs the tokens of the application naming it, NEXT is published', async () => {
    const result = await apply(h, familiesDocument(keys));
    assert.ok(changes(result).includes(`create keyRotationPolicy ${POLICY}`));
    const policy = await h.app.store.getKeyRotationPolicy(ENV, POLICY);
    assert.equal(policy?.name, 'Tokens');
    const policyKeys = (await h.app.store.listSigningKeys(ENV)).filter((k) => k.rotationPolicyId === POLICY);
    assert.deepEqual(policyKeys.map((k) => `${k.rotationState} ${k.id}`).sort(), [`CURRENT ${CURRENT_KID}`, `NEXT ${NEXT_KID}`]);
    const app = await h.app.store.getApplication(ENV, SIGNER);
    assert.deepEqual(app?.config.signing, { keyRotationPolicy: { id: POLICY } }, 'the name became the id');
    const token = await h.clientCredentials(ENV, SIGNER, SIGNER_SECRET, 'ledger:read');
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal(kidOf(token.body.access_token), CURRENT_KID);
    const kids = (await jwks(h)).keys.map((k: any) => k.kid);
    assert.ok(kids.includes(CURRENT_KID) && kids.includes(NEXT_KID), JSON.stringify(kids));
  });

  test('the same file again changes nothing; a changed rotation period is exactly one update', async () => {
    assert.deepEqual(changes(await apply(h, familiesDocument(keys))), []);
    const doc: Doc = familiesDocument(keys);
    doc.environments[0].keyRotationPolicies[0].rotationPeriod = 60;
    assert.deepEqual(changes(await apply(h, doc)), [`update keyRotationPolicy ${POLICY}`]);
    assert.equal((await h.app.store.getKeyRotationPolicy(ENV, POLICY))?.settings.rotationPeriod, 60);
  });

  test('other keys for a policy the server holds are refused: keys change by rotation only', async () => {
    const doc: Doc = familiesDocument(keys);
    doc.environments[0].keyRotationPolicies[0].rotationPeriod = 60;
    doc.environments[0].keyRotationPolicies[0].nextKey.id = '7a2e3b40-0000-4000-8000-0000000000c9';
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.details.map((d: any) => d.target), ['/environments/0/keyRotationPolicies/0/nextKey/id']);
  });

  test('export with secrets, applied on an empty server, gives the same JWKS and the same signing kid', async () => {
    const exported = await h.inject('GET', `/v1/keyway/configuration?environmentId=${ENV}&includeSecrets=true`);
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    assert.equal(exported.body.environments[0].keyRotationPolicies[0].currentKey.id, CURRENT_KID);
    const fresh = await startInProcess();
    try {
      await apply(fresh, exported.body);
      assert.deepEqual(await jwks(fresh), await jwks(h));
      const token = await fresh.clientCredentials(ENV, SIGNER, SIGNER_SECRET, 'ledger:read');
      assert.equal(token.status, 200, JSON.stringify(token.body));
      assert.equal(kidOf(token.body.access_token), CURRENT_KID);
      assert.deepEqual(changes(await apply(fresh, exported.body)), []);
    } finally {
      await fresh.close();
    }
  });
});

/** The openid resource as an export writes it (the export reads with the apply's standing). */
async function openIdEntry(h: InProcess): Promise<any> {
  const exported = await h.inject('GET', `/v1/keyway/configuration?environmentId=${ENV}`);
  assert.equal(exported.status, 200, JSON.stringify(exported.body));
  return exported.body.environments[0].resources.find((r: any) => r.name === 'openid');
}

describe('declarative configuration: the openid resource', () => {
  let h: InProcess;
  before(async () => {
    keys = await familyKeys();
    h = await startInProcess();
  });
  after(() => h.close());

  test('mappedClaims naming no attribute of the resource is found by the check pass (PingOne ResourceScope.mappedClaims)', async () => {
    const doc: Doc = familiesDocument(keys);
    doc.environments[0].resources[0].scopes[0].mappedClaims = ['7a2e3b40-0000-4000-8000-0000000000ff'];
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.details.map((d: any) => d.target), ['/environments/0/resources/0/scopes/0/mappedClaims/0']);
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}`)).status, 404);
  });

  test('custom claim and scope are created with the file ids, a predefined claim takes the file value; standard ones are matched', async () => {
    const result = await apply(h, familiesDocument(keys));
    const openid = result.plan.filter((p: any) => p.pointer?.startsWith('/environments/0/resources/0'));
    assert.deepEqual(openid.map((p: any) => `${p.action} ${p.kind} ${p.name}`).sort(), [
      'create resourceAttribute loyalty',
      'create scope loyalty',
      'unchanged resource openid',
      'update resourceAttribute nickname',
    ]);
    const entry = await openIdEntry(h);
    assert.deepEqual(entry.scopes, [{ id: LOYALTY_SCOPE, name: 'loyalty', description: 'Loyalty level.', mappedClaims: [LOYALTY_CLAIM] }]);
    assert.deepEqual(entry.attributes.map((a: any) => `${a.id ?? '-'} ${a.name} ${a.value}`), [`${LOYALTY_CLAIM} loyalty \${user.email}`, '- nickname ${user.username}']);
  });

  test('the same file again changes nothing; a changed scope is exactly one update; standard scopes are never pruned', async () => {
    assert.deepEqual(changes(await apply(h, familiesDocument(keys))), []);
    const doc: Doc = familiesDocument(keys);
    doc.environments[0].resources[0].scopes[0].description = 'Loyalty.';
    assert.deepEqual(changes(await apply(h, doc, '?prune=true')), [`update scope ${LOYALTY_SCOPE}`]);
    assert.equal((await openIdEntry(h)).scopes[0].description, 'Loyalty.');
  });

  test('export applied on an empty server gives the same openid scopes and claims', async () => {
    const exported = await h.inject('GET', `/v1/keyway/configuration?environmentId=${ENV}&includeSecrets=true`);
    const fresh = await startInProcess();
    try {
      await apply(fresh, exported.body);
      assert.deepEqual(await openIdEntry(fresh), await openIdEntry(h));
      assert.deepEqual(changes(await apply(fresh, exported.body)), []);
    } finally {
      await fresh.close();
    }
  });
});

/** The environment's password policies and populations as an export writes them. */
async function passwordState(h: InProcess): Promise<any> {
  const exported = await h.inject('GET', `/v1/keyway/configuration?environmentId=${ENV}`);
  const env = exported.body.environments[0];
  return { policies: env.passwordPolicies.map(({ createdAt, updatedAt, ...p }: any) => p), populations: env.populations };
}

describe('declarative configuration: password policies', () => {
  let h: InProcess;
  before(async () => {
    keys = await familyKeys();
    h = await startInProcess();
  });
  after(() => h.close());

  test('a policy PingOne refuses (minAgeDays not below maxAgeDays) is found by the check pass; nothing written', async () => {
    const doc: Doc = familiesDocument(keys);
    Object.assign(doc.environments[0].passwordPolicies[1], { maxAgeDays: 10, minAgeDays: 20 });
    const reply = await h.inject('POST', '/v1/keyway/configuration', { body: doc });
    assert.equal(reply.status, 400);
    assert.ok(reply.body.details.every((d: any) => d.target.startsWith('/environments/0/passwordPolicies/1')), JSON.stringify(reply.body.details));
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}`)).status, 404);
  });

  test('a new policy with the file id, a built-in one changed by name, the default population naming one', async () => {
    const result = await apply(h, familiesDocument(keys));
    const policies = result.plan.filter((p: any) => p.kind === 'passwordPolicy').map((p: any) => `${p.action} ${p.name}`);
    assert.deepEqual(policies.sort(), ['create Strict', 'update Basic'], 'Standard and Passphrase, left out, are built-in: never listed for deletion');
    const state = await passwordState(h);
    assert.equal(state.policies.find((p: any) => p.name === 'Strict').id, STRICT);
    assert.deepEqual(state.policies.find((p: any) => p.name === 'Basic').length, { min: 10, max: 255 });
    assert.deepEqual(state.populations.find((p: any) => p.name === 'Default').passwordPolicy, { name: 'Strict' });
  });

  test('the same file again changes nothing, even with prune (built-in policies are never pruned); one change is one update', async () => {
    assert.deepEqual(changes(await apply(h, familiesDocument(keys), '?prune=true&dryRun=true')), []);
    const doc: Doc = familiesDocument(keys);
    doc.environments[0].passwordPolicies[1].lockout.failureCount = 5;
    assert.deepEqual(changes(await apply(h, doc)), [`update passwordPolicy ${STRICT}`]);
    assert.equal((await passwordState(h)).policies.find((p: any) => p.id === STRICT).lockout.failureCount, 5);
  });

  test('export applied on an empty server gives the same policies and population references', async () => {
    const exported = await h.inject('GET', `/v1/keyway/configuration?environmentId=${ENV}&includeSecrets=true`);
    const fresh = await startInProcess();
    try {
      const first = await apply(fresh, exported.body);
      const builtIns = first.plan.filter((e: any) => e.kind === 'passwordPolicy' && ['Standard', 'Passphrase', 'Basic'].includes(e.name));
      // The file changed Basic only: the other two, as a new environment has them, are unchanged.
      assert.deepEqual(builtIns.map((e: any) => `${e.name} ${e.action}`).sort(), ['Basic update', 'Passphrase unchanged', 'Standard unchanged']);
      assert.deepEqual(await passwordState(fresh), await passwordState(h));
      assert.deepEqual(changes(await apply(fresh, exported.body)), []);
    } finally {
      await fresh.close();
    }
  });
});
