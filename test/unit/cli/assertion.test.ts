import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, decodeProtectedHeader, jwtVerify } from 'jose';
import { run } from '../../../src/cli/assertion.js';
import { captureIo, tempDir } from './cli-io.js';
import { rsaKeyPair } from '../../support/rsa-keys.js';
import { newKeyPairSync } from '../../../src/keys/key-pair.js';

const AUDIENCE = 'https://id.example/11111111-2222-4333-8444-555555555555/as';
const CLIENT_ID = '66666666-7777-4888-9999-aaaaaaaaaaaa';

interface KeyFile {
  dir: string;
  file: string;
  publicKey: KeyObject;
}

function keyFile(pair: { privateKey: KeyObject; publicKey: KeyObject }, encoding: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8'): KeyFile {
  const dir = tempDir();
  const file = join(dir, 'key.pem');
  writeFileSync(file, pair.privateKey.export({ type: encoding, format: 'pem' }), { mode: 0o600 });
  return { dir, file, publicKey: pair.publicKey };
}

async function sign(args: string[], cwd = tempDir()): Promise<string> {
  const c = captureIo(cwd);
  const code = await run(args, c.io);
  assert.equal(code, 0, c.stderr());
  assert.equal(c.stderr(), '');
  return c.stdout().trim();
}

async function fails(args: string[], exit: number, pattern: RegExp): Promise<void> {
  const c = captureIo(tempDir());
  assert.equal(await run(args, c.io), exit, c.stderr());
  assert.equal(c.stdout(), '');
  assert.match(c.stderr(), pattern);
}

const base = (file: string): string[] => ['--client-id', CLIENT_ID, '--key', file, '--audience', AUDIENCE];

const rsa = keyFile(rsaKeyPair());
const inferred: Array<[string, KeyFile]> = [
  ['RS256', rsa],
  ['ES256', keyFile(newKeyPairSync({ type: 'ec', namedCurve: 'P-256' }))],
  ['ES384', keyFile(newKeyPairSync({ type: 'ec', namedCurve: 'P-384' }))],
  ['ES512', keyFile(newKeyPairSync({ type: 'ec', namedCurve: 'P-521' }))],
  ['EdDSA', keyFile(newKeyPairSync({ type: 'ed25519' }))],
];

describe('keyway assertion', () => {
  for (const [alg, key] of inferred) {
    test(`RFC 7523 §3 claims; alg ${alg} inferred from the key; kid is the RFC 7638 thumbprint`, async () => {
      const jwt = await sign(base(key.file));
      const { payload, protectedHeader } = await jwtVerify(jwt, key.publicKey, { algorithms: [alg], audience: AUDIENCE, issuer: CLIENT_ID, subject: CLIENT_ID });
      const kid = await calculateJwkThumbprint(key.publicKey.export({ format: 'jwk' }) as Parameters<typeof calculateJwkThumbprint>[0]);
      assert.deepEqual(protectedHeader, { alg, kid, typ: 'JWT' });
      assert.deepEqual(Object.keys(payload).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
      assert.equal(payload.aud, AUDIENCE, 'aud is a single string');
      assert.match(String(payload.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(payload.exp! - payload.iat!, 60, 'default lifetime');
      assert.ok(Math.abs(payload.iat! - Date.now() / 1000) < 5);
    });
  }

  test('every assertion has a fresh jti', async () => {
    const a = await sign(base(inferred[1]![1].file));
    const b = await sign(base(inferred[1]![1].file));
    const jti = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
    assert.notEqual(jti(a), jti(b));
  });

  test('--alg PS512, --kid and --lifetime are honoured; a relative --key resolves against the cwd', async () => {
    const jwt = await sign([...base('key.pem'), '--alg', 'PS512', '--kid', 'k-1', '--lifetime', '3600'], rsa.dir);
    const { payload, protectedHeader } = await jwtVerify(jwt, rsa.publicKey, { algorithms: ['PS512'] });
    assert.equal(protectedHeader.kid, 'k-1');
    assert.equal(payload.exp! - payload.iat!, 3600);
  });

  test('PKCS#1 RSA and SEC1 EC PEM files are read too', async () => {
    const pkcs1 = keyFile(rsaKeyPair(), 'pkcs1');
    assert.equal(decodeProtectedHeader(await sign(base(pkcs1.file))).alg, 'RS256');
    const sec1 = keyFile(newKeyPairSync({ type: 'ec', namedCurve: 'P-384' }), 'sec1');
    assert.equal(decodeProtectedHeader(await sign(base(sec1.file))).alg, 'ES384');
  });

  test('usage errors exit 2', async () => {
    await fails(['--key', rsa.file, '--audience', AUDIENCE], 2, /--client-id is required/);
    await fails(['--client-id', CLIENT_ID, '--audience', AUDIENCE], 2, /--key is required/);
    await fails(['--client-id', CLIENT_ID, '--key', rsa.file], 2, /--audience is required/);
    await fails([...base(rsa.file), '--lifetime', '3601'], 2, /--lifetime must be an integer from 1 to 3600/);
    await fails([...base(rsa.file), '--lifetime', '0'], 2, /--lifetime must be an integer/);
    await fails([...base(rsa.file), '--lifetime', '-5'], 2, /usage: keyway assertion/);
    await fails([...base(rsa.file), '--alg', 'HS256'], 2, /--alg must be one of/);
    await fails([...base(rsa.file), '--alg', 'ES256'], 2, /ES256 needs an EC P-256 key, not a rsa key/);
    await fails([...base(inferred[2]![1].file), '--alg', 'ES256'], 2, /ES256 needs an EC P-256 key, not an EC key on secp384r1/);
    await fails([...base(inferred[4]![1].file), '--alg', 'RS256'], 2, /RS256 needs an RSA key/);
    await fails(['--client-id', CLIENT_ID, '--key', rsa.file, '--audience', 'not a url'], 2, /--audience must be an absolute http or https URL/);
    await fails([...base(rsa.file), '--kid', ''], 2, /--kid must not be empty/);
  });

  test('unreadable or unusable key files exit 1 and never print key material', async () => {
    const dir = tempDir();
    await fails(base(join(dir, 'missing.pem')), 1, /cannot read the key file .*ENOENT/);
    const pub = join(dir, 'public.pem');
    writeFileSync(pub, rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    await fails(base(pub), 1, /holds a public key; pass the private key file/);
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXNlY3JldA==\n-----END PRIVATE KEY-----\n');
    await fails(base(junk), 1, /does not hold an unencrypted PEM private key$/m);
    const weak = keyFile(newKeyPairSync({ type: 'rsa', modulusLength: 1024 }));
    await fails(base(weak.file), 1, /the RSA key has 1024 bits; at least 2048 are required/);
    // Keyway generates no Ed448 key (src/keys/key-pair.ts): made here the same way, from DER.
    const der = generateKeyPairSync('ed448', { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } });
    const x448 = keyFile({ privateKey: createPrivateKey({ key: der.privateKey, format: 'der', type: 'pkcs8' }), publicKey: createPublicKey({ key: der.publicKey, format: 'der', type: 'spki' }) });
    await fails(base(x448.file), 1, /a key type a client cannot sign assertions with/);
  });
});
