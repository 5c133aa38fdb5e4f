/**
 * Bodies of key rotation policies (OpenAPI `KeyRotationPolicy`; developer.pingidentity.com, "Key
 * Rotation Policies"): `name`, `algorithm` (RSA), `keyLength`, `signatureAlgorithm`
 * (SHA256withRSA), `dn`, `usageType` (SIGNING) as PingOne takes them; `validityPeriod` defaults to
 * 365 days, `rotationPeriod` to 90, at least 30 and at most one day less than the validity.
 * The read-only fields (`currentKeyId`, `nextKeyId`, `rotatedAt`) are ignored.
 */
import { parseDn } from '../../keys/distinguished-name.js';
import { KEY_LENGTHS } from '../../keys/signing-keys.js';
import type { KeyRotationPolicySettings } from '../../store/types.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { asObject, FieldReader } from '../fields.js';

const MAX_NAME_LENGTH = 256;
const MAX_DN_LENGTH = 1024;
export const DEFAULT_VALIDITY_DAYS = 365;
export const DEFAULT_ROTATION_DAYS = 90;
const MIN_ROTATION_DAYS = 30;
const MAX_VALIDITY_DAYS = 36_500;

export interface KeyRotationPolicyInput {
  name: string;
  settings: KeyRotationPolicySettings;
}

export function parseKeyRotationPolicyBody(body: unknown): KeyRotationPolicyInput {
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', MAX_NAME_LENGTH, { required: true, nonBlank: true });
  const algorithm = fields.enumValue('algorithm', ['RSA'] as const, { required: true });
  const keyLength = fields.integer('keyLength', 1, 16_384);
  if (!fields.has('keyLength')) fields.report(detail.required('keyLength'));
  else if (keyLength !== undefined && !KEY_LENGTHS.RSA.includes(keyLength)) {
    fields.report(detail.invalid('keyLength', `keyLength must be one of ${KEY_LENGTHS.RSA.join(', ')}.`));
  }
  const signatureAlgorithm = fields.enumValue('signatureAlgorithm', ['SHA256withRSA'] as const, { required: true });
  const dn = fields.string('dn', MAX_DN_LENGTH, { required: true, nonBlank: true });
  if (dn !== undefined && !parseDn(dn)) fields.report(detail.invalid('dn', 'dn must be a distinguished name such as "CN=Example, O=Example Corp".'));
  const usageType = fields.enumValue('usageType', ['SIGNING'] as const, { required: true });
  const validityPeriod = fields.integer('validityPeriod', MIN_ROTATION_DAYS + 1, MAX_VALIDITY_DAYS) ?? DEFAULT_VALIDITY_DAYS;
  const rotationPeriod = fields.integer('rotationPeriod', MIN_ROTATION_DAYS, MAX_VALIDITY_DAYS) ?? DEFAULT_ROTATION_DAYS;
  if (rotationPeriod >= validityPeriod) fields.report(detail.range('rotationPeriod', MIN_ROTATION_DAYS, validityPeriod - 1));
  throwIfInvalid(fields.issues);
  return {
    name: name as string,
    settings: {
      algorithm: algorithm as 'RSA',
      keyLength: keyLength as number,
      signatureAlgorithm: signatureAlgorithm as 'SHA256withRSA',
      dn: dn as string,
      usageType: usageType as 'SIGNING',
      validityPeriod,
      rotationPeriod,
    },
  };
}
