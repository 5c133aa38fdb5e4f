/**
 * An Organization Admin's apply or export covers the environments it names whole, keys
 * included (Environment Admin's): for that operation only, it holds Environment Admin on them.
 * Nothing is stored (README, "Declarative configuration", permissions).
 */
import { ROLES, type Actor } from '../management/roles.js';

export function withEnvironmentStanding(actor: Actor, environmentId: string, at: string): Actor {
  const orgAdmin = actor.assignments.some((a) => a.roleId === ROLES.organizationAdmin.id && a.scopeType === 'ORGANIZATION' && a.scopeId === actor.organizationId);
  if (!orgAdmin || actor.assignments.some((a) => a.id === standingId(environmentId))) return actor;
  const assignment = {
    id: standingId(environmentId),
    environmentId: actor.environmentId,
    applicationId: actor.applicationId,
    roleId: ROLES.environmentAdmin.id,
    scopeType: 'ENVIRONMENT' as const,
    scopeId: environmentId,
    createdAt: at,
  };
  return { ...actor, assignments: [...actor.assignments, assignment] };
}

const standingId = (environmentId: string): string => `standing ${environmentId}`;
