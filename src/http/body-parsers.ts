/**
 * Content-type parsers. JSON bodies (including PingOne's vendor `+json` media types) become
 * objects; malformed JSON, or bytes that are not UTF-8, is a 400 INVALID_REQUEST. Form bodies are
 * kept as ordered pairs so the OAuth layer can reject repeated parameters (RFC 6749 §3.1); the
 * management API takes none (415, as PingOne answers a media type it does not take).
 */
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../domain/pingone-error.js';
import { InvalidRequest } from '../protocol/errors.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import { isManagementPath } from './paths.js';
import { discardUnreadBodies } from './unread-body.js';

export type FormPairs = Array<[string, string]>;

const FORM = 'application/x-www-form-urlencoded';
/** The management paths that take a multipart upload. */
const MULTIPART_PATHS = /^\/v1\/environments\/[^/]+\/keys(?:\/[^/]+\/csr)?\/?$/;

/**
 * RFC 8259 §8.1: JSON exchanged between systems is UTF-8. A lenient decoder would store U+FFFD in
 * place of every invalid byte, so decoding is fatal. The BOM is kept, and JSON.parse refuses it as
 * it always did.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type Done = (err: Error | null, body?: unknown) => void;

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  discardUnreadBodies(app);
  const json = (_req: unknown, body: Buffer, done: Done): void => {
    const text = decodeUtf8(body);
    if (text === undefined) return done(new InvalidRequestError('The request body is not valid UTF-8.'), undefined);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new InvalidRequestError('The request body is not valid JSON.'), undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, json);
  app.addContentTypeParser(/^application\/vnd\.pingidentity\.[a-z.]+\+json$/, { parseAs: 'buffer' }, json);
  // PingOne's "Send Recovery Code" names its media type without `+json`; read like the others so
  // that it reaches its route (which answers 501: Keyway sends no e-mail).
  app.addContentTypeParser('application/vnd.pingidentity.password.sendRecoveryCode', { parseAs: 'buffer' }, json);
  // PEM certificate uploads (`POST .../applications/{appId}/keys`, `PUT …/keys/{keyId}/csr`).
  // PEM text only; `application/pkix-cert` (DER) is not accepted.
  const pem = (_req: unknown, body: Buffer, done: Done): void => {
    const text = decodeUtf8(body);
    if (text === undefined) return done(new InvalidRequestError('The request body is not valid UTF-8.'), undefined);
    done(null, text);
  };
  app.addContentTypeParser('application/x-pem-file', { parseAs: 'buffer' }, pem);
  // PKCS #12 uploads (`POST /v1/environments/{envId}/keys`, PingOne's `PKIKeyFileUpload`) and CA
  // answers to a key's CSR (`PUT`/`POST …/keys/{keyId}/csr`, `PKICAResponseFileUpload`).
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req: FastifyRequest, body: Buffer, done: Done) => {
    if (!MULTIPART_PATHS.test(req.url.split('?')[0] ?? '')) return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(req.headers['content-type'] ?? ''), undefined);
    const boundary = boundaryOf(req.headers['content-type'] ?? '');
    const form = boundary === undefined ? undefined : parseMultipart(body, boundary);
    if (!form) return done(new InvalidRequestError('The request body is not valid multipart/form-data.'), undefined);
    done(null, form);
  });
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (req: FastifyRequest, body, done) => {
    // Fastify's own error for a media type without a parser, so the management API's one wording applies.
    if (isManagementPath(req.url)) return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(FORM), undefined);
    try {
      done(null, parseForm(body.toString()));
    } catch {
      done(new InvalidRequest('the request body is not valid form-urlencoded text'), undefined);
    }
  });
}

function decodeUtf8(body: Buffer): string | undefined {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

/**
 * application/x-www-form-urlencoded per the WHATWG URL standard ("application/x-www-form-urlencoded
 * parsing"), keeping order and repeats. Read by hand because it runs on every token request: each
 * name and value is sliced once and decoded only when it holds `+` or `%`.
 */
export function parseForm(text: string): FormPairs {
  // URLSearchParams replaces invalid percent-escapes silently; reject them instead.
  if (hasInvalidPercentEscape(text)) throw new Error('invalid percent-encoding');
  const pairs: FormPairs = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const nameEnd = eq >= 0 && eq < end ? eq : end;
      pairs.push([formDecode(text.slice(start, nameEnd)), nameEnd < end ? formDecode(text.slice(nameEnd + 1, end)) : '']);
    }
    start = end + 1;
  }
  return pairs;
}

/**
 * A `%` not followed by two hexadecimal digits. Found with indexOf, which skips to each `%`: a
 * regular expression here tested every character of every token request's body.
 */
function hasInvalidPercentEscape(text: string): boolean {
  for (let at = text.indexOf('%'); at >= 0; at = text.indexOf('%', at + 1)) {
    if (!isHexDigit(text.charCodeAt(at + 1)) || !isHexDigit(text.charCodeAt(at + 2))) return true;
  }
  return false;
}

/** 0-9, A-F, a-f; false for NaN (past the end of the text). */
function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/**
 * `+` is a space, then percent-decoding and UTF-8 decoding. decodeURIComponent gives the same
 * text for well-formed UTF-8 and throws on anything else, where the standard puts U+FFFD: that
 * rare case is left to URLSearchParams, so the result is the standard's in every case.
 */
function formDecode(raw: string): string {
  const spaced = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // `raw` holds no `&`, and a second `=` belongs to the value.
    return new URLSearchParams(`v=${raw}`).get('v') ?? '';
  }
}
