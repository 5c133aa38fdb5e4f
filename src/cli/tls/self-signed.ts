/**
 * KEYWAY_TLS=self-signed: a local certificate authority and a server certificate it issued,
 * kept in the data directory and reused on later starts, so that a CA trusted once stays
 * trusted. Each start reads the files and renews what can no longer serve:
 *
 * - the authority when its files are missing, do not parse or do not match, or it expires
 *   within RENEW_BEFORE_DAYS (then everything it issued is replaced too);
 * - the server certificate when it was not issued by the current authority, does not name
 *   exactly the hosts wanted (`localhost`, `127.0.0.1` and the public URL's host), or expires
 *   within RENEW_BEFORE_DAYS.
 *
 * Private keys are written with mode 0600, certificates 0644, each through a temporary file and
 * a rename, so a crash never leaves half a file.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificateAuthority, issueServerCertificate, type IssuedPair } from './certificates.js';

export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca-key.pem';
export const SERVER_CERT_FILE = 'server.pem';
export const SERVER_KEY_FILE = 'server-key.pem';
/** Renew a certificate this long before it expires, so a long-running instance never serves an expired one. */
export const RENEW_BEFORE_DAYS = 30;
const CA_COMMON_NAME = 'Keyway local development CA';

export interface SelfSignedTls {
  /** The server certificate and its key, PEM, for the TLS server. */
  cert: string;
  key: string;
  /** Absolute path of the authority's certificate, to trust. */
  caFile: string;
  /** SHA-256 fingerprint of the authority's certificate, `AB:CD:…`. */
  caFingerprint: string;
  /** Whether this start created the authority (clients must trust the new one). */
  caCreated: boolean;
  serverCreated: boolean;
}

/** Reads, renews or creates the authority and the server certificate for `publicHost`. */
export async function selfSignedTls(dataDir: string, publicHost: string, now: Date = new Date()): Promise<SelfSignedTls> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const names = serverNames(publicHost);
  let ca = usableAuthority(readPair(dataDir, CA_CERT_FILE, CA_KEY_FILE), now);
  const caCreated = ca === undefined;
  if (ca === undefined) {
    ca = await issueCertificateAuthority(CA_COMMON_NAME, now);
    writePair(dataDir, CA_CERT_FILE, CA_KEY_FILE, ca);
  }
  let server = caCreated ? undefined : usableServer(readPair(dataDir, SERVER_CERT_FILE, SERVER_KEY_FILE), ca, names, now);
  const serverCreated = server === undefined;
  if (server === undefined) {
    server = await issueServerCertificate(ca, names, now);
    writePair(dataDir, SERVER_CERT_FILE, SERVER_KEY_FILE, server);
  }
  return {
    cert: server.cert,
    key: server.key,
    caFile: join(dataDir, CA_CERT_FILE),
    caFingerprint: new X509Certificate(ca.cert).fingerprint256,
    caCreated,
    serverCreated,
  };
}

/** `localhost`, `127.0.0.1` and the public URL's host (an IPv6 literal without its brackets), once each. */
export function serverNames(publicHost: string): string[] {
  const host = publicHost.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return [...new Set(['localhost', '127.0.0.1', host])];
}

function readPair(dataDir: string, certFile: string, keyFile: string): IssuedPair | undefined {
  const certPath = join(dataDir, certFile);
  const keyPath = join(dataDir, keyFile);
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

function usableAuthority(pair: IssuedPair | undefined, now: Date): IssuedPair | undefined {
  const cert = parsed(pair);
  if (!pair || !cert || !cert.ca || !lastsBeyondRenewal(cert, now)) return undefined;
  return pair;
}

function usableServer(pair: IssuedPair | undefined, ca: IssuedPair, names: readonly string[], now: Date): IssuedPair | undefined {
  const cert = parsed(pair);
  if (!pair || !cert || !lastsBeyondRenewal(cert, now)) return undefined;
  const authority = new X509Certificate(ca.cert);
  if (!cert.checkIssued(authority) || !cert.verify(authority.publicKey)) return undefined;
  return sameNames(subjectAltNames(cert), names) ? pair : undefined;
}

/** The certificate, when it parses and its key file holds its private key. */
function parsed(pair: IssuedPair | undefined): X509Certificate | undefined {
  if (!pair) return undefined;
  try {
    const cert = new X509Certificate(pair.cert);
    return cert.checkPrivateKey(createPrivateKey(pair.key)) ? cert : undefined;
  } catch {
    return undefined;
  }
}

function lastsBeyondRenewal(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_DAYS * 86_400_000;
}

/**
 * The DNS names and IP addresses of the certificate, as Node writes them
 * (`DNS:localhost, IP Address:127.0.0.1`; IPv6 addresses in full, lower case).
 */
export function subjectAltNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .map((entry) => /^(?:DNS|IP Address):(.*)$/.exec(entry)?.[1]?.toLowerCase())
    .filter((name): name is string => name !== undefined);
}

/** Same names, whatever the order; IPv6 literals compared in their full form. */
function sameNames(found: readonly string[], wanted: readonly string[]): boolean {
  const norm = (names: readonly string[]): string => [...new Set(names.map(fullIpv6))].sort().join(',');
  return norm(found) === norm(wanted);
}

/** `::1` as `0:0:0:0:0:0:0:1`, the form Node prints for an iPAddress name. */
function fullIpv6(name: string): string {
  if (!name.includes(':')) return name;
  const [head = '', tail = ''] = name.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = name.includes('::') && tail !== '' ? tail.split(':') : [];
  const words = [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return words.map((w) => parseInt(w, 16).toString(16)).join(':');
}

function writePair(dataDir: string, certFile: string, keyFile: string, pair: IssuedPair): void {
  writeAtomically(join(dataDir, keyFile), pair.key, 0o600);
  writeAtomically(join(dataDir, certFile), pair.cert, 0o644);
}

function writeAtomically(path: string, text: string, mode: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode });
  // The mode given to writeFileSync passes through the umask; the key's must be exactly 0600.
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}
