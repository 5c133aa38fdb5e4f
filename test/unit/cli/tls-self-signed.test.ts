/**
 * KEYWAY_TLS=self-signed: the local certificate authority and server certificate in the data
 * directory: created once (keys 0600), reused on later starts, the server certificate renewed
 * when the public URL's host changes or it nears expiry, everything renewed when the authority
 * does. Certificates checked with node:crypto's X509Certificate (RFC 5280).
 */
import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CA_VALIDITY_DAYS, SERVER_VALIDITY_DAYS } from '../../../src/cli/tls/certificates.js';
import { RENEW_BEFORE_DAYS, selfSignedTls, serverNames, subjectAltNames } from '../../../src/cli/tls/self-signed.js';

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T12:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

let root: string;
let n = 0;
const freshDir = () => join(root, `data-${++n}`);
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const mode = (dir: string, name: string) => statSync(join(dir, name)).mode & 0o777;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'keyway-self-signed-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('first start', () => {
  test('creates ca.pem, ca-key.pem, server.pem and server-key.pem; keys 0600, certificates 0644', async () => {
    const dir = freshDir();
    const tls = await selfSignedTls(dir, 'localhost', T0);
    assert.equal(tls.caCreated, true);
    assert.equal(tls.serverCreated, true);
    assert.equal(tls.caFile, join(dir, 'ca.pem'));
    assert.equal(mode(dir, 'ca-key.pem'), 0o600);
    assert.equal(mode(dir, 'server-key.pem'), 0o600);
    assert.equal(mode(dir, 'ca.pem'), 0o644);
    assert.equal(mode(dir, 'server.pem'), 0o644);
    assert.equal(read(dir, 'server.pem'), tls.cert);
    assert.equal(read(dir, 'server-key.pem'), tls.key);
  });

  test('the authority: cA, self-issued, ten years; the fingerprint printed is its SHA-256', async () => {
    const dir = freshDir();
    const tls = await selfSignedTls(dir, 'localhost', T0);
    const ca = new X509Certificate(read(dir, 'ca.pem'));
    assert.equal(ca.ca, true);
    assert.ok(ca.checkIssued(ca) && ca.verify(ca.publicKey));
    assert.equal(tls.caFingerprint, ca.fingerprint256);
    assert.match(tls.caFingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const days = (new Date(ca.validTo).getTime() - T0.getTime()) / DAY;
    assert.ok(Math.abs(days - CA_VALIDITY_DAYS) < 1, `${days} days`);
  });

  test("the server certificate: issued by the authority, for localhost, 127.0.0.1 and the public URL's host, within 398 days", async () => {
    const dir = freshDir();
    const tls = await selfSignedTls(dir, 'keyway.test', T0);
    const ca = new X509Certificate(read(dir, 'ca.pem'));
    const server = new X509Certificate(tls.cert);
    assert.equal(server.ca, false);
    assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey), 'signed by the local authority');
    assert.deepEqual(subjectAltNames(server).sort(), ['127.0.0.1', 'keyway.test', 'localhost']);
    assert.equal(server.checkHost('keyway.test'), 'keyway.test');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.match(server.keyUsage?.join(',') ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.1/, 'extended key usage: serverAuth');
    const days = (new Date(server.validTo).getTime() - T0.getTime()) / DAY;
    assert.ok(days <= 398 && Math.abs(days - SERVER_VALIDITY_DAYS) < 1, `${days} days`);
  });

  test('an IP address or IPv6 literal as public host is an iPAddress name; duplicates are named once', async () => {
    assert.deepEqual(serverNames('localhost'), ['localhost', '127.0.0.1']);
    assert.deepEqual(serverNames('[::1]'), ['localhost', '127.0.0.1', '::1']);
    const tls = await selfSignedTls(freshDir(), '[::1]', T0);
    assert.deepEqual(subjectAltNames(new X509Certificate(tls.cert)), ['localhost', '127.0.0.1', '0:0:0:0:0:0:0:1']);
  });
});

