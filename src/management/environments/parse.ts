/**
 * Request bodies of POST/PUT /v1/environments (reference/pingone-api.md §5.3).
 */
import { FieldReader, asObject } from '../common.js';
import { detail, throwIfInvalid } from '../errors.js';

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

export function parseEnvironmentBody(body: unknown, licenseId: string): EnvironmentInput {
  const fields = new FieldReader(asObject(body));
  const name = fields.string('name', { required: true, max: 256 });
  const description = fields.string('description', { max: 1024 });
  const region = fields.enumValue('region', REGIONS, { required: true });
  const type = fields.enumValue('type', ENVIRONMENT_TYPES, { required: true });
  const license = fields.reference('license');
  if (license !== undefined && license !== licenseId) {
    fields.details.push(detail.invalid('license.id', 'license.id does not name a license of this organization.'));
  }
  const icon = fields.string('icon', { max: 2048 });
  const extras = readExtras(fields, icon);
  throwIfInvalid(fields.details);
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
  const bom = fields.body.billOfMaterials;
  if (bom !== undefined && bom !== null) {
    if (typeof bom !== 'object' || Array.isArray(bom) || JSON.stringify(bom).length > 16_384) {
      fields.details.push(detail.invalid('billOfMaterials', 'billOfMaterials must be an object of at most 16 KiB.'));
    } else if (JSON.stringify(bom).includes('\\u0000')) {
      fields.details.push(detail.invalid('billOfMaterials', 'billOfMaterials must not contain U+0000.'));
    } else {
      extras.billOfMaterials = bom;
    }
  }
  return extras;
}
