/**
 * Distinguished names as text (RFC 4514): `CN=Keyway, O=Example, C=US`, read into pkijs
 * attribute values and written back. The text lists the most specific RDN first, the
 * certificate's RDNSequence the least specific first (RFC 4514 §2.1), so one is the other
 * reversed. Multi-valued RDNs (`+`) are not accepted; `\,` and the other RFC 4514 §2.4 escapes are.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** RFC 4519 short names, and the two X.520 / PKCS #9 names certificates commonly carry. */
const OIDS: Readonly<Record<string, string>> = {
  CN: '2.5.4.3',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  DC: '0.9.2342.19200300.100.1.25',
  E: '1.2.840.113549.1.9.1',
};
const NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(OIDS).map(([name, oid]) => [oid, name]));

/** Splits on unescaped commas; undefined when the text is not a DN this module reads. */
export function parseDn(text: string): Array<[type: string, value: string]> | undefined {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      current += c + (text[i + 1] as string);
      i++;
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  const pairs: Array<[string, string]> = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 1) return undefined;
    const type = part.slice(0, eq).trim().toUpperCase();
    const raw = part.slice(eq + 1).trim();
    if (!Object.hasOwn(OIDS, type) || raw === '' || /(^|[^\\])\+/.test(raw)) return undefined;
    const value = raw.replace(/\\(.)/g, '$1');
    if (type === 'C' && !/^[A-Za-z]{2}$/.test(value)) return undefined;
    pairs.push([type, value]);
  }
  return pairs;
}

/**
 * The pkijs name for a DN `parseDn` accepted: one RDN (a SET) per attribute (RFC 5280 §4.1.2.4).
 * pkijs itself would write every attribute into a single multi-valued RDN, so the sequence of
 * sets is given to it as a decoded schema.
 */
export function toRelativeDistinguishedNames(pairs: ReadonlyArray<[string, string]>): pkijs.RelativeDistinguishedNames {
  const rdns = [...pairs].reverse().map(([type, value]) => {
    const encoded =
      type === 'C' ? new asn1js.PrintableString({ value }) : type === 'E' || type === 'DC' ? new asn1js.IA5String({ value }) : new asn1js.Utf8String({ value });
    return new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type: OIDS[type] as string, value: encoded }).toSchema()] });
  });
  const der = new asn1js.Sequence({ value: rdns }).toBER(false);
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(der).result });
}

/** RFC 4514 text of a certificate's name, unknown attribute types as their OID. */
export function formatDn(name: pkijs.RelativeDistinguishedNames): string {
  return [...name.typesAndValues]
    .reverse()
    .map((tv) => `${NAMES[tv.type] ?? tv.type}=${escape(String((tv.value as { valueBlock: { value: unknown } }).valueBlock.value))}`)
    .join(', ');
}

function escape(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}
