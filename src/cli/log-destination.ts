/**
 * The process's log destination: standard output, written without blocking the event loop.
 * Writes to a pipe or a file are synchronous in Node on Linux (Node's `process` documentation,
 * "A note on process I/O"), so a request line written directly would stall every request behind
 * it whenever the reader is slow. pino's asynchronous destination (sonic-boom, `sync: false`)
 * gathers lines and hands them to the operating system in the background, in batches (below); pino flushes it synchronously when the process exits, and `keyway start`
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

/** Lines are handed to the operating system once this many bytes are waiting… */
const BATCH_BYTES = 8 * 1024;
/** …or this long after the first of them, whichever comes first. */
const FLUSH_AFTER_MS = 100;

export function asyncStdout(): LogDestination {
  // Under load, a write per line would be a write, and a thread-pool hand-off, per request;
  // batching makes it one per 8 KiB (sonic-boom requires less than its 16 KiB maxWrite). A quiet
  // server's lines wait at most 100 ms. (With minLength above 0, flush(cb) also waits for the
  // writes in flight.)
  const stream = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES });
  let waiting = false;
  const timer = setInterval(() => {
    if (!waiting) return;
    waiting = false;
    stream.flush();
  }, FLUSH_AFTER_MS);
  timer.unref();
  return {
    write: (text) => {
      waiting = true;
      return stream.write(text);
    },
    flushed: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        stream.flush(() => resolve());
      }),
  };
}
