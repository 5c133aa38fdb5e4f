/**
 * Typed, collecting readers for one JSON object of a management request body.
 * Every reader records a detail for a bad value and returns `undefined`, so a parser can read
 * all fields, then throw one InvalidDataError listing every violation.
 * No coercion: `"true"` is not a boolean and `"60"` is not an integer.
 * What a refused string or boolean answers depends on the reader's rules (`./field-rules.ts`).
 */
import { isUuid } from '../domain/ids.js';
import { isJsonObject } from '../domain/json-object.js';
import { InvalidRequestError, type ErrorDetail } from '../domain/pingone-error.js';
import { detail } from './errors.js';
import type { FieldRules, TextOptions } from './field-rules.js';

export type JsonObject = Readonly<Record<string, unknown>>;

/** The body as an object, or 400 INVALID_REQUEST. (Applications answer INVALID_DATA instead; see `applications/validate.ts`.) */
export function asObject(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw new InvalidRequestError('The request body must be a JSON object.');
  return body;
}

/** The id of a `{ "id": "<uuid>" }` reference, or `undefined` when `value` is not one. */
export function referenceId(value: unknown): string | undefined {
  const id = isJsonObject(value) ? value.id : undefined;
  return typeof id === 'string' && isUuid(id) ? id : undefined;
}

interface Presence {
  required?: boolean;
}

/** Returns the message for a bad value, or `undefined` when `value` is acceptable. */
export type ValueCheck = (value: string, target: string) => string | undefined;

/**
 * Reads one JSON object. Nested readers share the parent's rules and `issues` and prefix their
 * targets (`corsSettings.origins[2]`).
 */
export class FieldReader {
  constructor(
    private readonly body: JsonObject,
    private readonly rules: FieldRules,
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

  /** Whether the body names `key` at all, `null` included (for fields that may not be sent here). */
  mentions(key: string): boolean {
    return Object.hasOwn(this.body, key) && this.body[key] !== undefined;
  }

  report(issue: ErrorDetail): void {
    this.issues.push(issue);
  }

  private present(key: string, opts: Presence): unknown {
    const value = this.raw(key);
    if (value === undefined && opts.required) this.report(detail.required(this.target(key)));
    return value;
  }

  string(key: string, max: number, opts: TextOptions = {}): string | undefined {
    const value = this.present(key, opts);
    if (value === undefined) return undefined;
    const target = this.target(key);
    if (typeof value !== 'string') return this.fail(detail.invalid(target, `${target} must be a string.`));
    const issue = this.rules.text(target, value, max, opts);
    return issue ? this.fail(issue) : value;
  }

  /** A string that must also pass `check`. */
  checkedString(key: string, max: number, check: ValueCheck, opts: TextOptions = {}): string | undefined {
    const value = this.string(key, max, opts);
    if (value === undefined) return undefined;
    const target = this.target(key);
    const message = check(value, target);
    return message === undefined ? value : this.fail(detail.invalid(target, message));
  }

  boolean(key: string, opts: Presence = {}): boolean | undefined {
    const value = this.present(key, opts);
    if (value === undefined) return undefined;
    const target = this.target(key);
    if (typeof value !== 'boolean') return this.fail(detail.invalid(target, this.rules.notBoolean(target)));
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

  /** A `{ "id": "<uuid>" }` reference; details target `<key>.id`. */
  reference(key: string, opts: Presence = {}): string | undefined {
    const value = this.raw(key);
    const target = `${this.target(key)}.id`;
    if (value === undefined) {
      if (opts.required) this.report(detail.required(target));
      return undefined;
    }
    return referenceId(value) ?? this.fail(detail.invalid(target, `${target} must be a UUID.`));
  }

  /**
   * A nested object as a reader sharing this reader's rules and issues; `undefined` when absent
   * or invalid. `message` replaces the default "must be a JSON object." for a non-object.
   */
  object(key: string, opts: Presence & { message?: string } = {}): FieldReader | undefined {
    const value = this.present(key, opts);
    if (value === undefined) return undefined;
    const target = this.target(key);
    if (!isJsonObject(value)) return this.fail(detail.invalid(target, opts.message ?? `${target} must be a JSON object.`));
    return new FieldReader(value, this.rules, this.issues, target);
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

  /** An array of strings, each under this reader's text rules and then `check`. */
  stringArray(key: string, maxItems: number, maxLength: number, check: ValueCheck): string[] | undefined {
    const items = this.array(key, maxItems);
    if (items === undefined) return undefined;
    const target = this.target(key);
    let bad = false;
    items.forEach((item, i) => {
      const issue = this.itemIssue(`${target}[${i}]`, item, maxLength, check);
      if (issue) {
        this.report(issue);
        bad = true;
      }
    });
    return bad ? undefined : (items as string[]);
  }

  /** An array of JSON objects, one reader per item; `undefined` when absent or any item is not an object. */
  objectArray(key: string, maxItems: number): FieldReader[] | undefined {
    const items = this.array(key, maxItems);
    if (items === undefined) return undefined;
    const target = this.target(key);
    const readers: FieldReader[] = [];
    items.forEach((item, i) => {
      if (isJsonObject(item)) readers.push(new FieldReader(item, this.rules, this.issues, `${target}[${i}]`));
      else this.report(detail.invalid(`${target}[${i}]`, `${target}[${i}] must be a JSON object.`));
    });
    return readers.length === items.length ? readers : undefined;
  }

  private itemIssue(target: string, item: unknown, maxLength: number, check: ValueCheck): ErrorDetail | undefined {
    if (typeof item !== 'string') return detail.invalid(target, `${target} must be a string.`);
    const issue = this.rules.text(target, item, maxLength, {});
    if (issue) return issue;
    const message = check(item, target);
    return message === undefined ? undefined : detail.invalid(target, message);
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
