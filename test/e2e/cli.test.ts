/**
 * End-to-end: the built CLI as a real process (`node dist/cli/main.js keys generate`), as a user
 * runs it. The verbs themselves are covered in-process by test/unit/cli/.
 */
import { after, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateJwksString } from '../../src/management/client-keys/jwks.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keyway-cli-e2e-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('keyway keys generate writes a 0600 PKCS#8 key and prints a jwks Keyway accepts', async () => {
  const result = await runCli(['keys', 'generate', '--alg', 'RS256', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout) as { privateKeyFile: string; kid: string; alg: string; jwks: string };
  assert.equal(out.privateKeyFile, join(dir, `keyway-client-${out.kid.slice(0, 8)}.pem`));
  assert.equal(out.alg, 'RS256');
  assert.equal(statSync(out.privateKeyFile).mode & 0o777, 0o600);
  assert.match(readFileSync(out.privateKeyFile, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  assert.ok(validateJwksString(out.jwks).ok);
});
