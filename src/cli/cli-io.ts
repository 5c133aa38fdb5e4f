/**
 * What a CLI verb may touch (its output, the directory relative paths start from, and `fetch`),
 * and the exit-code convention every verb shares: 0 success, 1 failure, 2 usage error.
 * Verbs export `run(args, io)` so tests call them without spawning a process.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory that relative paths are resolved against. */
  cwd: string;
  fetch: typeof globalThis.fetch;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  get cwd() {
    return process.cwd();
  },
  fetch: (input, init) => globalThis.fetch(input, init),
};

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * `node:util.parseArgs` in strict mode, except that a string option always takes the next
 * argument as its value, as getopt does. parseArgs alone refuses `--client-secret -Xy…` as
 * ambiguous, and a generated secret or key id may well begin with a dash.
 */
export function parseVerbArgs<const O extends ParseArgsOptionsConfig, const P extends boolean>(
  args: readonly string[],
  options: O,
  allowPositionals: P,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: P }>> {
  return parseArgs({ args: valuesJoined(args, options), options, strict: true, allowPositionals });
}

/** `--name value` written `--name=value` for every string option, up to a `--` terminator. */
function valuesJoined(args: readonly string[], options: ParseArgsOptionsConfig): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--') return [...joined, ...args.slice(i)];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && Object.hasOwn(options, name) && options[name]?.type === 'string' && i + 1 < args.length) {
      joined.push(`${arg}=${args[i + 1] as string}`);
      i += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** A problem with the command line itself: reported with the verb's usage text and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Runs a verb's body. `--help` prints the usage; usage errors (ours and `node:util.parseArgs`'s)
 * exit 2 with the usage on stderr; any other error exits 1 with its message.
 */
export async function runVerb(verb: string, usage: string, args: readonly string[], io: CliIo, body: () => Promise<number>): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(usage);
    return EXIT_OK;
  }
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr(`keyway ${verb}: ${(err as Error).message}\n${usage}`);
      return EXIT_USAGE;
    }
    io.stderr(`keyway ${verb}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** The value of a required string option, or a usage error naming it. */
export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** An absolute http(s) URL option. */
export function urlOption(value: string, name: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new UsageError(`--${name} must be an absolute http or https URL`);
  }
  return value;
}

/** An integer option within [min, max]. */
export function integerOption(value: string, name: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}
