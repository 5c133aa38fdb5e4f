/**
 * `keyway apply FILE`: applies a configuration file (README, "Declarative configuration") to a
 * running server through `POST /v1/keyway/configuration`. The file is read, its `${VAR}`
 * references substituted and its structure checked here first, so that those errors name the
 * file's line before anything is sent; the server's own errors come back with JSON pointers,
 * which the pointer → line table of the parse turns into lines too.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigurationError, formatIssue, type ConfigurationIssue } from '../declarative/errors.js';
import { loadConfigurationText, locate, type LoadedConfiguration } from '../declarative/load.js';
import { lineOf } from '../declarative/source.js';
import type { ApplyResult, PlanEntry } from '../declarative/plan.js';
import { adminToken, CONNECTION_OPTIONS, CONNECTION_USAGE, connectionOf, describeFailure, managementCall, type ApiReply, type Env } from './admin-connection.js';
import { EXIT_FAILURE, EXIT_OK, parseVerbArgs, processIo, runVerb, UsageError, type CliIo } from './cli-io.js';

export const USAGE = `usage: keyway apply FILE [--dry-run] [--prune] [--url URL] [--environment-id ID] [--client-id ID] [--client-secret SECRET]

Makes a running server match FILE (YAML or JSON): creates what is missing, updates what differs,
and prints one line per object (create, update, unchanged, delete, would delete) and the totals.
\${VAR} in the file is taken from this process's environment. Errors name FILE:line; when any
part is invalid nothing is changed (exit 1).

  --dry-run               print the plan, change nothing
  --prune                 delete what the file's lists no longer hold (otherwise: would delete)
${CONNECTION_USAGE}`;

export function run(args: readonly string[], io: CliIo = processIo, env: Env = process.env): Promise<number> {
  return runVerb('apply', USAGE, args, io, async () => {
    const { values, positionals } = parseVerbArgs(args, { 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' }, ...CONNECTION_OPTIONS }, true);
    if (positionals.length !== 1) throw new UsageError('give exactly one configuration FILE');
    const file = positionals[0] as string;
    const connection = connectionOf(values, env);
    const loaded = loadLocally(io, file, env);
    if (loaded === undefined) return EXIT_FAILURE;

    const token = await adminToken(io, connection);
    const query = new URLSearchParams();
    if (values['dry-run'] === true) query.set('dryRun', 'true');
    if (values.prune === true) query.set('prune', 'true');
    const path = `/v1/keyway/configuration${query.size > 0 ? `?${query}` : ''}`;
    const reply = await managementCall(io, connection, token, 'POST', path, loaded.document);
    if (reply.status !== 200) {
      io.stderr(rejection(reply, loaded));
      return EXIT_FAILURE;
    }
    io.stdout(planText(reply.body as ApplyResult, loaded));
    return EXIT_OK;
  });
}

/** The file read and checked; its problems printed (`file:line: /pointer: message`) instead. */
function loadLocally(io: CliIo, file: string, env: Env): LoadedConfiguration | undefined {
  try {
    let text: string;
    const path = resolve(io.cwd, file);
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigurationError(file, [{ pointer: '', message: `cannot read the file: ${(err as Error).message}` }]);
    }
    return loadConfigurationText(file, text, env, dirname(path));
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    io.stderr(`${err.message}\nkeyway apply: nothing was sent; nothing changed.\n`);
    return undefined;
  }
}

/**
 * The server's refusal: an INVALID_DATA answer's details (target = pointer into the document)
 * with the file's lines; any other error in one line.
 */
function rejection(reply: ApiReply, loaded: LoadedConfiguration): string {
  const details = (reply.body as { details?: unknown } | undefined)?.details;
  if (!Array.isArray(details) || details.length === 0) return `keyway apply: the server refused the configuration: ${describeFailure(reply)}\n`;
  const issues: ConfigurationIssue[] = details.map((d: { target?: unknown; message?: unknown }) => ({
    pointer: typeof d.target === 'string' ? d.target : '',
    message: typeof d.message === 'string' ? d.message : 'invalid',
  }));
  const lines = locate(issues, loaded.lines).map((issue) => formatIssue(loaded.file, issue));
  return `${lines.join('\n')}\nkeyway apply: the server refused the configuration (${describeFailure(reply)}); nothing changed.\n`;
}

/** One line per object: action, kind, name and id, and where the file lists it; then the totals. */
export function planText(result: ApplyResult, loaded: Pick<LoadedConfiguration, 'file' | 'lines'>): string {
  const out = result.plan.map((entry) => `${entry.action.padEnd(12)} ${describeEntry(entry)}${whereInFile(entry, loaded)}`);
  const s = result.summary;
  const deletes = result.prune ? `${s.delete} deleted` : `${s['would delete']} would be deleted with --prune`;
  const verb = result.dryRun ? 'Dry run, nothing changed' : 'Applied';
  const created = result.dryRun ? 'to create' : 'created';
  const updated = result.dryRun ? 'to update' : 'updated';
  out.push(`${verb}: ${s.create} ${created}, ${s.update} ${updated}, ${s.unchanged} unchanged, ${deletes}.`);
  return `${out.join('\n')}\n`;
}

function describeEntry(entry: PlanEntry): string {
  return entry.name === undefined ? `${entry.kind} ${entry.id}` : `${entry.kind} ${JSON.stringify(entry.name)} (${entry.id})`;
}

function whereInFile(entry: PlanEntry, loaded: Pick<LoadedConfiguration, 'file' | 'lines'>): string {
  if (entry.pointer === undefined) return '';
  const line = lineOf(loaded.lines, entry.pointer);
  return line === undefined ? '' : `  ${loaded.file}:${line}`;
}
