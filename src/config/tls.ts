/**
 * KEYWAY_TLS, KEYWAY_TLS_CERT and KEYWAY_TLS_KEY: whether Keyway serves HTTPS, and with what.
 * The PEM files are read and checked here, once, at start (docs/architecture.md, rule 4): a
 * missing, unreadable or mismatched file stops the process with a message naming the variable,
 * instead of failing at the first TLS handshake.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** PEM files given by the operator: the certificate (chain) and its private key. */
export interface TlsFiles {
  mode: 'files';
  certFile: string;
  keyFile: string;
  /** The certificate file's text (leaf first, then any intermediates). */
  cert: string;
  key: string;
}

/** A local certificate authority and server certificate kept in the data directory (src/cli/tls/). */
export interface TlsSelfSigned {
  mode: 'self-signed';
}

export type TlsSetting = TlsFiles | TlsSelfSigned;

/** Thrown with a message naming the variable; config.ts turns it into its ConfigError. */
export class TlsConfigError extends Error {}

/** The TLS setting, or undefined for plain HTTP (none of the three variables set). */
export function parseTls(env: NodeJS.ProcessEnv): TlsSetting | undefined {
  const mode = env.KEYWAY_TLS?.trim() || undefined;
  const certFile = env.KEYWAY_TLS_CERT?.trim() || undefined;
  const keyFile = env.KEYWAY_TLS_KEY?.trim() || undefined;
  if (mode !== undefined && mode !== 'self-signed') {
    throw new TlsConfigError(`KEYWAY_TLS must be "self-signed" (or unset, with KEYWAY_TLS_CERT and KEYWAY_TLS_KEY for your own files), got "${mode}"`);
  }
  if (mode === 'self-signed') {
    if (certFile !== undefined || keyFile !== undefined) {
      throw new TlsConfigError('KEYWAY_TLS=self-signed makes its own certificate: unset KEYWAY_TLS_CERT and KEYWAY_TLS_KEY, or unset KEYWAY_TLS to use them');
    }
    return { mode: 'self-signed' };
  }
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined) throw new TlsConfigError('KEYWAY_TLS_KEY is set without KEYWAY_TLS_CERT: HTTPS needs both PEM files');
  if (keyFile === undefined) throw new TlsConfigError('KEYWAY_TLS_CERT is set without KEYWAY_TLS_KEY: HTTPS needs both PEM files');
  return readTlsFiles(certFile, keyFile);
}

function readTlsFiles(certFile: string, keyFile: string): TlsFiles {
  const cert = readPem('KEYWAY_TLS_CERT', certFile);
  const key = readPem('KEYWAY_TLS_KEY', keyFile);
  const leaf = parseCertificate(certFile, cert);
  const privateKey = parsePrivateKey(keyFile, key);
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new TlsConfigError(`KEYWAY_TLS_KEY (${keyFile}) is not the private key of the certificate in KEYWAY_TLS_CERT (${certFile})`);
  }
  return { mode: 'files', certFile, keyFile, cert, key };
}

function readPem(variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new TlsConfigError(`${variable}: cannot read ${file} (${reason})`);
  }
}

/** The first certificate of the file: the server's own, which the key must match (RFC 8446 §4.4.2, leaf first). */
function parseCertificate(file: string, pem: string): X509Certificate {
  const first = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(pem)?.[0];
  try {
    if (first === undefined) throw new Error('no PEM certificate');
    return new X509Certificate(first);
  } catch {
    throw new TlsConfigError(`KEYWAY_TLS_CERT: ${file} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`);
  }
}

function parsePrivateKey(file: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new TlsConfigError(`KEYWAY_TLS_KEY: ${file} holds no unencrypted PEM private key`);
  }
}
