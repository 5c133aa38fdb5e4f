/** Client-authentication events of an application, newest kept (diagnostics). */
import {
  assertPositiveCount,
  clientAuthEventColumns,
  EVENTS_AFTER,
  EVENTS_NEWEST_FIRST,
  toClientAuthEvent,
  type ClientAuthEventRow,
} from '../shared/client-auth-rows.js';
import { assertInEnvironment, assertPageLimit } from '../shared/scope.js';
import type { ClientAuthEventRecord } from '../types.js';
import type { EnvScoped } from './scoped.js';

export class ClientAuthEvents {
  constructor(private readonly scoped: EnvScoped) {}

  /** Newest first. */
  list(environmentId: string, applicationId: string, limit: number): ClientAuthEventRecord[] {
    assertPageLimit(limit);
    return this.scoped
      .slice<ClientAuthEventRow>('client_auth_events', environmentId, 'application_id = ?', [applicationId], EVENTS_NEWEST_FIRST, limit)
      .map(toClientAuthEvent);
  }

  /** Appends `event`, then drops the application's events past the newest `keep`. Call inside a write transaction. */
  record(environmentId: string, event: ClientAuthEventRecord, keep: number): void {
    assertInEnvironment(environmentId, event.environmentId, `event ${event.id}`);
    assertPositiveCount('events kept', keep);
    const table = 'client_auth_events';
    const predicate = 'application_id = ?';
    const params = [event.applicationId];
    this.scoped.insert(table, environmentId, clientAuthEventColumns(event));
    const [last] = this.scoped.slice<ClientAuthEventRow>(table, environmentId, predicate, params, EVENTS_NEWEST_FIRST, 1, keep - 1);
    if (last) this.scoped.delete(table, environmentId, `${predicate} AND ${EVENTS_AFTER}`, [...params, last.at, last.at, last.id]);
  }
}
