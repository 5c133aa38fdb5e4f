/**
 * What the store is made of: every method of the store contract, declared once for both engines
 * in the area modules, and every table that holds an environment's rows. A new area adds its
 * method table and its tables here; a new method goes in its area's table.
 */
import { applicationMethods } from './areas/applications.js';
import { attributeMappingMethods } from './areas/attribute-mappings.js';
import { clientAuthMethods } from './areas/client-auth.js';
import { environmentMethods } from './areas/environments.js';
import { expiryMethods } from './areas/expiry.js';
import { grantMethods } from './areas/grants.js';
import { groupMethods } from './areas/groups.js';
import { keyRotationPolicyMethods } from './areas/key-rotation-policies.js';
import { passwordPolicyMethods } from './areas/password-policies.js';
import { populationMethods } from './areas/populations.js';
import { resourceMethods } from './areas/resources.js';
import { schemaAttributeMethods } from './areas/schema-attributes.js';
import { roleAssignmentMethods } from './areas/role-assignments.js';
import { signInMethods } from './areas/sign-in.js';
import { signingKeyMethods } from './areas/signing-keys.js';
import { userMethods } from './areas/users.js';

export const STORE_METHODS = {
  ...environmentMethods,
  ...signingKeyMethods,
  ...keyRotationPolicyMethods,
  ...populationMethods,
  ...passwordPolicyMethods,
  ...schemaAttributeMethods,
  ...userMethods,
  ...groupMethods,
  ...applicationMethods,
  ...attributeMappingMethods,
  ...resourceMethods,
  ...grantMethods,
  ...roleAssignmentMethods,
  ...clientAuthMethods,
  ...signInMethods,
  ...expiryMethods,
};

/**
 * Every table holding rows of an environment besides `environments` itself, children before
 * parents so that deleting in this order satisfies the foreign keys (deleteEnvironment).
 */
export const ENVIRONMENT_CHILD_TABLES = [
  'client_auth_events',
  'client_certificates',
  'role_assignments',
  'application_attributes',
  'grants',
  'resource_attributes',
  'scopes',
  'application_secrets',
  'applications',
  'resources',
  'user_unique_values',
  'user_attribute_values',
  'user_groups',
  'group_nestings',
  'groups',
  'users',
  'populations',
  'password_policies',
  'schema_attributes',
  'signing_keys',
  'key_rotation_policies',
  'assertion_jtis',
  'revoked_tokens',
  'flows',
  'sessions',
  'authorization_codes',
  'refresh_tokens',
  'par_requests',
  'grant_access_tokens',
] as const;

/** Tables scoped by environment: the environment column is `id` in `environments`, `environment_id` elsewhere. */
export type ScopedTable = 'environments' | (typeof ENVIRONMENT_CHILD_TABLES)[number];
