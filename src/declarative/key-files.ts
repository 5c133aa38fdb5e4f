/**
 * Key material named by a file beside the configuration instead of written into it (README,
 * "Declarative configuration"): an application's `jwksFile` (a JWKS in JSON, or a PEM public
 * key, private key or certificate, whose public key becomes a one-key `jwks` with its RFC 7638
 * thumbprint as `kid`, as `keyway keys generate` prints it), an uploaded certificate's
 * `certificateFile`, and a key's `privateKeyFile` and `certificateFile` (PEM). Paths are
 * relative to the configuration file. They are read when the file is loaded (by `keyway apply`
 * on the operator's machine, or at start-up), so a document sent to the server never names a
 * path of its own machine.
 */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConfigurationIssue } from './errors.js';

/** Larger than any key, certificate chain or key set an application registers. */
const MAX_KEY_FILE_BYTES = 256 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Replaces the file references of `document` (substituted, not yet shape-checked) with their contents. */
export function readKeyFiles(document: unknown, baseDir: string, issues: ConfigurationIssue[]): unknown {
  if (!isObject(document)) return document;
  list(document.environments).forEach((env, e) => {
    if (!isObject(env)) return;
    list(env.applications).forEach((app, a) => {
      if (!isObject(app)) return;
      inlineJwks(app, baseDir, `/environments/${e}/applications/${a}`, issues);
      list(app.certificates).forEach((cert, c) => {
        if (isObject(cert)) inlineText(cert, 'certificateFile', 'certificate', baseDir, `/environments/${e}/applications/${a}/certificates/${c}`, issues);
      });
    });
    list(env.keys).forEach((key, k) => {
      if (!isObject(key)) return;
      inlineText(key, 'privateKeyFile', 'privateKey', baseDir, `/environments/${e}/keys/${k}`, issues);
      inlineText(key, 'certificateFile', 'certificate', baseDir, `/environments/${e}/keys/${k}`, issues);
    });
  });
  return document;
}

function inlineJwks(app: Json, baseDir: string, pointer: string, issues: ConfigurationIssue[]): void {
  const text = takeFile(app, 'jwksFile', 'jwks', baseDir, pointer, issues);
  if (text === undefined) return;
  const jwks = jwksOf(text);
  if (jwks === undefined) issues.push({ pointer: `${pointer}/jwksFile`, message: 'the file is neither a JWKS (JSON with "keys") nor a PEM public key, private key or certificate.' });
  else app.jwks = jwks;
}

function inlineText(obj: Json, from: string, to: string, baseDir: string, pointer: string, issues: ConfigurationIssue[]): void {
  const text = takeFile(obj, from, to, baseDir, pointer, issues);
  if (text !== undefined) obj[to] = text;
}

/** The file's text, the reference removed; undefined (and an issue) when it cannot be used. */
function takeFile(obj: Json, from: string, to: string, baseDir: string, pointer: string, issues: ConfigurationIssue[]): string | undefined {
  if (!(from in obj)) return undefined;
  const path = obj[from];
  delete obj[from];
  const at = `${pointer}/${from}`;
  if (typeof path !== 'string' || path === '') return void issues.push({ pointer: at, message: 'must be the path of a file, relative to the configuration file.' });
  if (to in obj) return void issues.push({ pointer: at, message: `give ${to} or ${from}, not both.` });
  const full = resolve(baseDir, path);
  try {
    if (statSync(full).size > MAX_KEY_FILE_BYTES) return void issues.push({ pointer: at, message: `${path} is larger than ${MAX_KEY_FILE_BYTES} bytes.` });
    return readFileSync(full, 'utf8');
  } catch (err) {
    return void issues.push({ pointer: at, message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
}

/** The `jwks` string of a key file: a JWKS as written, or the public key of a PEM as one JWK. */
function jwksOf(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      return isObject(parsed) && Array.isArray(parsed.keys) ? trimmed : undefined;
    } catch {
      return undefined;
    }
  }
  let key: KeyObject;
  try {
    key = createPublicKey(trimmed);
  } catch {
    return undefined;
  }
  const jwk = key.export({ format: 'jwk' });
  return JSON.stringify({ keys: [{ ...jwk, kid: thumbprint(jwk), use: 'sig' }] });
}

/** RFC 7638 §3.2: SHA-256 over the required members, in lexicographic order, without whitespace. */
function thumbprint(jwk: JsonWebKey): string {
  const required = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(required)).digest('base64url');
}
