/**
 * The layer rule of docs/architecture.md, checked on every import of every file under src/:
 * static imports, `export … from`, side-effect imports and dynamic `import(…)`, type-only ones
 * included. A relative import is resolved to the folder it lands in; a package import is checked
 * against the packages the folder may use. The rule is data (below); change it there, and in the
 * table of docs/architecture.md, when a layer is added.
 */
import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The top-level folders of src/, plus `app` for src/app.ts, the composition root. */
type Layer = 'domain' | 'threads' | 'jose' | 'config' | 'store' | 'keys' | 'protocol' | 'management' | 'declarative' | 'adapters' | 'http' | 'views' | 'cli' | 'app' | 'testing';

/**
 * What each layer may import besides itself: layers, or (for a narrow exception) one file or
 * folder inside a layer, written as a path under src/. `*` allows every layer.
 */
const MAY_IMPORT: Readonly<Record<Layer, readonly string[]>> = {
  domain: [],
  // Worker-thread plumbing (starting a thread under tsc or tsx), batching off the loop, the key operation threads.
  threads: [],
  jose: ['domain', 'threads'],
  config: [],
  store: ['domain', 'threads'],
  keys: ['domain', 'jose', 'store', 'config'],
  protocol: ['domain', 'jose', 'threads'],
  management: ['domain', 'jose', 'store', 'keys', 'config'],
  // Configuration files applied through the management services, as the API applies bodies.
  declarative: ['domain', 'jose', 'store', 'keys', 'config', 'management'],
  // Adapters implement management's ports, and check passwords with its user rules; nothing else of it.
  adapters: ['domain', 'jose', 'config', 'store', 'keys', 'protocol', 'management/ports.ts', 'management/users/credentials.ts', 'management/groups/dynamic.ts'],
  http: ['domain', 'jose', 'config', 'store', 'keys', 'protocol', 'management', 'declarative', 'adapters', 'views'],
  views: ['domain'],
  cli: ['*'],
  app: ['*'],
  // The testing library starts the composition root from a Config, and signs client assertions
  // with the CLI's key helpers (one implementation of each); nothing below app.ts otherwise.
  testing: ['app.ts', 'config', 'keys/signing-keys.ts', 'cli/client-assertion.ts', 'cli/client-key.ts'],
};

/** The packages (not node built-ins) each layer may import; `*` allows any. */
const MAY_USE_PACKAGES: Readonly<Record<Layer, readonly string[]>> = {
  domain: [],
  threads: [],
  jose: [],
  config: [],
  store: ['better-sqlite3', 'pg'],
  keys: ['jose', 'pkijs', 'asn1js'],
  protocol: [],
  // bcrypt and Argon2, which node:crypto lacks, to verify imported {BCRYPT} and {ARGON2} passwords
  // (src/management/users/pre-encoded/bcrypt.ts, argon2.ts).
  management: ['bcryptjs', 'hash-wasm'],
  // YAML 1.2 with source positions, so that errors name the file's line (src/declarative/source.ts).
  declarative: ['yaml'],
  // The Prometheus client behind /metrics (src/adapters/metrics/).
  adapters: ['prom-client'],
  http: ['fastify'],
  views: [],
  cli: ['*'],
  app: ['*'],
  testing: [],
};

/** The web framework and the database drivers, and the only places that may name them. */
const CONFINED_PACKAGES: Readonly<Record<string, readonly Layer[]>> = {
  fastify: ['http', 'cli', 'app'],
  'better-sqlite3': ['store', 'cli', 'app'],
  pg: ['store', 'cli', 'app'],
};

const LAYERS = Object.keys(MAY_IMPORT) as Layer[];
const BUILTINS = new Set(builtinModules);

/** One import: the importing file (a path under src/, `/`-separated) and the specifier as written. */
interface ImportRef {
  file: string;
  specifier: string;
}

