/**
 * HTTPS through the real process (README, "HTTPS"): the operator's PEM files, and
 * KEYWAY_TLS=self-signed's local authority kept in the data directory and reused across
 * restarts. Clients trust the authority as users are told to: undici's `connect: { ca }`,
 * NODE_EXTRA_CA_CERTS, and openid-client's discovery (OpenID Connect Discovery 1.0 §4) over it.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import * as client from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { issueCertificateAuthority, issueServerCertificate } from '../../src/cli/tls/certificates.js';
import { startProcess, type RunningServer } from '../support/process.js';

const PINS = {
  KEYWAY_BOOTSTRAP_ENVIRONMENT_ID: '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b',
  KEYWAY_BOOTSTRAP_CLIENT_ID: '8f9a0b1c-2d3e-4f4a-9b5c-6d7e8f9a0b1c',
  KEYWAY_BOOTSTRAP_CLIENT_SECRET: 'https-e2e-secret-0123456789abcdef01234567',
};
const ISSUER_PATH = `/${PINS.KEYWAY_BOOTSTRAP_ENVIRONMENT_ID}/as`;

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'keyway-https-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A fetch that trusts exactly `ca` (besides nothing else), as the README shows for Node. */
function trusting(ca: string): (url: string, init?: Parameters<typeof undiciFetch>[1]) => ReturnType<typeof undiciFetch> {
  const dispatcher = new Agent({ connect: { ca } });
  return (url, init) => undiciFetch(url, { ...init, dispatcher });
}

/** The certificate the server presents in its TLS handshake. */
async function presented(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (cert) resolve(cert);
      else reject(new Error('no certificate'));
    });
    socket.once('error', reject);
  });
}

/** openid-client against `issuer` over HTTPS: discovery, then client_credentials for the admin worker. */
async function discoverAndGetToken(issuer: string, ca: string): Promise<{ config: client.Configuration; token: string }> {
  const fetchWithCa = trusting(ca);
  const config = await client.discovery(new URL(issuer), PINS.KEYWAY_BOOTSTRAP_CLIENT_ID, undefined, client.ClientSecretBasic(PINS.KEYWAY_BOOTSTRAP_CLIENT_SECRET), {
    [client.customFetch]: (url, options) => fetchWithCa(url, options as Parameters<typeof undiciFetch>[1]) as unknown as Promise<Response>,
  });
  config[client.customFetch] = (url, options) => fetchWithCa(url, options as Parameters<typeof undiciFetch>[1]) as unknown as Promise<Response>;
  const tokens = await client.clientCredentialsGrant(config);
  return { config, token: tokens.access_token };
}

