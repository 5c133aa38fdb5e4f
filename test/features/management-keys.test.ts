/**
 * Environment keys through the management API (OpenAPI `Certificate`, `CertificateKeyUpdate`;
 * developer.pingidentity.com, "Certificate Management"): every environment starts with one
 * default RSA signing key; EC and RSA keys are created with self-signed certificates, made the
 * default, exported (X.509 PEM, PKCS #7 DER) and deleted (never the default). Tokens are signed
 * by the default key in its algorithm (RFC 7518 §3.1), the JWKS publishes every signing key
 * (RFC 7517 §5) and verification accepts exactly those (RFC 8725 §3.1).
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import Database from 'better-sqlite3';
import * as pkijs from 'pkijs';
import { SQLITE_FILE } from '../../src/store/open.js';
import { ROLES } from '../../src/management/roles.js';
import {
  assignRole,
  createApp,
  expectDetail,
  expectForbidden,
  expectSchema,
  expectStatus,
  issuerOf,
  startInProcess,
  tokenFor,
  type CreatedApp,
  type InProcess,
} from '../support/harness.js';

let h: InProcess;
let env: string;
let base: string;
let admin: CreatedApp;

before(async () => {
  h = await startInProcess();
  // The admin environment: its worker may assign roles there, and its tokens open the management API.
  env = h.adminEnvId;
  base = `/v1/environments/${env}/keys`;
  admin = await createApp(h, env, 'keys admin');
  expectStatus(await assignRole(h, env, admin.id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: env }), 201);
});
after(() => h.close());

const list = async () => expectStatus(await h.inject('GET', base), 200).body._embedded.keys as Array<Record<string, any>>;
const jwks = async () => JSON.parse((await h.app.server.inject({ method: 'GET', url: `/${env}/as/jwks` })).body) as JSONWebKeySet;
const discovery = async () => JSON.parse((await h.app.server.inject({ method: 'GET', url: `/${env}/as/.well-known/openid-configuration` })).body);
const ecBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'EC signing',
  algorithm: 'EC',
  keyLength: 256,
  signatureAlgorithm: 'SHA256withECDSA',
  subjectDN: 'CN=Keyway EC, O=Example Corp, C=US',
  validityPeriod: 365,
  usageType: 'SIGNING',
  ...overrides,
});
const token = () => tokenFor(h, env, admin);
/** A relying party's check: signature by a key of the JWKS, the issuer's. */
const verifies = async (jwt: string, set: JSONWebKeySet) => {
  try {
    await jwtVerify(jwt, createLocalJWKSet(set), { issuer: issuerOf(h, env) });
    return true;
  } catch {
    return false;
  }
};

