/** Where a collection's objects live: the environment, and the resource or application above them. */

export interface EnvironmentParent {
  environmentId: string;
  /** Created by this apply: in the check pass it does not exist yet. */
  isNew: boolean;
}

export interface ResourceParent extends EnvironmentParent {
  resourceId: string;
}

export interface ApplicationParent extends EnvironmentParent {
  applicationId: string;
}

export const tables = {
  populations: (envId: string) => `${envId} population`,
  groups: (envId: string) => `${envId} group`,
  resources: (envId: string) => `${envId} resource`,
  scopes: (envId: string, resourceId: string) => `${envId} resource ${resourceId} scope`,
  resourceAttributes: (envId: string, resourceId: string) => `${envId} resource ${resourceId} attribute`,
  passwordPolicies: (envId: string) => `${envId} passwordPolicy`,
  keyRotationPolicies: (envId: string) => `${envId} keyRotationPolicy`,
  environments: () => 'environment',
};
