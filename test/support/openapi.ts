/**
 * Validates values against a schema of PingOne's management OpenAPI description
 * (`test/fixtures/pingone/management-openapi.yaml`, OpenAPI 3.0, from patrickcping/pingone-go-sdk-v2,
 * BSD 3-Clause licence beside it).
 *
 * The whole `components.schemas` map is registered with Ajv once, as one document whose
 * internal `#/components/schemas/X` refs resolve as written; each named schema is compiled on
 * first use and cached. OpenAPI-only keywords (`example`, `nullable`, `discriminator`, `xml`)
 * are tolerated with `strict: false`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const DEFAULT_SPEC = fileURLToPath(new URL('../fixtures/pingone/management-openapi.yaml', import.meta.url));
const SPEC_PATH = process.env.KEYWAY_OPENAPI_SPEC ?? DEFAULT_SPEC;
const DOC_ID = 'pingone-management.json';

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function load(): Ajv {
  if (ajv) return ajv;
  const schemas = readSchemas();
  const instance = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormatsModule.default(instance);
  // OpenAPI's `format: password` is a UI hint, not a constraint.
  instance.addFormat('password', true);
  instance.addSchema({ $id: DOC_ID, components: { schemas } });
  ajv = instance;
  return instance;
}

/**
 * `components.schemas` of the spec, open enums rewritten. Parsing the 2 MB YAML costs seconds and
 * every file that checks shapes needs it, so the result is kept as JSON in the temporary
 * directory, named by a hash of the spec's text and of this module's own source (which rewrites
 * it): a change to either is parsed afresh, and an unreadable cache is ignored.
 */
function readSchemas(): Record<string, unknown> {
  const text = readFileSync(SPEC_PATH, 'utf8');
  const hash = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).update(text).digest('hex').slice(0, 32);
  const cache = join(tmpdir(), `keyway-openapi-schemas-${hash}.json`);
  try {
    return JSON.parse(readFileSync(cache, 'utf8')) as Record<string, unknown>;
  } catch {
    // Absent or unreadable: parse the YAML.
  }
  const doc = parse(text) as { components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas;
  if (!schemas) throw new Error(`${SPEC_PATH} has no components.schemas`);
  openEnums(schemas);
  try {
    // Written aside and renamed, so that a concurrent reader sees the whole file or none.
    const partial = `${cache}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(schemas));
    renameSync(partial, cache);
  } catch {
    // A read-only temporary directory only costs the next file the parse.
  }
  return schemas;
}

function validatorFor(schemaName: string): ValidateFunction {
  const cached = compiled.get(schemaName);
  if (cached) return cached;
  const instance = load();
  const validate = instance.compile({ $ref: `${DOC_ID}#/components/schemas/${schemaName}` });
  compiled.set(schemaName, validate);
  return validate;
}

/**
 * Validates `value` against `components.schemas[schemaName]`.
 * @returns one readable line per error (`/path: message`); empty when valid.
 */
export function validateAgainst(schemaName: string, value: unknown): string[] {
  const validate = validatorFor(schemaName);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

/**
 * The generator writes "open enums" as `oneOf: [<enum ref>, {type: string}]`, which no enum
 * value can satisfy (it matches both branches). Their intent is `anyOf`.
 */
function openEnums(schemas: Record<string, unknown>): void {
  for (const schema of Object.values(schemas)) {
    const s = schema as { oneOf?: unknown[]; anyOf?: unknown[] };
    const branches = s.oneOf;
    if (Array.isArray(branches) && branches.length === 2 && branches.some((b) => isPlainString(b))) {
      s.anyOf = branches;
      delete s.oneOf;
    }
  }
}

function isPlainString(branch: unknown): boolean {
  return typeof branch === 'object' && branch !== null && Object.keys(branch).length === 1 && (branch as { type?: unknown }).type === 'string';
}
