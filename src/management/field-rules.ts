/**
 * What the field readers (`./fields.ts`) answer for a string or boolean they refuse.
 *
 * There are two rule sets because the applications validator and the other management parsers
 * were written apart and answer differently on the wire (order of checks, detail codes,
 * messages, which characters are refused). Both are kept so that no client sees a changed
 * response; converging them is a wire change and needs its own decision.
 */
import type { ErrorDetail } from '../domain/pingone-error.js';
import { detail } from './errors.js';

export interface TextOptions {
  /** Absent (or `null`) records REQUIRED_VALUE. */
  required?: boolean;
  /** Empty or white-space-only is refused. */
  nonBlank?: boolean;
}

export interface FieldRules {
  /** The detail for a string value (length, characters, blankness), or `undefined` when acceptable. */
  readonly text: (target: string, value: string, max: number, opts: TextOptions) => ErrorDetail | undefined;
  /** The message for a value that should be a boolean. */
  readonly notBoolean: (target: string) => string;
}

/**
 * U+0000 is refused because PostgreSQL `text` cannot hold it while SQLite can; lone surrogates
 * because each driver would silently turn them into U+FFFD. Rejecting both keeps stores identical.
 */
const UNSTORABLE = /\u0000|\p{Cs}/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** Checks a string's length (SIZE_LIMIT_EXCEEDED), then its storability; returns the detail to record, if any. */
export function textIssue(target: string, value: string, max: number): ErrorDetail | undefined {
  if (value.length > max) {
    return detail.size(target, `${target} must be at most ${max} characters long.`, max);
  }
  if (UNSTORABLE.test(value)) {
    return detail.invalid(target, `${target} must not contain U+0000 or unpaired surrogate characters.`);
  }
  return undefined;
}

function isBlank(value: string, opts: TextOptions): boolean {
  return opts.nonBlank === true && value.trim() === '';
}

function emptyIssue(target: string): ErrorDetail {
  return detail.invalid(target, `${target} must not be empty.`);
}

/** `applications/**`: length first, then storability, then blankness (INVALID_VALUE even when required). */
export const APPLICATION_RULES: FieldRules = {
  text: (target, value, max, opts) => textIssue(target, value, max) ?? (isBlank(value, opts) ? emptyIssue(target) : undefined),
  notBoolean: (target) => `${target} must be a boolean (true or false).`,
};

/**
 * Users, passwords, populations, environments and their client-auth settings, resources, scopes,
 * grants and role assignments: U+0000, then lone surrogates (stored as U+FFFD by both drivers, so
 * a later read would differ from what was accepted), then blankness (REQUIRED_VALUE for a required
 * field), then length last, as INVALID_VALUE with `maximumValue`.
 */
export const GENERAL_RULES: FieldRules = {
  text: (target, value, max, opts) => {
    if (value.includes('\u0000')) return detail.invalid(target, `${target} must not contain U+0000.`);
    if (LONE_SURROGATE.test(value)) return detail.invalid(target, `${target} must not contain unpaired surrogate characters.`);
    if (isBlank(value, opts)) return opts.required ? detail.required(target) : emptyIssue(target);
    if (value.length > max) {
      return detail.invalid(target, `${target} must be at most ${max} characters.`, { maximumValue: max });
    }
    return undefined;
  },
  notBoolean: (target) => `${target} must be a boolean.`,
};
