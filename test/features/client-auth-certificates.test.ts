/**
 * Uploaded client certificates (`POST/GET .../applications/{appId}/keys`,
 * `GET/DELETE .../keys/{keyId}`, the PingOne PRIVATE_KEY_JWT page's PEM upload): response
 * fields, refusals, and certificates as an application's only PRIVATE_KEY_JWT keys, including
 * the validity window under a moved clock. Certificates are made at test time by `openssl`
 * (Node has no X.509 generation API); `openssl ca` backdates or postdates the windows.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertionForm,
  clientAuthEvents,
  clientKey,
  createClient,
  createCustomScope,
  createEnvironment,
  expectDetail,
  expectOAuthError,
  expectStatus,
  issuerOf,
  jwksString,
  postForm,
  signAssertion,
  startInProcess,
  type GrantableScope,
  type InProcess,
  type Reply,
} from '../support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'keyway-certs-'));
let serial = 0;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

interface Generated {
  pem: string;
  privateKey: KeyObject;
  /** The private key's PEM file in the temp dir. */
  keyFile: string;
  /** SHA-256 of the DER certificate, base64url: the default kid and `x5t#S256`. */
  thumbprint: string;
  x509: X509Certificate;
}

function read(certFile: string, keyFile: string): Generated {
  const pem = readFileSync(join(dir, certFile), 'utf8');
  const x509 = new X509Certificate(pem);
  return { pem, x509, keyFile, privateKey: createPrivateKey(readFileSync(join(dir, keyFile))), thumbprint: createHash('sha256').update(x509.raw).digest('base64url') };
}

const NEW_KEY: Record<string, string[]> = {
  rsa: ['-newkey', 'rsa:2048'],
  rsa1024: ['-newkey', 'rsa:1024'],
  ec: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  ed25519: ['-newkey', 'ed25519'],
};