describe('keys: the first key, create, default, export, delete', () => {
  test('a new environment has one default RSA 2048 SIGNING key with a self-signed certificate, published in the JWKS', async () => {
    const keys = await list();
    assert.equal(keys.length, 1);
    const [key] = keys as [Record<string, any>];
    expectSchema('Certificate', key);
    assert.equal(key.algorithm, 'RSA');
    assert.equal(key.keyLength, 2048);
    assert.equal(key.signatureAlgorithm, 'SHA256withRSA');
    assert.equal(key.default, true);
    assert.equal(key.usageType, 'SIGNING');
    assert.equal(key.status, 'VALID');
    assert.equal(key.subjectDN, key.issuerDN);
    assert.ok(!('privateKey' in key) && !JSON.stringify(key).includes('PRIVATE'));
    const published = (await jwks()).keys;
    assert.deepEqual(published.map((k) => k.kid), [key.id]);
    assert.equal(published[0]?.alg, 'RS256');
    assert.deepEqual((await discovery()).id_token_signing_alg_values_supported, ['RS256']);
    expectSchema('Certificate', expectStatus(await h.inject('GET', `${base}/${key.id}`), 200).body);
  });

  test('POST creates an EC P-256 key; made the default, it signs ES256 tokens that verify against the JWKS, and the RSA key keeps verifying', async () => {
    const rsaToken = await token();
    const created = expectStatus(await h.inject('POST', base, { body: ecBody({ default: true }) }), 201).body;
    expectSchema('Certificate', created);
    assert.equal(created.default, true);
    assert.equal(created.subjectDN, 'CN=Keyway EC, O=Example Corp, C=US');
    assert.equal(created.issuerDN, created.subjectDN);
    assert.equal(Date.parse(created.expiresAt) - Date.parse(created.startsAt), 365 * 86_400_000);
    assert.deepEqual((await list()).filter((k) => k.default).map((k) => k.id), [created.id]);

    const set = await jwks();
    assert.deepEqual(set.keys.map((k) => [k.kid, k.alg, k.kty]).slice(0, 1), [[created.id, 'ES256', 'EC']]);
    assert.equal(set.keys.length, 2);
    assert.deepEqual((await discovery()).id_token_signing_alg_values_supported, ['ES256', 'RS256']);

    const ecToken = await token();
    assert.equal(decodeProtectedHeader(ecToken).alg, 'ES256');
    assert.equal(decodeProtectedHeader(ecToken).kid, created.id);
    assert.ok(await verifies(ecToken, set));
    assert.ok(await verifies(rsaToken, set), 'a token of the previous default still verifies');
    // The management API verifies with the environment's published keys.
    expectStatus(await h.inject('GET', base, { token: ecToken }), 200);
    expectStatus(await h.inject('GET', base, { token: rsaToken }), 200);
  });

  test('the certificate exports as X.509 PEM and as PKCS #7 DER, holding the published key', async () => {
    const ec = (await list()).find((k) => k.algorithm === 'EC') as Record<string, any>;
    const auth = { authorization: `Bearer ${h.token}` };
    const pem = await h.app.server.inject({ method: 'GET', url: `${base}/${ec.id}`, headers: { ...auth, accept: 'application/x-x509-ca-cert' } });
    assert.equal(pem.statusCode, 200);
    assert.match(String(pem.headers['content-type']), /^application\/x-x509-ca-cert/);
    const x509 = new X509Certificate(pem.body);
    assert.equal(x509.subject, 'C=US\nO=Example Corp\nCN=Keyway EC');
    assert.ok(x509.verify(x509.publicKey), 'self-signed');
    const published = (await jwks()).keys.find((k) => k.kid === ec.id) as Record<string, any>;
    assert.ok(x509.publicKey.equals(createPublicKey({ key: published, format: 'jwk' })));
    assert.equal(published.x5c[0], x509.raw.toString('base64'));

    const p7 = await h.app.server.inject({ method: 'GET', url: `${base}/${ec.id}`, headers: { ...auth, accept: 'application/x-pkcs7-certificates' } });
    assert.equal(p7.statusCode, 200);
    const info = pkijs.ContentInfo.fromBER(p7.rawPayload);
    assert.equal(info.contentType, pkijs.ContentInfo.SIGNED_DATA);
    const signed = new pkijs.SignedData({ schema: info.content });
    assert.equal(signed.certificates?.length, 1);
    assert.deepEqual(Buffer.from((signed.certificates?.[0] as pkijs.Certificate).toSchema().toBER(false)), x509.raw);
  });

  test('RSA 3072 SHA384withRSA signs RS384, EC P-384 ES384 and EC P-521 ES512 tokens, each verifying against the JWKS', async () => {
    for (const [body, alg] of [
      [{ algorithm: 'RSA', keyLength: 3072, signatureAlgorithm: 'SHA384withRSA' }, 'RS384'],
      [{ keyLength: 384, signatureAlgorithm: 'SHA384withECDSA' }, 'ES384'],
      [{ keyLength: 521, signatureAlgorithm: 'SHA512withECDSA' }, 'ES512'],
    ] as const) {
      const created = expectStatus(await h.inject('POST', base, { body: ecBody({ ...body, name: alg, default: true }) }), 201).body;
      expectSchema('Certificate', created);
      const jwt = await token();
      assert.equal(decodeProtectedHeader(jwt).alg, alg);
      assert.ok(await verifies(jwt, await jwks()), alg);
      expectStatus(await h.inject('GET', base, { token: jwt }), 200);
    }
  });

  test('PUT makes a key the default; the default cannot be unset or deleted (CONSTRAINT_VIOLATION); a deleted key stops verifying at once', async () => {
    const keys = await list();
    const rsa = keys.find((k) => k.name === 'Default signing key') as Record<string, any>;
    const ec = keys.find((k) => k.name === 'EC signing') as Record<string, any>;
    expectStatus(await h.inject('PUT', `${base}/${ec.id}`, { body: { default: true, usageType: 'SIGNING' } }), 200);
    const ecToken = await token();
    assert.equal(decodeProtectedHeader(ecToken).kid, ec.id);

    expectDetail(await h.inject('PUT', `${base}/${ec.id}`, { body: { default: false, usageType: 'SIGNING' } }), 'CONSTRAINT_VIOLATION', 'default');
    expectDetail(await h.inject('DELETE', `${base}/${ec.id}`), 'CONSTRAINT_VIOLATION', 'default');

    const updated = expectStatus(await h.inject('PUT', `${base}/${rsa.id}`, { body: { default: true, usageType: 'SIGNING' } }), 200).body;
    expectSchema('Certificate', updated);
    assert.equal(updated.default, true);
    const rsaToken = await token();
    assert.equal(decodeProtectedHeader(rsaToken).alg, 'RS256');
    expectStatus(await h.inject('GET', base, { token: ecToken }), 200);

    expectStatus(await h.inject('DELETE', `${base}/${ec.id}`), 204);
    expectStatus(await h.inject('GET', `${base}/${ec.id}`), 404);
    assert.ok(!(await jwks()).keys.some((k) => k.kid === ec.id));
    assert.equal((await h.inject('GET', base, { token: ecToken })).status, 401, 'a token of a deleted key no longer opens the management API');
    assert.ok(!(await verifies(ecToken, await jwks())));
    expectStatus(await h.inject('GET', base, { token: rsaToken }), 200);
  });

  test('an ENCRYPTION key is listed but never published in the JWKS nor used to sign', async () => {
    const created = expectStatus(await h.inject('POST', base, { body: ecBody({ name: 'enc', usageType: 'ENCRYPTION', default: true }) }), 201).body;
    expectSchema('Certificate', created);
    assert.ok(!(await jwks()).keys.some((k) => k.kid === created.id));
    assert.notEqual(decodeProtectedHeader(await token()).kid, created.id);
  });

  test('bad bodies answer INVALID_DATA with a detail per field, and store nothing', async () => {
    const before = (await list()).length;
    expectDetail(await h.inject('POST', base, { body: {} }), 'REQUIRED_VALUE', 'name');
    expectDetail(await h.inject('POST', base, { body: ecBody({ subjectDN: undefined }) }), 'REQUIRED_VALUE', 'subjectDN');
    expectDetail(await h.inject('POST', base, { body: ecBody({ keyLength: 2048 }) }), 'INVALID_VALUE', 'keyLength');
    expectDetail(await h.inject('POST', base, { body: ecBody({ keyLength: 224 }) }), 'INVALID_VALUE', 'keyLength');
    expectDetail(await h.inject('POST', base, { body: ecBody({ signatureAlgorithm: 'SHA256withRSA' }) }), 'INVALID_VALUE', 'signatureAlgorithm');
    expectDetail(await h.inject('POST', base, { body: ecBody({ algorithm: 'UNKNOWN' }) }), 'INVALID_VALUE', 'algorithm');
    expectDetail(await h.inject('POST', base, { body: ecBody({ subjectDN: 'not a dn' }) }), 'INVALID_VALUE', 'subjectDN');
    expectDetail(await h.inject('POST', base, { body: ecBody({ usageType: 'SSL/TLS' }) }), 'INVALID_VALUE', 'usageType');
    expectDetail(await h.inject('POST', base, { body: ecBody({ validityPeriod: 0 }) }), 'OUT_OF_RANGE', 'validityPeriod');
    expectDetail(await h.inject('PUT', `${base}/${(await list())[0]?.id}`, { body: { usageType: 'SIGNING' } }), 'REQUIRED_VALUE', 'default');
    assert.equal((await list()).length, before);
    expectStatus(await h.inject('GET', `${base}/00000000-0000-4000-8000-000000000000`), 404);
    expectStatus(await h.inject('GET', `${base}/not-a-key`), 404);
  });

  test('role checks: Environment Admin reads and writes keys; Identity Data Admin and Client Application Developer are refused', async () => {
    const envAdmin = await token();
    expectStatus(await h.inject('GET', base, { token: envAdmin }), 200);
    const created = expectStatus(await h.inject('POST', base, { token: envAdmin, body: ecBody({ name: 'by env admin' }) }), 201).body;
    for (const roleId of [ROLES.identityDataAdmin.id, ROLES.clientApplicationDeveloper.id]) {
      const app = await createApp(h, env, `role ${roleId}`);
      expectStatus(await assignRole(h, env, app.id, roleId, { type: 'ENVIRONMENT', id: env }), 201);
      const other = await tokenFor(h, env, app);
      expectForbidden(await h.inject('GET', base, { token: other }));
      expectForbidden(await h.inject('GET', `${base}/${created.id}`, { token: other }));
      expectForbidden(await h.inject('POST', base, { token: other, body: ecBody() }));
      expectForbidden(await h.inject('PUT', `${base}/${created.id}`, { token: other, body: { default: true, usageType: 'SIGNING' } }));
      expectForbidden(await h.inject('DELETE', `${base}/${created.id}`, { token: other }));
    }
    expectStatus(await h.inject('DELETE', `${base}/${created.id}`, { token: envAdmin }), 204);
  });
});

