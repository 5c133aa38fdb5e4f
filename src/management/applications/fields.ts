/**
 * Typed, collecting readers for one JSON object of a management request body.
 * Every reader records a detail for a bad value and returns `undefined`, so a validator
 * can read all fields, then throw one InvalidDataError listing every violation.
 * No coercion: `"true"` is not a boolean and `"60"` is not an integer.
 */
import { detail, type ErrorDetail } from '../errors.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * U+0000 is refused because PostgreSQL `text` cannot hold it while SQLite can; lone surrogates
 * because each driver would silently turn them into U+FFFD. Rejecting both keeps stores identical.
 */
const UNSTORABLE = /\u0000|\p{Cs}/u;

/** Checks a string's storability and length; returns the detail to record, if any. */
export function textIssue(target: string, value: string, max: number): ErrorDetail | undefined {
  if (value.length > max) {
    return detail.size(target, `${target} must be at most ${max} characters long.`, max);
  }
  if (UNSTORABLE.test(value)) {
    return detail.invalid(target, `${target} must not contain U+0000 or unpaired surrogate characters.`);
  }
  return undefined;
}

interface Presence {
  required?: boolean;
}

/**
 * Reads one JSON object. Nested readers share the parent's `issues` and prefix their targets
 * (`corsSettings.origins[2]`).
 */
export class FieldReader {
  constructor(
    private readonly body: JsonObject,
    readonly issues: ErrorDetail[] = [],
    private readonly prefix = '',
  ) {}

  target(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  /** Own property only; `null` means absent (PingOne resets a nulled field to its default). */
  raw(key: string): unknown {
    if (!Object.hasOwn(this.body, key)) return undefined;
    const value = this.body[key];
    return value === null ? undefined : value;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  report(issue: ErrorDetail): void {
    this.issues.push(issue);
  }

  private present(key: string, opts: Presence): unknown {
    const value = this.raw(key);
    if (value === undefined && opts.required) this.report(detail.required(this.target(key)));
    return value;
  }

  string(key: string, max: number, opts: Presence & { nonBlank?: boolean } = {}): string | undefined {
    const value = this.present(key, opts);
    if (value === undefined) return undefined;
    const target = this.target(key);
    if (typeof value !== 'string') return this.fail(detail.invalid(target, `${target} must be a string.`));
    const issue = textIssue(target, value, max);
    if (issue) return this.fail(issue);
    if (opts.nonBlank && value.trim() === '') return this.fail(detail.invalid(target, `${target} must not be empty.`));
    return value;
  }

  boolean(key: string, opts: Presence = {}): boolean | undefined {
    const value = this.present(key, opts);
    if (value === undefined) return undefined;
    const target = this.target(key);
    if (typeof value !== 'boolean') return this.fail(detail.invalid(target, `${target} must be a boolean (true or false).`));
    return value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    const value = this.present(key, {});
    if (value === undefined) return undefined;
    const target = this.target(key);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return this.fail(detail.invalid(target, `${target} must be an integer.`));
    }
    if (value < min || value > max) return this.fail(detail.range(target, min, max));
    return value;
  }

  enumValue<T extends string>(key: string, allowed: readonly T[], opts: Presence = {}): T | undefined {
    const value = this.present(key, opts);
    if (value === undefined) return undefined;
    return this.member(this.target(key), value, allowed);
  }

  /** An array of distinct enum members, at most `allowed.length` long. */
  enumArray<T extends string>(key: string, allowed: readonly T[], opts: { nonEmpty?: boolean } = {}): T[] | undefined {
    const items = this.array(key, allowed.length);
    if (items === undefined) return undefined;
    const target = this.target(key);
    if (opts.nonEmpty && items.length === 0) return this.fail(detail.invalid(target, `${target} must not be empty.`));
    const out: T[] = [];
    let bad = false;
    items.forEach((item, i) => {
      const value = this.member(`${target}[${i}]`, item, allowed);
      if (value === undefined) bad = true;
      else if (out.includes(value)) {
        this.report(detail.invalid(`${target}[${i}]`, `${target} must not contain ${value} more than once.`));
        bad = true;
      } else out.push(value);
    });
    return bad ? undefined : out;
  }

  /** An array of strings, each checked by `check` (returning the message for a bad item). */
  stringArray(key: string, maxItems: number, maxLength: number, check: (item: string, target: string) => string | undefined): string[] | undefined {
    const items = this.array(key, maxItems);
    if (items === undefined) return undefined;
    const target = this.target(key);
    let bad = false;
    items.forEach((item, i) => {
      const itemTarget = `${target}[${i}]`;
      const issue =
        typeof item !== 'string'
          ? detail.invalid(itemTarget, `${itemTarget} must be a string.`)
          : textIssue(itemTarget, item, maxLength) ?? messageIssue(itemTarget, check(item, itemTarget));
      if (issue) {
        this.report(issue);
        bad = true;
      }
    });
    return bad ? undefined : (items as string[]);
  }

  /** A string that must also pass `check` (returning the message for a bad value). */
  checkedString(key: string, max: number, check: (value: string, target: string) => string | undefined): string | undefined {
    const value = this.string(key, max);
    if (value === undefined) return undefined;
    const target = this.target(key);
    const message = check(value, target);
    return message === undefined ? value : this.fail(detail.invalid(target, message));
  }

  /** An array of JSON objects, one reader per item; `undefined` when absent or any item is not an object. */
  objectArray(key: string, maxItems: number): FieldReader[] | undefined {
    const items = this.array(key, maxItems);
    if (items === undefined) return undefined;
    const target = this.target(key);
    const readers: FieldReader[] = [];
    items.forEach((item, i) => {
      if (isJsonObject(item)) readers.push(new FieldReader(item, this.issues, `${target}[${i}]`));
      else this.report(detail.invalid(`${target}[${i}]`, `${target}[${i}] must be a JSON object.`));
    });
    return readers.length === items.length ? readers : undefined;
  }

  /** A nested object as a reader sharing this reader's issues; `undefined` when absent or invalid. */
  object(key: string, opts: Presence = {}): FieldReader | undefined {
    const value = this.present(key, opts);
    if (value === undefined) return undefined;
    const target = this.target(key);
    if (!isJsonObject(value)) return this.fail(detail.invalid(target, `${target} must be a JSON object.`));
    return new FieldReader(value, this.issues, target);
  }

  array(key: string, maxItems: number): unknown[] | undefined {
    const value = this.present(key, {});
    if (value === undefined) return undefined;
    const target = this.target(key);
    if (!Array.isArray(value)) return this.fail(detail.invalid(target, `${target} must be an array.`));
    if (value.length > maxItems) {
      return this.fail(detail.size(target, `${target} must not contain more than ${maxItems} entries.`, maxItems));
    }
    return value;
  }

  private member<T extends string>(target: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return this.fail(detail.invalid(target, `${target} must be one of ${allowed.join(', ')}.`, { allowedValues: allowed }));
  }

  private fail(issue: ErrorDetail): undefined {
    this.report(issue);
    return undefined;
  }
}

function messageIssue(target: string, message: string | undefined): ErrorDetail | undefined {
  return message === undefined ? undefined : detail.invalid(target, message);
}
