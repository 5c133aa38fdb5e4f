/**
 * The attributes of PingOne's one user schema ("User") that Keyway's users have: CORE attributes
 * (present in every environment, never updated or deleted) and STANDARD ones (present in every
 * environment, never deleted), as OpenAPI `EnumSchemaAttributeSchemaType` defines the two kinds.
 * Types are `EnumSchemaAttributeType`'s; COMPLEX attributes list their sub-attributes.
 */

export type AttributeType = 'STRING' | 'JSON' | 'BOOLEAN' | 'COMPLEX';
export type AttributeSchemaType = 'CORE' | 'STANDARD' | 'CUSTOM';

export interface AttributeDefinition {
  name: string;
  displayName: string;
  type: AttributeType;
  schemaType: AttributeSchemaType;
  required: boolean;
  unique: boolean;
  multiValued: boolean;
  subAttributes?: readonly AttributeDefinition[];
}

const attribute = (
  name: string,
  displayName: string,
  schemaType: AttributeSchemaType,
  extra: Partial<Omit<AttributeDefinition, 'name' | 'displayName' | 'schemaType'>> = {},
): AttributeDefinition => ({ name, displayName, type: 'STRING', schemaType, required: false, unique: false, multiValued: false, ...extra });

const NAME_PARTS: readonly AttributeDefinition[] = [
  attribute('given', 'Given Name', 'STANDARD'),
  attribute('middle', 'Middle Name', 'STANDARD'),
  attribute('family', 'Family Name', 'STANDARD'),
  attribute('formatted', 'Formatted', 'STANDARD'),
  attribute('honorificPrefix', 'Honorific Prefix', 'STANDARD'),
  attribute('honorificSuffix', 'Honorific Suffix', 'STANDARD'),
];

/** OpenAPI `User_address`: the components of a postal address. */
const ADDRESS_PARTS: readonly AttributeDefinition[] = [
  attribute('streetAddress', 'Street Address', 'STANDARD'),
  attribute('locality', 'Locality', 'STANDARD'),
  attribute('region', 'Region', 'STANDARD'),
  attribute('postalCode', 'Postal Code', 'STANDARD'),
  attribute('countryCode', 'Country Code', 'STANDARD'),
];

/** OpenAPI `User_photo`: its one member, the image's URL, required within the photo. */
const PHOTO_PARTS: readonly AttributeDefinition[] = [attribute('href', 'Photo URL', 'STANDARD', { required: true })];

/** In PingOne's order: core attributes first, then standard ones, each alphabetical. */
export const USER_ATTRIBUTES: readonly AttributeDefinition[] = [
  attribute('createdAt', 'Created At', 'CORE'),
  attribute('enabled', 'Enabled', 'CORE', { type: 'BOOLEAN' }),
  attribute('environment', 'Environment', 'CORE', { type: 'COMPLEX', required: true }),
  attribute('id', 'ID', 'CORE', { required: true, unique: true }),
  attribute('lifecycle', 'Lifecycle', 'CORE', { type: 'COMPLEX' }),
  attribute('memberOfGroupIDs', 'Member Of Group IDs', 'CORE', { multiValued: true }),
  attribute('memberOfGroupNames', 'Member Of Group Names', 'CORE', { multiValued: true }),
  attribute('population', 'Population', 'CORE', { type: 'COMPLEX', required: true }),
  attribute('updatedAt', 'Updated At', 'CORE'),
  attribute('username', 'Username', 'CORE', { required: true, unique: true }),
  attribute('account', 'Account', 'STANDARD', { type: 'COMPLEX' }),
  attribute('accountId', 'Account ID', 'STANDARD'),
  attribute('address', 'Address', 'STANDARD', { type: 'COMPLEX', subAttributes: ADDRESS_PARTS }),
  attribute('email', 'Email Address', 'STANDARD', { required: true }),
  attribute('externalId', 'External ID', 'STANDARD'),
  attribute('locale', 'Locale', 'STANDARD'),
  attribute('mobilePhone', 'Mobile Phone', 'STANDARD'),
  attribute('name', 'Name', 'STANDARD', { type: 'COMPLEX', subAttributes: NAME_PARTS }),
  attribute('nickname', 'Nickname', 'STANDARD'),
  attribute('photo', 'Photo', 'STANDARD', { type: 'COMPLEX', subAttributes: PHOTO_PARTS }),
  attribute('preferredLanguage', 'Preferred Language', 'STANDARD'),
  attribute('primaryPhone', 'Primary Phone', 'STANDARD'),
  attribute('timezone', 'Time Zone', 'STANDARD'),
  attribute('title', 'Title', 'STANDARD'),
  attribute('type', 'Type', 'STANDARD'),
];
