/** A user of an environment, with its password hash and sign-in state. */
import type { Versioned } from '../versioned.js';
import type { CustomAttributeValues } from './custom-attribute-values.js';
import type { SignInState } from './sign-in-state.js';
import type { UserPassword } from './user-password.js';
import type { UserProfile } from './user-profile.js';

export type UserLifecycleStatus = 'ACCOUNT_OK' | 'VERIFICATION_REQUIRED';

export interface UserRecord extends Versioned {
  id: string;
  environmentId: string;
  populationId: string;
  username: string;
  email: string;
  enabled: boolean;
  lifecycleStatus: UserLifecycleStatus;
  profile: UserProfile;
  /**
   * Values of the environment's enabled custom attributes, by attribute name (every store read
   * fills it; an attribute the user holds no value of is absent).
   */
  customAttributes: CustomAttributeValues;
  password?: UserPassword;
  signIn: SignInState;
}
