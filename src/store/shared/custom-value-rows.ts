/**
 * Rows ↔ values for users' custom attributes (migration 0010): one row per item, the item as
 * JSON text, and the hash that makes an item unique in the environment when its attribute is.
 */
import { createHash } from 'node:crypto';
import type { CustomAttributeItem, CustomAttributeValues } from '../../domain/users/custom-attribute-values.js';
import type { CustomAttributeSettings } from '../../domain/users/custom-attribute.js';
import { json, parseJson } from './rows.js';

/** A stored item joined with its attribute's name and definition. */
export interface JoinedValueRow {
  user_id: string;
  attribute_id: string;
  position: number;
  value: string;
  name: string;
  definition: string;
}

/** An attribute's definition as a user write needs it. */
export interface AttributeDefinitionRow {
  id: string;
  name: string;
  definition: string;
}

export function settingsOf(row: Pick<AttributeDefinitionRow, 'definition'>): CustomAttributeSettings {
  return parseJson<CustomAttributeSettings>(row.definition);
}

/** JSON text with object keys sorted at every level, so equal objects give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The key an item is unique by: SHA-256 (hex) of its canonical text. A hash rather than the text
 * keeps the key short whatever the item's size (PostgreSQL's B-tree entries are bounded).
 */
export function valueHash(item: CustomAttributeItem): string {
  return createHash('sha256').update(canonical(item)).digest('hex');
}

export function itemsOf(value: CustomAttributeValues[string]): CustomAttributeItem[] {
  return Array.isArray(value) ? value : [value];
}

export function itemColumns(item: CustomAttributeItem): { value: string; value_hash: string } {
  return { value: json(item), value_hash: valueHash(item) };
}

/**
 * Each user's values from rows ordered by user, attribute and position: disabled attributes are
 * left out (PingOne: "Disabled attributes are … not returned on read"), a multi-valued attribute
 * becomes an array, a single-valued one its item.
 */
export function valuesByUser(rows: readonly JoinedValueRow[]): Map<string, CustomAttributeValues> {
  const byUser = new Map<string, CustomAttributeValues>();
  const settings = new Map<string, CustomAttributeSettings>();
  for (const row of rows) {
    const s = settings.get(row.attribute_id) ?? settingsOf(row);
    settings.set(row.attribute_id, s);
    if (!s.enabled) continue;
    const values = byUser.get(row.user_id) ?? {};
    byUser.set(row.user_id, values);
    const item = parseJson<CustomAttributeItem>(row.value);
    if (!s.multiValued) values[row.name] = item;
    else ((values[row.name] ??= []) as CustomAttributeItem[]).push(item);
  }
  return byUser;
}
