/**
 * Bodies of the keys API (developer.pingidentity.com, "Certificate Management"; OpenAPI
 * `Certificate` for POST, `CertificateKeyUpdate` for PUT). Keyway makes self-signed key pairs
 * for SIGNING and ENCRYPTION; `issuerDN` and `customCRL` are read-only here (the issuer of a
 * self-signed certificate is its subject) and ignored.
 */
import { KEY_USAGE_TYPES, SIGNATURE_ALGORITHMS, type KeyAlgorithm, type KeyUsageType } from '../../domain/signing-key.js';
import { parseDn } from '../../keys/distinguished-name.js';
import { KEY_LENGTHS, type NewKeyRequest } from '../../keys/signing-keys.js';
import type { SigningKeyChange } from '../../store/types.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';

const MAX_NAME_LENGTH = 256;
const MAX_DN_LENGTH = 1024;
/** A hundred years: beyond any use, below what X.509 times hold. */
const MAX_VALIDITY_DAYS = 36_500;
const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['RSA', 'EC'];

/** `usageType`: PingOne's other usages (SSL/TLS, ISSUANCE, OUTBOUND_MTLS) name features Keyway does not have. */
function usageType(fields: FieldReader): KeyUsageType | undefined {
  return fields.enumValue('usageType', KEY_USAGE_TYPES, { required: true });
}

export function parseCreateKeyBody(body: unknown): NewKeyRequest {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  const keyAlgorithm = fields.enumValue('algorithm', KEY_ALGORITHMS, { required: true });
  const keyLength = fields.integer('keyLength', 1, 16_384);
  if (!fields.has('keyLength')) fields.report(detail.required('keyLength'));
  const signatureAlgorithm = fields.enumValue('signatureAlgorithm', SIGNATURE_ALGORITHMS, { required: true });
  const subjectText = fields.string('subjectDN', MAX_DN_LENGTH, { required: true, nonBlank: true });
  const validityDays = fields.integer('validityPeriod', 1, MAX_VALIDITY_DAYS);
  if (!fields.has('validityPeriod')) fields.report(detail.required('validityPeriod'));
  const usage = usageType(fields);
  const isDefault = fields.boolean('default');
  if (keyAlgorithm && keyLength !== undefined && !KEY_LENGTHS[keyAlgorithm].includes(keyLength)) {
    fields.report(detail.invalid('keyLength', `keyLength of an ${keyAlgorithm} key must be one of ${KEY_LENGTHS[keyAlgorithm].join(', ')}.`));
  }
  if (keyAlgorithm && signatureAlgorithm && !signatureAlgorithm.endsWith(keyAlgorithm === 'RSA' ? 'withRSA' : 'withECDSA')) {
    fields.report(detail.invalid('signatureAlgorithm', `signatureAlgorithm must be one of the ${keyAlgorithm} algorithms.`));
  }
  const subject = subjectText === undefined ? undefined : parseDn(subjectText);
  if (subjectText !== undefined && !subject) {
    fields.report(detail.invalid('subjectDN', 'subjectDN must be a distinguished name such as "CN=Example, O=Example Corp, C=US" (CN, O, OU, L, ST, C, E, DC, STREET, SERIALNUMBER).'));
  }
  throwIfInvalid(fields.issues);
  return {
    name: name as string,
    keyAlgorithm: keyAlgorithm as KeyAlgorithm,
    keyLength: keyLength as number,
    signatureAlgorithm: signatureAlgorithm as NewKeyRequest['signatureAlgorithm'],
    subject: subject as Array<[string, string]>,
    validityDays: validityDays as number,
    usageType: usage as KeyUsageType,
    default: isDefault ?? false,
  };
}

export function parseUpdateKeyBody(body: unknown): SigningKeyChange {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const isDefault = fields.boolean('default', { required: true });
  const usage = usageType(fields);
  throwIfInvalid(fields.issues);
  return { default: isDefault as boolean, usageType: usage as KeyUsageType };
}
