/**
 * A data test for every migration, on each engine, in the manner of ory/hydra's migratest.
 *
 * Each version owns fixture rows: plain SQL INSERTs that are valid at that schema version
 * (`rows` of its case), written right after the database reaches it. The case of migration N
 * builds a fresh database step by step, migrating to 1, 2, … N−1 and writing each version's rows
 * on the way (for N = 1: migrating 0001 only, then writing version 1's rows), adds the rows its
 * own checks need (`before`), then lets the store migrate to head. It reads every row written
 * back through the store's public methods, comparing exact records, and checks what migration N
 * promises. So every migration runs over rows written by every earlier version.
 *
 * Each migration's case is a module beside this file, named like its migration file in
 * src/store/migrations/, and listed below. A migration file added without a case listed here
 * makes the coverage test fail; the version before head must then get the rows that exist at it.
 */
import { migrationCase as init } from './0001_init.js';
import { migrationCase as clientAuth } from './0002_client_auth.js';
import { migrationCase as users } from './0003_users.js';
import { migrationCase as signIn } from './0004_sign_in.js';
import { migrationCase as changeNotifications } from './0005_change_notifications.js';
import { migrationCase as grantAccessTokens } from './0006_grant_access_tokens.js';
import { migrationCase as groups } from './0007_groups.js';
import { migrationCase as passwordPolicies } from './0008_password_policies.js';
import { migrationCase as schemaAttributes } from './0009_schema_attributes.js';
import { migrationCase as userAttributeValues } from './0010_user_attribute_values.js';
import { migrationCase as attributeMappings } from './0011_attribute_mappings.js';
import { migrationCase as keysAndRotationPolicies } from './0012_keys_and_rotation_policies.js';
import { migrationCase as scopeMappedClaims } from './0013_scope_mapped_claims.js';
import { migrationCase as changeLog } from './0014_change_log.js';
import { registerMigrationDataCases, type MigrationCase, type MigrationDataTarget } from './harness.js';

/** Every migration's case, in version order. */
const CASES: readonly MigrationCase[] = [
  init,
  clientAuth,
  users,
  signIn,
  changeNotifications,
  grantAccessTokens,
  groups,
  passwordPolicies,
  schemaAttributes,
  userAttributeValues,
  attributeMappings,
  keysAndRotationPolicies,
  scopeMappedClaims,
  changeLog,
];

/**
 * Registers the data test of every migration on `target`, and the test that every migration of
 * the engine's list has one.
 */
export function migrationDataCases(target: MigrationDataTarget): void {
  registerMigrationDataCases(target, CASES);
}