/** A self-signed certificate valid from now for `days` days. */
function selfSigned(kind: keyof typeof NEW_KEY, cn: string, days = 2): Generated {
  const name = `${cn}-${++serial}`;
  openssl('req', '-x509', ...(NEW_KEY[kind] as string[]), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${cn}`, '-days', String(days));
  return read(`${name}.crt`, `${name}.key`);
}

/** A self-signed RSA certificate with an explicit window (YYYYMMDDHHMMSSZ), through `openssl ca -selfsign`. */
function windowed(cn: string, start: string, end: string): Generated {
  const name = `${cn}-${++serial}`;
  writeFileSync(join(dir, `${name}.cnf`), `[ca]\ndefault_ca=d\n[d]\ndatabase=${name}.idx\nserial=${name}.srl\nnew_certs_dir=.\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n`);
  writeFileSync(join(dir, `${name}.idx`), '');
  writeFileSync(join(dir, `${name}.srl`), '01\n');
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  openssl('ca', '-batch', '-config', `${name}.cnf`, '-selfsign', '-keyfile', `${name}.key`, '-in', `${name}.csr`, '-out', `${name}.crt`, '-startdate', start, '-enddate', end, '-notext');
  return read(`${name}.crt`, `${name}.key`);
}

// The app's clock: real time plus an offset some tests move.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const DAY = 24 * 3600_000;

let h: InProcess;
let envId: string;
let issuer: string;
let orders: GrantableScope;
let rsa: Generated;
let ec: Generated;
let ed: Generated;

before(async () => {
  h = await startInProcess({ now: clock });
  envId = await createEnvironment(h, 'Certificates');
  issuer = issuerOf(h, envId);
  orders = await createCustomScope(h, envId, 'orders', 'https://orders.example', 'orders:read');
  rsa = selfSigned('rsa', 'rsa-client');
  ec = selfSigned('ec', 'ec-client');
  ed = selfSigned('ed25519', 'ed-client');
});
after(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const keysUrl = (appId: string) => `/v1/environments/${envId}/applications/${appId}/keys`;
const uploadPem = (appId: string, pem: string): Promise<Reply> =>
  h.inject('POST', keysUrl(appId), { body: pem, headers: { 'content-type': 'application/x-pem-file' } });
const uploadJson = (appId: string, body: Record<string, unknown>): Promise<Reply> => h.inject('POST', keysUrl(appId), { body });

/** `kid` null sends none. */
async function authenticate(clientId: string, cert: Generated, alg: string, kid: string | null = cert.thumbprint): Promise<Reply> {
  const assertion = await signAssertion(cert.privateKey, alg, clientId, { aud: issuer, now: clock(), header: kid === null ? {} : { kid } });
  return postForm(h, `/${envId}/as/token`, assertionForm(assertion));
}

/** A SERVICE app switched to PRIVATE_KEY_JWT once its certificates are uploaded (no jwks, no jwksUrl). */
async function certificateOnlyClient(...certs: Generated[]): Promise<string> {
  const id = await createClient(h, envId, {}, orders);
  for (const cert of certs) expectStatus(await uploadPem(id, cert.pem), 201);
  const body = { name: `cert-only-${id.slice(0, 8)}`, enabled: true, type: 'SERVICE', protocol: 'OPENID_CONNECT', tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT' };
  expectStatus(await h.inject('PUT', `/v1/environments/${envId}/applications/${id}`, { body }), 200);
  return id;
}

/**
 * A PRIVATE_KEY_JWT app whose inline jwks holds one unrelated key (kid "decoy") and whose other
 * keys are uploaded certificates: certificates verify alongside inline keys.
 */
async function certificateClient(...certs: Generated[]): Promise<string> {
  const decoy = await clientKey('ES384', 'decoy');
  const id = await createClient(h, envId, { tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT', jwks: jwksString(decoy) }, orders);
  for (const cert of certs) expectStatus(await uploadPem(id, cert.pem), 201);
  return id;
}

describe('upload, list, read, delete', () => {
  test('application/x-pem-file: kid is the SHA-256 thumbprint; PingOne certificate fields', async () => {
    const appId = await createClient(h, envId, {});
    const res = expectStatus(await uploadPem(appId, rsa.pem), 201);
    const body = res.body;
    assert.equal(body.kid, rsa.thumbprint);
    assert.equal(body.id, rsa.thumbprint);
    assert.equal(body['x5t#S256'], rsa.thumbprint);
    assert.equal(body.subjectDN, rsa.x509.subject);
    assert.match(body.subjectDN as string, /CN=rsa-client/);
    assert.equal(body.issuerDN, rsa.x509.issuer);
    assert.equal(body.expiresAt, new Date(rsa.x509.validTo).toISOString());
    assert.equal(body.startsAt, new Date(rsa.x509.validFrom).toISOString());
    assert.equal(body.status, 'VALID');
    assert.deepEqual(body.application, { id: appId });
    assert.equal(body.jwk.kty, 'RSA');
    assert.equal(body.jwk.kid, rsa.thumbprint);
    assert.equal(body.jwk.d, undefined);
    assert.equal(new X509Certificate(body.certificate as string).fingerprint256, rsa.x509.fingerprint256);
    assert.equal(body._links.self.href, `${h.publicUrl}${keysUrl(appId)}/${rsa.thumbprint}`);
  });

  test('JSON {certificate, kid}: the given kid; list, read and delete', async () => {
    const appId = await createClient(h, envId, {});
    const created = expectStatus(await uploadJson(appId, { certificate: ec.pem, kid: 'ec-custom' }), 201).body;
    assert.equal(created.kid, 'ec-custom');
    assert.equal(created['x5t#S256'], ec.thumbprint);
    assert.equal(created.jwk.crv, 'P-256');
    const second = expectStatus(await uploadJson(appId, { certificate: ed.pem }), 201).body;
    assert.equal(second.kid, ed.thumbprint);

    const list = expectStatus(await h.inject('GET', keysUrl(appId)), 200).body;
    assert.equal(list.count, 2);
    assert.deepEqual(new Set(list._embedded.keys.map((k: { kid: string }) => k.kid)), new Set(['ec-custom', ed.thumbprint]));
    assert.deepEqual(expectStatus(await h.inject('GET', `${keysUrl(appId)}/ec-custom`), 200).body, created);

    expectStatus(await h.inject('DELETE', `${keysUrl(appId)}/ec-custom`), 204);
    expectStatus(await h.inject('GET', `${keysUrl(appId)}/ec-custom`), 404);
    expectStatus(await h.inject('DELETE', `${keysUrl(appId)}/ec-custom`), 404);
    assert.equal(expectStatus(await h.inject('GET', keysUrl(appId)), 200).body.count, 1);
  });

  test('certificates of one application are not reachable through another', async () => {
    const owner = await createClient(h, envId, {});
    const other = await createClient(h, envId, {});
    expectStatus(await uploadPem(owner, ed.pem), 201);
    expectStatus(await h.inject('GET', `${keysUrl(other)}/${ed.thumbprint}`), 404);
    expectStatus(await h.inject('DELETE', `${keysUrl(other)}/${ed.thumbprint}`), 404);
    expectStatus(await h.inject('GET', `${keysUrl(owner)}/${ed.thumbprint}`), 200);
  });
});

describe('refusals: 400 INVALID_DATA and nothing stored', () => {
  let appId: string;
  before(async () => {
    appId = await createClient(h, envId, {});
  });

  const pemCases: Array<[string, () => string, string]> = [
    ['a private key', () => readFileSync(join(dir, rsa.keyFile), 'utf8'), 'INVALID_VALUE'],
    ['a certificate followed by its private key', () => rsa.pem + readFileSync(join(dir, rsa.keyFile), 'utf8'), 'INVALID_VALUE'],
    ['a CSR', () => {
      openssl('req', '-new', '-key', rsa.keyFile, '-out', 'request.csr', '-subj', '/CN=request');
      return readFileSync(join(dir, 'request.csr'), 'utf8');
    }, 'INVALID_VALUE'],
    ['two certificates (a bundle)', () => rsa.pem + ec.pem, 'INVALID_VALUE'],
    ['an RSA 1024 certificate', () => selfSigned('rsa1024', 'weak').pem, 'INVALID_VALUE'],
    ['garbage', () => 'this is not a certificate', 'INVALID_VALUE'],
    ['a PEM block of garbage', () => '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n', 'INVALID_VALUE'],
    ['more than 16 KiB', () => rsa.pem + '\n'.repeat(17 * 1024), 'SIZE_LIMIT_EXCEEDED'],
    // Only whitespace may surround the one PEM block (RFC 7468 §2 lets parsers skip such text; Keyway refuses it).
    ['explanatory text before the certificate', () => `Subject: CN=rsa-client\n${rsa.pem}`, 'INVALID_VALUE'],
    ['text after the certificate', () => `${rsa.pem}<script>alert(1)</script>\n`, 'INVALID_VALUE'],
    ['a byte order mark before the certificate', () => `\uFEFF${rsa.pem}`, 'INVALID_VALUE'],
    ['a non-breaking space after the certificate', () => `${rsa.pem}\u00A0`, 'INVALID_VALUE'],
    ['a header line inside the block', () => rsa.pem.replace('-----BEGIN CERTIFICATE-----\n', '-----BEGIN CERTIFICATE-----\nComment: x\n'), 'INVALID_VALUE'],
    ['no END line', () => rsa.pem.replace('-----END CERTIFICATE-----', ''), 'INVALID_VALUE'],
    ['an expired certificate (2020)', () => windowed('expired', '20200101000000Z', '20200102000000Z').pem, 'INVALID_VALUE'],
    ['a certificate not valid before 2099', () => windowed('future', '20990101000000Z', '20990102000000Z').pem, 'INVALID_VALUE'],
  ];
  for (const [title, pem, code] of pemCases) {
    test(`${title} → ${code} on certificate`, async () => {
      const text = pem();
      const detail = expectDetail(await uploadPem(appId, text), code, 'certificate');
      assert.ok(!JSON.stringify(detail).includes('PRIVATE KEY'), 'the submitted text is not echoed');
      expectDetail(await uploadJson(appId, { certificate: text }), code, 'certificate');
      assert.equal(expectStatus(await h.inject('GET', keysUrl(appId)), 200).body.count, 0);
    });
  }

  test('whitespace around the block is accepted (leading blank lines, CRLF, trailing spaces)', async () => {
    const target = await createClient(h, envId, {});
    const created = expectStatus(await uploadPem(target, `\r\n\n  ${rsa.pem.replace(/\n/g, '\r\n')} \t\n\n`), 201);
    assert.equal(created.body.certificate, rsa.x509.toString());
  });

  test('JSON without certificate → REQUIRED_VALUE; kid not a string or not printable → INVALID_VALUE', async () => {
    expectDetail(await uploadJson(appId, { kid: 'x' }), 'REQUIRED_VALUE', 'certificate');
    expectDetail(await uploadJson(appId, { certificate: rsa.pem, kid: 7 }), 'INVALID_VALUE', 'kid');
    expectDetail(await uploadJson(appId, { certificate: rsa.pem, kid: 'has space' }), 'INVALID_VALUE', 'kid');
    assert.equal(expectStatus(await h.inject('GET', keysUrl(appId)), 200).body.count, 0);
  });

  test('the same certificate twice, or a kid already used, → UNIQUENESS_VIOLATION', async () => {
    const target = await createClient(h, envId, {});
    expectStatus(await uploadPem(target, rsa.pem), 201);
    expectDetail(await uploadPem(target, rsa.pem), 'UNIQUENESS_VIOLATION', 'kid');
    expectStatus(await uploadJson(target, { certificate: ec.pem, kid: 'shared' }), 201);
    expectDetail(await uploadJson(target, { certificate: ed.pem, kid: 'shared' }), 'UNIQUENESS_VIOLATION', 'kid');
    assert.equal(expectStatus(await h.inject('GET', keysUrl(target)), 200).body.count, 2);
  });
});

describe('uploaded certificates as PRIVATE_KEY_JWT keys', () => {
  after(() => {
    offsetMs = 0;
  });

  test(
    'an application whose ONLY keys are uploaded certificates can be switched to PRIVATE_KEY_JWT and authenticates',
    async () => {
      const clientId = await certificateOnlyClient(ed);
      expectStatus(await authenticate(clientId, ed, 'EdDSA'), 200);
    },
  );

  test('uploaded certificates authenticate, each by its kid (the thumbprint); without kid the request is refused', async () => {
    const clientId = await certificateClient(rsa, ec, ed);
    for (const [cert, alg] of [[rsa, 'RS256'], [rsa, 'PS256'], [ec, 'ES256'], [ed, 'EdDSA']] as const) {
      const res = await authenticate(clientId, cert, alg);
      assert.equal(res.status, 200, `${alg}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.scope, orders.scope);
    }
    // Several keys: an assertion without kid is refused rather than guessed.
    expectOAuthError(await authenticate(clientId, rsa, 'RS256', null), 401, 'invalid_client');
    // A certificate's key under another certificate's kid does not verify.
    expectOAuthError(await authenticate(clientId, ec, 'ES256', rsa.thumbprint), 401, 'invalid_client');
  });

  test('a certificate uploaded with a chosen kid is found by that kid', async () => {
    const clientId = await certificateClient();
    expectStatus(await uploadJson(clientId, { certificate: ec.pem, kid: 'my-ec-cert' }), 201);
    expectStatus(await authenticate(clientId, ec, 'ES256', 'my-ec-cert'), 200);
    expectOAuthError(await authenticate(clientId, ec, 'ES256', ec.thumbprint), 401, 'invalid_client');
  });

  test('after DELETE the certificate no longer authenticates; the others still do', async () => {
    const clientId = await certificateClient(rsa, ec);
    expectStatus(await authenticate(clientId, ec, 'ES256'), 200);
    expectStatus(await h.inject('DELETE', `${keysUrl(clientId)}/${ec.thumbprint}`), 204);
    expectOAuthError(await authenticate(clientId, ec, 'ES256'), 401, 'invalid_client');
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'KID_UNKNOWN');
    assert.equal(events[0]?.kid, ec.thumbprint);
    expectStatus(await authenticate(clientId, rsa, 'RS256'), 200);
  });

  test('a certificate past notAfter (clock moved) stops authenticating and reads as EXPIRED; uploads are refused then', async () => {
    const cert = selfSigned('ec', 'short-lived', 1);
    const clientId = await certificateClient(cert);
    expectStatus(await authenticate(clientId, cert, 'ES256'), 200);

    offsetMs = 2 * DAY;
    expectOAuthError(await authenticate(clientId, cert, 'ES256'), 401, 'invalid_client');
    // The admin token from before the jump has expired under the moved clock.
    const summary = h.app.bootstrap.summary;
    h.token = expectStatus(await h.clientCredentials(h.adminEnvId, summary.clientId as string, summary.clientSecret as string), 200).body.access_token as string;
    const events = await clientAuthEvents(h, envId, clientId, (e) => e.length > 0);
    assert.equal(events[0]?.reason, 'KID_UNKNOWN', JSON.stringify(events[0]));
    assert.equal(expectStatus(await h.inject('GET', `${keysUrl(clientId)}/${cert.thumbprint}`), 200).body.status, 'EXPIRED');
    expectDetail(await uploadPem(await createClient(h, envId, {}), selfSigned('ed25519', 'uploaded-late', 1).pem), 'INVALID_VALUE', 'certificate');

    offsetMs = 0;
    expectStatus(await authenticate(clientId, cert, 'ES256'), 200);
  });

  test('a certificate not yet valid (clock moved back before notBefore) does not authenticate', async () => {
    const cert = selfSigned('ed25519', 'not-yet', 2);
    const clientId = await certificateClient(cert);
    offsetMs = -DAY;
    expectOAuthError(await authenticate(clientId, cert, 'EdDSA'), 401, 'invalid_client');
    offsetMs = 0;
    expectStatus(await authenticate(clientId, cert, 'EdDSA'), 200);
  });
});
