/** Client certificates uploaded as keys of an application. */
import { clientCertificateColumns, toClientCertificate, type ClientCertificateRow } from '../shared/client-auth-rows.js';
import { assertInEnvironment } from '../shared/scope.js';
import type { ClientCertificateRecord } from '../types.js';
import type { EnvScoped } from './scoped.js';

export class ClientCertificates {
  constructor(private readonly scoped: EnvScoped) {}

  list(environmentId: string, applicationId: string): ClientCertificateRecord[] {
    return this.scoped
      .many<ClientCertificateRow>('client_certificates', environmentId, 'application_id = ?', [applicationId], 'created_at, id')
      .map(toClientCertificate);
  }

  get(environmentId: string, applicationId: string, keyId: string): ClientCertificateRecord | undefined {
    const row = this.scoped.one<ClientCertificateRow>('client_certificates', environmentId, 'application_id = ? AND id = ?', [
      applicationId,
      keyId,
    ]);
    return row && toClientCertificate(row);
  }

  /** A clashing key id fails on the primary key: UniqueViolation('id'). */
  insert(environmentId: string, c: ClientCertificateRecord): void {
    assertInEnvironment(environmentId, c.environmentId, `certificate ${c.id}`);
    this.scoped.insert('client_certificates', environmentId, clientCertificateColumns(c));
  }

  delete(environmentId: string, applicationId: string, keyId: string): boolean {
    return this.scoped.delete('client_certificates', environmentId, 'application_id = ? AND id = ?', [applicationId, keyId]) > 0;
  }
}