describe('later starts', () => {
  test('reuse both certificates and keys unchanged', async () => {
    const dir = freshDir();
    const first = await selfSignedTls(dir, 'localhost', T0);
    const ca = read(dir, 'ca.pem');
    const again = await selfSignedTls(dir, 'localhost', at(100));
    assert.equal(again.caCreated, false);
    assert.equal(again.serverCreated, false);
    assert.equal(again.cert, first.cert);
    assert.equal(again.key, first.key);
    assert.equal(read(dir, 'ca.pem'), ca);
    assert.equal(again.caFingerprint, first.caFingerprint);
  });

  test("a new public URL host: a new server certificate naming it, from the same authority", async () => {
    const dir = freshDir();
    const first = await selfSignedTls(dir, 'one.test', T0);
    const moved = await selfSignedTls(dir, 'two.test', at(1));
    assert.equal(moved.caCreated, false);
    assert.equal(moved.serverCreated, true);
    assert.equal(moved.caFingerprint, first.caFingerprint);
    assert.deepEqual(subjectAltNames(new X509Certificate(moved.cert)).sort(), ['127.0.0.1', 'localhost', 'two.test']);
    const back = await selfSignedTls(dir, 'localhost', at(2));
    assert.equal(back.serverCreated, true, 'a host dropped from the list also renews it');
    assert.deepEqual(subjectAltNames(new X509Certificate(back.cert)).sort(), ['127.0.0.1', 'localhost']);
  });

  test(`a server certificate within ${RENEW_BEFORE_DAYS} days of expiry is renewed; the authority is kept`, async () => {
    const dir = freshDir();
    const first = await selfSignedTls(dir, 'localhost', T0);
    const early = await selfSignedTls(dir, 'localhost', at(SERVER_VALIDITY_DAYS - RENEW_BEFORE_DAYS - 1));
    assert.equal(early.serverCreated, false);
    const late = await selfSignedTls(dir, 'localhost', at(SERVER_VALIDITY_DAYS - RENEW_BEFORE_DAYS + 1));
    assert.equal(late.serverCreated, true);
    assert.equal(late.caCreated, false);
    assert.equal(late.caFingerprint, first.caFingerprint);
    assert.ok(new Date(new X509Certificate(late.cert).validTo) > new Date(new X509Certificate(first.cert).validTo));
  });

  test('an authority near expiry is replaced, and the server certificate with it', async () => {
    const dir = freshDir();
    const first = await selfSignedTls(dir, 'localhost', T0);
    const later = await selfSignedTls(dir, 'localhost', at(CA_VALIDITY_DAYS - RENEW_BEFORE_DAYS + 1));
    assert.equal(later.caCreated, true);
    assert.equal(later.serverCreated, true);
    assert.notEqual(later.caFingerprint, first.caFingerprint);
    assert.ok(new X509Certificate(later.cert).verify(new X509Certificate(read(dir, 'ca.pem')).publicKey));
  });

  test('a missing or damaged file is replaced: a server key that does not match, a server certificate from another authority, a lost CA key', async () => {
    const dir = freshDir();
    const first = await selfSignedTls(dir, 'localhost', T0);
    writeFileSync(join(dir, 'server-key.pem'), (await selfSignedTls(freshDir(), 'localhost', T0)).key);
    const rekeyed = await selfSignedTls(dir, 'localhost', T0);
    assert.equal(rekeyed.serverCreated, true);
    assert.equal(rekeyed.caCreated, false);

    writeFileSync(join(dir, 'server.pem'), (await selfSignedTls(freshDir(), 'localhost', T0)).cert);
    assert.equal((await selfSignedTls(dir, 'localhost', T0)).serverCreated, true, 'not issued by this authority');

    unlinkSync(join(dir, 'ca-key.pem'));
    const replaced = await selfSignedTls(dir, 'localhost', T0);
    assert.equal(replaced.caCreated, true);
    assert.notEqual(replaced.caFingerprint, first.caFingerprint);
    assert.equal(mode(dir, 'ca-key.pem'), 0o600);
  });
});
