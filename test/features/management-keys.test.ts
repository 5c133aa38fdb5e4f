/**
 * Environment keys through the management API (OpenAPI `Certificate`, `CertificateKeyUpdate`;
 * developer.pingidentity.com, "Certificate Management"): every environment starts with one
 * default RSA signing key; EC and RSA keys are created with self-signed certificates, made the
 * default, exported (X.509 PEM, PKCS #7 DER) and deleted (never the default). Tokens are signed
 * by the default key in its algorithm (RFC 7518 §3.1), the JWKS publishes every signing key
 * (RFC 7517 §5) and verification accepts exactly those (RFC 8725 §3.1). A key's certificate
 * signing request (PKCS #10, RFC 2986) is signed by a CA with OpenSSL as PingOne's "Import
 * Certificate Authority (CA) Response to a CSR" shows, and the CA's certificate replaces the
 * self-signed one.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  test('a certificate that is not valid at upload is refused (PingOne, "Certificate Management")', async () => {
    const { file } = pkcs12(['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'sha256', '/CN=Expired pin', 'p');
    let now = new Date();
    const timed = await startInProcess({ now: () => now });
    try {
      const admin = await createApp(timed, timed.adminEnvId, 'late importer');
      expectStatus(await assignRole(timed, timed.adminEnvId, admin.id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: timed.adminEnvId }), 201);
      // OpenSSL made it valid for 30 days from now.
      now = new Date(Date.now() + 31 * 86_400_000);
      const bearer = await tokenFor(timed, timed.adminEnvId, admin);
      const form = multipart({ password: 'p', usageType: 'SIGNING' }, file);
      const res = await timed.app.server.inject({ method: 'POST', url: `/v1/environments/${timed.adminEnvId}/keys`, headers: { authorization: `Bearer ${bearer}`, 'content-type': form.contentType }, payload: form.payload });
      const refused = expectDetail({ status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) }, 'INVALID_VALUE', 'file');
      assert.match(String(refused.message), /not currently valid/);
      const keys = expectStatus(await timed.inject('GET', `/v1/environments/${timed.adminEnvId}/keys`, { token: bearer }), 200).body._embedded.keys as unknown[];
      assert.equal(keys.length, 1, 'nothing stored');
    } finally {
      await timed.close();
    }
  });

  test('role checks: Identity Data Admin cannot import', async () => {
    const { file } = pkcs12(['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'sha256', '/CN=Refused role', 'p');
    const app = await createApp(h, env, 'import refused');
    expectStatus(await assignRole(h, env, app.id, ROLES.identityDataAdmin.id, { type: 'ENVIRONMENT', id: env }), 201);
    expectForbidden(await upload(multipart({ password: 'p', usageType: 'SIGNING' }, file), await tokenFor(h, env, app)));
  });
});

/** Runs OpenSSL in `dir`; its standard output. */
const openssl = (dir: string, args: string[]): string => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A certificate authority of its own in a new directory: `ca.pem` and `ca.key`. */
function certificateAuthority(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-ca-'));
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/O=Example/CN=Example CA', '-days', '30']);
  return dir;
}

/** The CA's answer to `csrPem`, as PingOne's documentation makes it: `openssl x509 -req … -CAcreateserial`. */
function signCsr(ca: string, csrPem: string, days = 365): Buffer {
  writeFileSync(join(ca, 'key.csr'), csrPem);
  openssl(ca, ['x509', '-req', '-sha256', '-days', String(days), '-in', 'key.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-outform', 'PEM', '-out', 'resp.crt']);
  return readFileSync(join(ca, 'resp.crt'));
}

