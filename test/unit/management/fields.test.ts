import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError, type ErrorDetail } from '../../../src/domain/pingone-error.js';
import { APPLICATION_RULES, GENERAL_RULES, type FieldRules } from '../../../src/management/field-rules.js';
import { FieldReader, asObject, referenceId } from '../../../src/management/fields.js';

const UUID = '3b0b7c64-5c4c-4a7e-9d33-2c0a8f1e4b10';

/** The issues one `string` read records. */
function stringIssues(rules: FieldRules, value: unknown, opts: { required?: boolean; nonBlank?: boolean } = {}): ErrorDetail[] {
  const reader = new FieldReader({ name: value }, rules);
  reader.string('name', 8, opts);
  return reader.issues;
}

// The two rule sets answer differently on the wire; these tests pin both so neither drifts.
describe('field rules: applications vs the other management parsers', () => {
  it('a too-long value: SIZE_LIMIT_EXCEEDED for applications, INVALID_VALUE elsewhere', () => {
    assert.deepEqual(stringIssues(APPLICATION_RULES, 'x'.repeat(9)), [
      { code: 'SIZE_LIMIT_EXCEEDED', target: 'name', message: 'name must be at most 8 characters long.', innerError: { maximumValue: 8 } },
    ]);
    assert.deepEqual(stringIssues(GENERAL_RULES, 'x'.repeat(9)), [
      { code: 'INVALID_VALUE', target: 'name', message: 'name must be at most 8 characters.', innerError: { maximumValue: 8 } },
    ]);
  });

  it('a too-long value with U+0000: applications report the length, the others the character', () => {
    assert.equal(stringIssues(APPLICATION_RULES, 'x'.repeat(9) + '\u0000')[0]?.code, 'SIZE_LIMIT_EXCEEDED');
    assert.deepEqual(stringIssues(GENERAL_RULES, 'x'.repeat(9) + '\u0000'), [
      { code: 'INVALID_VALUE', target: 'name', message: 'name must not contain U+0000.' },
    ]);
  });

  it('a lone surrogate is refused by both rule sets (both drivers would store U+FFFD instead)', () => {
    assert.deepEqual(stringIssues(APPLICATION_RULES, 'a\ud800'), [
      { code: 'INVALID_VALUE', target: 'name', message: 'name must not contain U+0000 or unpaired surrogate characters.' },
    ]);
    assert.deepEqual(stringIssues(GENERAL_RULES, 'a\udc00b'), [
      { code: 'INVALID_VALUE', target: 'name', message: 'name must not contain unpaired surrogate characters.' },
    ]);
    assert.deepEqual(stringIssues(GENERAL_RULES, 'a\ud83d\ude00'), [], 'a surrogate pair (an emoji) is a character like any other');
  });

  it('a blank required value: INVALID_VALUE for applications, REQUIRED_VALUE elsewhere', () => {
    const opts = { required: true, nonBlank: true };
    assert.deepEqual(stringIssues(APPLICATION_RULES, '  ', opts), [{ code: 'INVALID_VALUE', target: 'name', message: 'name must not be empty.' }]);
    assert.deepEqual(stringIssues(GENERAL_RULES, '  ', opts), [{ code: 'REQUIRED_VALUE', target: 'name', message: 'name is required.' }]);
  });

  it('a blank optional non-blank value is INVALID_VALUE under both', () => {
    for (const rules of [APPLICATION_RULES, GENERAL_RULES]) {
      assert.deepEqual(stringIssues(rules, ' ', { nonBlank: true }), [{ code: 'INVALID_VALUE', target: 'name', message: 'name must not be empty.' }]);
    }
  });

  it('a non-boolean: the applications message names the two values', () => {
    const issue = (rules: FieldRules) => {
      const reader = new FieldReader({ enabled: 'true' }, rules);
      reader.boolean('enabled');
      return reader.issues[0]?.message;
    };
    assert.equal(issue(APPLICATION_RULES), 'enabled must be a boolean (true or false).');
    assert.equal(issue(GENERAL_RULES), 'enabled must be a boolean.');
  });
});

describe('FieldReader', () => {
  it('treats null as absent, but `mentions` sees it', () => {
    const reader = new FieldReader({ password: null }, GENERAL_RULES);
    assert.equal(reader.has('password'), false);
    assert.equal(reader.mentions('password'), true);
    assert.equal(reader.mentions('other'), false);
  });

  it('reads only own properties', () => {
    const reader = new FieldReader(JSON.parse('{"a": 1}') as Record<string, unknown>, GENERAL_RULES);
    assert.equal(reader.raw('toString'), undefined);
    assert.equal(reader.mentions('toString'), false);
  });

  it('nested readers share rules and issues and prefix their targets', () => {
    const reader = new FieldReader({ scope: { id: 'x'.repeat(9) } }, GENERAL_RULES);
    reader.object('scope')?.string('id', 8);
    assert.deepEqual(reader.issues.map((d) => [d.code, d.target]), [['INVALID_VALUE', 'scope.id']]);
  });

  it('object() takes a caller message for a non-object', () => {
    const reader = new FieldReader({ scope: [] }, GENERAL_RULES);
    assert.equal(reader.object('scope', { message: 'scope must be an object with id and type.' }), undefined);
    assert.deepEqual(reader.issues, [{ code: 'INVALID_VALUE', target: 'scope', message: 'scope must be an object with id and type.' }]);
  });

  it('reference() reads {id: uuid} and targets `<key>.id`', () => {
    const reader = new FieldReader({ role: { id: UUID }, population: { id: 'nope' } }, GENERAL_RULES);
    assert.equal(reader.reference('role'), UUID);
    assert.equal(reader.reference('population'), undefined);
    assert.equal(reader.reference('resource', { required: true }), undefined);
    assert.deepEqual(reader.issues, [
      { code: 'INVALID_VALUE', target: 'population.id', message: 'population.id must be a UUID.' },
      { code: 'REQUIRED_VALUE', target: 'resource.id', message: 'resource.id is required.' },
    ]);
    assert.equal(referenceId([{ id: UUID }]), undefined);
  });

  it('asObject refuses a non-object body with INVALID_REQUEST', () => {
    for (const body of [null, [], 'x', 1]) assert.throws(() => asObject(body), InvalidRequestError);
  });
});