function layerOf(path: string): Layer | undefined {
  const [first = '', ...rest] = path.split('/');
  const name = rest.length === 0 ? first.replace(/\.ts$/, '') : first;
  return (LAYERS as string[]).includes(name) ? (name as Layer) : undefined;
}

/** `pg` for `pg`, `pg/lib/x`; `@scope/name` for scoped packages. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(packageName(specifier));
}

/** The path under src/ that a relative specifier lands on (`.js` written for `.ts`). */
function resolveUnderSrc(file: string, specifier: string): string {
  return posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
}

function allowsTarget(rule: readonly string[], target: string): boolean {
  return rule.some((allowed) => allowed === '*' || target === allowed || target.startsWith(`${allowed}/`));
}

/** Every import that breaks the rule, as a message naming the file and the import. */
function violations(imports: readonly ImportRef[]): string[] {
  const found: string[] = [];
  for (const { file, specifier } of imports) {
    const layer = layerOf(file);
    if (!layer) {
      found.push(`${file}: no layer rule for this folder (add it to MAY_IMPORT and docs/architecture.md)`);
      continue;
    }
    if (specifier.startsWith('.')) {
      const target = resolveUnderSrc(file, specifier);
      const targetLayer = target.startsWith('../') ? undefined : layerOf(target);
      if (targetLayer === layer) continue;
      if (!targetLayer) found.push(`${file}: imports '${specifier}', which is outside the layers of src/`);
      else if (!allowsTarget(MAY_IMPORT[layer], target)) {
        found.push(`${file}: imports '${specifier}' (${targetLayer}); ${layer} may import ${listOrNothing(MAY_IMPORT[layer])}`);
      }
      continue;
    }
    if (isBuiltin(specifier)) continue;
    const name = packageName(specifier);
    const confined = CONFINED_PACKAGES[name];
    if (confined && !confined.includes(layer)) {
      found.push(`${file}: imports '${specifier}', which only ${confined.join(', ')} may import`);
    } else if (!allowsTarget(MAY_USE_PACKAGES[layer], name)) {
      found.push(`${file}: imports the package '${specifier}'; ${layer} may use ${listOrNothing(MAY_USE_PACKAGES[layer])} besides node built-ins`);
    }
  }
  return found;
}

function listOrNothing(list: readonly string[]): string {
  return list.length === 0 ? 'nothing' : list.join(', ');
}

/** The specifiers a TypeScript source imports: static, type-only, re-exports and dynamic `import()`. */
function importsOf(file: string, text: string): ImportRef[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((ref) => ({ file, specifier: ref.fileName }));
}

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function srcImports(): ImportRef[] {
  return sourceFiles(SRC).flatMap((path) => importsOf(relative(SRC, path).split(sep).join('/'), readFileSync(path, 'utf8')));
}

