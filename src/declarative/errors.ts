/**
 * A configuration that cannot be applied: every problem found, each with the JSON pointer of the
 * offending part and, once known, the file's line. Nothing is written when one is thrown.
 */

export interface ConfigurationIssue {
  /** RFC 6901 pointer into the document (`/environments/0/applications/1/jwks`); '' for the whole. */
  pointer: string;
  message: string;
  line?: number;
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigurationIssue[],
  ) {
    super(issues.map((i) => formatIssue(file, i)).join('\n'));
  }
}

/** `file:line: /pointer: message`, the form editors and CI logs link. */
export function formatIssue(file: string, issue: ConfigurationIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}`;
  return issue.pointer === '' ? `${where}: ${issue.message}` : `${where}: ${issue.pointer}: ${issue.message}`;
}
