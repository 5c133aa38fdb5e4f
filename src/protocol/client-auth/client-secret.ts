/**
 * CLIENT_SECRET_BASIC and CLIENT_SECRET_POST (RFC 6749 §2.3.1).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidClient } from '../errors.js';
import type { ClientSecrets } from './ports.js';

export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Decodes `Authorization: Basic ...`. RFC 6749 §2.3.1 requires client id and secret to be
 * form-urlencoded (Appendix B) before base64, so both are decoded after the split.
 */
export function parseBasicAuthorization(header: string): BasicCredentials {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw new InvalidClient('BASIC_MALFORMED', 'malformed Basic authorization header');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new InvalidClient('BASIC_MALFORMED', 'Basic credentials lack a client id or separator');
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw new InvalidClient('BASIC_MALFORMED', 'Basic credentials are not valid form-urlencoded text');
  }
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * Compares a presented secret with the current one and, until it expires, the previous one.
 * Digests are compared so the comparison time does not depend on where the strings differ or
 * on their lengths.
 */
export function secretMatches(presented: string, secrets: ClientSecrets | undefined, now: Date): boolean {
  if (!secrets) return false;
  if (equalSecrets(presented, secrets.current)) return true;
  const previous = secrets.previous;
  return previous !== undefined && previous.expiresAt.getTime() > now.getTime() && equalSecrets(presented, previous.secret);
}

function equalSecrets(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
