/**
 * Runtime configuration: KEYWAY_TLS, KEYWAY_TLS_CERT and KEYWAY_TLS_KEY, read and checked once at
 * start, every error naming its variable; and KEYWAY_PUBLIC_URL's https default when TLS is on.
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificateAuthority, issueServerCertificate } from '../../../src/cli/tls/certificates.js';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

let dir: string;
const file = (name: string) => join(dir, name);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyway-tls-config-'));
  const now = new Date();
  const ca = await issueCertificateAuthority('test CA', now);
  const server = await issueServerCertificate(ca, ['localhost', '127.0.0.1'], now);
  const other = await issueServerCertificate(ca, ['localhost'], now);
  writeFileSync(file('server.pem'), server.cert);
  writeFileSync(file('chain.pem'), server.cert + ca.cert);
  writeFileSync(file('server-key.pem'), server.key);
  writeFileSync(file('other-key.pem'), other.key);
  writeFileSync(file('garbage.pem'), 'not a PEM file\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const refuses = (env: Record<string, string>, pattern: RegExp) =>
  assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && pattern.test(err.message), JSON.stringify(env));

describe('KEYWAY_TLS_CERT and KEYWAY_TLS_KEY', () => {
  test('unset: plain HTTP, public URL http://localhost:<port>', () => {
    const config = loadConfig({ KEYWAY_PORT: '9443' });
    assert.equal(config.tls, undefined);
    assert.equal(config.publicUrl, 'http://localhost:9443');
  });

  test('a certificate and its key: read once, and KEYWAY_PUBLIC_URL defaults to https://localhost:<port>', () => {
    const config = loadConfig({ KEYWAY_PORT: '9443', KEYWAY_TLS_CERT: file('server.pem'), KEYWAY_TLS_KEY: file('server-key.pem') });
    assert.equal(config.tls?.mode, 'files');
    assert.ok(config.tls?.mode === 'files' && config.tls.cert.startsWith('-----BEGIN CERTIFICATE-----'));
    assert.equal(config.publicUrl, 'https://localhost:9443');
  });

  test('a chain file (leaf first, then the authority) is accepted: the key is checked against the leaf', () => {
    const config = loadConfig({ KEYWAY_TLS_CERT: file('chain.pem'), KEYWAY_TLS_KEY: file('server-key.pem') });
    assert.ok(config.tls?.mode === 'files' && config.tls.cert.split('BEGIN CERTIFICATE').length === 3);
  });

  test('an explicit https public URL is kept; an http one is refused while TLS is on', () => {
    const files = { KEYWAY_TLS_CERT: file('server.pem'), KEYWAY_TLS_KEY: file('server-key.pem') };
    assert.equal(loadConfig({ ...files, KEYWAY_PUBLIC_URL: 'https://id.example.com' }).publicUrl, 'https://id.example.com');
    refuses({ ...files, KEYWAY_PUBLIC_URL: 'http://id.example.com' }, /KEYWAY_PUBLIC_URL must use https/);
  });

  test('one without the other is refused, naming the missing variable', () => {
    refuses({ KEYWAY_TLS_CERT: file('server.pem') }, /KEYWAY_TLS_CERT is set without KEYWAY_TLS_KEY/);
    refuses({ KEYWAY_TLS_KEY: file('server-key.pem') }, /KEYWAY_TLS_KEY is set without KEYWAY_TLS_CERT/);
  });

  test('a missing file is refused, naming the variable, the file and the reason', () => {
    refuses({ KEYWAY_TLS_CERT: file('absent.pem'), KEYWAY_TLS_KEY: file('server-key.pem') }, /^KEYWAY_TLS_CERT: cannot read .*absent\.pem \(ENOENT\)/);
    refuses({ KEYWAY_TLS_CERT: file('server.pem'), KEYWAY_TLS_KEY: file('absent.pem') }, /^KEYWAY_TLS_KEY: cannot read .*absent\.pem \(ENOENT\)/);
    refuses({ KEYWAY_TLS_CERT: dir, KEYWAY_TLS_KEY: file('server-key.pem') }, /^KEYWAY_TLS_CERT: cannot read .* \(EISDIR\)/);
  });

  test('a file without a certificate, or without a key, is refused', () => {
    refuses({ KEYWAY_TLS_CERT: file('garbage.pem'), KEYWAY_TLS_KEY: file('server-key.pem') }, /^KEYWAY_TLS_CERT: .*garbage\.pem holds no PEM certificate/);
    refuses({ KEYWAY_TLS_CERT: file('server.pem'), KEYWAY_TLS_KEY: file('garbage.pem') }, /^KEYWAY_TLS_KEY: .*garbage\.pem holds no unencrypted PEM private key/);
    refuses({ KEYWAY_TLS_CERT: file('server-key.pem'), KEYWAY_TLS_KEY: file('server-key.pem') }, /KEYWAY_TLS_CERT: .* holds no PEM certificate/);
  });

  test("a key that is not the certificate's is refused at start, not at the first handshake", () => {
    refuses({ KEYWAY_TLS_CERT: file('server.pem'), KEYWAY_TLS_KEY: file('other-key.pem') }, /KEYWAY_TLS_KEY \(.*other-key\.pem\) is not the private key of the certificate in KEYWAY_TLS_CERT/);
  });
});

describe('KEYWAY_TLS', () => {
  test('self-signed: HTTPS with the local authority, public URL https://localhost:<port> by default', () => {
    const config = loadConfig({ KEYWAY_TLS: 'self-signed', KEYWAY_PORT: '8443' });
    assert.deepEqual(config.tls, { mode: 'self-signed' });
    assert.equal(config.publicUrl, 'https://localhost:8443');
  });

  test('any other value is refused, naming the variable', () => {
    for (const bad of ['on', 'true', 'SELF-SIGNED', 'files']) refuses({ KEYWAY_TLS: bad }, /^KEYWAY_TLS must be "self-signed"/);
  });

  test('self-signed together with certificate files is refused: one or the other', () => {
    refuses({ KEYWAY_TLS: 'self-signed', KEYWAY_TLS_CERT: file('server.pem'), KEYWAY_TLS_KEY: file('server-key.pem') }, /KEYWAY_TLS=self-signed makes its own certificate/);
  });

  test('empty values count as unset', () => {
    assert.equal(loadConfig({ KEYWAY_TLS: '', KEYWAY_TLS_CERT: '', KEYWAY_TLS_KEY: '' }).tls, undefined);
  });
});
