/**
 * The log destination of `keyway start` (src/cli/log-destination.ts), in a child process whose
 * standard output is a pipe as a log shipper's would be: a lone line of a quiet server reaches
 * the reader without more writes (the timed flush), and `flushed()` resolves only once every
 * line written before it has been handed over, so that an exit right after loses nothing.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DESTINATION = fileURLToPath(new URL('../../../src/cli/log-destination.ts', import.meta.url));

/** Runs `body` (with `out`, the destination) in a child; its stdout and stderr. */
function child(body: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const script = `import { asyncStdout } from ${JSON.stringify(DESTINATION)};\nconst out = asyncStdout();\n${body}`;
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => proc.on('close', (code) => resolve({ stdout, stderr, code })));
}

test('a lone line is handed over within the flush interval, without a later write or an exit', async () => {
  // One line, then, 400 ms later, a marker written straight to fd 1: the line comes first only if
  // the timer handed it over (8 KiB would otherwise be needed first).
  const { stdout, code } = await child(`
    out.write('first\\n');
    await new Promise((r) => setTimeout(r, 400));
    const { writeSync } = await import('node:fs');
    writeSync(1, 'marker\\n');
    await out.flushed();
  `);
  assert.equal(code, 0);
  assert.deepEqual(stdout.split('\n').filter(Boolean), ['first', 'marker'], 'the line went out before the marker: it did not wait for the buffer to fill');
});

test('flushed() resolves after every line written before it: an exit right after loses none', async () => {
  const { stdout, code } = await child(`
    for (let i = 0; i < 5000; i++) out.write(JSON.stringify({ i, msg: 'request completed', pad: 'x'.repeat(100) }) + '\\n');
    await out.flushed();
    process.exit(0);
  `);
  assert.equal(code, 0);
  const lines = stdout.split('\n').filter(Boolean);
  assert.equal(lines.length, 5000);
  assert.equal(JSON.parse(lines[4999] as string).i, 4999);
});
