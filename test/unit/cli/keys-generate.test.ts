import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, decodeProtectedHeader, type JWK } from 'jose';
import { run, runKeys } from '../../../src/cli/keys-generate.js';
import { run as runAssertion } from '../../../src/cli/assertion.js';
import { SIGNING_ALGS } from '../../../src/cli/client-key.js';
import { validateJwksString } from '../../../src/management/client-keys/jwks.js';
import { captureIo, tempDir } from './cli-io.js';

interface Generated {
  privateKeyFile: string;
  kid: string;
  alg: string;
  jwks: string;
  jwk: JWK;
  body?: Record<string, unknown>;
}

async function generate(args: string[], cwd = tempDir()): Promise<Generated> {
  const c = captureIo(cwd);
  const code = await run([...args, '--json'], c.io);
  assert.equal(code, 0, c.stderr());
  return JSON.parse(c.stdout()) as Generated;
}

async function usageError(args: string[]): Promise<string> {
  const c = captureIo(tempDir());
  assert.equal(await run(args, c.io), 2);
  assert.equal(c.stdout(), '');
  assert.match(c.stderr(), /usage: keyway keys generate/);
  return c.stderr();
}

const CURVE: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

describe('keyway keys generate', () => {
  for (const alg of SIGNING_ALGS) {
    test(`${alg}: a jwks Keyway accepts and a 0600 PKCS#8 key whose assertions verify with it`, async () => {
      const dir = tempDir();
      const out = await generate(['--alg', alg, '--out', 'client.pem'], dir);
      assert.equal(out.privateKeyFile, join(dir, 'client.pem'));
      assert.equal(out.alg, alg);

      const validation = validateJwksString(out.jwks);
      assert.ok(validation.ok, JSON.stringify(validation));
      const set = JSON.parse(out.jwks) as { keys: JWK[] };
      assert.deepEqual(set.keys, [out.jwk]);
      assert.equal(out.jwk.use, 'sig');
      assert.equal(out.jwk.alg, alg);
      assert.equal(out.jwk.kid, out.kid);
      assert.equal(out.kid, await calculateJwkThumbprint(out.jwk, 'sha256'), 'kid is the RFC 7638 thumbprint');
      assert.ok(!('d' in out.jwk), 'no private member');
      if (alg === 'EdDSA') assert.equal(out.jwk.crv, 'Ed25519');
      else if (alg.startsWith('ES')) assert.equal(out.jwk.crv, CURVE[alg]);
      else assert.equal(createPublicKey({ key: out.jwk, format: 'jwk' }).asymmetricKeyDetails?.modulusLength, 2048);

      assert.equal(statSync(out.privateKeyFile).mode & 0o777, 0o600);
      const pem = readFileSync(out.privateKeyFile, 'utf8');
      assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/, 'PKCS#8');
      assert.equal(createPrivateKey(pem).type, 'private');

      const c = captureIo(dir);
      const code = await runAssertion(['--client-id', 'client-1', '--key', 'client.pem', '--audience', 'https://id.example/env/as', '--alg', alg], c.io);
      assert.equal(code, 0, c.stderr());
      const jws = c.stdout().trim();
      const { protectedHeader } = await compactVerify(jws, createLocalJWKSet(set));
      assert.equal(protectedHeader.alg, alg);
      assert.equal(protectedHeader.kid, out.kid);
    });
  }

  test('--bits 3072 makes a 3072-bit RSA key', async () => {
    const out = await generate(['--alg', 'PS384', '--bits', '3072', '--out', 'k.pem']);
    assert.equal(createPublicKey({ key: out.jwk, format: 'jwk' }).asymmetricKeyDetails?.modulusLength, 3072);
    assert.ok(validateJwksString(out.jwks).ok);
  });

  test('the default file is ./keyway-client-<kid8>.pem; --kid replaces the thumbprint', async () => {
    const dir = tempDir();
    const byThumbprint = await generate(['--alg', 'ES256'], dir);
    assert.equal(byThumbprint.privateKeyFile, join(dir, `keyway-client-${byThumbprint.kid.slice(0, 8)}.pem`));
    const named = await generate(['--alg', 'EdDSA', '--kid', 'payments-2026'], dir);
    assert.equal(named.kid, 'payments-2026');
    assert.equal(named.jwk.kid, 'payments-2026');
    assert.equal(named.privateKeyFile, join(dir, 'keyway-client-payments.pem'));
    assert.deepEqual(readdirSync(dir).sort(), [`keyway-client-${byThumbprint.kid.slice(0, 8)}.pem`, 'keyway-client-payments.pem'].sort());
  });

  test('refuses to overwrite an existing file, which keeps its content', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'taken.pem'), 'keep me');
    const c = captureIo(dir);
    assert.equal(await run(['--alg', 'ES256', '--out', 'taken.pem'], c.io), 1);
    assert.match(c.stderr(), /already exists; refusing to overwrite/);
    assert.equal(c.stdout(), '');
    assert.equal(readFileSync(join(dir, 'taken.pem'), 'utf8'), 'keep me');
  });

  test('a missing directory is a failure, not a usage error', async () => {
    const c = captureIo(tempDir());
    assert.equal(await run(['--alg', 'ES256', '--out', 'no/such/dir/k.pem'], c.io), 1);
    assert.match(c.stderr(), /cannot create .*ENOENT/);
  });

  test('usage errors exit 2 and write no file', async () => {
    assert.match(await usageError(['--alg', 'HS256']), /--alg must be one of RS256/);
    assert.match(await usageError(['--alg', 'none']), /--alg must be one of/);
    assert.match(await usageError([]), /--alg is required/);
    assert.match(await usageError(['--alg', 'ES256', '--bits', '3072']), /--bits applies to RSA algorithms only/);
    assert.match(await usageError(['--alg', 'RS256', '--bits', '1024']), /--bits must be one of 2048, 3072, 4096/);
    assert.match(await usageError(['--alg', 'RS256', '--bits', 'lots']), /--bits must be an integer/);
    assert.match(await usageError(['--alg', 'RS256', '--kid', '']), /--kid must be 1 to 256 characters/);
    await usageError(['--alg', 'RS256', '--colour']);
    await usageError(['--alg', 'RS256', 'extra']);
    await usageError(['--alg']);
  });

  test('--body adds the seed application body carrying the jwks string', async () => {
    const out = await generate(['--alg', 'RS256', '--body', '--out', 'k.pem']);
    assert.deepEqual(out.body, {
      enabled: true,
      name: 'Shared-Web-App',
      type: 'WEB_APP',
      protocol: 'OPENID_CONNECT',
      grantTypes: ['AUTHORIZATION_CODE'],
      redirectUris: ['http://localhost:3000/callback'],
      responseTypes: ['CODE'],
      tokenEndpointAuthMethod: 'PRIVATE_KEY_JWT',
      jwks: out.jwks,
    });
  });

  test('plain output shows the file, kid and the jwks as a JSON string ready to paste', async () => {
    const dir = tempDir();
    const c = captureIo(dir);
    assert.equal(await run(['--alg', 'ES384', '--out', 'k.pem', '--body'], c.io), 0);
    const lines = c.stdout().split('\n');
    assert.ok(lines.includes(`Private key: ${join(dir, 'k.pem')} (mode 0600; keep it secret)`));
    const jwksLine = lines.find((l) => l.startsWith('"{'));
    assert.ok(jwksLine);
    const jwks = JSON.parse(jwksLine) as string;
    assert.ok(validateJwksString(jwks).ok);
    assert.match(c.stdout(), /PUT \{\{apiPath\}\}\/v1\/environments\/\{\{envID\}\}\/applications\/\{\{appID\}\}/);
    assert.ok(c.stdout().includes('"tokenEndpointAuthMethod": "PRIVATE_KEY_JWT"'));
  });

  test('plain output says when assertion and token need --alg or --kid', async () => {
    const pss = captureIo(tempDir());
    assert.equal(await run(['--alg', 'PS256', '--out', 'k.pem', '--kid', 'k1'], pss.io), 0);
    assert.match(pss.stdout(), /^Pass --alg PS256 --kid k1 to `keyway assertion` and `keyway token` with this key\.$/m);
    const plain = captureIo(tempDir());
    assert.equal(await run(['--alg', 'ES256', '--out', 'k.pem'], plain.io), 0);
    assert.doesNotMatch(plain.stdout(), /^Pass /m);
  });

  test('keys: unknown or missing subcommand is a usage error; --help succeeds', async () => {
    const c = captureIo(tempDir());
    assert.equal(await runKeys(['rotate'], c.io), 2);
    assert.match(c.stderr(), /unknown subcommand "rotate"/);
    assert.equal(await runKeys([], c.io), 2);
    const h = captureIo(tempDir());
    assert.equal(await runKeys(['generate', '--help'], h.io), 0);
    assert.match(h.stdout(), /usage: keyway keys generate/);
    assert.equal(existsSync(join(h.io.cwd, 'k.pem')), false);
  });

  test('the header of an assertion from a generated key names the kid and typ JWT', async () => {
    const dir = tempDir();
    const out = await generate(['--alg', 'ES512', '--out', 'k.pem'], dir);
    const c = captureIo(dir);
    assert.equal(await runAssertion(['--client-id', 'c', '--key', 'k.pem', '--audience', 'https://as.example'], c.io), 0);
    assert.deepEqual(decodeProtectedHeader(c.stdout().trim()), { alg: 'ES512', kid: out.kid, typ: 'JWT' });
  });
});
