/**
 * The process's log destination: standard output, written without blocking the event loop.
 * Writes to a pipe or a file are synchronous in Node on Linux (Node's `process` documentation,
 * "A note on process I/O"), so a request line written directly would stall every request behind
 * it whenever the reader is slow. Lines are gathered in memory and handed to the operating system
 * in the background (one `fs.write` at a time, on libuv's thread pool), in batches: under load a
 * write per line would be a write, and a thread-pool hand-off, per request. `keyway start` awaits
 * `flushed()` after shutting down, and a process that exits otherwise writes what is still
 * waiting synchronously as it exits, so that no line is lost.
 *
 * Everything `keyway start` prints to standard output goes through it (the credentials shown at
 * the first start included), so lines keep their order.
 *
 * A write that fails for good (EPIPE: whoever read standard output is gone) stops the logging,
 * and says so once on standard error, as a log line of its own (`keyway.log.failed`, with the
 * error's code): the process goes on serving, and an operator looking for its missing lines
 * finds why.
 *
 * Gathering is an array push per line and one `join` per batch: 0.85–0.95 µs of CPU per
 * 300-byte line in a micro-benchmark, where pino's asynchronous destination (sonic-boom, which
 * measures and concatenates its growing buffer on every write) took 3.6–4.3 µs.
 */
import { write as fsWrite, writeSync } from 'node:fs';
import { LIFECYCLE_MESSAGES } from './lifecycle-log.js';

export interface LogDestination {
  write(text: string): unknown;
  /** Resolves once every line written so far has been handed to the operating system. */
  flushed(): Promise<void>;
}

/** Lines are handed to the operating system once this many bytes are waiting… */
const BATCH_BYTES = 8 * 1024;
/** …or this long after the first of them, whichever comes first. */
const FLUSH_AFTER_MS = 100;
/** A non-blocking pipe whose reader is behind (EAGAIN) is tried again after this long. */
const RETRY_AFTER_MS = 10;
/** Where the notice of a failed log destination goes. */
const STDERR = 2;

/** The two writes the destination makes, replaceable in tests. */
export interface FdWriter {
  write(fd: number, buffer: Buffer, offset: number, length: number, done: (err: NodeJS.ErrnoException | null, written: number) => void): void;
  writeSync(fd: number, buffer: Buffer): void;
}

const nodeWriter: FdWriter = {
  write: (fd, buffer, offset, length, done) => fsWrite(fd, buffer, offset, length, null, done),
  writeSync: (fd, buffer) => void writeSync(fd, buffer),
};

export function asyncStdout(fd = 1, writer: FdWriter = nodeWriter): LogDestination {
  const batches = new BatchedWrites(fd, writer);
  const timer = setInterval(() => batches.start(), FLUSH_AFTER_MS);
  timer.unref();
  const atExit = (): void => batches.writeRestSync();
  process.once('exit', atExit);
  return {
    write: (text) => batches.add(text),
    flushed: () => {
      clearInterval(timer);
      process.removeListener('exit', atExit);
      return batches.drained();
    },
  };
}

/** Lines waiting, and the one batch being written. */
class BatchedWrites {
  private waiting: string[] = [];
  private waitingBytes = 0;
  private inFlight = false;
  /** After a write error other than EAGAIN (EPIPE: the reader is gone), lines are dropped. */
  private broken = false;
  private drainers: Array<() => void> = [];

  constructor(
    private readonly fd: number,
    private readonly writer: FdWriter,
  ) {}

  add(text: string): boolean {
    if (this.broken) return false;
    this.waiting.push(text);
    this.waitingBytes += text.length;
    if (this.waitingBytes >= BATCH_BYTES) this.start();
    return true;
  }

  /** Starts writing what is waiting, unless a write is in flight (its end starts the next). */
  start(): void {
    if (this.inFlight || this.waiting.length === 0) return;
    const batch = Buffer.from(this.waiting.join(''), 'utf8');
    this.waiting = [];
    this.waitingBytes = 0;
    this.inFlight = true;
    this.writeFrom(batch, 0);
  }

  /** Resolves once nothing is waiting and no write is in flight. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      this.drainers.push(resolve);
      this.start();
      this.settleIfIdle();
    });
  }

  /** At exit: what is waiting, written synchronously (a batch in flight is the thread pool's). */
  writeRestSync(): void {
    if (this.broken || this.waiting.length === 0) return;
    try {
      this.writer.writeSync(this.fd, Buffer.from(this.waiting.join(''), 'utf8'));
    } catch {
      // The reader is gone: nothing more can be done while exiting.
    }
    this.waiting = [];
    this.waitingBytes = 0;
  }

  private writeFrom(batch: Buffer, offset: number): void {
    this.writer.write(this.fd, batch, offset, batch.length - offset, (err, written) => {
      if (err?.code === 'EAGAIN') {
        // Kept referenced: the process waits for its lines as it would for a blocking write.
        setTimeout(() => this.writeFrom(batch, offset), RETRY_AFTER_MS);
        return;
      }
      if (err) {
        this.broken = true;
        this.waiting = [];
        this.waitingBytes = 0;
        this.noticeFailure(err);
      } else if (offset + written < batch.length) {
        this.writeFrom(batch, offset + written);
        return;
      }
      this.inFlight = false;
      // The next batch goes at once when it is full or someone waits for it; else the timer's.
      if (this.waitingBytes >= BATCH_BYTES || this.drainers.length > 0) this.start();
      this.settleIfIdle();
    });
  }

  /** One line on standard error, in the log's own format (pino's level 50 is `error`). */
  private noticeFailure(err: NodeJS.ErrnoException): void {
    const line = { level: 50, time: Date.now(), pid: process.pid, msg: LIFECYCLE_MESSAGES.logFailed, code: err.code ?? null, fd: this.fd };
    try {
      this.writer.writeSync(STDERR, Buffer.from(`${JSON.stringify(line)}\n`, 'utf8'));
    } catch {
      // Standard error is gone too: nothing more can be said.
    }
  }

  private settleIfIdle(): void {
    if (this.inFlight || (this.waiting.length > 0 && !this.broken)) return;
    const drainers = this.drainers;
    this.drainers = [];
    for (const resolve of drainers) resolve();
  }
}
