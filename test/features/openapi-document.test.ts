/**
 * Keyway's own API description (README, "Keyway's API description"): `GET /keyway/openapi.json`
 * is an OpenAPI 3 document listing exactly the PingOne operations this server serves (those that
 * do not answer 501 NOT_IMPLEMENTED), each with PingOne's operation object, plus Keyway's
 * extensions flagged `x-keyway-extension`; every `$ref` resolves inside it. `GET /keyway/reference`
 * is its HTML page.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FIXTURE, MODULE, moduleText, SERVED, subsetOf } from '../../scripts/keyway-openapi.mjs';
import { PINGONE_OPERATIONS } from '../../src/http/management/pingone-operations.js';
import Fastify from 'fastify';
import { apiDescription } from '../../src/http/openapi/routes.js';
import { startInProcess, type HttpMethod, type InProcess } from '../support/harness.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

let h: InProcess;
let doc: any;

before(async () => {
  h = await startInProcess();
  const res = await h.app.server.inject({ method: 'GET', url: '/keyway/openapi.json' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  doc = res.json();
});
after(() => h.close());

/** `METHOD path` of every operation in the document, with its extension flag. */
function operations(): Array<{ key: string; extension: boolean; op: any }> {
  const out = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of METHODS) if (item[method]) out.push({ key: `${method.toUpperCase()} ${path}`, extension: item[method]['x-keyway-extension'] === true, op: item[method] });
  }
  return out;
}

describe('GET /keyway/openapi.json', () => {
  test('the committed PingOne subset is what scripts/keyway-openapi.mjs derives from the fixture', () => {
    const served = JSON.parse(readFileSync(SERVED, 'utf8'));
    assert.equal(readFileSync(MODULE, 'utf8'), moduleText(subsetOf(readFileSync(FIXTURE, 'utf8'), served)), 'run node scripts/keyway-openapi.mjs');
  });

  test('lists exactly the PingOne operations that do not answer 501, with PingOne\'s operation objects', async () => {
    const notImplemented = new Set<string>();
    for (const [method, path] of PINGONE_OPERATIONS) {
      const reply = await h.inject(method as HttpMethod, path.replace(/\{[^}]+\}/g, UNKNOWN), method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      if (reply.status === 501 && reply.body?.code === 'NOT_IMPLEMENTED' && /is an operation of PingOne/.test(reply.body.message)) notImplemented.add(`${method} ${path}`);
    }
    const served = PINGONE_OPERATIONS.map(([m, p]) => `${m} ${p}`).filter((k) => !notImplemented.has(k));
    const listed = operations().filter((o) => !o.extension && o.key.split(' ')[1]!.startsWith('/v1/')).map((o) => o.key);
    assert.deepEqual([...listed].sort(), [...served].sort());
    assert.deepEqual(JSON.parse(readFileSync(SERVED, 'utf8')).map(([m, p]: string[]) => `${m} ${p}`).sort(), [...served].sort(), 'update src/http/openapi/served-operations.json and rerun the script');
    const fixture = parse(readFileSync(FIXTURE, 'utf8'));
    const readOne = doc.paths['/v1/environments/{environmentID}/applications/{applicationID}'].get;
    const original = fixture.paths['/environments/{environmentID}/applications/{applicationID}'].get;
    assert.equal(readOne.operationId, original.operationId);
    assert.deepEqual(readOne.responses['200'], original.responses['200']);
    assert.deepEqual(readOne.responses['501'], { $ref: '#/components/responses/NotImplemented' });
  });

  test("Keyway's extensions are listed and flagged: probes, metrics, this document, and the /v1 extensions", () => {
    const ext = new Set(operations().filter((o) => o.extension).map((o) => o.key));
    for (const key of [
      'GET /health/live',
      'GET /health/ready',
      'GET /healthz',
      'GET /metrics',
      'GET /keyway/openapi.json',
      'GET /keyway/reference',
      'GET /v1/environments/{envId}/applications/{appId}/clientAuthEvents',
      'GET /v1/environments/{envId}/clientAuthenticationSettings',
    ]) {
      assert.ok(ext.has(key), key);
    }
    assert.equal(doc.components.responses.NotImplemented['x-keyway-extension'], true);
    assert.equal(doc.paths['/health/live'].get.security.length, 0, 'probes take no token');
  });

  test("PingOne's authorization server and sign-on operations outside /v1 are listed, not as extensions, exactly those the server routes", () => {
    const outside = operations().filter((o) => !o.key.split(' ')[1]!.startsWith('/v1') && !o.extension).map((o) => o.key);
    assert.deepEqual(outside.sort(), [
      'GET /{envId}/as/.well-known/openid-configuration',
      'GET /{envId}/as/authorize',
      'GET /{envId}/as/jwks',
      'GET /{envId}/as/resume',
      'GET /{envId}/as/signoff',
      'GET /{envId}/as/userinfo',
      'GET /{envId}/flows/{flowId}',
      'GET /{envId}/signon/',
      'POST /{envId}/as/authorize',
      'POST /{envId}/as/introspect',
      'POST /{envId}/as/par',
      'POST /{envId}/as/revoke',
      'POST /{envId}/as/signoff',
      'POST /{envId}/as/token',
      'POST /{envId}/as/userinfo',
      'POST /{envId}/flows/{flowId}',
      'POST /{envId}/signon/',
    ]);
    for (const key of outside) assert.equal(operations().find((o) => o.key === key)?.op.tags[0] === 'Keyway', false, key);
  });

  test('every listed operation is routed, and answered by its handler rather than 405 or 501', async () => {
    for (const { key } of operations()) {
      const [method, path] = key.split(' ') as [string, string];
      const url = path.replace(/\{[^}]+\}/g, UNKNOWN);
      assert.ok(h.app.server.hasRoute({ method: method as HttpMethod, url: path.replace(/\{([^}]+)\}/g, ':$1') }), key);
      const res = await h.app.server.inject({ method: method as HttpMethod, url, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
      assert.ok(res.statusCode !== 405 && res.statusCode !== 501, `${key}: ${res.statusCode}`);
    }
  });

  test('a route registered without a description stops the start (src/http/openapi/outside-v1.ts)', async () => {
    const app = Fastify();
    const describe = apiDescription(app);
    app.get('/:envId/as/undescribed', async () => 'x');
    assert.throws(describe, /GET \/:envId\/as\/undescribed has no entry in src\/http\/openapi\/outside-v1.ts/);
  });

  test('an OpenAPI 3 document whose every $ref resolves inside it', () => {
    assert.match(doc.openapi, /^3\./);
    assert.equal(typeof doc.info.title, 'string');
    const missing: string[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const target = value.slice(2).split('/').reduce<any>((at, part) => at?.[part], doc);
          if (target === undefined) missing.push(value);
        } else visit(value);
      }
    };
    visit(doc);
    assert.deepEqual(missing, []);
  });
});

describe('GET /keyway/reference', () => {
  test('an HTML page of every operation, extensions marked, no script and no external resource', async () => {
    const res = await h.app.server.inject({ method: 'GET', url: '/keyway/reference' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
    const rows = res.body.match(/<tr[ >]/g)?.length ?? 0;
    const tables = res.body.match(/<thead>/g)?.length ?? 0;
    assert.equal(rows - tables, operations().length);
    assert.equal(res.body.match(/class="ext"/g)?.length, operations().filter((o) => o.extension).length);
    assert.doesNotMatch(res.body, /<script|https?:\/\/(?!.*localhost)[^"]*\.(js|css)/);
  });
});