/** A multipart/form-data body holding `file`, as PingOne's PKICAResponseFileUpload. */
function caFileForm(file: Buffer): { payload: Buffer; contentType: string } {
  const boundary = 'keyway-test-boundary-ca';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="resp.crt"\r\nContent-Type: application/x-x509-ca-cert\r\n\r\n`);
  return { payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('keys: certificate signing request (GET …/csr) and the CA response (PUT or POST …/csr)', () => {
  let ca = '';
  before(() => {
    ca = certificateAuthority();
  });
  after(() => rmSync(ca, { recursive: true, force: true }));

  const csrOf = (keyId: string, accept?: string, bearer = h.token) =>
    h.app.server.inject({ method: 'GET', url: `${base}/${keyId}/csr`, headers: { authorization: `Bearer ${bearer}`, ...(accept ? { accept } : {}) } });
  const sendResponse = async (keyId: string, method: 'PUT' | 'POST', payload: Buffer | string, contentType: string, bearer = h.token) => {
    const res = await h.app.server.inject({ method, url: `${base}/${keyId}/csr`, headers: { authorization: `Bearer ${bearer}`, 'content-type': contentType }, payload });
    return { status: res.statusCode, headers: res.headers, body: res.body === '' ? undefined : JSON.parse(res.body) };
  };
  const keyOf = async (id: string) => expectStatus(await h.inject('GET', `${base}/${id}`), 200).body;

  test('RFC 2986 §4: the CSR names the certificate subject, holds the key, and is signed by it; PEM by default, DER for application/pkcs10', async () => {
    const key = expectStatus(await h.inject('POST', base, { body: ecBody({ name: 'CSR EC', subjectDN: 'CN=CSR EC, O=Example Corp, C=US' }) }), 201).body;
    const pem = await csrOf(key.id);
    assert.equal(pem.statusCode, 200);
    assert.match(String(pem.headers['content-type']), /^application\/x-pem-file/);
    assert.match(pem.body, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const dir = mkdtempSync(join(tmpdir(), 'keyway-csr-'));
    try {
      writeFileSync(join(dir, 'key.csr'), pem.body);
      // -verify checks the request's signature with the public key it holds (the proof of possession).
      const subject = openssl(dir, ['req', '-in', 'key.csr', '-verify', '-noout', '-subject', '-nameopt', 'RFC2253']);
      assert.match(subject, /subject=CN=CSR EC,O=Example Corp,C=US/);
      const requested = createPublicKey(openssl(dir, ['req', '-in', 'key.csr', '-noout', '-pubkey']));
      const published = (await jwks()).keys.find((k) => k.kid === key.id) as Record<string, any>;
      assert.ok(requested.equals(createPublicKey({ key: published, format: 'jwk' })), "the CSR holds the key's public key");

      const der = await csrOf(key.id, 'application/pkcs10');
      assert.equal(der.statusCode, 200);
      assert.match(String(der.headers['content-type']), /^application\/pkcs10/);
      writeFileSync(join(dir, 'key.der'), der.rawPayload);
      assert.match(openssl(dir, ['req', '-inform', 'DER', '-in', 'key.der', '-verify', '-noout', '-subject', '-nameopt', 'RFC2253']), /CN=CSR EC/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the CA's certificate replaces the self-signed one (multipart PUT): issuer, serial and validity are the CA's; the key, its id and its algorithm stay; the JWKS carries it", async () => {
    const key = expectStatus(await h.inject('POST', base, { body: ecBody({ name: 'CA signed EC', subjectDN: 'CN=CA signed EC, O=Example Corp' }) }), 201).body;
    const signed = signCsr(ca, (await csrOf(key.id)).body);
    const x509 = new X509Certificate(signed);
    const reply = await sendResponse(key.id, 'PUT', caFileForm(signed).payload, caFileForm(signed).contentType);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    expectSchema('Certificate', reply.body);
    assert.deepEqual(
      [reply.body.id, reply.body.issuerDN, reply.body.subjectDN, reply.body.algorithm, reply.body.signatureAlgorithm, reply.body.validityPeriod],
      [key.id, 'CN=Example CA, O=Example', 'CN=CA signed EC, O=Example Corp', 'EC', 'SHA256withECDSA', 365],
    );
    // OpenSSL's serial is 160 random bits, beyond an exact JSON number: left out, as for imported keys.
    assert.ok(BigInt(`0x${x509.serialNumber}`) > BigInt(Number.MAX_SAFE_INTEGER));
    assert.equal(reply.body.serialNumber, undefined);
    assert.equal(reply.body.expiresAt, new Date(x509.validTo).toISOString());
    assert.deepEqual(await keyOf(key.id), reply.body, 'what the answer says is what is stored');

    const exported = await h.app.server.inject({ method: 'GET', url: `${base}/${key.id}`, headers: { authorization: `Bearer ${h.token}`, accept: 'application/x-x509-ca-cert' } });
    assert.ok(new X509Certificate(exported.body).raw.equals(x509.raw), 'the certificate export is the CA-signed certificate');
    const published = (await jwks()).keys.find((k) => k.kid === key.id) as Record<string, any>;
    assert.deepEqual(published.x5c, [x509.raw.toString('base64')], 'RFC 7517 §4.7: x5c holds the new certificate');
    assert.equal(published['x5t#S256'], createHash('sha256').update(x509.raw).digest('base64url'));

    // The key pair is unchanged: made the default, it signs tokens the published key verifies.
    expectStatus(await h.inject('PUT', `${base}/${key.id}`, { body: { usageType: 'SIGNING', default: true } }), 200);
    const ecToken = await token();
    assert.equal(decodeProtectedHeader(ecToken).kid, key.id);
    assert.ok(await verifies(ecToken, await jwks()));
  });

  test("an RSA key: the CA's certificate and its chain as an application/x-pem-file body to POST (the OpenAPI method) is taken alike", async () => {
    const key = expectStatus(await h.inject('POST', base, { body: { name: 'CA signed RSA', algorithm: 'RSA', keyLength: 2048, signatureAlgorithm: 'SHA256withRSA', subjectDN: 'CN=CA signed RSA', validityPeriod: 365, usageType: 'SIGNING' } }), 201).body;
    const signed = signCsr(ca, (await csrOf(key.id)).body, 90);
    // The CA's own certificate first: the key's is found by its public key, not by its place.
    const chain = `${readFileSync(join(ca, 'ca.pem'), 'utf8')}${signed.toString('utf8')}`;
    const reply = await sendResponse(key.id, 'POST', chain, 'application/x-pem-file');
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual([reply.body.issuerDN, reply.body.validityPeriod, reply.body.signatureAlgorithm], ['CN=Example CA, O=Example', 90, 'SHA256withRSA']);
  });

  test("refused answers (another key's certificate, not a certificate, no file, an unknown key) change nothing", async () => {
    const key = expectStatus(await h.inject('POST', base, { body: ecBody({ name: 'CSR refusals', subjectDN: 'CN=CSR refusals' }) }), 201).body;
    const other = expectStatus(await h.inject('POST', base, { body: ecBody({ name: 'CSR other', subjectDN: 'CN=CSR other' }) }), 201).body;
    const othersCertificate = signCsr(ca, (await csrOf(other.id)).body);
    const refusedFor = async (payload: Buffer) => {
      const form = caFileForm(payload);
      return sendResponse(key.id, 'PUT', form.payload, form.contentType);
    };
    expectDetail(await refusedFor(othersCertificate), 'INVALID_VALUE', 'file');
    expectDetail(await refusedFor(Buffer.from('not a certificate')), 'INVALID_VALUE', 'file');
    expectDetail(await refusedFor(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')), 'INVALID_VALUE', 'file');
    expectDetail(await sendResponse(key.id, 'PUT', '{}', 'application/json'), 'REQUIRED_VALUE', 'file');
    expectDetail(await refusedFor(Buffer.alloc(64 * 1024 + 1, 0x41)), 'SIZE_LIMIT_EXCEEDED', 'file');
    const tooMany = expectDetail(await refusedFor(Buffer.from(`${othersCertificate.toString()}`.repeat(11))), 'INVALID_VALUE', 'file');
    assert.match(String(tooMany.message), /at most 10 certificates/);
    assert.deepEqual(await keyOf(key.id), key, 'the key keeps its self-signed certificate');
    assert.equal((await sendResponse('00000000-0000-4000-8000-000000000000', 'PUT', othersCertificate.toString(), 'application/x-pem-file')).status, 404);
    assert.equal((await csrOf('00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });

  test('role checks: Identity Data Admin can neither export a CSR nor import an answer', async () => {
    const key = expectStatus(await h.inject('POST', base, { body: ecBody({ name: 'CSR roles' }) }), 201).body;
    const app = await createApp(h, env, 'csr refused');
    expectStatus(await assignRole(h, env, app.id, ROLES.identityDataAdmin.id, { type: 'ENVIRONMENT', id: env }), 201);
    const refused = await tokenFor(h, env, app);
    assert.equal((await csrOf(key.id, undefined, refused)).statusCode, 403);
    expectForbidden(await sendResponse(key.id, 'PUT', signCsr(ca, (await csrOf(key.id)).body).toString(), 'application/x-pem-file', refused));
  });

  test('a certificate that is no longer valid is refused (PingOne, "Certificate Management": valid at upload)', async () => {
    let now = new Date();
    const timed = await startInProcess({ now: () => now });
    try {
      const keys = `/v1/environments/${timed.adminEnvId}/keys`;
      const key = expectStatus(await timed.inject('POST', keys, { body: ecBody({ name: 'Short CA certificate' }) }), 201).body;
      const csr = await timed.app.server.inject({ method: 'GET', url: `${keys}/${key.id}/csr`, headers: { authorization: `Bearer ${timed.token}` } });
      const signed = signCsr(ca, csr.body, 1);
      const admin = await createApp(timed, timed.adminEnvId, 'late admin');
      expectStatus(await assignRole(timed, timed.adminEnvId, admin.id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: timed.adminEnvId }), 201);
      now = new Date(Date.now() + 2 * 86_400_000);
      const res = await timed.app.server.inject({
        method: 'PUT',
        url: `${keys}/${key.id}/csr`,
        headers: { authorization: `Bearer ${await tokenFor(timed, timed.adminEnvId, admin)}`, 'content-type': 'application/x-pem-file' },
        payload: signed.toString(),
      });
      const body = JSON.parse(res.body);
      expectDetail({ status: res.statusCode, headers: res.headers, body }, 'INVALID_VALUE', 'file');
      assert.match(body.details[0].message, /not currently valid/);
      now = new Date();
      assert.equal(expectStatus(await timed.inject('GET', `${keys}/${key.id}`), 200).body.issuerDN, key.issuerDN, 'nothing stored');
    } finally {
      await timed.close();
    }
  });
});

describe('keys: PingOne, "Update Key": a key whose status is EXPIRED cannot be updated', () => {
  test('made the default after its certificate expired: 400 CONSTRAINT_VIOLATION on status, and the default stays', async () => {
    let now = new Date();
    const timed = await startInProcess({ now: () => now });
    try {
      const keys = `/v1/environments/${timed.adminEnvId}/keys`;
      const key = expectStatus(await timed.inject('POST', keys, { body: ecBody({ name: 'One day', validityPeriod: 1 }) }), 201).body;
      const admin = await createApp(timed, timed.adminEnvId, 'late admin');
      expectStatus(await assignRole(timed, timed.adminEnvId, admin.id, ROLES.environmentAdmin.id, { type: 'ENVIRONMENT', id: timed.adminEnvId }), 201);
      now = new Date(Date.now() + 2 * 86_400_000);
      const late = await tokenFor(timed, timed.adminEnvId, admin);
      assert.equal(expectStatus(await timed.inject('GET', `${keys}/${key.id}`, { token: late }), 200).body.status, 'EXPIRED');
      expectDetail(await timed.inject('PUT', `${keys}/${key.id}`, { token: late, body: { usageType: 'SIGNING', default: true } }), 'CONSTRAINT_VIOLATION', 'status');
      const defaults = (expectStatus(await timed.inject('GET', keys, { token: late }), 200).body._embedded.keys as Array<Record<string, any>>).filter((k) => k.default);
      assert.deepEqual(defaults.map((k) => k.algorithm), ['RSA'], 'the first key is still the default');
    } finally {
      await timed.close();
    }
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
