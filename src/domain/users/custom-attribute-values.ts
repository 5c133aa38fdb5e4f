/**
 * The values a user holds for the custom attributes of its environment's user schema, by
 * attribute name, as PingOne puts them at the top level of the user (developer.pingidentity.com,
 * "Schemas", Custom attributes): a STRING attribute's value is a string, a JSON attribute's an
 * object, and a multi-valued attribute's an array of those.
 */
import type { JsonObject } from '../json-object.js';

export type CustomAttributeItem = string | JsonObject;
export type CustomAttributeValue = CustomAttributeItem | CustomAttributeItem[];

/** Attribute name → value; only attributes that exist and are enabled appear. */
export type CustomAttributeValues = Record<string, CustomAttributeValue>;
