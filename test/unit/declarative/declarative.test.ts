/**
 * src/declarative/ without a server: positions, variables, the structure check, the comparison,
 * and the shipped JSON Schema accepting the fixture.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describes } from '../../../src/declarative/compare.js';
import { ConfigurationError } from '../../../src/declarative/errors.js';
import { loadConfigurationText } from '../../../src/declarative/load.js';
import { checkShape } from '../../../src/declarative/shape.js';
import { lineOf, parseSource } from '../../../src/declarative/source.js';
import { familiesDocument, familyKeys } from '../../support/declarative-families.js';

describe('declarative configuration, offline', () => {
  test('every pointer knows its line (RFC 6901 pointers)', () => {
    const source = parseSource('f.yaml', 'environments:\n  - name: A\n    groups:\n      - name: g\n');
    assert.equal(source.lines.get('/environments/0/name'), 2);
    assert.equal(source.lines.get('/environments/0/groups/0/name'), 4);
    assert.equal(lineOf(source.lines, '/environments/0/groups/0/description'), 4);
  });

  test('JSON is read as well, with lines', () => {
    const source = parseSource('f.json', '{\n "environments": [\n  {"name": "A"}\n ]\n}');
    assert.equal(source.lines.get('/environments/0/name'), 3);
  });

  test('a YAML syntax error names its line', () => {
    assert.throws(() => parseSource('f.yaml', 'environments:\n  - name: [A\n'), (err: unknown) => err instanceof ConfigurationError && /^f\.yaml:\d+: /.test(err.message));
  });

  test('${VAR} is replaced, $${ is kept literally, an unset variable is an error on its line', () => {
    const text = 'environments:\n  - name: ${ENV_NAME}\n    description: $${user.email}\n';
    const loaded = loadConfigurationText('f.yaml', text, { ENV_NAME: 'Dev' }) as { document: any };
    assert.equal(loaded.document.environments[0].name, 'Dev');
    assert.equal(loaded.document.environments[0].description, '${user.email}');
    assert.throws(() => loadConfigurationText('f.yaml', text, {}), /f\.yaml:2: \/environments\/0\/name: variable ENV_NAME is not set\./);
  });

  test('the structure check: ids are UUIDs, names required and listed once', () => {
    const issues = checkShape({ environments: [{ name: 'A', id: 'x', groups: [{ name: 'g' }, { name: 'g' }], users: [{}] }], extra: 1 });
    assert.deepEqual(issues.map((i) => i.pointer).sort(), ['/environments/0/groups/1/name', '/environments/0/id', '/environments/0/users/0/username', '/extra']);
  });

  test('a file object describes the API answer when every field it gives is equal', () => {
    assert.equal(describes({ name: 'a', grantTypes: ['A', 'B'] }, { name: 'a', grantTypes: ['B', 'A'], id: 'x' }), true);
    assert.equal(describes({ name: 'a' }, { name: 'b' }), false);
    assert.equal(describes({ scopes: [{ id: '1' }] }, { scopes: [{ id: '1' }, { id: '2' }] }), false);
  });

  test('schema/keyway-config.schema.json accepts the fixture and refuses an unknown top-level field', () => {
    const schema = JSON.parse(readFileSync(new URL('../../../schema/keyway-config.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020.default({ strict: false, validateFormats: false }).compile(schema);
    const fixture = parse(readFileSync(new URL('../../fixtures/declarative/two-environments.yaml', import.meta.url), 'utf8'));
    assert.equal(validate(fixture), true, JSON.stringify(validate.errors));
    assert.equal(validate({ ...fixture, other: 1 }), false);
    const misspelt = { environments: [{ ...fixture.environments[0], aplications: [] }] };
    assert.equal(validate(misspelt), false, 'an unknown field of an environment (a misspelt collection) is flagged for editors too');
    assert.equal(validate({ environments: [{ ...fixture.environments[0], createdAt: '2026-01-01T00:00:00Z' }] }), true, 'answer-only fields are let through, as apply lets them');
  });

  test('the JSON Schema and the structure check accept every family of the format', async () => {
    const schema = JSON.parse(readFileSync(new URL('../../../schema/keyway-config.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020.default({ strict: false, validateFormats: false }).compile(schema);
    const doc = familiesDocument(await familyKeys());
    assert.equal(validate(doc), true, JSON.stringify(validate.errors));
    assert.deepEqual(checkShape(doc), []);
  });

  test("the JSON Schema and the structure check take a group's memberOfGroups and an application's certificates", () => {
    const schema = JSON.parse(readFileSync(new URL('../../../schema/keyway-config.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020.default({ strict: false, validateFormats: false }).compile(schema);
    const env = { name: 'A', groups: [{ name: 'g', memberOfGroups: [{ name: 'h' }] }, { name: 'h' }], applications: [{ name: 'app', certificates: [{ kid: 'k', certificate: 'PEM' }] }] };
    assert.equal(validate({ environments: [env] }), true, JSON.stringify(validate.errors));
    assert.deepEqual(checkShape({ environments: [env] }), []);
    const broken = { name: 'A', groups: [{ name: 'g', memberOfGroups: [{}] }], applications: [{ name: 'app', certificates: [{ certificate: 'PEM', other: 1 }] }] };
    assert.equal(validate({ environments: [broken] }), false);
    assert.deepEqual(checkShape({ environments: [broken] }).map((i) => i.pointer), ['/environments/0/groups/0/memberOfGroups/0']);
  });

  test('the structure check: schema attributes are matched by name and listed once', () => {
    const issues = checkShape({ environments: [{ name: 'A', schemas: [{ name: 'User', attributes: [{ name: 'badge' }, { name: 'badge' }, {}] }] }] });
    assert.deepEqual(issues.map((i) => i.pointer).sort(), ['/environments/0/schemas/0/attributes/1/name', '/environments/0/schemas/0/attributes/2/name']);
  });
});
