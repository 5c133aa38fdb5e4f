/**
 * `keyway apply` and `keyway export` in-process: where the connection comes from (flags, then
 * KEYWAY_ADMIN_*, then the bootstrap pins), local errors before anything is sent, the server's
 * INVALID_DATA details mapped back to the file's lines, and the export's escaping of `${`.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectionOf } from '../../../src/cli/admin-connection.js';
import { run as apply } from '../../../src/cli/apply.js';
import { run as exportVerb } from '../../../src/cli/export.js';
import { captureIo, tempDir } from './cli-io.js';

const ENV = '11111111-2222-4333-8444-555555555555';
const admin = { KEYWAY_URL: 'http://keyway.test', KEYWAY_ADMIN_ENVIRONMENT_ID: ENV, KEYWAY_ADMIN_CLIENT_ID: 'admin', KEYWAY_ADMIN_CLIENT_SECRET: 'secret' };

/** A server double: the token endpoint, then `answer` for the management call; records the calls. */
function fakeServer(answer: { status: number; body: unknown }): { fetch: typeof fetch; calls: Array<{ url: string; init: RequestInit }> } {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const impl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    calls.push({ url, init });
    const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.endsWith('/as/token')) return json(200, { access_token: 'tok', token_type: 'Bearer' });
    return json(answer.status, answer.body);
  };
  return { fetch: impl as typeof fetch, calls };
}

test('the connection: a flag wins over KEYWAY_ADMIN_*, which wins over the bootstrap pins; a missing one is a usage error naming both', () => {
  const pins = { KEYWAY_PUBLIC_URL: 'http://pinned:8080/', KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: 'e0', KEYWAY_BOOTSTRAP_CLIENT_ID: 'c0', KEYWAY_BOOTSTRAP_CLIENT_SECRET: 's0' };
  assert.deepEqual(connectionOf({}, pins), { url: 'http://pinned:8080', environmentId: 'e0', clientId: 'c0', clientSecret: 's0' });
  assert.deepEqual(connectionOf({ 'client-id': 'c2' }, { ...pins, ...admin }), { url: 'http://keyway.test', environmentId: ENV, clientId: 'c2', clientSecret: 'secret' });
  assert.throws(() => connectionOf({}, { KEYWAY_URL: 'http://x' }), /--environment-id is required \(or set KEYWAY_ADMIN_ENVIRONMENT_ID or KEYWAY_BOOTSTRAP_ENVIRONMENT_ID\)/);
});

test('a string option takes the next argument even when it begins with a dash (a generated secret may): --client-secret -… reaches the Basic header', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'seed.yaml'), 'environments: []\n');
  const server = fakeServer({ status: 200, body: { dryRun: false, entries: [], totals: { create: 0, update: 0, unchanged: 0, delete: 0, wouldDelete: 0 } } });
  const out = captureIo(dir, server.fetch);
  const flags = ['--url', 'http://keyway.test', '--environment-id', ENV, '--client-id', 'c1', '--client-secret', '-Xy_z'];
  await apply(['seed.yaml', ...flags], out.io, {});
  const basic = String((server.calls[0]?.init.headers as Record<string, string>).authorization);
  assert.equal(Buffer.from(basic.replace(/^Basic /, ''), 'base64').toString(), 'c1:-Xy_z', out.stderr());
  const usage = captureIo(dir, server.fetch);
  assert.equal(await apply(['seed.yaml', '--client-secret'], usage.io, {}), 2, 'a string option with nothing after it is still a usage error');
  assert.match(usage.stderr(), /--client-secret/);
});

test('apply: a file error is reported as file:line with exit 1, and nothing is sent', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'seed.yaml'), 'environments:\n  - name: A\n    groups:\n      - name: G\n        description: ${NOT_SET}\n');
  const server = fakeServer({ status: 200, body: {} });
  const out = captureIo(dir, server.fetch);
  assert.equal(await apply(['seed.yaml'], out.io, admin), 1);
  assert.match(out.stderr(), /^seed\.yaml:5: \/environments\/0\/groups\/0\/description: variable NOT_SET is not set\.$/m);
  assert.deepEqual(server.calls, []);
});

