/**
 * A hostile battery: expressions written to escape into JavaScript, exhaust the parser or make
 * an evaluation run away. Each fails at write time (ExpressionSyntaxError) or evaluates within
 * the bounds of EXPRESSION_LIMITS (EvaluationError), in bounded time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileMapping, evaluateMapping, EvaluationError, ExpressionSyntaxError, EXPRESSION_LIMITS } from '../../../../src/domain/expressions/index.js';
import { parseExpression } from '../../../../src/domain/expressions/parser.js';
import { NOW, run } from './support.js';

function refusedAtWrite(expression: string): ExpressionSyntaxError {
  try {
    parseExpression(expression);
  } catch (err) {
    assert.ok(err instanceof ExpressionSyntaxError, `${expression}: ${String(err)}`);
    return err;
  }
  assert.fail(`${expression.slice(0, 60)} was accepted`);
}

function failsAtRun(expression: string, root: object = {}): EvaluationError {
  const started = process.hrtime.bigint();
  try {
    run(expression, root as never);
  } catch (err) {
    assert.ok(err instanceof EvaluationError, `${expression.slice(0, 60)}: ${String(err)}`);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 2000, 'bounded time');
    return err;
  }
  assert.fail(`${expression.slice(0, 60)} evaluated`);
}

describe('no way into JavaScript', () => {
  it('prototype members are never properties', () => {
    const model = { user: { name: 'x' } };
    assert.equal(run('user.constructor', model), null);
    assert.equal(run("user['__proto__']", model), null);
    assert.equal(run('user.__proto__', model), null);
    assert.equal(run("user['constructor']['constructor']", model), null, 'null, navigated safely: no prototype member');
    assert.equal(run('user.hasOwnProperty', model), null);
    failsAtRun("user.name.constructor", model);
    assert.equal(run('user.constructor.name', model), null, 'null, navigated safely: no prototype member');
    failsAtRun("{'a'}['length']");
    assert.equal(run("{'a': 1}['toString']"), null);
  });
  it('a __proto__ key in a map literal is data, not a prototype', () => {
    const value = run("{'__proto__': {'polluted': true}}") as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
  it('globals, methods, constructors and types are refused when written', () => {
    for (const expression of [
      'process', 'globalThis', 'require', 'eval', 'Function', "T(java.lang.Runtime).getRuntime()", "new java.lang.String('x')",
      "user.name.toString()", "''.constructor.constructor('return process')()", '#string.constructor', '#string.__proto__',
      '#process', '#root.process', "#root['global']", '#this.env', 'user.name.given.length()', 'user = 1',
      'new int[4]', 'new int[1000000]', "new Runtime[] {1}", "new String[] {'a'}", "new int[] {'a': 1}", 'new int[] 1',
    ]) refusedAtWrite(expression);
  });
});

describe('write-time bounds', () => {
  it('deep nesting', () => {
    refusedAtWrite('('.repeat(200) + '1' + ')'.repeat(200));
    refusedAtWrite('new int[] {'.repeat(200) + '1' + '}'.repeat(200));
    refusedAtWrite('{'.repeat(200) + '1' + '}'.repeat(200));
    refusedAtWrite('!'.repeat(200) + 'true');
    refusedAtWrite('-'.repeat(200) + '1');
    refusedAtWrite("user[" + '('.repeat(100) + "'a'" + ')'.repeat(100) + ']');
  });
  it('huge literals and values', () => {
    refusedAtWrite(`'${'x'.repeat(EXPRESSION_LIMITS.maxSourceLength)}'`);
    refusedAtWrite('9'.repeat(40));
    refusedAtWrite('1e999');
    refusedAtWrite(`{${Array.from({ length: 300 }, (_, i) => i).join(',')}}`);
    refusedAtWrite(Array.from({ length: 1100 }, () => '1').join('+'));
  });
  it('unknown helpers and roots, with the position and what was expected', () => {
    const helper = refusedAtWrite("#string.reverse('x')");
    assert.equal(helper.position, 9);
    assert.match(helper.expected, /upperCase/);
    const root = refusedAtWrite("'a' + account.id");
    assert.equal(root.position, 7);
    assert.match(root.expected, /user, context/);
    const syntax = refusedAtWrite("user.name.given +");
    assert.equal(syntax.position, 18);
    assert.equal(syntax.expected, 'a value');
    refusedAtWrite("#string.upperCase('a', 'b')");
    refusedAtWrite("'unterminated");
  });
  it('regular expressions that could backtrack are refused', () => {
    for (const pattern of ['(a+)+$', '(a*)*b', '(x+x+)+y', '(.*a){3}', '(a|aa)+', '(a|a)*$', 'a*a*a*b', '(a)\\1', '(?<n>a)\\k<n>', '[', 'x'.repeat(300)]) {
      refusedAtWrite(`#regex.findAllMatches(user.name, '${pattern}')`);
    }
    refusedAtWrite('#regex.findAllMatches(user.name, user.pattern)');
  });
});

describe('run-time bounds', () => {
  const big = { user: { list: Array.from({ length: 5000 }, (_, i) => i) } };
  it('runaway selection over a large collection stops on the step budget', () => {
    failsAtRun('user.list.?[user.list.?[#this > 0].size > 0]'.replace('.size > 0', ' != null'), big);
    failsAtRun('user.list.![#root.user.list.![#this]]', big);
  });
  it('a collection over the size bound is refused', () => {
    failsAtRun('user.list.?[true]', { user: { list: Array.from({ length: EXPRESSION_LIMITS.maxCollectionSize + 1 }, () => 1) } });
  });
  it('strings that grow past the bound', () => {
    const doubling = Array.from({ length: 8 }).reduce<string>((e) => `(${e} + ${e})`, "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'");
    assert.throws(() => parseExpression(doubling), ExpressionSyntaxError);
    const model = { user: { s: 'x'.repeat(9000) } };
    failsAtRun('user.s + user.s', model);
  });
  it('shared members cannot make a huge result', () => {
    failsAtRun(`user.list.![#root.user.list]`, { user: { list: Array.from({ length: 100 }, (_, i) => i) } });
  });
  it('regex input is bounded', () => {
    failsAtRun("#regex.findAllMatches(user.s, 'a+b')", { user: { s: 'a'.repeat(5000) } });
    const started = Date.now();
    run("#regex.findAllMatches(user.s, '[a-z]*[a-z]*b')", { user: { s: 'a'.repeat(1000) } });
    assert.ok(Date.now() - started < 2000);
  });
  it('type errors and nulls fail safely', () => {
    assert.equal(run('user.missing.deeper', { user: {} }), null, 'a property of null data is null (PingOne navigates safely)');
    failsAtRun("{'name': {'given': 'x'}}.name.middle", {});
    assert.equal(run("{'name': {'given': 'x'}}.name?.middle"), null, '?. on a literal is null');
    failsAtRun("1 / 0");
    failsAtRun("'a' - 1");
    failsAtRun("user.name ? 1 : 2", { user: { name: 'x' } });
    failsAtRun("{1,2}.name");
  });
  it('evaluateMapping turns failures into outcomes, never throws', () => {
    const outcome = evaluateMapping(compileMapping("${{'a': 1}.b}"), { root: { user: {} }, now: NOW });
    assert.equal(outcome.ok, false);
  });
});

describe('the added libraries stay bounded and closed', () => {
  const big = { user: { list: Array.from({ length: 5000 }, (_, i) => i) } };
  it('quadratic #data operations stop at the step budget', () => {
    assert.ok(failsAtRun('#data.containsAll(user.list, user.list.![#this + 1])', big).limit);
    assert.ok(failsAtRun('#data.removeAll(user.list, user.list)', big).limit);
  });
  it('#data takes lists only, and reaches no prototype', () => {
    failsAtRun("#data.size('text')");
    assert.equal(run("#data.indexOf({'constructor'}, 'constructor')"), 0);
  });
  it('#crypto.hmacHexDigest refuses null data or key and unknown algorithms', () => {
    failsAtRun("#crypto.hmacHexDigest(null, 'k', 'HmacSHA256')");
    failsAtRun("#crypto.hmacHexDigest('d', null, 'HmacSHA256')");
    failsAtRun("#crypto.hmacHexDigest('d', 'k', 'SHA256')");
    failsAtRun("#crypto.hmacHexDigest('d', 'k', 'constructor')");
  });
  it('string building helpers are bounded', () => {
    const long = { user: { s: 'x'.repeat(EXPRESSION_LIMITS.maxStringLength) } };
    assert.ok(failsAtRun("#string.replace(user.s, 'x', 'yy', -1)", long).limit);
    assert.ok(failsAtRun('#string.asBase64Encoded(user.s)', long).limit);
    assert.ok(failsAtRun("#regex.replaceAll(user.s, 'x', 'y')", long).limit);
  });
  it('unknown functions, wrong argument counts and computed patterns are refused when written', () => {
    refusedAtWrite("#data.toJson({1})");
    refusedAtWrite("#crypto.sha256('x')");
    refusedAtWrite("#core.ifelse(true)");
    refusedAtWrite("#string.firstNonEmpty('1','2','3','4','5','6','7','8','9','10','11')");
    refusedAtWrite("#regex.replaceAll('x', 'a', 'b', user.pattern, 'c')");
    refusedAtWrite("#regex.replaceAll('x', 'a', 'b', '(a+)+', 'c')");
    refusedAtWrite("#regex.matches('x', '(a|b)*')");
  });
});
