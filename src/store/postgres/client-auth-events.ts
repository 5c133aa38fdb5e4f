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
  async list(environmentId: string, applicationId: string, limit: number): Promise<ClientAuthEventRecord[]> {
    assertPageLimit(limit);
    const rows = await this.scoped.slice<ClientAuthEventRow>(
      'client_auth_events',
      environmentId,
      'application_id = ?',
      [applicationId],
      EVENTS_NEWEST_FIRST,
      limit,
    );
    return rows.map(toClientAuthEvent);
  }

  /**
   * Appends `event`, then drops the application's events past the newest `keep`. Call inside a
   * transaction. Concurrent writers each cut below the `keep`-th newest event they can see, which
   * is never above the true one: they may briefly leave one event too many, never drop a kept one.
   */
  async record(environmentId: string, event: ClientAuthEventRecord, keep: number): Promise<void> {
    assertInEnvironment(environmentId, event.environmentId, `event ${event.id}`);
    assertPositiveCount('events kept', keep);
    await this.scoped.insert('client_auth_events', environmentId, clientAuthEventColumns(event));
    const predicate = 'application_id = ?';
    const params = [event.applicationId];
    const [last] = await this.scoped.slice<ClientAuthEventRow>(
      'client_auth_events',
      environmentId,
      predicate,
      params,
      EVENTS_NEWEST_FIRST,
      1,
      keep - 1,
    );
    if (!last) return;
    const older = `${predicate} AND ${EVENTS_AFTER}`;
    await this.scoped.delete('client_auth_events', environmentId, older, [...params, last.at, last.at, last.id]);
  }
}
