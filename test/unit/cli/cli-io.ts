/** Test doubles for the CLI verbs' `io`: captured output, a temporary working directory. */
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/cli-io.js';

export interface CapturedIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
}

export function captureIo(cwd: string, fetchImpl: typeof globalThis.fetch = globalThis.fetch): CapturedIo {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd, fetch: fetchImpl },
    stdout: () => out,
    stderr: () => err,
  };
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh directory removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-cli-'));
  dirs.push(dir);
  return dir;
}
