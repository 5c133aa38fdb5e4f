/**
 * `#string.format` beyond PingOne's examples: java.util.Formatter's conversions, flags, widths
 * and argument indexes as its Javadoc defines them, null where Formatter throws, and the bounds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvaluationError, ExpressionSyntaxError, EXPRESSION_LIMITS } from '../../../../src/domain/expressions/index.js';
import { parseExpression } from '../../../../src/domain/expressions/parser.js';
import { run } from './support.js';

const format = (args: string) => run(`#string.format(${args})`);

describe('#string.format conversions', () => {
  it('%s %S %b %c: text, upper case, booleans (null is false, anything else true), code points', () => {
    assert.equal(format("'%s|%S|%s|%s|%s', 'ab', 'ab', null, 12.5, {1, 'x'}"), 'ab|AB|null|12.5|[1,"x"]');
    assert.equal(format("'%b %b %b %B', null, false, 'no', 1"), 'false false true TRUE');
    assert.equal(format("'%c%c %C', 72, 105, 97"), 'Hi A');
  });
  it('width, left justification and precision (a maximum number of characters for %s)', () => {
    assert.equal(format("'[%6s][%-6s][%.2s][%6.2s]', 'abc', 'abc', 'abc', 'abc'"), '[   abc][abc   ][ab][    ab]');
  });
  it('%d with sign, space, zero padding, grouping and parentheses', () => {
    assert.equal(format("'%d|%+d|% d|%05d|%,d|%(d|%(,08d|%-5d|', 42, 42, 42, -42, 1234567, -42, -12345, 7"), '42|+42| 42|-0042|1,234,567|(42)|(12,345)|7    |');
  });
  it("%o %x %X: two's complement of an Integer or a Long, # for the radix prefix", () => {
    assert.equal(format("'%x %X %o %#x %#o %08x', 255, 255, 8, 255, 8, 255"), 'ff FF 10 0xff 010 000000ff');
    assert.equal(format("'%x %x', -1, -4294967296"), 'ffffffff ffffffff00000000');
  });
  it('%f %e: rounded half up on the shortest decimal of the double, as Formatter does', () => {
    assert.equal(format("'%f|%.2f|%.2f|%.0f|%.1f|%,.2f|%+.1f|%08.2f', 3.14159, 1.005, 0.125, 2.5, 0.05, 1234567.891, 2, -3.5"), '3.141590|1.01|0.13|3|0.1|1,234,567.89|+2.0|-0003.50');
    assert.equal(format("'%e|%.2e|%E|%.0e|%#.0f', 12345.678, 0.000123, 0, 5, 3"), '1.234568e+04|1.23e-04|0.000000E+00|5e+00|3.');
  });
  it('%% and %n, explicit indexes and < for the previous argument', () => {
    assert.equal(format("'100%% %-4%|%n'"), '100% %   |\n');
    assert.equal(format("'%2$s-%1$s-%<s-%s', 'a', 'b'"), 'b-a-a-a');
  });
});

describe('#string.format returns null where java.util.Formatter throws', () => {
  it('unknown conversions and incomplete specifiers', () => {
    for (const f of ["'%q'", "'%'", "'50%'", "'%5'", "'%.2'"]) assert.equal(format(`${f}, 1`), null, f);
  });
  it('arguments that do not fit, missing arguments', () => {
    for (const args of ["'%d', 1.5", "'%d', 'x'", "'%x', true", "'%c', 'a'", "'%c', -1", "'%f', 'x'", "'%s %s', 'a'", "'%3$s', 'a', 'b'", "'%<s', 'a'", "'%0$s', 'a'"]) {
      assert.equal(format(args), null, args);
    }
  });
  it('flags a conversion does not take, duplicated or contradicting flags, a missing width', () => {
    for (const f of ["'%#s'", "'%0s'", "'%,x'", "'%+x'", "'%#d'", "'%.2d'", "'%-d'", "'%0d'", "'%+ d'", "'%-05d'", "'%--5d'", "'%,e'", "'%5n'", "'%.1%'"]) {
      assert.equal(format(`${f}, 1`), null, f);
    }
  });
  it('a null format is null; null arguments print null', () => {
    assert.equal(format('null'), null);
    assert.equal(format("'%d %x %5f', null, null, null"), 'null null  null');
  });
});

describe('#string.format is checked and bounded', () => {
  it('a literal format with a conversion Keyway lacks is refused when written; computed, it fails when run', () => {
    for (const f of ['%g', '%a', '%h', '%tY', '%1$TH']) assert.throws(() => parseExpression(`#string.format('x ${f}', 1)`), ExpressionSyntaxError, f);
    assert.throws(() => run('#string.format(user.f, 1)', { user: { f: '%g' } }), EvaluationError);
  });
  it('widths, precisions and results past the string bound stop the evaluation', () => {
    for (const f of [`%${EXPRESSION_LIMITS.maxStringLength + 1}s`, '%.99999999f', '%999999999999999999999d']) {
      assert.throws(() => format(`'${f}', 1`), (e: unknown) => e instanceof EvaluationError && e.limit, f);
    }
    assert.throws(() => run("#string.format('%s%s', user.s, user.s)", { user: { s: 'x'.repeat(9000) } }), (e: unknown) => e instanceof EvaluationError && e.limit);
  });
  it('each specifier costs a step', () => {
    assert.equal(run('#string.format(user.f, 1)', { user: { f: '%1$.0s'.repeat(1000) } }), '');
    assert.throws(() => run('#string.format(user.f, 1)', { user: { f: '%1$.0s'.repeat(EXPRESSION_LIMITS.maxSteps + 1) } }), (e: unknown) => e instanceof EvaluationError && /steps/.test(e.message));
  });
});
