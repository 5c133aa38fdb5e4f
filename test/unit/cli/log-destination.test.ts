/**
 * The log destination of `keyway start` (src/cli/log-destination.ts), in a child process whose
 * standard output is a pipe as a log shipper's would be: a lone line of a quiet server reaches
 * the reader without more writes (the timed flush), `flushed()` resolves only once every line
 * written before it has been handed over, and an exit without it still writes what waits. Then
 * the batching itself against a fake fd: batches, partial writes, EAGAIN, a reader that is gone.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { asyncStdout, type FdWriter } from '../../../src/cli/log-destination.js';

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

test('process.exit() without flushed(): the lines still waiting are written as the process exits', async () => {
  const { stdout, code } = await child(`
    out.write('waiting\\n');
    process.exit(0);
  `);
  assert.equal(code, 0);
  assert.equal(stdout, 'waiting\n');
});

/** A writer that records what reaches the "fd"; each write's outcome is chosen by `answer`. */
function fakeWriter(answer: (call: number, length: number) => { err?: string; written?: number }) {
  const out: string[] = [];
  const stderr: string[] = [];
  let calls = 0;
  const pending: Array<() => void> = [];
  const writer: FdWriter = {
    write: (_fd, buffer, offset, length, done) => {
      const call = calls++;
      const { err, written = length } = answer(call, length);
      // Answered on a later turn, as the thread pool would.
      pending.push(() => {
        if (err) return done(Object.assign(new Error(err), { code: err }), 0);
        out.push(buffer.subarray(offset, offset + written).toString('utf8'));
        done(null, written);
      });
      setImmediate(() => pending.shift()?.());
    },
    writeSync: (fd, buffer) => void (fd === 2 ? stderr : out).push(buffer.toString('utf8')),
  };
  return { writer, text: () => out.join(''), stderr: () => stderr.join(''), calls: () => calls };
}

describe('the batching writer (a fake fd)', () => {
  test('lines wait until 8 KiB are gathered, then go in one write, in order', async () => {
    const fake = fakeWriter(() => ({}));
    const out = asyncStdout(99, fake.writer);
    const lines = Array.from({ length: 100 }, (_, i) => `${JSON.stringify({ i, pad: 'x'.repeat(80) })}\n`);
    for (const line of lines.slice(0, 10)) out.write(line);
    assert.equal(fake.calls(), 0, 'under 8 KiB: nothing written yet');
    for (const line of lines.slice(10)) out.write(line);
    assert.equal(fake.calls(), 1, 'the batch that reached 8 KiB went out at once');
    await out.flushed();
    assert.equal(fake.text(), lines.join(''));
  });

  test('a partial write is continued from where it stopped', async () => {
    const fake = fakeWriter((call, length) => (call === 0 ? { written: Math.floor(length / 3) } : {}));
    const out = asyncStdout(99, fake.writer);
    const text = 'é'.repeat(6_000);
    out.write(text);
    await out.flushed();
    assert.equal(fake.text(), text);
    assert.ok(fake.calls() >= 2);
  });

  test('EAGAIN (a non-blocking pipe whose reader is behind) is retried, losing and repeating nothing', async () => {
    const fake = fakeWriter((call) => (call < 3 ? { err: 'EAGAIN' } : {}));
    const out = asyncStdout(99, fake.writer);
    out.write('one\n');
    out.write('two\n');
    await out.flushed();
    assert.equal(fake.text(), 'one\ntwo\n');
    assert.equal(fake.calls(), 4);
  });

  test('another error (EPIPE: the reader is gone) stops the writing without throwing; flushed() still resolves', async () => {
    const fake = fakeWriter(() => ({ err: 'EPIPE' }));
    const out = asyncStdout(99, fake.writer);
    out.write('lost\n');
    await out.flushed();
    assert.equal(out.write('dropped\n'), false);
    assert.equal(fake.text(), '');
    assert.equal(fake.calls(), 1, 'nothing is tried again');
    // Said once on standard error, as a log line of its own.
    const notices = fake.stderr().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(notices.length, 1);
    assert.deepEqual({ ...notices[0], time: undefined }, { level: 50, time: undefined, pid: process.pid, msg: 'keyway.log.failed', code: 'EPIPE', fd: 99 });
  });

  test('EAGAIN and a partial write are not failures: nothing is said on standard error', async () => {
    const fake = fakeWriter((call, length) => (call === 0 ? { err: 'EAGAIN' } : call === 1 ? { written: Math.floor(length / 2) } : {}));
    const out = asyncStdout(99, fake.writer);
    out.write('x'.repeat(100));
    await out.flushed();
    assert.equal(fake.text(), 'x'.repeat(100));
    assert.equal(fake.stderr(), '');
  });
});
