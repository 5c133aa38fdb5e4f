/**
 * From a file's text to the document an apply takes: parsed with line positions, `${VAR}`
 * substituted, key files read (./key-files.ts), the structure checked; every problem named by file and line.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readKeyFiles } from './key-files.js';
import { ConfigurationError, type ConfigurationIssue } from './errors.js';
import { lineOf, parseSource } from './source.js';
import { substituteVariables } from './variables.js';
import { checkShape } from './shape.js';

export interface LoadedConfiguration {
  file: string;
  document: unknown;
  /** Pointer → line, to name the line of problems found later (by the server). */
  lines: ReadonlyMap<string, number>;
}

/** `baseDir`: where the file's key file references are read from (the configuration file's folder). */
export function loadConfigurationText(file: string, text: string, env: Readonly<Record<string, string | undefined>>, baseDir = process.cwd()): LoadedConfiguration {
  const source = parseSource(file, text);
  const issues: ConfigurationIssue[] = [];
  const document = readKeyFiles(substituteVariables(source.value, env, issues), baseDir, issues);
  issues.push(...checkShape(document));
  if (issues.length > 0) throw new ConfigurationError(file, locate(issues, source.lines));
  return { file, document, lines: source.lines };
}

export function loadConfigurationFile(path: string, env: Readonly<Record<string, string | undefined>>): LoadedConfiguration {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigurationError(path, [{ pointer: '', message: `cannot read the file: ${(err as Error).message}` }]);
  }
  return loadConfigurationText(path, text, env, dirname(path));
}

/** The issues with the lines they are on. */
export function locate(issues: readonly ConfigurationIssue[], lines: ReadonlyMap<string, number>): ConfigurationIssue[] {
  return issues.map((i) => {
    const line = i.line ?? lineOf(lines, i.pointer);
    return line === undefined ? i : { ...i, line };
  });
}

/** A ConfigurationError raised over a document, re-issued with the loaded file's name and lines. */
export function inFile(err: ConfigurationError, loaded: LoadedConfiguration): ConfigurationError {
  return new ConfigurationError(loaded.file, locate(err.issues, loaded.lines));
}
