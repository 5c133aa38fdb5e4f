/**
 * Key files named by a configuration (src/declarative/key-files.ts): an application's `jwksFile`,
 * an uploaded certificate's `certificateFile` and a key's `privateKeyFile` / `certificateFile`,
 * read relative to the configuration file.
 */
import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { loadConfigurationFile, loadConfigurationText } from '../../../src/declarative/load.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

const app = (extra: string) => `environments:\n  - name: E\n    type: SANDBOX\n    region: NA\n    applications:\n      - name: svc\n${extra}`;

describe('key files in a configuration', () => {
  let dir = '';
  const ec = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyway-key-files-'));
    writeFileSync(join(dir, 'svc.pem'), ec.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(join(dir, 'svc.pub.pem'), ec.publicKey.export({ format: 'pem', type: 'spki' }));
    writeFileSync(join(dir, 'svc.jwks.json'), JSON.stringify({ keys: [{ ...ec.publicKey.export({ format: 'jwk' }), kid: 'k1' }] }));
    writeFileSync(join(dir, 'notes.txt'), 'not a key');
    writeFileSync(join(dir, 'signing.pem'), 'PEM TEXT');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const load = (extra: string, name = 'keyway.yaml') => {
    writeFileSync(join(dir, name), app(extra));
    return loadConfigurationFile(join(dir, name), {}).document as any;
  };

  test('a PEM private key becomes a one-key jwks of its public key, kid its RFC 7638 thumbprint (as keyway keys generate)', async () => {
    const jwks = JSON.parse(load('        jwksFile: svc.pem\n').environments[0].applications[0].jwks);
    const expected = ec.publicKey.export({ format: 'jwk' }) as JWK;
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].x, expected.x);
    assert.equal(jwks.keys[0].d, undefined, 'no private member leaves the operator machine');
    assert.equal(jwks.keys[0].kid, await calculateJwkThumbprint(expected, 'sha256'));
    assert.equal(load('        jwksFile: svc.pub.pem\n').environments[0].applications[0].jwks, JSON.stringify(jwks));
  });

  test('a JWKS file is taken as written; the reference itself is not sent', () => {
    const application = load('        jwksFile: ./svc.jwks.json\n').environments[0].applications[0];
    assert.equal(JSON.parse(application.jwks).keys[0].kid, 'k1');
    assert.equal('jwksFile' in application, false);
  });

  test('paths are relative to the configuration file, not the working directory', () => {
    const text = app('        jwksFile: svc.pem\n');
    assert.throws(() => loadConfigurationText('keyway.yaml', text, {}, join(dir, 'elsewhere')), /keyway\.yaml:7: \/environments\/0\/applications\/0\/jwksFile: cannot read svc\.pem: ENOENT/);
  });

  test('a file that is no key, a missing file, and jwks beside jwksFile are errors on their line', () => {
    assert.throws(() => load('        jwksFile: notes.txt\n'), /:7: \/environments\/0\/applications\/0\/jwksFile: the file is neither a JWKS/);
    assert.throws(() => load('        jwksFile: missing.pem\n'), /:7: \/environments\/0\/applications\/0\/jwksFile: cannot read missing\.pem: ENOENT/);
    assert.throws(() => load('        jwks: "{}"\n        jwksFile: svc.pem\n'), /jwksFile: give jwks or jwksFile, not both\./);
  });

  test("a key's privateKeyFile and certificateFile are read as text", () => {
    writeFileSync(join(dir, 'keys.yaml'), 'environments:\n  - name: E\n    type: SANDBOX\n    region: NA\n    keys:\n      - id: 6f1d2a10-0000-4000-8000-0000000000a1\n        usageType: SIGNING\n        privateKeyFile: signing.pem\n        certificateFile: signing.pem\n');
    const key = (loadConfigurationFile(join(dir, 'keys.yaml'), {}).document as any).environments[0].keys[0];
    assert.equal(key.privateKey, 'PEM TEXT');
    assert.equal(key.certificate, 'PEM TEXT');
    assert.equal('privateKeyFile' in key, false);
  });

  test("an uploaded certificate's certificateFile is read as text, relative to the configuration file; certificate beside it is an error", () => {
    const certificate = load('        certificates:\n          - kid: partner\n            certificateFile: signing.pem\n').environments[0].applications[0].certificates[0];
    assert.deepEqual(certificate, { kid: 'partner', certificate: 'PEM TEXT' });
    assert.throws(() => load('        certificates:\n          - certificateFile: missing.pem\n'), /\/environments\/0\/applications\/0\/certificates\/0\/certificateFile: cannot read missing\.pem: ENOENT/);
    assert.throws(() => load('        certificates:\n          - certificate: x\n            certificateFile: signing.pem\n'), /certificateFile: give certificate or certificateFile, not both\./);
  });
});
