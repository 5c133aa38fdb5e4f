/**
 * New key pairs are imported from the DER their generator wrote (src/keys/key-pair.ts). A
 * KeyObject straight from Node's generator shares a lock with the generator's job, which the job
 * takes again when the garbage collector frees it; a JWK export holds that lock while it
 * allocates. With a young generation of 1 MiB, so that collections come often, generating EC
 * pairs and exporting them as JWK that way deadlocked Node 20 before 12,000 pairs on each of four
 * tries (twice before 4,000). The pairs made here are exported thousands of times under the same
 * pressure, in a child process that must end by itself.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newKeyPairOf, newKeyPairSync } from '../../../src/keys/key-pair.js';

const MODULE = fileURLToPath(new URL('../../../src/keys/key-pair.ts', import.meta.url));

const STRESS = `
  const { newKeyPairOf, newKeyPairSync } = await import(${JSON.stringify(MODULE)});
  for (let i = 0; i < 10000; i++) {
    const { publicKey, privateKey } = newKeyPairSync({ type: 'ec', namedCurve: 'P-256' });
    publicKey.export({ format: 'jwk' });
    privateKey.export({ format: 'jwk' });
  }
  for (let i = 0; i < 1500; i++) (await newKeyPairOf({ type: 'ec', namedCurve: 'P-256' })).publicKey.export({ format: 'jwk' });
  process.stdout.write('done');
`;

function run(seconds: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-semi-space-size=1', '--import', 'tsx', '--input-type=module', '-e', STRESS], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('key pairs of their own', () => {
  test('thousands of pairs exported as JWK under frequent collections: the process ends, no deadlock', async () => {
    const { code, out, err } = await run(60);
    assert.equal(code, 0, `exit ${code} (killed when hung): ${err}`);
    assert.equal(out, 'done');
  });

  test('each kind of pair signs and verifies, its public key matching its private key', async () => {
    for (const spec of [{ type: 'rsa', modulusLength: 2048 }, { type: 'ec', namedCurve: 'P-384' }, { type: 'ed25519' }] as const) {
      for (const pair of [newKeyPairSync(spec), await newKeyPairOf(spec)]) {
        assert.equal(pair.privateKey.type, 'private');
        assert.equal(pair.publicKey.type, 'public');
        assert.equal(pair.publicKey.asymmetricKeyType, spec.type);
        const { sign, verify } = await import('node:crypto');
        const digest = spec.type === 'ed25519' ? null : 'sha256';
        const signature = sign(digest, Buffer.from('keyway'), pair.privateKey);
        assert.ok(verify(digest, Buffer.from('keyway'), pair.publicKey, signature), spec.type);
      }
    }
  });
});
