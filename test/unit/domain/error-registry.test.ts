/**
 * The error classes, one per wire code: PingOne's `code` for the management and flow APIs
 * (src/domain/pingone-error.ts) and RFC 6749's `error` for the authorization server. A class that
 * extends another may change only the HTTP status, so it shares its parent's code; two unrelated
 * classes never do.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as pingOne from '../../../src/domain/pingone-error.js';
import { PingOneError } from '../../../src/domain/pingone-error.js';
import * as management from '../../../src/management/errors.js';
import * as oauth from '../../../src/protocol/errors.js';
import { OAuthError } from '../../../src/protocol/errors.js';
import * as signIn from '../../../src/protocol/sign-in/errors.js';

type ErrorClass = abstract new (...args: never[]) => Error;

function classesExtending(base: ErrorClass, ...modules: object[]): ErrorClass[] {
  const found = new Set<ErrorClass>();
  for (const module of modules) {
    for (const value of Object.values(module)) {
      if (typeof value === 'function' && value.prototype instanceof base) found.add(value as ErrorClass);
    }
  }
  return [...found];
}

/** Constructor arguments for the classes whose status depends on them. */
const ARGUMENTS = new Map<ErrorClass, unknown[]>([
  [pingOne.AccessFailedError, [403, { code: 'INSUFFICIENT_PERMISSIONS', message: 'x' }]],
  [pingOne.RequestLimitedError, [30, 60, new Date(0)]],
]);

/** An instance, to read its instance fields (`code`, `error`, `status`). */
const instance = <T>(cls: ErrorClass): T => Reflect.construct(cls, ARGUMENTS.get(cls) ?? ['x', 'x']) as T;

/** The class under `base` that `cls` descends from: the one that owns its wire code. */
function rootOf(cls: ErrorClass, base: ErrorClass): ErrorClass {
  let root = cls;
  while (Object.getPrototypeOf(root) !== base) root = Object.getPrototypeOf(root) as ErrorClass;
  return root;
}

/** Wire codes answered by classes of more than one family (a root and its subclasses). */
function clashes(classes: ErrorClass[], base: ErrorClass, codeOf: (cls: ErrorClass) => string): string[] {
  const families = new Map<string, Set<string>>();
  for (const cls of classes) {
    const code = codeOf(cls);
    families.set(code, (families.get(code) ?? new Set()).add(rootOf(cls, base).name));
  }
  return [...families].filter(([, roots]) => roots.size > 1).map(([code, roots]) => `${code}: ${[...roots].join(', ')}`);
}

describe("PingOne's errors ({id, code, message, details[]})", () => {
  const classes = classesExtending(PingOneError, pingOne);
  const codeOf = (cls: ErrorClass): string => instance<PingOneError>(cls).code;

  test('every class has a wire code and an HTTP status, and no two unrelated classes share a code', () => {
    assert.ok(classes.length >= 10, `found ${classes.map((c) => c.name).join(', ')}`);
    for (const cls of classes) {
      const error = instance<PingOneError>(cls);
      assert.match(error.code, /^[A-Z][A-Z_]*$/, cls.name);
      assert.ok(Number.isInteger(error.status) && error.status >= 400 && error.status < 600, `${cls.name}: ${error.status}`);
    }
    assert.deepEqual(clashes(classes, PingOneError, codeOf), []);
  });

  test('a subclass keeps its parent’s code and changes only the status', () => {
    for (const cls of classes) {
      const parent = Object.getPrototypeOf(cls) as ErrorClass;
      if (parent === PingOneError) continue;
      assert.equal(codeOf(cls), codeOf(parent), cls.name);
      assert.notEqual(instance<PingOneError>(cls).status, instance<PingOneError>(parent).status, cls.name);
    }
  });

  test('the codes are the ones the management and flow APIs answer with', () => {
    const codes = new Set(classes.map(codeOf));
    for (const code of ['INVALID_DATA', 'INVALID_REQUEST', 'ACCESS_FAILED', 'NOT_FOUND', 'REQUEST_FAILED', 'SERVICE_UNAVAILABLE', 'UNEXPECTED_ERROR']) {
      assert.ok(codes.has(code), code);
    }
  });

  test('the management API and the flow API define no classes of their own: both use these', () => {
    const elsewhere = classesExtending(PingOneError, management, signIn, oauth).filter((cls) => !classes.includes(cls));
    assert.deepEqual(elsewhere.map((c) => c.name), []);
    for (const make of [signIn.flowNotFound, signIn.flowNotWaiting, signIn.invalidCredentials]) {
      const error = make();
      assert.ok(classes.includes(error.constructor as ErrorClass), `${make.name}: ${error.constructor.name}`);
    }
  });

  test('src/domain imports nothing else from src/, so management and protocol may both import it', () => {
    const dir = join(import.meta.dirname, '../../../src/domain');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const source = readFileSync(join(dir, name), 'utf8');
      for (const [, specifier] of source.matchAll(/\bfrom\s+'([^']+)'/g)) {
        assert.ok(!specifier!.startsWith('../'), `${name} imports ${specifier}`);
      }
    }
  });
});

describe('OAuth 2.0 errors ({error, error_description})', () => {
  const classes = classesExtending(OAuthError, oauth, signIn);
  const codeOf = (cls: ErrorClass): string => instance<OAuthError>(cls).error;

  test('every class has its own `error` code', () => {
    assert.ok(classes.length >= 10, `found ${classes.map((c) => c.name).join(', ')}`);
    for (const cls of classes) assert.match(codeOf(cls), /^[a-z][a-z_]*$/, cls.name);
    assert.deepEqual(clashes(classes, OAuthError, codeOf), []);
  });
});
