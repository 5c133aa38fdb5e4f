/**
 * The process's log destination: standard output, written without blocking the event loop.
 * Writes to a pipe or a file are synchronous in Node on Linux (Node's `process` documentation,
 * "A note on process I/O"), so a request line written directly would stall every request behind
 * it whenever the reader is slow. pino's asynchronous destination (sonic-boom, `sync: false`)
 * gathers the lines written meanwhile and hands them to the operating system in the background,
 * one write at a time; pino flushes it synchronously when the process exits, and `keyway start`
 * awaits `flushed()` after shutting down so that no line is lost.
 *
 * Everything `keyway start` prints to standard output goes through it (the credentials shown at
 * the first start included), so lines keep their order.
 */
import pino from 'pino';

export interface LogDestination {
  write(text: string): unknown;
  /** Resolves once every line written so far has been handed to the operating system. */
  flushed(): Promise<void>;
}

export function asyncStdout(): LogDestination {
  // minLength 1, not 0: every line still goes out at once (no line is one character long), and
  // flush(cb) then waits for the writes in flight, where with 0 it calls back at once.
  const stream = pino.destination({ dest: 1, sync: false, minLength: 1 });
  return {
    write: (text) => stream.write(text),
    flushed: () => new Promise<void>((resolve) => stream.flush(() => resolve())),
  };
}
