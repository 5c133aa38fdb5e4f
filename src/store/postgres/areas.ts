/**
 * The PostgreSQL store's area modules wired over one `Queryable`: the pool for single
 * statements, or a transaction's connection so that every statement of a multi-row write runs
 * on that connection. Building the set is a handful of allocations, cheap enough per transaction.
 */
import { Applications } from './applications.js';
import { ClientAuthEvents } from './client-auth-events.js';
import { ClientCertificates } from './client-certificates.js';
import { Environments } from './environments.js';
import { Grants } from './grants.js';
import type { Queryable } from './pool.js';
import { Populations } from './populations.js';
import { Resources } from './resources.js';
import { RoleAssignments } from './role-assignments.js';
import { EnvScoped } from './scoped.js';
import { SignIn } from './sign-in.js';
import { SigningKeys } from './signing-keys.js';
import { TokenRecords } from './token-records.js';
import { Users } from './users.js';

export class Areas {
  readonly environments: Environments;
  readonly signingKeys: SigningKeys;
  readonly populations: Populations;
  readonly users: Users;
  readonly applications: Applications;
  readonly resources: Resources;
  readonly grants: Grants;
  readonly roleAssignments: RoleAssignments;
  readonly tokenRecords: TokenRecords;
  readonly clientCertificates: ClientCertificates;
  readonly clientAuthEvents: ClientAuthEvents;
  readonly signIn: SignIn;

  constructor(q: Queryable, now: () => string) {
    const scoped = new EnvScoped(q);
    this.grants = new Grants(scoped, now);
    this.roleAssignments = new RoleAssignments(q, scoped);
    this.signingKeys = new SigningKeys(scoped);
    this.populations = new Populations(scoped);
    this.users = new Users(scoped);
    this.resources = new Resources(scoped, this.grants);
    this.applications = new Applications(scoped, this.grants, this.roleAssignments);
    this.tokenRecords = new TokenRecords(q, scoped);
    this.clientCertificates = new ClientCertificates(scoped);
    this.clientAuthEvents = new ClientAuthEvents(scoped);
    this.signIn = new SignIn(q, scoped, now);
    this.environments = new Environments(q, scoped, {
      signingKeys: this.signingKeys,
      populations: this.populations,
      resources: this.resources,
      roleAssignments: this.roleAssignments,
    });
  }
}
