/**
 * Distinguished names (src/keys/distinguished-name.ts): RFC 4514 text read and written back, one
 * attribute per RDN in the certificate (RFC 5280 §4.1.2.4), most specific RDN first in the text.
 */
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { parseDn, formatDn, toRelativeDistinguishedNames } from '../../../src/keys/distinguished-name.js';
import { selfSignedCertificate } from '../../../src/keys/certificates.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

describe('distinguished names', () => {
  test('RFC 4514 text: escaped commas, case-insensitive types; refused: unknown types, empty values, multi-valued RDNs, bad C', () => {
    assert.deepEqual(parseDn('CN=Doe\\, John, o=Example, C=US'), [['CN', 'Doe, John'], ['O', 'Example'], ['C', 'US']]);
    for (const bad of ['nonsense', 'CN=', 'XX=1', 'CN=a+O=b', 'C=USA', '=x']) assert.equal(parseDn(bad), undefined, bad);
  });

  test('written one attribute per RDN, read back the same; a self-signed certificate carries it as subject and issuer', async () => {
    const pairs = parseDn('CN=Doe\\, John, OU=IT, O=Example, C=US') as Array<[string, string]>;
    const name = toRelativeDistinguishedNames(pairs);
    assert.equal(formatDn(name), 'CN=Doe\\, John, OU=IT, O=Example, C=US');
    const cert = await selfSignedCertificate(newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }), {
      keyAlgorithm: 'EC',
      keyLength: 256,
      signatureAlgorithm: 'SHA256withECDSA',
      subject: pairs,
      validityDays: 10,
      startsAt: new Date('2026-01-01T00:00:00.500Z'),
    });
    const x509 = new X509Certificate(Buffer.from(cert.der, 'base64'));
    assert.equal(x509.subject, 'C=US\nO=Example\nOU=IT\nCN=Doe\\, John');
    assert.equal(x509.issuer, x509.subject);
    assert.equal(cert.subjectDN, 'CN=Doe\\, John, OU=IT, O=Example, C=US');
    assert.equal(cert.startsAt, '2026-01-01T00:00:00.000Z');
    assert.equal(cert.expiresAt, '2026-01-11T00:00:00.000Z');
    assert.ok(x509.verify(x509.publicKey));
    assert.ok(Number(cert.serialNumber) > 0 && Number(cert.serialNumber) < 2 ** 53);
  });
});
