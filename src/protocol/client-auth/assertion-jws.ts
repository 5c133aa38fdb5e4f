/**
 * The outer shape of a client assertion: its type parameter and one compact JWS
 * (RFC 7521 §4.2, RFC 7523 §2.2, RFC 7515 §7.1), decoded without verifying anything.
 */
import { isJsonObject, type JsonObject } from '../../domain/json-object.js';
import { findDuplicateMember } from '../../jose/json-duplicates.js';
import { InvalidClient } from '../errors.js';
import { show } from './assertion-values.js';

export const CLIENT_ASSERTION_TYPE_JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Far above any real assertion (about 1 KiB with an RSA-4096 signature), far below the form limit. */
export const MAX_ASSERTION_LENGTH = 8192;

export interface DecodedAssertion {
  /** The assertion exactly as received, for signature verification. */
  compact: string;
  /** The JOSE header, not yet trusted. */
  header: JsonObject;
  /** The claims, not yet trusted. */
  payload: JsonObject;
  /** The signature's bytes, decoded once here for its verification. */
  signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** RFC 7521 §4.2: `client_assertion_type` names the assertion format, compared exactly. */
export function assertAssertionType(assertionType: string | undefined): void {
  if (assertionType === undefined) {
    throw new InvalidClient('ASSERTION_TYPE_INVALID', 'client_assertion_type is missing (RFC 7521 §4.2)');
  }
  if (assertionType !== CLIENT_ASSERTION_TYPE_JWT_BEARER) {
    throw new InvalidClient('ASSERTION_TYPE_INVALID', `client_assertion_type ${show(assertionType)} is not ${CLIENT_ASSERTION_TYPE_JWT_BEARER}`);
  }
}

/** Splits and decodes one compact JWS; anything else (JWE, JSON serialization, junk) is malformed. */
export function decodeAssertion(raw: string | undefined): DecodedAssertion {
  if (raw === undefined || raw === '') throw malformed('client_assertion is missing');
  if (raw.length > MAX_ASSERTION_LENGTH) {
    throw malformed(`client_assertion is ${raw.length} characters; at most ${MAX_ASSERTION_LENGTH} are accepted`);
  }
  if (raw.trimStart().startsWith('{')) throw malformed('the JWS JSON serialization is not accepted; send one compact JWS (RFC 7523 §2.2)');
  const segments = raw.split('.');
  if (segments.length === 5) throw malformed('a JWE (5 segments) is not accepted; the assertion must be a compact JWS');
  const [header, payload, signature] = segments;
  if (segments.length !== 3 || header === undefined || payload === undefined || signature === undefined) {
    throw malformed(`a compact JWS has 3 dot-separated segments; client_assertion has ${segments.length}`);
  }
  const signatureBytes = decodeSegment(signature, 'signature');
  return {
    compact: raw,
    header: parseJsonObject(decodeSegment(header, 'header'), 'header'),
    payload: parseJsonObject(decodeSegment(payload, 'payload'), 'payload'),
    signature: signatureBytes,
  };
}

/**
 * Strict base64url (RFC 7515 §2): the unpadded alphabet only, and the canonical encoding. Node's
 * decoder skips characters outside the alphabet, but its encoder writes only the alphabet, so a
 * segment that encodes back to itself holds nothing else; the alphabet is tested apart only to
 * say which rule a refused segment broke.
 */
function decodeSegment(segment: string, name: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') === segment) return bytes;
  if (!BASE64URL.test(segment)) throw malformed(`the JWS ${name} is not base64url (RFC 7515 §2)`);
  throw malformed(`the JWS ${name} is not canonical base64url (RFC 7515 §2)`);
}

/**
 * RFC 7515 §4 and RFC 7519 §4 let a parser reject duplicate member names or keep the last one;
 * rejecting means no other parser can read this assertion differently.
 */
function parseJsonObject(bytes: Buffer, name: string): JsonObject {
  let value: unknown;
  let text: string;
  try {
    text = utf8.decode(bytes);
    value = JSON.parse(text);
  } catch {
    throw malformed(`the JWS ${name} is not UTF-8 JSON`);
  }
  if (!isJsonObject(value)) throw malformed(`the JWS ${name} is not a JSON object`);
  const duplicate = findDuplicateMember(text);
  if (duplicate !== undefined) throw malformed(`the JWS ${name} repeats the member ${show(duplicate)}`);
  return value;
}

function malformed(detail: string): InvalidClient {
  return new InvalidClient('ASSERTION_MALFORMED', detail);
}