describe('KEYWAY_TLS_CERT and KEYWAY_TLS_KEY: the operator’s PEM files', () => {
  let server: RunningServer;
  let ca: string;
  let files: { cert: string; key: string };

  before(async () => {
    const now = new Date();
    const authority = await issueCertificateAuthority('operator test CA', now);
    const leaf = await issueServerCertificate(authority, ['localhost', '127.0.0.1'], now);
    ca = authority.cert;
    files = { cert: join(root, 'operator-cert.pem'), key: join(root, 'operator-key.pem') };
    writeFileSync(files.cert, leaf.cert);
    writeFileSync(files.key, leaf.key, { mode: 0o600 });
    const dataDir = join(root, 'files-data');
    server = await startProcess({ KEYWAY_DATA_DIR: dataDir, KEYWAY_TLS_CERT: files.cert, KEYWAY_TLS_KEY: files.key, ...PINS }, 20_000, { https: true });
  });
  after(() => server?.stop());

  test('serves HTTPS on the port with that certificate; KEYWAY_PUBLIC_URL defaults to https://localhost:<port>', async () => {
    const cert = await presented(server.port);
    assert.equal(cert.fingerprint256, new X509Certificate(readFileSync(files.cert)).fingerprint256);
    const res = await trusting(ca)(`https://localhost:${server.port}${ISSUER_PATH}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const discovery = (await res.json()) as { issuer: string; token_endpoint: string };
    assert.equal(discovery.issuer, `https://localhost:${server.port}${ISSUER_PATH}`);
    assert.equal(discovery.token_endpoint, `https://localhost:${server.port}${ISSUER_PATH}/token`);
  });

  test('a client that does not trust the authority is refused by TLS; plain HTTP gets no answer', async () => {
    await assert.rejects(fetch(`https://localhost:${server.port}/healthz`), (err: Error) => /self[- ]signed|unable to (get|verify)|certificate/i.test(String((err as { cause?: unknown }).cause ?? err)));
    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/healthz`));
  });

  test('openid-client: discovery over HTTPS, then a client_credentials token that the management API takes', async () => {
    const { token } = await discoverAndGetToken(`https://localhost:${server.port}${ISSUER_PATH}`, ca);
    const res = await trusting(ca)(`https://localhost:${server.port}/v1/environments`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { _links: { self: { href: string } } };
    assert.match(body._links.self.href, /^https:\/\/localhost:\d+\/v1\/environments/);
  });

  test('a key that is not the certificate’s stops the start with an error naming KEYWAY_TLS_KEY', async () => {
    const other = await issueServerCertificate(await issueCertificateAuthority('other', new Date()), ['localhost'], new Date());
    const wrongKey = join(root, 'wrong-key.pem');
    writeFileSync(wrongKey, other.key, { mode: 0o600 });
    await assert.rejects(
      startProcess({ KEYWAY_DATA_DIR: join(root, 'bad-data'), KEYWAY_TLS_CERT: files.cert, KEYWAY_TLS_KEY: wrongKey }, 10_000, { https: true }),
      /exited with 1: keyway: KEYWAY_TLS_KEY \(.*wrong-key\.pem\) is not the private key of the certificate in KEYWAY_TLS_CERT/,
    );
  });
});

describe('KEYWAY_TLS=self-signed: a local authority in the data directory', () => {
  const dataDir = () => join(root, 'self-signed-data');
  let first: RunningServer;
  let firstOut: string;
  let fingerprint: string;

  before(async () => {
    first = await startProcess({ KEYWAY_DATA_DIR: dataDir(), KEYWAY_TLS: 'self-signed', ...PINS }, 30_000, { https: true });
  });
  after(() => first?.stop());

  test('the first start creates ca.pem (keys 0600) and prints its path and SHA-256 fingerprint', () => {
    firstOut = first.stdout();
    const ca = new X509Certificate(readFileSync(join(dataDir(), 'ca.pem')));
    fingerprint = ca.fingerprint256;
    assert.match(firstOut, /created a local certificate authority/);
    assert.ok(firstOut.includes(`CA certificate: ${join(dataDir(), 'ca.pem')}`), firstOut);
    assert.ok(firstOut.includes(`SHA-256 fingerprint: ${fingerprint}`), firstOut);
    for (const key of ['ca-key.pem', 'server-key.pem']) assert.equal(statSync(join(dataDir(), key)).mode & 0o777, 0o600, key);
  });

  test('the served certificate is the stored server.pem, issued by ca.pem for localhost and 127.0.0.1', async () => {
    const cert = await presented(first.port);
    const ca = new X509Certificate(readFileSync(join(dataDir(), 'ca.pem')));
    assert.equal(cert.fingerprint256, new X509Certificate(readFileSync(join(dataDir(), 'server.pem'))).fingerprint256);
    assert.ok(cert.verify(ca.publicKey));
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
  });

  test('undici with connect: { ca } and openid-client discovery over HTTPS, by name and by address', async () => {
    const ca = readFileSync(join(dataDir(), 'ca.pem'), 'utf8');
    const { config } = await discoverAndGetToken(`https://localhost:${first.port}${ISSUER_PATH}`, ca);
    assert.equal(config.serverMetadata().issuer, `https://localhost:${first.port}${ISSUER_PATH}`);
    assert.equal((await trusting(ca)(`https://127.0.0.1:${first.port}/healthz`)).status, 200);
  });

  test('NODE_EXTRA_CA_CERTS=ca.pem makes Node’s own fetch trust it (README)', async () => {
    const script = `fetch(process.argv[1]).then((r) => console.log(r.status), (e) => { console.error(String(e.cause ?? e)); process.exit(1); })`;
    const run = (env: NodeJS.ProcessEnv) => promisify(execFile)(process.execPath, ['-e', script, `https://localhost:${first.port}/healthz`], { env: { PATH: process.env.PATH ?? '', ...env } });
    assert.equal((await run({ NODE_EXTRA_CA_CERTS: join(dataDir(), 'ca.pem') })).stdout.trim(), '200');
    await assert.rejects(run({}), 'without it the certificate is not trusted');
  });

  test('a restart reuses the authority and the server certificate; another public host gets a new server certificate from the same authority', async () => {
    const servedBefore = (await presented(first.port)).fingerprint256;
    const storedCa = readFileSync(join(dataDir(), 'ca.pem'), 'utf8');
    await first.stop();

    const second = await startProcess({ KEYWAY_DATA_DIR: dataDir(), KEYWAY_TLS: 'self-signed', ...PINS }, 30_000, { https: true });
    try {
      assert.doesNotMatch(second.stdout(), /created a local certificate authority/);
      assert.ok(second.stdout().includes(`SHA-256 fingerprint: ${fingerprint}`));
      assert.equal(readFileSync(join(dataDir(), 'ca.pem'), 'utf8'), storedCa);
      assert.equal((await presented(second.port)).fingerprint256, servedBefore, 'the same server certificate');
      assert.equal(await second.stop(), 0, 'SIGTERM drains and exits cleanly over HTTPS too');
    } finally {
      await second.stop();
    }

    const third = await startProcess(
      (port) => ({ KEYWAY_DATA_DIR: dataDir(), KEYWAY_TLS: 'self-signed', KEYWAY_PUBLIC_URL: `https://keyway.test:${port}`, ...PINS }),
      30_000,
      { https: true },
    );
    try {
      const cert = await presented(third.port);
      assert.notEqual(cert.fingerprint256, servedBefore);
      assert.equal(cert.checkHost('keyway.test'), 'keyway.test');
      assert.ok(cert.verify(new X509Certificate(storedCa).publicKey), 'issued by the authority clients already trust');
    } finally {
      await third.stop();
    }
  });
});
