/**
 * `${VAR}` in a configuration file's strings is replaced with the environment variable's value,
 * so that secrets and keys need not be committed; `$${` writes a literal `${`. An unset variable
 * is an error naming its place: a configuration is never applied with a hole in it.
 */
import type { ConfigurationIssue } from './errors.js';
import { pointerSegment } from './source.js';

const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function substituteVariables(value: unknown, env: Readonly<Record<string, string | undefined>>, issues: ConfigurationIssue[], pointer = ''): unknown {
  if (typeof value === 'string') return substituteString(value, env, issues, pointer);
  if (Array.isArray(value)) return value.map((v, i) => substituteVariables(v, env, issues, `${pointer}/${i}`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteVariables(v, env, issues, `${pointer}/${pointerSegment(k)}`);
    return out;
  }
  return value;
}

function substituteString(text: string, env: Readonly<Record<string, string | undefined>>, issues: ConfigurationIssue[], pointer: string): string {
  return text.replace(REFERENCE, (whole, escaped: string, name: string) => {
    if (escaped === '$') return whole.slice(1);
    if (!NAME.test(name)) {
      issues.push({ pointer, message: `"${whole}" is not a variable reference: names are letters, digits and _ (write $\${ for a literal \${).` });
      return whole;
    }
    const found = env[name];
    if (found === undefined) {
      issues.push({ pointer, message: `variable ${name} is not set.` });
      return whole;
    }
    return found;
  });
}

/**
 * The inverse for a document written out (`keyway export`): every `${` of a string becomes
 * `$${`, so that applying the file gives back the same text instead of reading a variable.
 */
export function escapeVariables(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\{/g, '$$${');
  if (Array.isArray(value)) return value.map(escapeVariables);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeVariables(v)]));
  return value;
}
