import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CLIENT_AUTH_REASONS } from '../../../src/protocol/client-auth/reasons.js';

const SOURCE_DIR = fileURLToPath(new URL('../../../src/protocol/client-auth/', import.meta.url));

describe('client-authentication reason registry (docs/architecture.md, rule 3)', () => {
  test('every reason code thrown by src/protocol/client-auth is registered with a description', () => {
    const thrown = new Set<string>();
    for (const file of readdirSync(SOURCE_DIR).filter((name) => name.endsWith('.ts') && name !== 'reasons.ts')) {
      const text = readFileSync(`${SOURCE_DIR}${file}`, 'utf8');
      for (const match of text.matchAll(/InvalidClient\(\s*'([A-Z0-9_]+)'/g)) thrown.add(match[1] ?? '');
      for (const match of text.matchAll(/:\s*'((?:ISS|SUB|EXP|NBF|IAT)_(?:MISSING|INVALID))'/g)) thrown.add(match[1] ?? '');
    }
    assert.ok(thrown.size >= 35, `found only ${thrown.size} codes; has the pattern drifted?`);
    const registered = new Set(Object.keys(CLIENT_AUTH_REASONS));
    assert.deepEqual([...thrown].filter((code) => !registered.has(code)), []);
  });

  test('codes are upper snake case and descriptions are sentences', () => {
    for (const [code, description] of Object.entries(CLIENT_AUTH_REASONS)) {
      assert.match(code, /^[A-Z][A-Z0-9_]*$/);
      assert.match(description, /^[A-Za-z].*\.$/, code);
    }
  });
});
