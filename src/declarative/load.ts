/**
 * From a file's text to the document an apply takes: parsed with line positions, `${VAR}`
 * substituted, the structure checked; every problem named by file and line.
 */
import { readFileSync } from 'node:fs';
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

export function loadConfigurationText(file: string, text: string, env: Readonly<Record<string, string | undefined>>): LoadedConfiguration {
  const source = parseSource(file, text);
  const issues: ConfigurationIssue[] = [];
  const document = substituteVariables(source.value, env, issues);
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
  return loadConfigurationText(path, text, env);
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