/** A PKCS #12 file as OpenSSL 3 writes it (PBES2/AES-256-CBC, HMAC-SHA256 MAC), and its private key. */
function pkcs12(keyArgs: string[], digest: string, subject: string, password: string): { file: Buffer; privateKeyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-p12-'));
  try {
    const [key, cert, out] = ['key.pem', 'cert.pem', 'file.p12'].map((f) => join(dir, f)) as [string, string, string];
    execFileSync('openssl', ['req', '-x509', '-newkey', ...keyArgs, `-${digest}`, '-keyout', key, '-out', cert, '-nodes', '-subj', subject, '-days', '30', '-set_serial', '4242'], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', out, '-passout', `pass:${password}`], { stdio: 'ignore' });
    return { file: readFileSync(out), privateKeyPem: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A multipart/form-data body (RFC 7578) of text fields and one file. */
function multipart(fields: Record<string, string>, file?: Buffer): { payload: Buffer; contentType: string } {
  const boundary = 'keyway-test-boundary-7f3a';
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="key.p12"\r\nContent-Type: application/x-pkcs12\r\n\r\n`), file, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(form: { payload: Buffer; contentType: string }, bearer = h.token, url = base) {
  const res = await h.app.server.inject({ method: 'POST', url, headers: { authorization: `Bearer ${bearer}`, 'content-type': form.contentType }, payload: form.payload });
  return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

describe('keys: PKCS #12 import (multipart/form-data: file, password, usageType)', () => {
  test('an imported EC key keeps its certificate; made the default, it signs tokens the pinned key verifies', async () => {
    const { file, privateKeyPem } = pkcs12(['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'sha256', '/CN=Pinned EC/O=Example', 'pin-secret');
    const created = expectStatus(await upload(multipart({ password: 'pin-secret', usageType: 'SIGNING' }, file)), 201).body;
    expectSchema('Certificate', created);
    assert.deepEqual([created.algorithm, created.keyLength, created.signatureAlgorithm, created.default], ['EC', 256, 'SHA256withECDSA', false]);
    assert.equal(created.subjectDN, 'O=Example, CN=Pinned EC');
    assert.equal(created.serialNumber, 4242);
    assert.equal(created.validityPeriod, 30);

    expectStatus(await h.inject('PUT', `${base}/${created.id}`, { body: { default: true, usageType: 'SIGNING' } }), 200);
    const jwt = await token();
    assert.equal(decodeProtectedHeader(jwt).kid, created.id);
    const pinned = createPublicKey(createPrivateKey(privateKeyPem));
    const { payload } = await jwtVerify(jwt, pinned, { issuer: issuerOf(h, env), algorithms: ['ES256'] });
    assert.equal(payload.client_id, admin.id);
    const rsa = (await list()).find((k) => k.name === 'Default signing key') as Record<string, any>;
    expectStatus(await h.inject('PUT', `${base}/${rsa.id}`, { body: { default: true, usageType: 'SIGNING' } }), 200);
  });

  test('an RSA 2048 key certified with SHA-384 signs RS384', async () => {
    const { file } = pkcs12(['rsa:2048'], 'sha384', '/CN=Pinned RSA', 'rsa-secret');
    const created = expectStatus(await upload(multipart({ password: 'rsa-secret', usageType: 'SIGNING' }, file)), 201).body;
    expectSchema('Certificate', created);
    assert.deepEqual([created.algorithm, created.keyLength, created.signatureAlgorithm], ['RSA', 2048, 'SHA384withRSA']);
    assert.equal((await jwks()).keys.find((k) => k.kid === created.id)?.alg, 'RS384');
    expectStatus(await h.inject('DELETE', `${base}/${created.id}`), 204);
  });

  test('a wrong password, a missing field or a file that is not PKCS #12 answers INVALID_DATA and stores nothing', async () => {
    const { file } = pkcs12(['ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], 'sha384', '/CN=Refused', 'right');
    const before = (await list()).length;
    expectDetail(await upload(multipart({ password: 'wrong', usageType: 'SIGNING' }, file)), 'INVALID_VALUE', 'file');
    expectDetail(await upload(multipart({ password: 'right', usageType: 'SIGNING' }, Buffer.from('not a pkcs12 file'))), 'INVALID_VALUE', 'file');
    expectDetail(await upload(multipart({ usageType: 'SIGNING' }, file)), 'REQUIRED_VALUE', 'password');
    expectDetail(await upload(multipart({ password: 'right', usageType: 'SIGNING' })), 'REQUIRED_VALUE', 'file');
    expectDetail(await upload(multipart({ password: 'right', usageType: 'OUTBOUND_MTLS' }, file)), 'INVALID_VALUE', 'usageType');
    assert.equal((await upload({ payload: Buffer.from('--x\r\nbroken'), contentType: 'multipart/form-data; boundary=x' })).status, 400);
    assert.equal((await list()).length, before);
    // Other management paths do not take multipart bodies (415, as for any media type they do not take).
    assert.equal((await upload(multipart({ name: 'x' }), h.token, `/v1/environments/${env}/populations`)).status, 415);
  });

  test('role checks: Identity Data Admin cannot import', async () => {
    const { file } = pkcs12(['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'sha256', '/CN=Refused role', 'p');
    const app = await createApp(h, env, 'import refused');
    expectStatus(await assignRole(h, env, app.id, ROLES.identityDataAdmin.id, { type: 'ENVIRONMENT', id: env }), 201);
    expectForbidden(await upload(multipart({ password: 'p', usageType: 'SIGNING' }, file), await tokenFor(h, env, app)));
  });
});

describe('keys: an environment created before migration 0012', () => {
  test('its key, stored without a certificate, gets a self-signed one when the keys API first reads it; the JWKS and signing are unchanged', async () => {
    const pins = {
      KEYWAY_MASTER_KEY: randomBytes(32).toString('base64'),
      KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '4c4a0f3e-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
      KEYWAY_BOOTSTRAP_CLIENT_ID: '5d5b1a4f-6c7d-4e8f-9a0b-1c2d3e4f5a6b',
      KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'keys-older-environment-secret-0123456789abc',
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'keyway-keys-older-'));
    try {
      const first = await startInProcess({ dataDir, env: pins });
      const envId = first.adminEnvId;
      const jwksBefore = (await first.app.server.inject({ method: 'GET', url: `/${envId}/as/jwks` })).body;
      await first.close();
      // What migration 0012 leaves on a key written before it: no certificate.
      const db = new Database(join(dataDir, SQLITE_FILE));
      db.prepare('UPDATE signing_keys SET certificate = NULL, name = NULL').run();
      db.close();

      const second = await startInProcess({ dataDir, env: pins });
      try {
        const [key] = expectStatus(await second.inject('GET', `/v1/environments/${envId}/keys`), 200).body._embedded.keys as [Record<string, any>];
        expectSchema('Certificate', key);
        assert.equal(key.default, true);
        assert.equal(key.signatureAlgorithm, 'SHA256withRSA');
        const pem = await second.app.server.inject({
          method: 'GET',
          url: `/v1/environments/${envId}/keys/${key.id}`,
          headers: { authorization: `Bearer ${second.token}`, accept: 'application/x-x509-ca-cert' },
        });
        const x509 = new X509Certificate(pem.body);
        const published = JSON.parse(jwksBefore).keys[0];
        assert.ok(x509.publicKey.equals(createPublicKey({ key: published, format: 'jwk' })), 'the certificate holds the key it always had');
        assert.equal((await second.app.server.inject({ method: 'GET', url: `/${envId}/as/jwks` })).body, jwksBefore);
        assert.deepEqual(expectStatus(await second.inject('GET', `/v1/environments/${envId}/keys/${key.id}`), 200).body.serialNumber, key.serialNumber, 'made once');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
