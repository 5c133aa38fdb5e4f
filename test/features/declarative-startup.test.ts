/**
 * `buildApp(config, { configuration })` (README, "Declarative configuration", At start): a
 * document or a file applied after the bootstrap and before the app answers, the way an
 * in-process test setup uses it. A configuration that cannot be applied fails the build.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../src/declarative/errors.js';
import { startInProcess } from '../support/harness.js';

const ENV = '7a000000-0000-4000-8000-000000000001';
const GROUP = '7a000000-0000-4000-8000-000000000002';
const WORKER = '7a000000-0000-4000-8000-000000000003';
const RESOURCE = '7a000000-0000-4000-8000-000000000004';

function seed(secret: string, groupDescription: string): unknown {
  return {
    environments: [
      {
        id: ENV,
        name: 'Seeded',
        type: 'SANDBOX',
        region: 'NA',
        groups: [{ id: GROUP, name: 'Team', description: groupDescription }],
        resources: [
          {
            id: RESOURCE,
            name: 'Seeded API',
            audience: 'https://seeded.example.com',
            scopes: [{ name: 'seeded:read' }],
            attributes: [{ name: 'mail', value: '${user.email}' }],
          },
        ],
        applications: [
          {
            id: WORKER,
            name: 'Seeded worker',
            type: 'WORKER',
            protocol: 'OPENID_CONNECT',
            enabled: true,
            tokenEndpointAuthMethod: 'CLIENT_SECRET_BASIC',
            secret,
            grants: [{ resource: { name: 'Seeded API' }, scopes: [{ name: 'seeded:read' }] }],
          },
        ],
      },
    ],
  };
}

test('configuration { document }: the document objects exist with its ids and the worker gets a token with its secret before any request', async () => {
  const secret = randomBytes(32).toString('base64url');
  const h = await startInProcess({ configuration: { document: seed(secret, 'From a document.') } });
  try {
    assert.equal((await h.inject('GET', `/v1/environments/${ENV}/groups/${GROUP}`)).body.description, 'From a document.');
    const token = await h.clientCredentials(ENV, WORKER, secret, 'seeded:read');
    assert.equal(token.status, 200, JSON.stringify(token.body));
    // A document is taken as it is: ${ is not a variable there, the expression stays.
    const attributes = await h.inject('GET', `/v1/environments/${ENV}/resources/${RESOURCE}/attributes`);
    const mail = attributes.body._embedded.attributes.find((a: any) => a.name === 'mail');
    assert.equal(mail.value, '${user.email}');
  } finally {
    await h.close();
  }
});

test('configuration { path }: the file is read with ${VAR} from the process environment', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-startup-'));
  const secret = randomBytes(32).toString('base64url');
  process.env.KEYWAY_TEST_SEEDED_SECRET = secret;
  try {
    const file = join(dir, 'seed.json');
    const doc = seed('${KEYWAY_TEST_SEEDED_SECRET}', 'From a file.') as any;
    doc.environments[0].resources[0].attributes[0].value = '$${user.email}';
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const h = await startInProcess({ configuration: { path: file } });
    try {
      assert.equal((await h.inject('GET', `/v1/environments/${ENV}/groups/${GROUP}`)).body.description, 'From a file.');
      const token = await h.clientCredentials(ENV, WORKER, secret, 'seeded:read');
      assert.equal(token.status, 200, JSON.stringify(token.body));
    } finally {
      await h.close();
    }
  } finally {
    delete process.env.KEYWAY_TEST_SEEDED_SECRET;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a configuration that cannot be applied fails the build: a file by file:line, a document by pointer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-startup-'));
  try {
    const file = join(dir, 'seed.yaml');
    for (const d of ['a', 'b', 'c']) mkdirSync(join(dir, d));
    writeFileSync(file, 'environments:\n  - name: Seeded\n    groups:\n      - id: not-a-uuid\n        name: Team\n');
    await assert.rejects(startInProcess({ dataDir: join(dir, 'a'), configuration: { path: file } }), (err: unknown) => err instanceof ConfigurationError && err.message === `${file}:4: /environments/0/groups/0/id: id must be a UUID.`);

    const broken = seed('too short', 'x');
    await assert.rejects(startInProcess({ dataDir: join(dir, 'b'), configuration: { document: broken } }), (err: unknown) => err instanceof ConfigurationError && err.issues.some((i) => i.pointer.startsWith('/environments/0/applications/0/secret')));
    await assert.rejects(startInProcess({ dataDir: join(dir, 'c'), configuration: { path: file, document: broken } }), /one of path or document/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
