/**
 * The SCIM filter grammar (RFC 7644 §3.4.2.2) and the per-collection checks: precedence of
 * `and` over `or`, parentheses, `not`, valuePaths, JSON literals, case-insensitive names, and
 * the INVALID_FILTER answers that name what a collection supports.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidDataError } from '../../../src/domain/pingone-error.js';
import { FilterSyntaxError, parseScimFilter } from '../../../src/management/filter/parse.js';
import { GROUP_FILTER, noFilter, parseCollectionFilter, USER_FILTER } from '../../../src/management/filter/spec.js';

const cmp = (attribute: string, operator: string, value: unknown) => ({ kind: 'compare', attribute, operator, value });

describe('SCIM filter grammar (RFC 7644 §3.4.2.2)', () => {
  test('and binds tighter than or; parentheses group; not takes a parenthesised filter', () => {
    assert.deepEqual(parseScimFilter('a eq "1" or b eq "2" and c eq "3"'), {
      kind: 'or',
      left: cmp('a', 'eq', '1'),
      right: { kind: 'and', left: cmp('b', 'eq', '2'), right: cmp('c', 'eq', '3') },
    });
    assert.deepEqual(parseScimFilter('(a eq "1" or b eq "2") and c eq "3"'), {
      kind: 'and',
      left: { kind: 'or', left: cmp('a', 'eq', '1'), right: cmp('b', 'eq', '2') },
      right: cmp('c', 'eq', '3'),
    });
    assert.deepEqual(parseScimFilter('not (a pr)'), { kind: 'not', operand: { kind: 'present', attribute: 'a' } });
  });

  test('every comparison operator, in any case, and JSON literals: string escapes, numbers, true, false, null', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
      assert.deepEqual(parseScimFilter(`x ${op.toUpperCase()} "v"`), cmp('x', op, 'v'));
    }
    assert.deepEqual(parseScimFilter('x eq "a\\"b\\u00e9"'), cmp('x', 'eq', 'a"bé'));
    assert.deepEqual(parseScimFilter('x gt -1.5e2'), cmp('x', 'gt', -150));
    assert.deepEqual(parseScimFilter('x eq TRUE'), cmp('x', 'eq', true));
    assert.deepEqual(parseScimFilter('x eq null'), cmp('x', 'eq', null));
  });

  test('valuePath and sub-attributes', () => {
    assert.deepEqual(parseScimFilter('memberOfGroups[id eq "g"]'), { kind: 'member', attribute: 'memberOfGroups', filter: cmp('id', 'eq', 'g') });
    assert.deepEqual(parseScimFilter('population.id eq "p"'), cmp('population.id', 'eq', 'p'));
  });

  test('malformed filters are FilterSyntaxError', () => {
    for (const text of ['', 'x', 'x eq', 'x eq "a', 'x foo "a"', '(x eq "a"', 'x eq "a")', 'x eq "a" and', 'x[y eq "a"', 'not x eq "a"', 'x eq unquoted', `${'('.repeat(40)}x pr${')'.repeat(40)}`, 'x'.repeat(1025)]) {
      assert.throws(() => parseScimFilter(text), FilterSyntaxError, text);
    }
  });
});

describe('per-collection filter specs', () => {
  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof InvalidDataError);
      assert.equal(err.details[0]?.code, 'INVALID_FILTER');
      assert.equal(err.details[0]?.target, 'filter');
      return String(err.details[0]?.message);
    }
    assert.fail('expected INVALID_FILTER');
  };

  test('attribute names are matched case-insensitively and returned canonical', () => {
    assert.deepEqual(parseCollectionFilter(USER_FILTER, 'USERNAME eq "a"'), cmp('username', 'eq', 'a'));
    assert.deepEqual(parseCollectionFilter(USER_FILTER, 'memberofgroups[ID eq "g"]'), { kind: 'member', attribute: 'memberOfGroups', filter: cmp('id', 'eq', 'g') });
    assert.equal(parseCollectionFilter(GROUP_FILTER, undefined), undefined);
  });

  test('unsupported attributes, operators, value types and logic are refused with the supported list', () => {
    assert.match(message(() => parseCollectionFilter(USER_FILTER, 'photo eq "x"')), /attribute photo is not filterable.*supported: id \(eq\), username \(eq, sw\)/);
    assert.match(message(() => parseCollectionFilter(USER_FILTER, 'email co "x"')), /operator co is not supported on email/);
    assert.match(message(() => parseCollectionFilter(USER_FILTER, 'enabled eq "true"')), /enabled takes true or false/);
    assert.match(message(() => parseCollectionFilter(USER_FILTER, 'username pr')), /operator pr/);
    assert.match(message(() => parseCollectionFilter(USER_FILTER, 'not (username eq "a")')), /not is not supported/);
    assert.match(message(() => parseCollectionFilter(GROUP_FILTER, 'name eq 1')), /name takes a "quoted string"/);
    assert.match(message(() => parseCollectionFilter(GROUP_FILTER, 'name eq "a"&')), /malformed/);
    assert.match(message(() => parseCollectionFilter(USER_FILTER, ['a', 'b'])), /given once/);
    assert.match(message(() => parseCollectionFilter(noFilter('roles'), 'name eq "a"')), /Unsupported filter on roles .*no filter is supported/);
  });
});
