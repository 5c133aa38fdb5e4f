/**
 * Request bodies of POST/PUT /v1/environments (docs/pingone-reference.md §5.3).
 */
import { isJsonObject } from '../../domain/json-object.js';
import { detail, throwIfInvalid } from '../errors.js';
import { GENERAL_RULES } from '../field-rules.js';
import { FieldReader, asObject } from '../fields.js';

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

/**
 * `licenseRequired`: PingOne's Environment schema lists `license` among the required properties
 * of a create (test/fixtures/pingone, `Environment.required`); a replace may leave it out and
 * keeps the environment's license.
 */
export function parseEnvironmentBody(body: unknown, licenseId: string, licenseRequired = false): EnvironmentInput {
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
  const extras = readExtras(fields, icon);
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

/** Fields Keyway does not interpret but returns as given (`icon`, `billOfMaterials`). */
function readExtras(fields: FieldReader, icon: string | undefined): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  if (icon !== undefined) extras.icon = icon;
  const bom = fields.raw('billOfMaterials');
  if (bom !== undefined) {
    if (!isJsonObject(bom) || JSON.stringify(bom).length > 16_384) {
      fields.report(detail.invalid('billOfMaterials', 'billOfMaterials must be an object of at most 16 KiB.'));
    } else if (JSON.stringify(bom).includes('\\u0000')) {
      fields.report(detail.invalid('billOfMaterials', 'billOfMaterials must not contain U+0000.'));
    } else {
      extras.billOfMaterials = bom;
    }
  }
  return extras;
}