describe('layers (docs/architecture.md)', () => {
  test('every import in src/ keeps to the layer rule', () => {
    const imports = srcImports();
    assert.ok(imports.length > 500, `read only ${imports.length} imports; has the scan drifted?`);
    assert.deepEqual(violations(imports), []);
  });

  test('fastify, better-sqlite3 and pg appear only in http/, store/, cli/ and app.ts', () => {
    const misplaced = srcImports().filter(({ file, specifier }) => {
      const name = packageName(specifier);
      if (!['fastify', 'better-sqlite3', 'pg'].includes(name)) return false;
      const allowed = name === 'fastify' ? ['http/', 'cli/', 'app.ts'] : ['store/', 'cli/', 'app.ts'];
      return !allowed.some((prefix) => file === prefix || file.startsWith(prefix));
    });
    assert.deepEqual(misplaced, []);
  });

  test('every folder of src/ has a rule', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    assert.deepEqual(folders.filter((name) => !(LAYERS as string[]).includes(name)), []);
  });

  test('the checker catches each forbidden direction (it cannot pass vacuously)', () => {
    const forbidden: ImportRef[] = [
      { file: 'store/sqlite/users.ts', specifier: '../../management/users/credentials.js' },
      { file: 'store/types.ts', specifier: '../protocol/sign-in/ports.js' },
      { file: 'protocol/sign-in/flows.ts', specifier: '../../management/errors.js' },
      { file: 'management/authenticate.ts', specifier: '../protocol/tokens/verify-access-token.js' },
      { file: 'config/config.ts', specifier: '../domain/ids.js' },
      { file: 'domain/ids.ts', specifier: '../store/types.js' },
      { file: 'jose/jwk-set.ts', specifier: '../management/errors.js' },
      { file: 'protocol/token-endpoint.ts', specifier: '../adapters/cache/key-ring.js' },
      { file: 'protocol/token-endpoint.ts', specifier: '../http/error-mapper.js' },
      { file: 'protocol/token-endpoint.ts', specifier: '../store/types.js' },
      { file: 'management/context.ts', specifier: '../adapters/logger.js' },
      { file: 'adapters/jwks-url/remote-jwks.ts', specifier: '../../management/applications/service.js' },
      { file: 'views/html.ts', specifier: '../protocol/errors.js' },
      { file: 'protocol/errors.ts', specifier: 'fastify' },
      { file: 'protocol/errors.ts', specifier: 'better-sqlite3' },
      { file: 'management/common.ts', specifier: 'pg' },
      { file: 'http/server.ts', specifier: 'pg' },
      { file: 'domain/ids.ts', specifier: 'uuid' },
      { file: 'config/config.ts', specifier: 'dotenv' },
      { file: 'oauth/client-keys.ts', specifier: '../domain/ids.js' },
      { file: 'testing/launch.ts', specifier: '../store/open.js' },
      { file: 'testing/sign-in.ts', specifier: '../cli/token.js' },
      { file: 'testing/http.ts', specifier: 'undici' },
    ];
    const found = violations(forbidden);
    assert.equal(found.length, forbidden.length, found.join('\n'));
    forbidden.forEach(({ file, specifier }, i) => {
      assert.ok(found[i]?.startsWith(`${file}: `) && found[i]?.includes(file.startsWith('oauth/') ? 'no layer rule' : specifier), found[i]);
    });
  });

  test('the checker lets allowed imports through', () => {
    const allowed: ImportRef[] = [
      { file: 'domain/ids.ts', specifier: 'node:crypto' },
      { file: 'config/config.ts', specifier: './fetch-allow-list.js' },
      { file: 'store/types.ts', specifier: '../domain/versioned.js' },
      { file: 'protocol/client-auth/assertion-jws.ts', specifier: '../../jose/json-duplicates.js' },
      { file: 'management/client-keys/jwks.ts', specifier: '../../jose/jwk-set.js' },
      { file: 'adapters/tokens/access-token-verifier.ts', specifier: '../../management/ports.js' },
      { file: 'adapters/sign-in/password-verifier.ts', specifier: '../../management/users/credentials.js' },
      { file: 'http/server.ts', specifier: 'fastify' },
      { file: 'store/postgres/pool.ts', specifier: 'pg' },
      { file: 'app.ts', specifier: './adapters/cache/key-ring.js' },
      { file: 'testing/build.ts', specifier: '../app.js' },
      { file: 'testing/client-keys.ts', specifier: '../cli/client-key.js' },
    ];
    assert.deepEqual(violations(allowed), []);
  });

  test('imports are read from static, type-only, re-export, side-effect and dynamic forms, not from comments or strings', () => {
    const text = [
      "import type { A } from '../store/types.js';",
      "export { b } from '../management/b.js';",
      "export * from './c.js';",
      "import './d.js';",
      "const e = await import('../http/e.js');",
      "// import { z } from '../store/z.js';",
      "const s = \"import { y } from '../store/y.js'\";",
    ].join('\n');
    assert.deepEqual(
      importsOf('protocol/x.ts', text).map((ref) => ref.specifier),
      ['../store/types.js', '../management/b.js', './c.js', './d.js', '../http/e.js'],
    );
  });
});

