/**
 * PEM text (RFC 7468) around DER bytes: base64 in lines of 64 characters between the label's
 * BEGIN and END lines, as OpenSSL, Node's TLS and browsers' certificate import read it.
 */

export function certificatePem(der: ArrayBuffer | Uint8Array): string {
  return pem('CERTIFICATE', der);
}

/** A PKCS #10 certification request (RFC 7468 §7). */
export function certificationRequestPem(der: ArrayBuffer | Uint8Array): string {
  return pem('CERTIFICATE REQUEST', der);
}

/** An unencrypted PKCS #8 private key (RFC 7468 §10). */
export function privateKeyPem(der: ArrayBuffer): string {
  return pem('PRIVATE KEY', der);
}

/** The DER bytes of the first PEM block of `text`. */
export function pemBody(text: string): ArrayBuffer {
  const match = /-----BEGIN [A-Z ]+-----([^-]+)-----END [A-Z ]+-----/.exec(text);
  if (!match) throw new Error('no PEM block');
  const bytes = Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

function pem(label: string, der: ArrayBuffer | Uint8Array): string {
  const bytes = der instanceof Uint8Array ? Buffer.from(der.buffer, der.byteOffset, der.byteLength) : Buffer.from(der);
  const lines = bytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
