/**
 * Request bodies of POST/PUT /v1/environments (docs/pingone-reference.md §5.3).
 */
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject } from '../fields.js';
import { readBillOfMaterials } from './bill-of-materials.js';

export const REGIONS = ['NA', 'CA', 'EU', 'AU', 'SG', 'AP'] as const;
export const ENVIRONMENT_TYPES = ['PRODUCTION', 'SANDBOX'] as const;

export interface EnvironmentInput {
  name: string;
  description?: string;
  region: string;
  type: 'PRODUCTION' | 'SANDBOX';
  licenseId: string;
  extras: Record<string, unknown>;
}

export interface EnvironmentBodyOptions {
  /** The organization's license, the one `license.id` may name. */
  licenseId: string;
  /**
   * PingOne's Environment schema lists `license` among the required properties of a create
   * (test/fixtures/pingone, `Environment.required`); a replace may leave it out and keeps the
   * environment's license.
   */
  licenseRequired: boolean;
  /** When the request is made (the bill of materials' timestamps). */
  at: string;
}

export function parseEnvironmentBody(body: unknown, opts: EnvironmentBodyOptions): EnvironmentInput {
  const { licenseId, licenseRequired } = opts;
  const fields = new FieldReader(asObject(body), GENERAL_RULES);
  const name = fields.string('name', 256, { required: true, nonBlank: true });
  const description = fields.string('description', 1024);
  const region = fields.enumValue('region', REGIONS, { required: true });
  const type = fields.enumValue('type', ENVIRONMENT_TYPES, { required: true });
  const license = fields.reference('license', { required: licenseRequired });
  if (license !== undefined && license !== licenseId) {
    fields.report(detail.invalid('license.id', 'license.id does not name a license of this organization.'));
  }
  const icon = fields.string('icon', 2048);
  const extras = readExtras(fields, icon, opts.at);
  throwIfInvalid(fields.issues);
  const input: EnvironmentInput = {
    name: name as string,
    region: region as string,
    type: type as EnvironmentInput['type'],
    licenseId,
    extras,
  };
  if (description !== undefined) input.description = description;
  return input;
}

/** `icon`, returned as given, and `billOfMaterials`, validated as its own resource is (./bill-of-materials.ts). */
function readExtras(fields: FieldReader, icon: string | undefined, at: string): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  if (icon !== undefined) extras.icon = icon;
  const bom = fields.object('billOfMaterials');
  const stored = bom && readBillOfMaterials(bom, at);
  if (stored !== undefined) extras.billOfMaterials = stored;
  return extras;
}
