/**
 * An Organization Admin's apply or export covers the environments it names whole, keys
 * included (Environment Admin's): for that operation only, it holds Environment Admin on them.
 * Nothing is stored (README, "Declarative configuration", permissions), and role assignments
 * are given and taken without it (`withoutStanding`): the file may give only roles its caller
 * holds, as the API's rule is, so the standing never outlives the operation.
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

const STANDING = 'standing ';
const standingId = (environmentId: string): string => `${STANDING}${environmentId}`;

/** The actor as the API knows it: its stored role assignments only. */
export function withoutStanding(actor: Actor): Actor {
  return { ...actor, assignments: actor.assignments.filter((a) => !a.id.startsWith(STANDING)) };
}
