/**
 * Every method of the store contract, declared once for both engines: the area tables composed.
 * A new area adds its table here; a new method goes in its area's table.
 */
import { applicationMethods } from '../areas/applications.js';
import { clientAuthMethods } from '../areas/client-auth.js';
import { environmentMethods } from '../areas/environments.js';
import { grantMethods } from '../areas/grants.js';
import { populationMethods } from '../areas/populations.js';
import { resourceMethods } from '../areas/resources.js';
import { roleAssignmentMethods } from '../areas/role-assignments.js';
import { signInMethods } from '../areas/sign-in.js';
import { userMethods } from '../areas/users.js';

export const STORE_METHODS = {
  ...environmentMethods,
  ...populationMethods,
  ...userMethods,
  ...applicationMethods,
  ...resourceMethods,
  ...grantMethods,
  ...roleAssignmentMethods,
  ...clientAuthMethods,
  ...signInMethods,
};