test('apply: the server INVALID_DATA details come back as file:line; the flags reach the query', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'seed.yaml'), 'environments:\n  - name: A\n    applications:\n      - name: W\n        jwks: "{}"\n');
  const server = fakeServer({ status: 400, body: { id: 'x', code: 'INVALID_DATA', message: 'bad', details: [{ code: 'INVALID_VALUE', target: '/environments/0/applications/0/jwks', message: 'jwks must hold keys.' }] } });
  const out = captureIo(dir, server.fetch);
  assert.equal(await apply(['seed.yaml', '--dry-run', '--prune'], out.io, admin), 1);
  assert.match(out.stderr(), /^seed\.yaml:5: \/environments\/0\/applications\/0\/jwks: jwks must hold keys\.$/m);
  const post = server.calls[1];
  assert.equal(post?.url, 'http://keyway.test/v1/keyway/configuration?dryRun=true&prune=true');
  assert.equal((post?.init.headers as Record<string, string>).authorization, 'Bearer tok');
  assert.match(String((server.calls[0]?.init.headers as Record<string, string>).authorization), /^Basic /, 'the admin token by client_secret_basic (RFC 6749 §2.3.1)');
});

test('apply: the plan is one line per object with its file line, then the totals', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'seed.yaml'), 'environments:\n  - name: A\n    groups:\n      - name: G\n');
  const plan = [
    { action: 'unchanged', kind: 'environment', id: ENV, name: 'A', pointer: '/environments/0' },
    { action: 'create', kind: 'group', id: 'g1', name: 'G', pointer: '/environments/0/groups/0' },
    { action: 'would delete', kind: 'group', id: 'g2', name: 'Old' },
  ];
  const summary = { create: 1, update: 0, unchanged: 1, delete: 0, 'would delete': 1 };
  const out = captureIo(dir, fakeServer({ status: 200, body: { dryRun: false, prune: false, plan, summary } }).fetch);
  assert.equal(await apply(['seed.yaml'], out.io, admin), 0, out.stderr());
  assert.equal(
    out.stdout(),
    [
      `unchanged    environment "A" (${ENV})  seed.yaml:2`,
      'create       group "G" (g1)  seed.yaml:4',
      'would delete group "Old" (g2)',
      'Applied: 1 created, 0 updated, 1 unchanged, 1 would be deleted with --prune.',
      '',
    ].join('\n'),
  );
});

test('export: ${ is written $${; with secrets the file is 0600; JSON by the --out extension', async () => {
  const dir = tempDir();
  const document = { environments: [{ id: ENV, name: 'A', resources: [{ name: 'R', attributes: [{ name: 'mail', value: '${user.email}' }] }] }] };
  const server = fakeServer({ status: 200, body: document });
  const yaml = captureIo(dir, server.fetch);
  assert.equal(await exportVerb(['--environment', ENV], yaml.io, admin), 0, yaml.stderr());
  assert.match(yaml.stdout(), /^# Exported without secrets/m);
  assert.match(yaml.stdout(), /value: \$\$\{user\.email\}/);
  assert.equal(server.calls[1]?.url, `http://keyway.test/v1/keyway/configuration?environmentId=${ENV}`);

  const json = captureIo(dir, server.fetch);
  assert.equal(await exportVerb(['--include-secrets', '--out', 'copy.json'], json.io, admin), 0, json.stderr());
  assert.equal(statSync(join(dir, 'copy.json')).mode & 0o777, 0o600);
  assert.equal(JSON.parse(readFileSync(join(dir, 'copy.json'), 'utf8')).environments[0].resources[0].attributes[0].value, '$${user.email}');
  assert.equal(server.calls[3]?.url, 'http://keyway.test/v1/keyway/configuration?includeSecrets=true');

  const bad = captureIo(dir, server.fetch);
  assert.equal(await exportVerb(['--format', 'toml'], bad.io, admin), 2);
  assert.match(bad.stderr(), /--format must be yaml or json/);
});
