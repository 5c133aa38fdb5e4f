/**
 * Content-type parsers. JSON bodies (including PingOne's vendor `+json` media types) become
 * objects; malformed JSON is a 400 INVALID_REQUEST. Form bodies are kept as ordered pairs so the
 * OAuth layer can reject repeated parameters (RFC 6749 §3.1).
 */
import type { FastifyInstance } from 'fastify';
import { InvalidRequestError } from '../domain/pingone-error.js';
import { InvalidRequest } from '../protocol/errors.js';

export type FormPairs = Array<[string, string]>;

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const json = (_req: unknown, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new InvalidRequestError('The request body is not valid JSON.'), undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, json);
  app.addContentTypeParser(/^application\/vnd\.pingidentity\.[a-z.]+\+json$/, { parseAs: 'string' }, json);
  // PEM certificate uploads (`POST .../applications/{appId}/keys`).
  // PEM text only; `application/pkix-cert` (DER) is not accepted.
  app.addContentTypeParser('application/x-pem-file', { parseAs: 'string' }, (_req, body, done) => {
    done(null, body.toString());
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseForm(body.toString()));
    } catch {
      done(new InvalidRequest('the request body is not valid form-urlencoded text'), undefined);
    }
  });
}

/** application/x-www-form-urlencoded per the WHATWG URL standard, keeping order and repeats. */
export function parseForm(text: string): FormPairs {
  // URLSearchParams replaces invalid percent-escapes silently; reject them instead.
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) throw new Error('invalid percent-encoding');
  return [...new URLSearchParams(text)];
}
